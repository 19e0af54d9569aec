"""The decision letter (DOMAIN.md §7.2 step 5): the person is told the prosecution decision and the
reasons in plain words, in English or Welsh. Version 1 is current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import day
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "decision_letter_v1"
ROUTES = ("charged", "alternative", "no_further_action", "evidential", "time_barred")


@dataclass(frozen=True)
class DecisionLetter:
    scheme_name: str
    force_name: str
    case_reference: str
    crime_reference: str
    person_name: str
    address_lines: tuple[str, ...]
    offences: tuple[str, ...]  # titles, in the letter's language
    route: str  # one of ROUTES
    code: int
    decided_at: datetime
    decided_on: date  # the London date of the decision
    decision_maker: str
    rationale: str  # as the decision maker wrote it
    team_name: str
    team_phone: str
    team_email: str
    charge_wording: str = ""
    charged_on: date | None = None
    court_date: date | None = None
    language: str = "en"


def render_decision_letter(letter: DecisionLetter) -> RenderedDocument:
    if letter.route not in ROUTES:
        raise ValueError(f"no decision letter for route {letter.route!r}")
    language = letter.language if letter.language in ("en", "cy") else "en"
    return render(
        f"{TEMPLATE_VERSION}.{language}.html",
        version=TEMPLATE_VERSION,
        language=language,
        created=letter.decided_at,
        furniture_as_artifacts=True,
        letter=letter,
        day=lambda d: day(d, language),
    )
