"""What an offence "included with terms" asks before a referral (DOMAIN.md §2.2).

The administrator writes the terms in words and sets, with them, the requirements the product
can enforce: a supervisor's agreement, the victim's views, or the custody sergeant's written
confirmation that the terms are met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class TermRequirement(StrEnum):
    SUPERVISOR_AGREEMENT = "supervisor_agreement"
    VICTIM_NOT_OBJECTING = "victim_not_objecting"
    SERGEANT_CONFIRMS = "sergeant_confirms"

    @property
    def label(self) -> str:
        return REQUIREMENT_LABELS[self]


REQUIREMENT_LABELS = {
    TermRequirement.SUPERVISOR_AGREEMENT: "A supervisor must agree to the referral",
    TermRequirement.VICTIM_NOT_OBJECTING: "The victim's views must have been sought and must not be an objection",
    TermRequirement.SERGEANT_CONFIRMS: "The custody sergeant must confirm at referral that the terms are met",
}
# Views that satisfy the victim requirement: sought and not against, or nobody to ask.
VICTIM_VIEWS_ALLOWED = frozenset({"supports", "no_victim"})


@dataclass(frozen=True)
class OffenceTerms:
    """One offence's terms as they stood on the offer date."""

    code: str
    title: str
    terms: str
    requirements: frozenset[TermRequirement]

    def needs(self, requirement: TermRequirement) -> bool:
        return requirement in self.requirements


def known(requirements: Iterable[str]) -> frozenset[TermRequirement]:
    """Requirements as stored; a value this version does not know is ignored rather than guessed."""
    return frozenset(TermRequirement(r) for r in requirements if r in TermRequirement._value2member_map_)


def victim_problem(terms: OffenceTerms, answers: Mapping[str, Any], victim_view_label: str) -> str | None:
    """Why the victim's views, as the checklist records them, do not meet this offence's terms."""
    if not terms.needs(TermRequirement.VICTIM_NOT_OBJECTING) or answers.get("victim_view") in VICTIM_VIEWS_ALLOWED:
        return None
    recorded = victim_view_label or "not answered"
    return (
        f"{terms.title} can be referred only when the victim's views have been sought and are not an "
        f"objection. The checklist records: {recorded}."
    )


def needs_supervisor(applying: Iterable[OffenceTerms]) -> bool:
    return any(t.needs(TermRequirement.SUPERVISOR_AGREEMENT) for t in applying)
