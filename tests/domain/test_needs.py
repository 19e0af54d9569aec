"""The needs assessment's rules, by table: priorities, each page's problems, where to resume."""

from __future__ import annotations

import pytest

from casework.domain import needs
from casework.domain.needs import DomainInput, DomainScore, Safeguarding, SafeguardingInput

ALL_DOMAINS = {domain for domain, _ in needs.NEED_DOMAINS}


def test_priorities_are_the_linked_needs_highest_first_then_the_persons_own_order():
    scores = [
        DomainScore("drugs", 3, True, person_priority=2),
        DomainScore("accommodation", 2, True, person_priority=1),
        DomainScore("finance", 3, False),
        DomainScore("mental_health", 2, True, person_priority=3),
        DomainScore("alcohol", 0, True),
    ]
    assert [s.domain for s in needs.priorities(scores)] == ["drugs", "accommodation", "mental_health"]


@pytest.mark.parametrize(
    ("answers", "taken", "fields"),
    [
        (DomainInput("drugs", 2, True, 1), {}, []),
        (DomainInput("drugs", 0, False), {}, []),
        (DomainInput("drugs", None, None), {}, ["need_level", "linked_to_offending"]),
        (DomainInput("drugs", 4, True), {}, ["need_level"]),
        (DomainInput("drugs", 2, True, 16), {}, ["person_priority"]),
        (DomainInput("drugs", 2, True, 0), {}, ["person_priority"]),
        (DomainInput("drugs", 2, True, 1), {1: "alcohol"}, ["person_priority"]),
        (DomainInput("drugs", 2, True, strengths="x" * 2001), {}, ["strengths"]),
        (DomainInput("drugs", 2, True, notes="x" * 4001), {}, ["notes"]),
        (
            DomainInput("drugs", None, None, 3, "x" * 2001, "x" * 4001),
            {3: "finance"},
            ["need_level", "linked_to_offending", "person_priority", "strengths", "notes"],
        ),
    ],
)
def test_a_domain_page_reports_every_problem(answers, taken, fields):
    assert [field for field, _ in needs.domain_problems(answers, taken=taken)] == fields


def test_a_priority_given_twice_names_the_domain_that_has_it():
    assert needs.priority_problem(1, {1: "alcohol"}) == "Priority 1 is already given to alcohol misuse"


@pytest.mark.parametrize(
    ("ticked", "actions", "no_concerns", "fields"),
    [
        (set(), {}, True, []),
        ({Safeguarding.SELF_HARM}, {Safeguarding.SELF_HARM: "Crisis team called"}, False, []),
        (set(), {}, False, ["no_concerns"]),
        ({Safeguarding.SELF_HARM}, {Safeguarding.SELF_HARM: "Crisis team called"}, True, ["no_concerns"]),
        ({Safeguarding.CHILD_AT_RISK}, {Safeguarding.CHILD_AT_RISK: "  "}, False, ["flag-child_at_risk-action"]),
        ({Safeguarding.SELF_HARM}, {Safeguarding.SELF_HARM: "x" * 2001}, False, ["flag-self_harm-action"]),
        # An action typed beside a flag left unticked would be lost without a word.
        (set(), {Safeguarding.EXPLOITATION: "Told the county lines team"}, True, ["flag-exploitation"]),
        (
            {Safeguarding.SELF_HARM, Safeguarding.RISK_TO_STAFF},
            {Safeguarding.IMMEDIATE_CRISIS: "Same-day referral"},
            True,
            ["no_concerns", "flag-self_harm-action", "flag-risk_to_staff-action", "flag-immediate_crisis"],
        ),
    ],
)
def test_the_safeguarding_page_reports_every_problem(ticked, actions, no_concerns, fields):
    answers = SafeguardingInput(ticked=frozenset(ticked), actions=actions, no_concerns=no_concerns)
    assert [field for field, _ in needs.safeguarding_problems(answers)] == fields


@pytest.mark.parametrize(
    ("done", "after", "resume"),
    [
        (set(), None, "accommodation"),
        ({"accommodation"}, "accommodation", "education_employment"),
        # Saved out of order: carry on after the page saved last, then come back round.
        ({"accommodation", "drugs"}, "drugs", "alcohol"),
        (ALL_DOMAINS - {"finance"}, "protected_context", needs.SAFEGUARDING_SECTION),
        (ALL_DOMAINS - {"finance"} | {needs.SAFEGUARDING_SECTION}, needs.SAFEGUARDING_SECTION, "finance"),
        (ALL_DOMAINS | {needs.SAFEGUARDING_SECTION}, "drugs", None),
    ],
)
def test_the_journey_resumes_after_the_page_saved_last(done, after, resume):
    assert needs.next_section(done, after=after) == resume


def test_missing_sections_are_in_page_order():
    assert needs.missing_sections(ALL_DOMAINS - {"gambling", "drugs"}) == ["drugs", "gambling", "safeguarding"]
