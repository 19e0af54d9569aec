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


# ---- the assessment as a journey: one page per domain, then the flags, then check and complete ----

SAFEGUARDING_SECTION = "safeguarding"
# The order of the pages, which is also the order a navigator resumes in.
SECTIONS = (*(domain for domain, _ in NEED_DOMAINS), SAFEGUARDING_SECTION)
SECTION_LABELS = {**DOMAIN_LABELS, SAFEGUARDING_SECTION: "Safeguarding and risk"}
MAX_STRENGTHS = 2000
MAX_NOTES = 4000
MAX_ACTION = 2000
HIGHEST_PRIORITY = len(NEED_DOMAINS)


@dataclass(frozen=True)
class DomainInput:
    """One domain's answers as the navigator gave them; None where nothing was chosen."""

    domain: str
    need_level: int | None
    linked_to_offending: bool | None
    person_priority: int | None = None
    strengths: str = ""
    notes: str = ""
    consent_to_refer: bool = False


@dataclass(frozen=True)
class SafeguardingInput:
    """The flags page: the flags ticked, the action typed beside each, or "no concerns"."""

    ticked: frozenset[Safeguarding]
    actions: dict[Safeguarding, str]
    no_concerns: bool = False


def priority_problem(number: int | None, taken: dict[int, str]) -> str | None:
    """The person ranks each domain once: `taken` maps the numbers already given to other domains."""
    if number is None:
        return None
    if not 1 <= number <= HIGHEST_PRIORITY:
        return f"Enter a number from 1 to {HIGHEST_PRIORITY}"
    if number in taken:
        return f"Priority {number} is already given to {DOMAIN_LABELS[taken[number]].lower()}"
    return None


def domain_problems(answers: DomainInput, *, taken: dict[int, str]) -> list[tuple[str, str]]:
    """Every problem with one domain's page, as (field, message), so all are shown at once."""
    label = DOMAIN_LABELS[answers.domain].lower()
    problems = []
    if answers.need_level not in (0, 1, 2, 3):
        problems.append(("need_level", f"Select the level of need for {label}"))
    if answers.linked_to_offending is None:
        problems.append(("linked_to_offending", f"Say whether {label} is linked to the offending"))
    if (message := priority_problem(answers.person_priority, taken)) is not None:
        problems.append(("person_priority", message))
    if len(answers.strengths.strip()) > MAX_STRENGTHS:
        problems.append(("strengths", f"Strengths must be {MAX_STRENGTHS:,} characters or fewer"))
    if len(answers.notes.strip()) > MAX_NOTES:
        problems.append(("notes", f"Notes must be {MAX_NOTES:,} characters or fewer"))
    return problems


def safeguarding_problems(answers: SafeguardingInput) -> list[tuple[str, str]]:
    """Each flag ticked needs the action taken; an action typed without its flag would be lost, and
    saying "no concerns" beside a flag contradicts it. The navigator must choose one or the other."""
    problems = []
    if not answers.ticked and not answers.no_concerns:
        problems.append(("no_concerns", "Select each concern that applies, or select that there are none"))
    if answers.ticked and answers.no_concerns:
        problems.append(("no_concerns", "You selected a concern: unselect 'There are no safeguarding concerns'"))
    for flag in Safeguarding:
        action = answers.actions.get(flag, "").strip()
        if flag in answers.ticked and not action:
            problems.append((f"flag-{flag.value}-action", f"Record the action taken for: {flag.label.lower()}"))
        elif flag not in answers.ticked and action:
            problems.append((f"flag-{flag.value}", f"Select '{flag.label}' if you took this action, or delete it"))
        elif len(action) > MAX_ACTION:
            problems.append((f"flag-{flag.value}-action", f"The action must be {MAX_ACTION:,} characters or fewer"))
    return problems


def missing_sections(done: set[str]) -> list[str]:
    return [section for section in SECTIONS if section not in done]


def next_section(done: set[str], *, after: str | None) -> str | None:
    """The first page not yet done after `after` (the one last saved), wrapping round to the start:
    where the navigator left off. None when every page is done."""
    start = SECTIONS.index(after) + 1 if after in SECTIONS else 0
    for section in SECTIONS[start:] + SECTIONS[:start]:
        if section not in done:
            return section
    return None
