"""The contract and condition status tables against the diagrams in casework/domain/contract_status.py,
and the whole status x event grid: every pair is either in the table or refused with a reason."""

from __future__ import annotations

import itertools

import pytest

from casework.domain.contract_status import (
    CONDITION_STATUS_LABELS,
    CONDITION_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    ConditionEvent,
    ContractEvent,
    ContractStatus,
    allowed_condition_events,
    allowed_contract_events,
    next_condition_status,
    next_contract_status,
)
from casework.domain.contract_terms import ConditionStatus
from casework.domain.errors import IllegalTransition

C, CE = ContractStatus, ContractEvent
S, E = ConditionStatus, ConditionEvent

# The contract diagram, written out independently of the table under test: (from, by, to).
CONTRACT_DIAGRAM = {
    (C.DRAFT, CE.SEND_FOR_APPROVAL, C.AWAITING_APPROVAL),
    (C.AWAITING_APPROVAL, CE.SEND_BACK, C.DRAFT),
    (C.AWAITING_APPROVAL, CE.SIGN, C.SIGNED),
    (C.DRAFT, CE.SIGN, C.SIGNED),
    (C.SIGNED, CE.SUPERSEDE, C.SUPERSEDED),
    # the steps that leave the status where it is
    (C.DRAFT, CE.CHANGE_CONDITIONS, C.DRAFT),
    (C.DRAFT, CE.RECORD_ANSWER, C.DRAFT),
    (C.DRAFT, CE.APPROVE_VARIATION, C.DRAFT),
    (C.AWAITING_APPROVAL, CE.RECORD_ANSWER, C.AWAITING_APPROVAL),
    (C.AWAITING_APPROVAL, CE.APPROVE, C.AWAITING_APPROVAL),
    (C.SIGNED, CE.VARY, C.SIGNED),
}

OPEN = (S.NOT_STARTED, S.IN_PROGRESS, S.AT_RISK)
CONDITION_DIAGRAM = (
    {(status, E.RECORD_PROGRESS, S.IN_PROGRESS) for status in OPEN}
    | {(status, E.REPORT_AT_RISK, S.AT_RISK) for status in OPEN}
    | {(status, E.REACH_TARGET, S.MET) for status in OPEN}
    | {(status, E.WAIVE, S.WAIVED) for status in OPEN}
    | {(status, E.FIND_NOT_MET, S.NOT_MET) for status in OPEN}
    | {(S.MET, E.REACH_TARGET, S.MET)}
)


def test_the_contract_table_draws_exactly_the_documented_diagram():
    assert {(start, event, end) for (start, event), end in CONTRACT_TRANSITIONS.items()} == CONTRACT_DIAGRAM


def test_the_condition_table_draws_exactly_the_documented_diagram():
    assert {(start, event, end) for (start, event), end in CONDITION_TRANSITIONS.items()} == CONDITION_DIAGRAM


@pytest.mark.parametrize(("status", "event"), list(itertools.product(ContractStatus, ContractEvent)))
def test_every_contract_status_and_event_is_allowed_or_refused_with_a_reason(status, event):
    if (status, event) in CONTRACT_TRANSITIONS:
        assert next_contract_status(status, event) == CONTRACT_TRANSITIONS[(status, event)]
        assert event in allowed_contract_events(status)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_contract_status(status, event)
        assert refused.value.message.startswith("This version")
        assert event not in allowed_contract_events(status)


@pytest.mark.parametrize(("status", "event"), list(itertools.product(ConditionStatus, ConditionEvent)))
def test_every_condition_status_and_event_is_allowed_or_refused_with_a_reason(status, event):
    if (status, event) in CONDITION_TRANSITIONS:
        assert next_condition_status(status, event) == CONDITION_TRANSITIONS[(status, event)]
        assert event in allowed_condition_events(status)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_condition_status(status, event)
        assert refused.value.message
        assert event not in allowed_condition_events(status)


def test_a_signed_version_is_frozen_and_superseded_goes_nowhere():
    with pytest.raises(IllegalTransition, match="frozen"):
        next_contract_status(C.SIGNED, CE.CHANGE_CONDITIONS)
    assert allowed_contract_events(C.SUPERSEDED) == []


def test_decided_conditions_go_nowhere_and_only_supervisors_decide():
    assert allowed_condition_events(S.WAIVED) == allowed_condition_events(S.NOT_MET) == []
    with pytest.raises(IllegalTransition, match="waived"):
        next_condition_status(S.WAIVED, E.RECORD_PROGRESS)
    assert {event for event in ConditionEvent if event.by == "supervisor decision"} == {E.WAIVE, E.FIND_NOT_MET}
    assert set(CONDITION_STATUS_LABELS) == set(ConditionStatus)


def test_every_contract_status_is_reachable_from_a_draft():
    reached, frontier = {C.DRAFT}, [C.DRAFT]
    while frontier:
        status = frontier.pop()
        for event in allowed_contract_events(status):
            target = next_contract_status(status, event)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ContractStatus)
