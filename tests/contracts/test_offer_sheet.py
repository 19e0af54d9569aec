"""The offer sheet PDF as template version 1 issued it, read back as a person (and a screen reader)
would get it. Version 1 still renders, unchanged, for the sheets it issued; the current version is
tested in test_offer_sheet_v2.py."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime

import pytest
from faker import Faker
from pypdf import PdfReader

from contracts import OfferSheet, render_offer_sheet
from contracts.rendering import ASSETS, RefusedResource, asset_fetcher

V1 = "offer_sheet_v1"

fake = Faker("en_GB")


@pytest.fixture
def sheet() -> OfferSheet:
    return OfferSheet(
        case_reference="CP-26-000123",
        crime_reference="DC/4521/26",
        person_name=fake.name(),
        offences=("Common assault", "Criminal damage (value £5,000 or less)"),
        consent_at=datetime(2026, 3, 27, 14, 5, tzinfo=UTC),
        sergeant_name="Sergeant Alex Reed",
        # 08:30 UTC on 30 March 2026 is 9:30am British Summer Time.
        appointment_at=datetime(2026, 3, 30, 8, 30, tzinfo=UTC),
        appointment_place="Navigator office\n12 Claypath\nDurham",
        team_name="Durham",
        team_phone="0191 555 0100",
        team_email="navigators@example.police.uk",
        scheme_name="Checkpoint",
        force_name="Demonstration Constabulary",
    )


def _squashed(text: str) -> str:
    """Text extraction may split a word at a kerning pair ("T aylor"), so compare without spaces."""
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_english_sheet_says_what_happens_next(sheet):
    text = _text(render_offer_sheet(sheet, template_version=V1).pdf)
    for expected in [
        sheet.person_name,
        "CP-26-000123",
        "DC/4521/26",
        "Common assault",
        "Monday 30 March 2026 at 9:30am",
        "12 Claypath",
        "0191 555 0100",
        "navigators@example.police.uk",
        "put off, not dropped",
        "may be charged with the original offence",
        "Outcome 22",
        "enhanced DBS check",
        "Friday 27 March 2026 at 2:05pm",
        "Page 1 of 2",
        "Case CP-26-000123",
    ]:
        assert _squashed(expected) in _squashed(text), expected


def test_welsh_sheet(sheet):
    rendered = render_offer_sheet(dataclasses.replace(sheet, language="cy"), template_version=V1)
    text = _text(rendered.pdf)
    for expected in [
        "beth sy'n digwydd nesaf",
        "dydd Llun 30 Mawrth 2026 am 9:30yb",
        "Eich apwyntiad cyntaf",
        "gallech gael eich cyhuddo o'r drosedd wreiddiol",
        "Canlyniad 22",
        "gwiriad DBS manylach",
        "Achos CP-26-000123",
    ]:
        assert _squashed(expected) in _squashed(text), expected
    assert "Tudalen1o2" in _squashed(text)
    assert rendered.language == "cy" and rendered.template_version == "offer_sheet_v1"


def test_the_pdf_is_tagged_with_a_language_and_title(sheet):
    reader = PdfReader(io.BytesIO(render_offer_sheet(sheet, template_version=V1).pdf))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title.startswith("Deferred prosecution: what happens next")


def test_rendering_the_same_record_twice_gives_the_same_bytes(sheet):
    first, second = render_offer_sheet(sheet, template_version=V1), render_offer_sheet(sheet, template_version=V1)
    assert first.pdf == second.pdf and first.sha256 == second.sha256


def test_the_sheet_carries_no_health_or_assessment_detail(sheet):
    text = _text(render_offer_sheet(sheet, template_version=V1).pdf).lower()
    for word in ("drug", "health", "assessment", "alcohol", "mental"):
        assert word not in text


def test_the_fetcher_serves_only_bundled_assets():
    served = asset_fetcher((ASSETS / "document.css").as_uri())
    assert served["mime_type"] == "text/css" and b"@page" in served["file_obj"].read()
    served["file_obj"].close()
    with pytest.raises(RefusedResource):
        asset_fetcher("file:///etc/passwd")
    with pytest.raises(RefusedResource):
        asset_fetcher((ASSETS / ".." / "offer_sheet.py").as_uri())
    with pytest.raises(RefusedResource):
        asset_fetcher("https://example.com/tracker.png")
