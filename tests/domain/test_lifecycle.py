"""The case lifecycle table against the documented diagram. The guards themselves are tested by
behaviour, through the services and pages that enforce them (tests/web/test_lifecycle_guards.py)."""

from __future__ import annotations

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

# The diagram in DOMAIN.md §3.1 with the event that draws each arrow, written out independently of
# the table under test. A change to the lifecycle must change this diagram and the domain document.
DOCUMENTED_DIAGRAM = {
    (S.ELIGIBILITY_DRAFT, E.RECORD_INELIGIBLE, S.INELIGIBLE),
    (S.ELIGIBILITY_DRAFT, E.RECORD_DECLINE, S.DECLINED),
    (S.ELIGIBILITY_DRAFT, E.REQUEST_ACCEPTANCE, S.PENDING_ACCEPTANCE),
    (S.ELIGIBILITY_DRAFT, E.REFER, S.REFERRED),
    (S.PENDING_ACCEPTANCE, E.ACCEPT_REFERRAL, S.REFERRED),
    (S.PENDING_ACCEPTANCE, E.REJECT_REFERRAL, S.INELIGIBLE),
    (S.REFERRED, E.RECORD_FIRST_CONTACT, S.ASSESSMENT),
    (S.REFERRED, E.TERMINATE_NO_CONTACT, S.TERMINATED),  # "no first contact"
    (S.ASSESSMENT, E.START_CONTRACT, S.CONTRACT_DRAFT),
    (S.ASSESSMENT, E.REFUSE_CONTRACT, S.TERMINATED),  # "refuses to sign"
    (S.CONTRACT_DRAFT, E.SUBMIT_FOR_APPROVAL, S.CONTRACT_AWAITING_APPROVAL),
    (S.CONTRACT_DRAFT, E.SIGN_CONTRACT, S.ACTIVE),  # "signed (no approval step)"
    (S.CONTRACT_DRAFT, E.REFUSE_CONTRACT, S.TERMINATED),
    (S.CONTRACT_AWAITING_APPROVAL, E.REQUEST_CHANGES, S.CONTRACT_DRAFT),  # "changes requested"
    (S.CONTRACT_AWAITING_APPROVAL, E.SIGN_CONTRACT, S.ACTIVE),  # "signed"
    (S.ACTIVE, E.REPORT_BREACH, S.BREACH_REVIEW),
    (S.ACTIVE, E.SUSPEND, S.SUSPENDED),
    (S.ACTIVE, E.BEGIN_COMPLETION_REVIEW, S.COMPLETION_REVIEW),
    (S.ACTIVE, E.WITHDRAW_CONSENT, S.TERMINATED),  # "withdraws consent"
    (S.ACTIVE, E.TERMINATE, S.TERMINATED),
    (S.BREACH_REVIEW, E.RESOLVE_BREACH, S.ACTIVE),  # "no action / warning / variation"
    (S.BREACH_REVIEW, E.TERMINATE, S.TERMINATED),
    (S.SUSPENDED, E.RESUME, S.ACTIVE),
    (S.COMPLETION_REVIEW, E.COMPLETE, S.COMPLETED),
    (S.COMPLETION_REVIEW, E.FIND_CONDITION_UNMET, S.BREACH_REVIEW),  # "condition unmet"
    (S.TERMINATED, E.PASS_FOR_DECISION, S.PROSECUTION_DECISION),
    (S.PROSECUTION_DECISION, E.CLOSE_CHARGED, S.CLOSED_CHARGED),
    (S.PROSECUTION_DECISION, E.CLOSE_ALTERNATIVE, S.CLOSED_ALTERNATIVE),
    (S.PROSECUTION_DECISION, E.CLOSE_TIME_BARRED, S.CLOSED_TIME_BARRED),
    (S.PROSECUTION_DECISION, E.CLOSE_EVIDENTIAL, S.CLOSED_EVIDENTIAL),
} | {(state, E.WITHDRAW_IN_ERROR, S.WITHDRAWN_IN_ERROR) for state in CaseState if state not in TERMINAL_STATES}

# Beyond the diagram, from the text: a breach decision may suspend (DOMAIN.md §7.2, the decision
# options); the person may withdraw at any time (§5.3); a new offence can surface while the term is paused
# or being signed off (§7.1); a suspended case can still be terminated.
BEYOND_THE_DIAGRAM = {
    (S.BREACH_REVIEW, E.SUSPEND, S.SUSPENDED),
    (S.BREACH_REVIEW, E.WITHDRAW_CONSENT, S.TERMINATED),
    (S.SUSPENDED, E.REPORT_BREACH, S.BREACH_REVIEW),
    (S.SUSPENDED, E.TERMINATE, S.TERMINATED),
    (S.SUSPENDED, E.WITHDRAW_CONSENT, S.TERMINATED),
    (S.COMPLETION_REVIEW, E.REPORT_BREACH, S.BREACH_REVIEW),
    (S.COMPLETION_REVIEW, E.WITHDRAW_CONSENT, S.TERMINATED),
}


def test_the_table_draws_exactly_the_documented_diagram_and_text_with_their_events():
    assert {
        (start, event, end) for (start, event), end in TRANSITIONS.items()
    } == DOCUMENTED_DIAGRAM | BEYOND_THE_DIAGRAM
    assert {event for _, event, _ in DOCUMENTED_DIAGRAM} == set(CaseEvent)  # no event that nothing uses


def test_a_refusal_names_the_state_and_the_step():
    with pytest.raises(IllegalTransition, match="'Referred' cannot be moved on by 'sign contract'"):
        next_state(S.REFERRED, E.SIGN_CONTRACT)
    assert allowed_events(S.REFERRED) == [E.RECORD_FIRST_CONTACT, E.TERMINATE_NO_CONTACT, E.WITHDRAW_IN_ERROR]


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
