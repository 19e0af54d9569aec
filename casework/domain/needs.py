"""Needs assessment (DOMAIN.md §4): the domains, the safeguarding flags, and the priority order
that suggests pathway conditions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

NEED_DOMAINS = (
    ("accommodation", "Accommodation and housing"),
    ("education_employment", "Education, training and employment"),
    ("finance", "Finance, benefits and debt"),
    ("relationships", "Relationships, family and children"),
    ("lifestyle", "Lifestyle, associates and use of time"),
    ("drugs", "Drug misuse"),
    ("alcohol", "Alcohol misuse"),
    ("mental_health", "Mental health and emotional wellbeing"),
    ("physical_health", "Physical health"),
    ("thinking_behaviour", "Thinking, behaviour and attitudes"),
    ("domestic_abuse", "Domestic abuse (as a victim, at risk, or as a perpetrator)"),
    ("sexual_exploitation", "Sexual exploitation (as a victim)"),
    ("neurodiversity", "Neurodiversity and learning needs"),
    ("gambling", "Gambling"),
    ("protected_context", "Care experience, veteran or other context"),
)
DOMAIN_LABELS = dict(NEED_DOMAINS)
NEED_LEVELS = ((0, "None"), (1, "Low"), (2, "Moderate"), (3, "High"))


class Stage(StrEnum):
    ENTRY = "entry"
    MIDPOINT = "midpoint"
    EXIT = "exit"


# The exit assessment looks back over the contract: it opens in the term's last four weeks.
EXIT_WINDOW = timedelta(weeks=4)


def stage_opens_on(stage: Stage, *, starts_on: date, ends_on: date) -> date | None:
    """The first day a review stage may be recorded, from the signed contract's term: the midpoint
    from halfway through it, the exit in its last four weeks (from the start, if shorter). The entry
    assessment comes before any contract, so it has no such day."""
    if stage is Stage.MIDPOINT:
        return starts_on + (ends_on - starts_on) // 2
    if stage is Stage.EXIT:
        return max(starts_on, ends_on - EXIT_WINDOW)
    return None


class Safeguarding(StrEnum):
    SELF_HARM = "self_harm"
    RISK_TO_STAFF = "risk_to_staff"
    CHILD_AT_RISK = "child_at_risk"
    EXPLOITATION = "exploitation"
    IMMEDIATE_CRISIS = "immediate_crisis"

    @property
    def label(self) -> str:
        return SAFEGUARDING_LABELS[self]


SAFEGUARDING_LABELS = {
    Safeguarding.SELF_HARM: "Risk of self-harm",
    Safeguarding.RISK_TO_STAFF: "Risk to staff",
    Safeguarding.CHILD_AT_RISK: "A child at risk",
    Safeguarding.EXPLOITATION: "Being exploited (for example county lines)",
    Safeguarding.IMMEDIATE_CRISIS: "Immediate crisis needing a same-day referral",
}


@dataclass(frozen=True)
class DomainScore:
    domain: str
    need_level: int
    linked_to_offending: bool
    person_priority: int | None = None


def priorities(scores: list[DomainScore]) -> list[DomainScore]:
    """Offending-linked needs only, highest need first, then the person's own ranking (1 = most
    important to them): the first two are the default pathway conditions (DOMAIN.md §4.3)."""
    linked = [s for s in scores if s.linked_to_offending and s.need_level > 0]
    return sorted(linked, key=lambda s: (-s.need_level, s.person_priority or 99, s.domain))


def change_by_domain(before: list[DomainScore], after: list[DomainScore]) -> dict[str, int]:
    """Need level after minus before, per domain scored both times: negative is improvement."""
    earlier = {s.domain: s.need_level for s in before}
    return {s.domain: s.need_level - earlier[s.domain] for s in after if s.domain in earlier}
