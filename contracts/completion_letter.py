"""The completion letter: the person's contract is complete and the police will take no further
action for the offence, with the outcome recorded and an honest note on enhanced DBS checks
(DOMAIN.md §3.5, §9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import counted, day
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "completion_letter_v1"
TEMPLATE_VERSIONS = (TEMPLATE_VERSION,)

# The completion codes in Welsh, for Welsh letters; another code keeps the table's English label.
WELSH_OUTCOME_LABELS = {
    8: "Datrysiad cymunedol",
    22: "Gweithgarwch dargyfeiriol, addysgol neu ymyrraeth wedi'i gyflawni; nid yw camau pellach er budd y cyhoedd",
}


@dataclass(frozen=True)
class CompletionLetter:
    case_reference: str
    crime_reference: str
    person_name: str
    offences: tuple[str, ...]
    starts_on: date
    ends_on: date
    completed_on: date  # the date entered on force systems
    decided_at: datetime  # when the supervisor signed it off: the document's own date
    outcome_code: int
    outcome_label: str  # as in the outcome code table (English)
    team_name: str
    team_phone: str
    team_email: str
    scheme_name: str
    force_name: str
    retention_years: int
    language: str = "en"


def render_completion_letter(letter: CompletionLetter, *, template_version: str = TEMPLATE_VERSION) -> RenderedDocument:
    if template_version not in TEMPLATE_VERSIONS:
        raise ValueError(f"no such completion letter template: {template_version}")
    language = letter.language if letter.language in ("en", "cy") else "en"
    label = (
        WELSH_OUTCOME_LABELS.get(letter.outcome_code, letter.outcome_label)
        if language == "cy"
        else letter.outcome_label
    )
    return render(
        f"{template_version}.{language}.html",
        version=template_version,
        language=language,
        created=letter.decided_at,
        furniture_as_artifacts=True,
        letter=letter,
        outcome_label=label,
        day=lambda d: day(d, language),
        years=counted(letter.retention_years, language, ("year", "years"), ("flwyddyn", "blynedd")),
    )
