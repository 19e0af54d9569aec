"""The completion letter (DOMAIN.md §3.5, §9) in English and Welsh: no further action, the outcome
recorded, and an honest note about enhanced DBS checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from faker import Faker

from contracts import CompletionLetter, render_completion_letter
from tests.contracts.pdf_structure import content_text

fake = Faker("en_GB")


@pytest.fixture
def letter() -> CompletionLetter:
    return CompletionLetter(
        case_reference="CP-26-000321",
        crime_reference="DC/7781/26",
        person_name=fake.name(),
        offences=("Common assault",),
        starts_on=date(2026, 7, 20),
        ends_on=date(2026, 11, 20),
        completed_on=date(2026, 11, 24),
        decided_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        outcome_code=22,
        outcome_label=(
            "Diversionary, educational or intervention activity undertaken; further action not in the public interest"
        ),
        team_name="Durham",
        team_phone="0191 555 0100",
        team_email="navigators@example.police.uk",
        scheme_name="Checkpoint",
        force_name="Demonstration Constabulary",
        retention_years=6,
    )


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


def test_english_letter_says_no_further_action_the_outcome_and_what_a_dbs_check_may_show(letter):
    rendered = render_completion_letter(letter)
    text = content_text(rendered.pdf)
    for phrase in [
        "your contract is complete",
        "The police will take no further action against you for the offence below.",
        "Completed on 24 November 2026",
        "Outcome recorded Outcome 22: Diversionary, educational or intervention activity undertaken",
        "It is not a conviction and it is not a caution.",
        "It could be included on an enhanced DBS check",
        "if a chief officer reasonably believes it is relevant",
        "We cannot promise that it will never be disclosed.",
        "reviews it 6 years after your case closed",
    ]:
        assert _has(text, phrase), phrase
    assert rendered.template_version == "completion_letter_v1" and rendered.language == "en"
    assert render_completion_letter(letter).pdf == rendered.pdf  # same record, same bytes


def test_welsh_letter_in_welsh_with_outcome_8(letter):
    from dataclasses import replace

    rendered = render_completion_letter(
        replace(letter, language="cy", outcome_code=8, outcome_label="Community resolution")
    )
    text = content_text(rendered.pdf)
    for phrase in [
        "mae eich contract wedi'i gwblhau",
        "Ni fydd yr heddlu'n cymryd camau pellach yn eich erbyn",
        "Wedi'i gwblhau ar 24 Tachwedd 2026",
        "Canlyniad 8: Datrysiad cymunedol",
        "Gallai gael ei chynnwys ar wiriad DBS manylach",
        "Ni allwn addo na chaiff fyth ei datgelu.",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, "Community resolution")
