"""The whole state x event grid: every pair is either in the table or refused."""

from __future__ import annotations

import itertools

import pytest

from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import (
    OPEN_STATES,
    STATE_LABELS,
    STATE_TAG_COLOURS,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseEvent,
    CaseState,
    allowed_events,
    next_state,
)

S, E = CaseState, CaseEvent

# The diagram in DOMAIN.md §3.1, written out independently of the table under test.
EXPECTED_EDGES = {
    (S.ELIGIBILITY_DRAFT, S.INELIGIBLE),
    (S.ELIGIBILITY_DRAFT, S.DECLINED),
    (S.ELIGIBILITY_DRAFT, S.PENDING_ACCEPTANCE),
    (S.ELIGIBILITY_DRAFT, S.REFERRED),
    (S.PENDING_ACCEPTANCE, S.REFERRED),
    (S.PENDING_ACCEPTANCE, S.INELIGIBLE),
    (S.REFERRED, S.ASSESSMENT),
    (S.REFERRED, S.TERMINATED),
    (S.ASSESSMENT, S.CONTRACT_DRAFT),
    (S.ASSESSMENT, S.TERMINATED),
    (S.CONTRACT_DRAFT, S.CONTRACT_AWAITING_APPROVAL),
    (S.CONTRACT_DRAFT, S.ACTIVE),
    (S.CONTRACT_DRAFT, S.TERMINATED),
    (S.CONTRACT_AWAITING_APPROVAL, S.CONTRACT_DRAFT),
    (S.CONTRACT_AWAITING_APPROVAL, S.ACTIVE),
    (S.ACTIVE, S.BREACH_REVIEW),
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.COMPLETION_REVIEW),
    (S.ACTIVE, S.TERMINATED),
    (S.BREACH_REVIEW, S.ACTIVE),
    (S.BREACH_REVIEW, S.TERMINATED),
    (S.SUSPENDED, S.ACTIVE),
    (S.COMPLETION_REVIEW, S.COMPLETED),
    (S.COMPLETION_REVIEW, S.BREACH_REVIEW),
    (S.TERMINATED, S.PROSECUTION_DECISION),
    (S.PROSECUTION_DECISION, S.CLOSED_CHARGED),
    (S.PROSECUTION_DECISION, S.CLOSED_ALTERNATIVE),
    (S.PROSECUTION_DECISION, S.CLOSED_TIME_BARRED),
    (S.PROSECUTION_DECISION, S.CLOSED_EVIDENTIAL),
} | {(state, S.WITHDRAWN_IN_ERROR) for state in CaseState if state not in TERMINAL_STATES}


def test_the_table_draws_exactly_the_documented_diagram():
    assert {(start, end) for (start, _), end in TRANSITIONS.items()} == EXPECTED_EDGES


@pytest.mark.parametrize(("state", "event"), list(itertools.product(CaseState, CaseEvent)))
def test_every_state_event_pair_is_allowed_or_refused_with_a_reason(state, event):
    if (state, event) in TRANSITIONS:
        assert next_state(state, event) == TRANSITIONS[(state, event)]
        assert event in allowed_events(state)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_state(state, event)
        assert refused.value.message
        assert event not in allowed_events(state)


def test_terminal_states_go_nowhere_and_say_so():
    for state in TERMINAL_STATES:
        assert allowed_events(state) == []
        with pytest.raises(IllegalTransition, match="can no longer change"):
            next_state(state, CaseEvent.REFER)


def test_every_state_is_reachable_from_the_start():
    reached, frontier = {S.ELIGIBILITY_DRAFT}, [S.ELIGIBILITY_DRAFT]
    while frontier:
        state = frontier.pop()
        for event in allowed_events(state):
            target = next_state(state, event)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(CaseState)


def test_every_state_has_a_label_and_a_colour_and_open_states_are_not_terminal():
    assert set(STATE_LABELS) == set(CaseState) == set(STATE_TAG_COLOURS)
    assert not OPEN_STATES & TERMINAL_STATES
