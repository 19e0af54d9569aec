"""What a user may do with one check-in now: the pages offer exactly what the services accept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services import check_in_actions, check_in_outcomes, check_ins
from casework.services.check_in_outcomes import OutcomeRecord
from tests.conftest import NOW, make_user
from tests.services.test_check_ins import _record, _signed, _started


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _offered(actor, case, check_in, now=NOW):
    return check_in_actions.offered(actor=actor, case=case, check_in=check_in, now=now)


def test_each_state_offers_only_what_its_service_accepts(session, team, other_team, navigator):
    case = _signed(session, team, navigator)
    future = check_ins.for_case(session, case=case)[1]
    assert _offered(navigator, case, future) == {"move", "cancel"}
    when_it_starts = future.scheduled_at
    assert "already started" in check_in_actions.refusal(
        "move", actor=navigator, case=case, check_in=future, now=when_it_starts
    )
    assert "once it has started" in check_in_actions.refusal(
        "record", actor=navigator, case=case, check_in=future, now=NOW
    )

    started = _started(session, case)
    assert _offered(navigator, case, started) == {"record"}
    _record(session, navigator, case, started, outcome="pending_explanation", note="Phoned twice, no answer")
    assert _offered(navigator, case, started) == {"classify"}

    check_ins.cancel(
        session,
        actor=navigator,
        case=case,
        check_in=future,
        requested_by="person",
        reason="Hospital appointment",
        seen_version=future.version,
        now=NOW,
    )
    assert _offered(navigator, case, future) == frozenset()
    assert "cancelled" in check_in_actions.refusal("move", actor=navigator, case=case, check_in=future, now=NOW)
    with pytest.raises(IllegalTransition, match="cancelled"):
        check_in_actions.require("move", actor=navigator, case=case, check_in=future, now=NOW)

    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    later = check_ins.for_case(session, case=case)[2]
    assert _offered(stranger, case, later) == _offered(sergeant, case, later) == frozenset()


def test_a_system_mark_can_be_replaced_by_what_happened_or_classified(session, team, navigator):
    case = _signed(session, team, navigator)
    started = _started(session, case, now=NOW - timedelta(days=1))
    check_in_outcomes.mark_missed(session, now=NOW)
    session.refresh(started)
    assert _offered(navigator, case, started) == {"record", "classify"}


def test_a_closed_case_offers_nothing(session, team, navigator):
    case = _signed(session, team, navigator)
    started = _started(session, case)
    case.state, case.closed_at = CaseState.COMPLETED.value, NOW
    assert _offered(navigator, case, started) == frozenset()
    assert _offered(navigator, case, check_ins.for_case(session, case=case)[1]) == frozenset()


def test_classifying_an_absence_keeps_what_was_noted_when_it_was_recorded(session, team, navigator):
    case = _signed(session, team, navigator)
    started = _started(session, case)
    _record(
        session,
        navigator,
        case,
        started,
        outcome="pending_explanation",
        note="Phoned twice, no answer",
        safeguarding_concerns="Neighbour says they have not been home",
    )
    check_in_outcomes.classify_absence(
        session,
        actor=navigator,
        case=case,
        check_in=started,
        record=OutcomeRecord(outcome="unacceptable_absence", absence_detail="No reason given when we spoke"),
        seen_version=started.version,
        now=NOW,
    )
    assert (started.outcome, started.note, started.safeguarding_concerns) == (
        "unacceptable_absence",
        "Phoned twice, no answer",
        "Neighbour says they have not been home",
    )
