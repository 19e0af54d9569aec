"""The offer sheet, template version 2 (DOMAIN.md §2.4, §5.3, §7.1, §9), in English and Welsh."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from faker import Faker

from contracts import OfferSheet, offer_sheet_made_from, render_offer_sheet
from tests.contracts.pdf_structure import content_text, marked_text, reachable_mcids, structure

fake = Faker("en_GB")


@pytest.fixture
def sheet() -> OfferSheet:
    return OfferSheet(
        case_reference="CP-26-000123",
        crime_reference="DC/4521/26",
        person_name=fake.name(),
        offences=("Common assault", "Criminal damage (value £5,000 or less)"),
        consent_at=datetime(2026, 3, 27, 14, 5, tzinfo=UTC),
        sergeant_name="Sergeant Alex Reed",  # opened the case; not the witness
        appointment_at=datetime(2026, 3, 30, 8, 30, tzinfo=UTC),  # 9:30am British Summer Time
        appointment_place="Navigator office\n12 Claypath\nDurham",
        team_name="Durham",
        team_phone="0191 555 0100",
        team_email="navigators@example.police.uk",
        scheme_name="Checkpoint",
        force_name="Demonstration Constabulary",
        witness_name="PC 1234 Jordan Blake",
        offence_first_on=date(2026, 3, 20),
        offence_last_on=date(2026, 3, 20),
        contract_length_months=4,
        retention_years=6,
    )


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


def test_english_sheet_names_the_witness_the_offence_date_and_the_length(sheet):
    rendered = render_offer_sheet(sheet)
    assert rendered.template_version == "offer_sheet_v2"
    text = content_text(rendered.pdf)
    for phrase in [
        "Monday 30 March 2026 at 9:30am",
        "Date of the offence 20 March 2026",
        "How long the contract lasts 4 months, from the day you sign it",
        "You agreed on Friday 27 March 2026 at 2:05pm, witnessed by PC 1234 Jordan Blake.",
        "put off, not dropped",
        "may be charged with the original offence",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, sheet.sergeant_name)


def test_the_sheet_says_consent_can_be_withdrawn_at_any_time_and_what_follows(sheet):
    text = content_text(render_offer_sheet(sheet).pdf)
    withdrawal = re.search(r"Youcanchangeyourmind(.*?)Whathappenswhenyoucompleteit", text).group(1)
    assert _has(withdrawal, "You can withdraw your consent at any time")
    assert _has(withdrawal, "your case is passed for a prosecution decision")


def test_a_new_offence_is_decided_on_the_evidence_and_an_arrest_alone_is_not_a_breach(sheet):
    text = content_text(render_offer_sheet(sheet).pdf)
    assert not _has(text, "arrested for another offence")
    assert _has(text, "If a crime is recorded that names you as a suspect while your contract lasts, a supervisor")
    assert _has(text, "Being arrested and then released with no further action does not count.")


def test_the_privacy_notice_says_who_holds_shares_keeps_and_what_rights_there_are(sheet):
    text = content_text(render_offer_sheet(sheet).pdf)
    notice = text[text.index("Yourinformation") :]
    for phrase in [
        "Demonstration Constabulary holds the information",
        "shared with a partner service",
        "only with your agreement",
        "Crown Prosecution Service and the courts",
        "reviewed 6 years after your case closes",
        "You can ask to see it, to have mistakes corrected",
        "enhanced DBS check",
    ]:
        assert _has(notice, phrase), phrase


def test_welsh_sheet(sheet):
    rendered = render_offer_sheet(dataclasses.replace(sheet, language="cy"))
    text = content_text(rendered.pdf)
    for phrase in [
        "dydd Llun 30 Mawrth 2026 am 9:30yb",
        "Dyddiad y drosedd 20 Mawrth 2026",
        "4 mis, o'r diwrnod y byddwch yn ei lofnodi",
        "Gallwch dynnu eich caniatâd yn ôl ar unrhyw adeg",
        "Gwasanaeth Erlyn y Goron",
        "gwiriad DBS manylach",
        "a PC 1234 Jordan Blake oedd y tyst",
    ]:
        assert _has(text, phrase), phrase
    for english in ("witnessed by", "months", "Page", "arrested"):
        assert english not in text, english


def test_page_furniture_is_an_artifact_and_the_details_are_a_table(sheet):
    pdf = render_offer_sheet(sheet).pdf
    runs, tagged = marked_text(pdf), reachable_mcids(pdf)
    furniture = [run for run in runs if re.fullmatch(r"(Case CP-26-000123|Page \d of \d)", run.text.strip())]
    assert furniture and {run.tag for run in furniture} == {"/Artifact"}
    assert all((run.page, run.mcid) in tagged for run in runs if run.tag != "/Artifact")
    (details,) = structure(pdf).find("/Table")
    labels = [row.find("/TH")[0].all_text() for row in details.find("/TR")]
    assert labels == [
        "Case reference",
        "Crime reference",
        "Offences",
        "Date of the offence",
        "How long the contract lasts",
    ]


def test_the_sheet_still_carries_no_health_or_assessment_detail_and_renders_the_same_bytes(sheet):
    rendered = render_offer_sheet(sheet)
    text = content_text(rendered.pdf).lower()
    for word in ("drug", "health", "assessment", "alcohol", "mental"):
        assert word not in text
    assert rendered.pdf == render_offer_sheet(sheet).pdf


def _other(value):
    if isinstance(value, datetime | date):
        return value + timedelta(days=1)
    if isinstance(value, tuple):
        return (*value, "Theft from a shop")
    if isinstance(value, int):
        return value + 1
    return "cy" if value == "en" else f"{value} (corrected)"


def test_a_stored_sheet_is_kept_under_everything_it_prints(sheet):
    """Downloads serve the stored copy kept under this digest: any field that changes must change it,
    or a sergeant would hand over a sheet with the old details."""
    kept_under = offer_sheet_made_from(sheet)
    assert offer_sheet_made_from(dataclasses.replace(sheet)) == kept_under
    for field in dataclasses.fields(sheet):
        changed = dataclasses.replace(sheet, **{field.name: _other(getattr(sheet, field.name))})
        assert offer_sheet_made_from(changed) != kept_under, field.name
    assert offer_sheet_made_from(sheet, template_version="offer_sheet_v1") != kept_under
    # The same moment, read back in another zone, is the same sheet.
    in_london = dataclasses.replace(sheet, consent_at=sheet.consent_at.astimezone(ZoneInfo("Europe/London")))
    assert offer_sheet_made_from(in_london) == kept_under
