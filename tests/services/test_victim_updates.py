"""Updates owed to the victim: created by the lifecycle (contract start, outcome) and by a breach
decision, each due by the Victims' Code deadline; recorded as given, met or late; the supervisor's list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, VictimUpdate
from casework.services import contract_signing, transitions, victim_updates, victims
from tests.conftest import NOW, make_case, make_user
from tests.services.test_contract_signing import _draft, _signing
from tests.services.test_victims import details


@pytest.fixture
def people(session, team, other_team):
    return {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "their_supervisor": make_user(session, roles=[Role.SUPERVISOR], team=other_team),
        "stranger": make_user(session, roles=[Role.NAVIGATOR], team=other_team),
    }


def _with_victim(session, case, navigator, **overrides):
    victims.record_later(session, actor=navigator, case=case, details=details(**overrides), seen_version=0, now=NOW)


def _updates(session, case) -> list[VictimUpdate]:
    return list(session.scalars(select(VictimUpdate).where(VictimUpdate.case_id == case.id).order_by(VictimUpdate.id)))


def _signed(session, team, navigator, *, at: datetime = NOW, **victim):
    """A contract signed through the signing service at `at`, the victim recorded first."""
    case, contract = _draft(session, team, navigator)
    if victim.pop("no_victim", False):
        case.gate_answers = {"victim_view": "no_victim"}
    else:
        _with_victim(session, case, navigator, **victim)
    case_now = at
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=case_now
    )
    contract_signing.sign(
        session,
        actor=navigator,
        case=case,
        signing=_signing(signed_at=case_now - timedelta(minutes=5)),
        seen_version=contract.version,
        now=case_now,
    )
    assert case.case_state is CaseState.ACTIVE
    return case


def test_signing_the_contract_owes_an_update_in_five_working_days(session, team, people):
    case = _signed(session, team, people["navigator"])
    [update] = _updates(session, case)
    assert (update.event, update.event_on, update.due_on, update.enhanced) == (
        "contract_started",
        date(2026, 11, 24),
        date(2026, 12, 1),
        False,
    )
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "victim_update.owed")
    )
    assert event.detail["due_on"] == "2026-12-01" and event.actor_id is None


@pytest.mark.parametrize(
    ("at", "enhanced", "due"),
    [
        (datetime(2026, 12, 24, 11, 0, tzinfo=UTC), "", date(2027, 1, 5)),  # over Christmas and New Year
        (datetime(2026, 12, 24, 11, 0, tzinfo=UTC), "most_serious", date(2026, 12, 29)),
        (datetime(2026, 11, 27, 16, 0, tzinfo=UTC), "persistently_targeted", date(2026, 11, 30)),  # over a weekend
        # 00:30 UTC on a Saturday in winter is Saturday in London too: counting starts on Monday.
        (datetime(2026, 11, 28, 0, 30, tzinfo=UTC), "vulnerable_or_intimidated", date(2026, 11, 30)),
    ],
)
def test_the_deadline_skips_weekends_and_bank_holidays_and_is_one_day_for_enhanced_rights(
    session, team, people, at, enhanced, due
):
    case = _signed(session, team, people["navigator"], at=at, enhanced_ground=enhanced)
    [update] = _updates(session, case)
    assert update.due_on == due and update.enhanced is bool(enhanced)


def test_no_victim_or_a_victim_who_wants_no_updates_is_owed_nothing_and_that_is_recorded(session, team, people):
    nobody = _signed(session, team, people["navigator"], no_victim=True)
    declined = _signed(session, team, people["navigator"], wants_updates=False)
    assert [(u.not_owed_reason, u.due_on) for u in _updates(session, nobody)] == [("no_victim", None)]
    assert [(u.not_owed_reason, u.due_on) for u in _updates(session, declined)] == [("declined_updates", None)]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == nobody.id)).all()
    assert "victim_update.not_owed" in actions
    with pytest.raises(IllegalTransition, match="No update is owed"):
        update = _updates(session, nobody)[0]
        victim_updates.record_given(
            session,
            actor=people["navigator"],
            update=update,
            given_on=NOW.date(),
            method="phone",
            summary="Told them.",
            seen_version=update.version,
            now=NOW,
        )


def test_a_breach_decision_owes_one_update_per_breach_exactly_once(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    _with_victim(session, case, people["navigator"], enhanced_ground="most_serious")
    breaches = [
        Breach(case_id=case.id, kind="conduct", occurred_on=NOW.date(), summary="Contacted the victim", raised_at=NOW)
        for _ in range(2)
    ]
    session.add_all(breaches)
    session.flush()
    first = victim_updates.owe_for_breach_decision(session, case=case, breach=breaches[0], now=NOW)
    again = victim_updates.owe_for_breach_decision(session, case=case, breach=breaches[0], now=NOW + timedelta(days=1))
    second = victim_updates.owe_for_breach_decision(session, case=case, breach=breaches[1], now=NOW)
    assert first is again and second is not first
    assert [(u.event, u.breach_id, u.due_on) for u in _updates(session, case)] == [
        ("breach_decided", breaches[0].id, date(2026, 11, 25)),
        ("breach_decided", breaches[1].id, date(2026, 11, 25)),
    ]


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (CaseState.COMPLETION_REVIEW, CaseEvent.COMPLETE),
        (CaseState.PROSECUTION_DECISION, CaseEvent.CLOSE_CHARGED),
        (CaseState.PROSECUTION_DECISION, CaseEvent.CLOSE_ALTERNATIVE),
        (CaseState.PROSECUTION_DECISION, CaseEvent.CLOSE_TIME_BARRED),
        (CaseState.PROSECUTION_DECISION, CaseEvent.CLOSE_EVIDENTIAL),
    ],
)
def test_every_outcome_owes_an_update(session, team, people, state, event):
    case = make_case(session, team=team, state=state, navigator_id=people["navigator"].id)
    _with_victim(session, case, people["navigator"])
    transitions.move(session, case, event, actor=people["supervisor"], now=NOW)
    assert [(u.event, u.due_on) for u in _updates(session, case)] == [("outcome", date(2026, 12, 1))]


def test_withdrawal_in_error_owes_no_update(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    _with_victim(session, case, people["navigator"])
    case.withdrawal_reason, case.withdrawal_detail = "duplicate", "Opened twice"
    transitions.move(session, case, CaseEvent.WITHDRAW_IN_ERROR, actor=people["supervisor"], now=NOW)
    assert _updates(session, case) == []


def _give(session, actor, update, given_on, summary="Told them the contract has started and what it asks."):
    return victim_updates.record_given(
        session,
        actor=actor,
        update=update,
        given_on=given_on,
        method="phone",
        summary=summary,
        seen_version=update.version,
        now=NOW + timedelta(days=10),
    )


def test_an_update_given_by_its_due_date_is_met_and_after_it_late(session, team, people):
    on_time, late = (_signed(session, team, people["navigator"]) for _ in range(2))
    [first], [second] = _updates(session, on_time), _updates(session, late)
    _give(session, people["navigator"], first, date(2026, 12, 1))
    _give(session, people["supervisor"], second, date(2026, 12, 2))
    assert first.met is True and second.met is False
    given = session.scalars(select(AuditEvent).where(AuditEvent.action == "victim_update.given")).all()
    assert sorted(e.detail["met"] for e in given if e.case_id in (on_time.id, late.id)) == [False, True]
    with pytest.raises(IllegalTransition, match="already recorded as given on 01/12/2026"):
        _give(session, people["navigator"], first, date(2026, 12, 1))


def test_recording_an_update_is_refused_field_by_field_and_for_outsiders(session, team, people):
    case = _signed(session, team, people["navigator"])
    [update] = _updates(session, case)
    with pytest.raises(FieldErrors) as refused:
        victim_updates.record_given(
            session,
            actor=people["navigator"],
            update=update,
            given_on=date(2026, 11, 23),  # before the contract started
            method="carrier_pigeon",
            summary=" ",
            seen_version=update.version,
            now=NOW,
        )
    assert {p.field for p in refused.value.problems} == {"given_on", "method", "summary"}
    with pytest.raises(FieldError, match="today or in the past"):
        victim_updates.record_given(
            session,
            actor=people["navigator"],
            update=update,
            given_on=date(2026, 11, 25),  # tomorrow
            method="phone",
            summary="Told them.",
            seen_version=update.version,
            now=NOW,
        )
    with pytest.raises(StaleRecord):
        victim_updates.record_given(
            session,
            actor=people["navigator"],
            update=update,
            given_on=NOW.date(),
            method="phone",
            summary="Told them.",
            seen_version=update.version + 1,
            now=NOW,
        )
    for outsider in (people["stranger"], people["their_supervisor"]):
        with pytest.raises(NotFound):
            _give(session, outsider, update, NOW.date())
    assert update.given_on is None


def test_the_supervisors_list_puts_overdue_first_then_by_due_date_for_their_team_only(
    session, team, other_team, people
):
    navigator = people["navigator"]
    early = _signed(session, team, navigator, at=NOW - timedelta(days=14))  # due 17 Nov: overdue
    later = _signed(session, team, navigator, at=NOW - timedelta(days=7))  # due 24 Nov: due today
    enhanced = _signed(session, team, navigator, enhanced_ground="most_serious")  # due 25 Nov
    standard = _signed(session, team, navigator)  # due 1 Dec
    given = _signed(session, team, navigator)
    _give(session, navigator, _updates(session, given)[0], NOW.date())
    theirs = make_case(session, team=other_team, state=CaseState.COMPLETION_REVIEW)
    transitions.move(session, theirs, CaseEvent.COMPLETE, actor=people["their_supervisor"], now=NOW)
    listed = victim_updates.due_for_team(session, actor=people["supervisor"], today=NOW.date())
    assert [row.update.case_id for row in listed] == [early.id, later.id, enhanced.id, standard.id]
    assert [row.overdue for row in listed] == [True, False, False, False]
    with pytest.raises(NotPermitted):
        victim_updates.due_for_team(session, actor=navigator, today=NOW.date())


def test_completion_is_told_of_each_update_owed_and_not_yet_given(session, team, people):
    case = _signed(session, team, people["navigator"])
    assert victim_updates.outstanding_before_completion(session, case=case) == [
        "An update owed to the victim is not recorded as given: the contract has started, due 1 December 2026."
    ]
    _give(session, people["navigator"], _updates(session, case)[0], NOW.date())
    assert victim_updates.outstanding_before_completion(session, case=case) == []
    nobody = _signed(session, team, people["navigator"], no_victim=True)
    assert victim_updates.outstanding_before_completion(session, case=nobody) == []
