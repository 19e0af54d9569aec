"""The warning letter (DOMAIN.md §7.2): a formal warning from the navigator, or a final warning from a
supervisor's decision on a breach, in English or Welsh. It says what the failure was and when, why
the person is being warned, what happens if it happens again, and who to talk to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import LONDON, day, when
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "warning_letter_v1"
TEMPLATE_VERSIONS = ("warning_letter_v1",)
LEVELS = ("formal", "final")
FAILURES = ("unacceptable_absence", "condition_not_met", "conduct", "new_offence", "withdrawal")
DELIVERIES = ("post", "email", "by_hand")


@dataclass(frozen=True)
class WarningLetter:
    scheme_name: str
    force_name: str
    case_reference: str
    person_name: str
    address_lines: tuple[str, ...]
    issued_at: datetime
    level: str  # formal or final
    failure: str  # the breach kind
    failure_on: date
    reason: str  # as the navigator or supervisor wrote it
    navigator_name: str
    team_name: str
    team_phone: str
    team_email: str
    # For an absence: when the check-in was. For a condition: its wording in the letter's language.
    check_in_at: datetime | None = None
    condition_number: int | None = None
    condition_wording: str = ""
    delivery: str = ""  # post, email or by_hand; empty when not recorded
    language: str = "en"


def render_warning_letter(letter: WarningLetter, *, template_version: str = TEMPLATE_VERSION) -> RenderedDocument:
    if template_version not in TEMPLATE_VERSIONS:
        raise ValueError(f"no such warning letter template: {template_version}")
    if letter.level not in LEVELS or letter.failure not in FAILURES:
        raise ValueError(f"cannot word a {letter.level} warning for {letter.failure}")
    language = letter.language if letter.language in ("en", "cy") else "en"
    return render(
        f"{template_version}.{language}.html",
        version=template_version,
        language=language,
        created=letter.issued_at,
        furniture_as_artifacts=True,
        letter=letter,
        issued=day(letter.issued_at.astimezone(LONDON).date(), language),
        failure_on=day(letter.failure_on, language),
        check_in=when(letter.check_in_at, language) if letter.check_in_at else "",
        wording=letter.condition_wording.strip(),
    )
