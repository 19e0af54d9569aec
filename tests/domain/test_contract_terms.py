from __future__ import annotations

from datetime import date

import pytest

from casework.domain.contract_terms import (
    CompletionRule,
    ConditionType,
    ContractLimits,
    DraftCondition,
    collection_problem,
    condition_problem,
    passes_time_limit,
)

LIMITS = ContractLimits(max_conditions=5, hours_min=18, hours_max=36, end_on=date(2027, 3, 24))
OFFENDING = DraftCondition(ConditionType.OFFENDING, "Do not reoffend", CompletionRule.WHOLE_TERM)
DUE = date(2027, 2, 1)


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        (DraftCondition(ConditionType.PATHWAY, "Attend the hub", CompletionRule.SESSIONS, 4), "partner_service_id"),
        (DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.HOURS, 12), "target"),
        (DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.HOURS, 40), "target"),
        (DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.SESSIONS, 20), "rule"),
        (DraftCondition(ConditionType.EDUCATION, "Course", CompletionRule.SESSIONS, None), "target"),
        (DraftCondition(ConditionType.REPARATION, "Pay for the window", CompletionRule.BY_DATE), "due_on"),
        (DraftCondition(ConditionType.REPARATION, "Pay", CompletionRule.BY_DATE, due_on=date(2027, 3, 25)), "due_on"),
        (DraftCondition(ConditionType.RESTRICTIVE, "  ", CompletionRule.WHOLE_TERM), "wording"),
        (DraftCondition(ConditionType.VICTIM, "Write a letter of apology", CompletionRule.DOCUMENT), "victim_asked"),
        # every condition says by when; a whole-term one runs to the contract's end
        (DraftCondition(ConditionType.EDUCATION, "Course", CompletionRule.SESSIONS, 1), "due_on"),
        (DraftCondition(ConditionType.COMMUNITY, "Volunteer", CompletionRule.HOURS, 18), "due_on"),
        (DraftCondition(ConditionType.RESTRICTIVE, "Stay away", CompletionRule.WHOLE_TERM, due_on=DUE), "due_on"),
    ],
)
def test_a_condition_is_refused_by_its_field(condition, field):
    assert condition_problem(condition, LIMITS)[0] == field


def test_good_conditions_pass():
    for condition in [
        OFFENDING,
        DraftCondition(ConditionType.COMMUNITY, "Volunteer at the food bank", CompletionRule.HOURS, 18, DUE),
        DraftCondition(ConditionType.PATHWAY, "Attend the hub", CompletionRule.SESSIONS, 4, DUE, partner_service_id=1),
        DraftCondition(ConditionType.REPARATION, "Pay £80", CompletionRule.BY_DATE, due_on=date(2027, 3, 24)),
        DraftCondition(ConditionType.VICTIM, "Write a letter", CompletionRule.DOCUMENT, due_on=DUE, victim_asked=True),
        DraftCondition(ConditionType.RESTRICTIVE, "Stay away from the shop", CompletionRule.WHOLE_TERM),
    ]:
        assert condition_problem(condition, LIMITS) is None


def test_the_set_needs_one_offending_condition_at_most_five_and_two_pathways():
    pathway = DraftCondition(ConditionType.PATHWAY, "x", CompletionRule.SESSIONS, 2, partner_service_id=1)
    course = DraftCondition(ConditionType.EDUCATION, "x", CompletionRule.SESSIONS, 1)
    assert collection_problem([OFFENDING, pathway, pathway, course, course], LIMITS) is None
    assert "at most 5" in collection_problem([OFFENDING, pathway, course, course, course, course], LIMITS)
    assert "pathway" in collection_problem([OFFENDING, pathway, pathway, pathway], LIMITS)
    assert "exactly one" in collection_problem([course], LIMITS)


def test_time_limit_check_uses_the_margin():
    assert passes_time_limit(date(2027, 3, 1), margin_days=21, latest_charge=None)
    assert passes_time_limit(date(2027, 3, 1), margin_days=21, latest_charge=date(2027, 3, 22))
    assert not passes_time_limit(date(2027, 3, 2), margin_days=21, latest_charge=date(2027, 3, 22))
