"""The warning letter's text in English and in Welsh: what failed and when, why, what happens next
(a supervisor's review after a formal warning; the end of the contract and prosecution after a final
one), how it was given, and who to talk to."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from faker import Faker

from contracts import WarningLetter, render_warning_letter
from tests.contracts.pdf_structure import content_text

fake = Faker("en_GB")


@pytest.fixture
def letter() -> WarningLetter:
    return WarningLetter(
        scheme_name="Checkpoint",
        force_name="Durham Constabulary",
        case_reference="CP-26-000412",
        person_name=fake.name(),
        address_lines=("12 Front Street", "Durham", "DH1 3AB"),
        issued_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        level="formal",
        failure="unacceptable_absence",
        failure_on=date(2026, 11, 16),
        reason="You missed the check-in and did not contact us with a reason within two working days.",
        navigator_name="Sam Navigator",
        team_name="Durham",
        team_phone="0191 000 0000",
        team_email="navigators@example.police.uk",
        check_in_at=datetime(2026, 11, 16, 14, 30, tzinfo=UTC),
        delivery="post",
    )


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


def test_a_formal_warning_for_a_missed_check_in_in_english(letter):
    rendered = render_warning_letter(letter)
    assert (rendered.template_version, rendered.language) == ("warning_letter_v1", "en")
    text = content_text(rendered.pdf)
    for phrase in [
        "Checkpoint: formal warning",
        "Date of this warning 24 November 2026",
        "You did not come to your check-in on Monday 16 November 2026 at 2:30pm",
        "within two working days",
        "a supervisor will review your case",
        "you may be charged with the original offence",
        "tell your navigator, Sam Navigator",
        "phone 0191 000 0000 or email navigators@example.police.uk",
        "Sent to you by post.",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, "This is your final warning")


def test_a_final_warning_for_a_condition_says_the_contract_may_end_and_prosecution_follow(letter):
    final = dataclasses.replace(
        letter,
        level="final",
        failure="condition_not_met",
        failure_on=date(2026, 11, 20),
        check_in_at=None,
        condition_number=3,
        condition_wording="Complete 20 hours of unpaid community work.",
        delivery="by_hand",
    )
    text = content_text(render_warning_letter(final).pdf)
    for phrase in [
        "Checkpoint: final warning",
        "You did not meet condition 3 of your contract by 20 November 2026",
        "Complete 20 hours of unpaid community work.",
        "This is your final warning.",
        "your contract may be ended",
        "you may be prosecuted for the original offence",
        "Given to you by hand.",
    ]:
        assert _has(text, phrase), phrase


def test_a_formal_warning_in_welsh(letter):
    welsh = dataclasses.replace(letter, language="cy", delivery="email")
    text = content_text(render_warning_letter(welsh).pdf)
    for phrase in [
        "Checkpoint: rhybudd ffurfiol",
        "Dyddiad y rhybudd hwn 24 Tachwedd 2026",
        "Ni ddaethoch i'ch apwyntiad gwirio ar dydd Llun 16 Tachwedd 2026 am 2:30yh",
        "bydd goruchwyliwr yn adolygu eich achos",
        "gallech gael eich cyhuddo o'r drosedd wreiddiol",
        "dywedwch wrth eich llywiwr, Sam Navigator",
        "Anfonwyd atoch drwy e-bost.",
    ]:
        assert _has(text, phrase), phrase
    for english in ("warning", "Page", "navigator team", "Sent to you"):
        assert english not in text, english


def test_a_final_warning_for_conduct_in_welsh(letter):
    welsh = dataclasses.replace(
        letter,
        language="cy",
        level="final",
        failure="conduct",
        check_in_at=None,
        condition_number=2,
        condition_wording="Peidio â chysylltu â'r dioddefwr.",
    )
    text = content_text(render_warning_letter(welsh).pdf)
    for phrase in [
        "Checkpoint: rhybudd terfynol",
        "Ar 16 Tachwedd 2026 fe wnaethoch weithredu'n groes i amod 2",
        "Peidio â chysylltu â'r dioddefwr.",
        "Dyma eich rhybudd terfynol.",
        "gallech gael eich erlyn am y drosedd wreiddiol",
    ]:
        assert _has(text, phrase), phrase


def test_the_same_warning_renders_the_same_bytes(letter):
    assert render_warning_letter(letter).sha256 == render_warning_letter(letter).sha256


def test_an_unknown_level_or_failure_is_not_worded(letter):
    with pytest.raises(ValueError):
        render_warning_letter(dataclasses.replace(letter, level="severe"))
