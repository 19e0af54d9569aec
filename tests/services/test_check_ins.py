"""Check-ins through the service: the schedule a signing generates, moving and cancelling with history,
recording outcomes, classifying absences and the sweep that marks what nobody recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.check_ins import Outcome
from casework.domain.clock import LONDON, from_local, local
from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, CheckIn
from casework.services import case_endings, check_in_outcomes, check_ins, contract_signing, transitions, variations
from casework.services.check_in_outcomes import OutcomeRecord
from casework.services.check_ins import SchedulePlan, Slot
from tests.conftest import NOW, make_case, make_user
from tests.services.test_contract_signing import _draft, _signing


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


def _signed(session, team, navigator, *, signed_at=NOW - timedelta(minutes=5), now=NOW, **plan):
    case, contract = _draft(session, team, navigator)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=now
    )
    contract_signing.sign(
        session,
        actor=navigator,
        case=case,
        signing=_signing(signed_at=signed_at, check_ins=SchedulePlan(**plan)),
        seen_version=contract.version,
        now=now,
    )
    return case


def _started(session, case, *, now=NOW) -> CheckIn:
    """The case's first check-in, moved to have started an hour before `now`."""
    check_in = check_ins.for_case(session, case=case)[0]
    check_in.scheduled_at = now - timedelta(hours=1)
    session.flush()
    return check_in


def _record(session, actor, case, check_in, now=NOW, **values):
    return check_in_outcomes.record_outcome(
        session,
        actor=actor,
        case=case,
        check_in=check_in,
        record=OutcomeRecord(**values),
        seen_version=check_in.version,
        now=now,
    )


# --- the schedule ---------------------------------------------------------------------------------


def test_signing_generates_the_whole_term_at_the_planned_time_mode_and_place(session, team, navigator):
    case = _signed(session, team, navigator, time_of_day=time(14, 30), mode="phone", place="07700 900123")
    planned = check_ins.for_case(session, case=case)
    assert [local(c.scheduled_at).date() for c in planned][:5] == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2027, 1, 5),
    ]
    assert len(planned) == 10
    assert {local(c.scheduled_at).time() for c in planned} == {time(14, 30)}
    assert {(c.mode, c.place, c.source) for c in planned} == {("phone", "07700 900123", "pattern")}
    assert check_ins.next_for_case(session, case=case, now=NOW) == planned[0]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "check_in.schedule_generated"))
    assert event.detail["count"] == 10


def test_the_place_defaults_to_where_the_contract_was_signed(session, team, navigator):
    case = _signed(session, team, navigator)
    assert {c.place for c in check_ins.for_case(session, case=case)} == {"Navigator office"}


def test_the_schedule_keeps_london_wall_clock_time_across_the_clock_change(session, team, navigator):
    # Signed on 1 February 2027: the check-in due on Easter Monday, 29 March, moves to Tuesday 30 March,
    # the first in British Summer Time.
    now = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)
    case = _signed(session, team, navigator, signed_at=now - timedelta(minutes=5), now=now)
    by_day = {local(c.scheduled_at).date(): c.scheduled_at for c in check_ins.for_case(session, case=case)}
    assert by_day[date(2027, 3, 15)] == datetime(2027, 3, 15, 10, 0, tzinfo=UTC)
    assert by_day[date(2027, 3, 30)] == datetime(2027, 3, 30, 9, 0, tzinfo=UTC)


def test_a_check_in_that_would_fall_on_a_bank_holiday_moves_to_the_next_working_day(session, team, navigator):
    now = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)
    case = _signed(session, team, navigator, signed_at=now - timedelta(minutes=5), now=now)
    first = check_ins.for_case(session, case=case)[0]
    assert local(first.scheduled_at).date() == date(2026, 12, 29)


def test_a_variation_that_extends_the_term_continues_the_pattern(session, team, navigator, supervisor):
    case = _signed(session, team, navigator, time_of_day=time(11, 0))
    before = check_ins.for_case(session, case=case)
    contract = contract_signing.contracts.in_force(session, case=case)
    variation = variations.start_variation(
        session,
        actor=navigator,
        case=case,
        reason="Waiting list for the course",
        consent=True,
        extend_weeks=4,
        seen_version=contract.version,
        now=NOW,
    )
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=variation.version, now=NOW
    )
    variations.approve_variation(session, actor=supervisor, case=case, seen_version=variation.version, now=NOW)
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=variation.version, now=NOW
    )
    after = check_ins.for_case(session, case=case)
    added = after[len(before) :]
    assert [local(c.scheduled_at).date() for c in added] == [date(2027, 3, 30), date(2027, 4, 13)]
    assert {local(c.scheduled_at).time() for c in added} == {time(11, 0)}
    assert all(local(c.scheduled_at).date() <= variation.ends_on for c in after)


# --- planning by hand --------------------------------------------------------------------------------


def test_adding_a_check_in_checks_the_slot(session, team, navigator):
    case = _signed(session, team, navigator)
    at = from_local(date(2026, 11, 26), time(15, 0))
    with pytest.raises(FieldError, match="future") as refused:
        check_ins.add(
            session, actor=navigator, case=case, slot=Slot(NOW - timedelta(hours=1), "in_person", "Hub"), now=NOW
        )
    assert refused.value.field == "date"
    with pytest.raises(FieldError, match="Enter the number the navigator will call"):
        check_ins.add(session, actor=navigator, case=case, slot=Slot(at, "phone", "  "), now=NOW)
    with pytest.raises(FieldError, match="how the check-in will be held"):
        check_ins.add(session, actor=navigator, case=case, slot=Slot(at, "carrier pigeon", "Hub"), now=NOW)
    added = check_ins.add(session, actor=navigator, case=case, slot=Slot(at, "video", " Teams link "), now=NOW)
    assert (added.place, added.source, added.created_by_id) == ("Teams link", "added", navigator.id)
    with pytest.raises(FieldError, match="already a check-in"):
        check_ins.add(session, actor=navigator, case=case, slot=Slot(at, "in_person", "Hub"), now=NOW)


def test_check_ins_are_planned_only_after_first_contact_and_only_by_the_case_team(session, team, other_team, navigator):
    at = NOW + timedelta(days=2)
    referred = make_case(session, team=team, state=CaseState.REFERRED, navigator_id=navigator.id)
    with pytest.raises(IllegalTransition, match="cannot be planned"):
        check_ins.add(session, actor=navigator, case=referred, slot=Slot(at, "in_person", "Hub"), now=NOW)
    assessing = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    assert check_ins.add(session, actor=navigator, case=assessing, slot=Slot(at, "in_person", "Hub"), now=NOW)
    outsider = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    for actor in (outsider, sergeant):
        with pytest.raises(NotFound if actor is outsider else NotPermitted):
            check_ins.add(
                session, actor=actor, case=assessing, slot=Slot(at + timedelta(hours=1), "phone", "0"), now=NOW
            )


def test_moving_a_check_in_keeps_who_asked_why_and_the_old_time(session, team, navigator):
    case = _signed(session, team, navigator)
    check_in = check_ins.for_case(session, case=case)[0]
    old = check_in.scheduled_at
    new = from_local(date(2026, 12, 2), time(9, 0))
    with pytest.raises(FieldError) as refused:
        check_ins.reschedule(
            session,
            actor=navigator,
            case=case,
            check_in=check_in,
            slot=Slot(new, "in_person", "Hub"),
            requested_by="",
            reason="Job interview",
            seen_version=check_in.version,
            now=NOW,
        )
    assert refused.value.field == "requested_by"
    check_ins.reschedule(
        session,
        actor=navigator,
        case=case,
        check_in=check_in,
        slot=Slot(new, "in_person", "Hub"),
        requested_by="person",
        reason="Job interview",
        seen_version=check_in.version,
        now=NOW,
    )
    assert check_in.scheduled_at == new and check_in.place == "Hub"
    [change] = check_in.changes
    assert (change.kind, change.requested_by, change.reason, change.previous_at, change.new_at) == (
        "rescheduled",
        "person",
        "Job interview",
        old,
        new,
    )
    assert change.previous_place == "Navigator office"
    with pytest.raises(StaleRecord):
        check_ins.reschedule(
            session,
            actor=navigator,
            case=case,
            check_in=check_in,
            slot=Slot(new + timedelta(hours=1), "in_person", "Hub"),
            requested_by="service",
            reason="Room booked",
            seen_version=check_in.version - 1,
            now=NOW,
        )


def test_a_started_or_cancelled_check_in_cannot_be_moved(session, team, navigator):
    case = _signed(session, team, navigator)
    started = _started(session, case)
    slot = Slot(NOW + timedelta(days=3), "in_person", "Hub")
    with pytest.raises(IllegalTransition, match="already started"):
        check_ins.reschedule(
            session,
            actor=navigator,
            case=case,
            check_in=started,
            slot=slot,
            requested_by="person",
            reason="Late",
            seen_version=started.version,
            now=NOW,
        )
    later = check_ins.for_case(session, case=case)[1]
    check_ins.cancel(
        session,
        actor=navigator,
        case=case,
        check_in=later,
        requested_by="service",
        reason="Navigator on leave",
        seen_version=later.version,
        now=NOW,
    )
    assert later.cancelled_at == NOW and later.changes[-1].kind == "cancelled"
    with pytest.raises(IllegalTransition, match="cancelled"):
        check_ins.reschedule(
            session,
            actor=navigator,
            case=case,
            check_in=later,
            slot=slot,
            requested_by="person",
            reason="x",
            seen_version=later.version,
            now=NOW,
        )
    assert check_ins.next_for_case(session, case=case, now=NOW) != later


# --- outcomes ----------------------------------------------------------------------------------------


def test_no_outcome_before_the_check_in_starts(session, team, navigator):
    case = _signed(session, team, navigator)
    future = check_ins.for_case(session, case=case)[0]
    with pytest.raises(IllegalTransition, match="once it has started"):
        _record(session, navigator, case, future, outcome="attended_complied", engagement=4)
    assert future.outcome is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome": ""}, "outcome"),
        ({"outcome": "unacceptable_absence", "absence_detail": "No reason"}, "outcome"),
        ({"outcome": "attended_complied"}, "engagement"),
        ({"outcome": "late", "engagement": 3, "late_reason": "Bus"}, "late_minutes"),
        ({"outcome": "late", "engagement": 3, "late_minutes": 20}, "late_reason"),
        ({"outcome": "acceptable_absence"}, "absence_reason"),
        ({"outcome": "acceptable_absence", "absence_reason": "other"}, "absence_detail"),
        ({"outcome": "not_held_service_reason"}, "service_reason"),
    ],
)
def test_each_outcome_asks_for_what_it_needs(session, team, navigator, values, field):
    case = _signed(session, team, navigator)
    check_in = _started(session, case)
    with pytest.raises(FieldError) as refused:
        _record(session, navigator, case, check_in, **values)
    assert refused.value.field == field
    assert check_in.outcome is None


def test_recording_what_happened_with_notes_per_condition(session, team, navigator):
    case = _signed(session, team, navigator)
    check_in = _started(session, case)
    condition = contract_signing.contracts.in_force(session, case=case).conditions[0]
    _record(
        session,
        navigator,
        case,
        check_in,
        outcome="late",
        engagement=4,
        late_minutes=20,
        late_reason="Bus did not come",
        safeguarding_concerns="Mentioned a new partner who takes their money",
        condition_notes={condition.id: "No new offences reported"},
    )
    assert (check_in.outcome, check_in.late_minutes, check_in.engagement) == ("late", 20, 4)
    assert [note.note for note in check_in.condition_notes] == ["No new offences reported"]
    with pytest.raises(IllegalTransition, match="already recorded"):
        _record(session, navigator, case, check_in, outcome="attended_complied", engagement=4)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "check_in.outcome_recorded"))
    assert event.detail["safeguarding"] is True and "partner" not in str(event.detail)


def test_an_absence_waits_two_working_days_for_an_explanation_then_is_classified(session, team, navigator):
    case = _signed(session, team, navigator)
    friday = datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)
    check_in = check_ins.for_case(session, case=case)[0]
    check_in.scheduled_at = friday.astimezone(UTC)
    now = friday.astimezone(UTC) + timedelta(minutes=20)
    _record(session, navigator, case, check_in, now=now, outcome="pending_explanation")
    assert check_in.explanation_due_on == date(2026, 12, 8)
    with pytest.raises(IllegalTransition, match="Classify the absence"):
        _record(session, navigator, case, check_in, now=now, outcome="attended_complied", engagement=3)
    classify = dict(actor=navigator, case=case, check_in=check_in, now=now)
    with pytest.raises(FieldError) as refused:
        check_in_outcomes.classify_absence(
            session, **classify, record=OutcomeRecord(outcome="attended_complied"), seen_version=check_in.version
        )
    assert refused.value.field == "outcome"
    with pytest.raises(FieldError) as refused:
        check_in_outcomes.classify_absence(
            session, **classify, record=OutcomeRecord(outcome="unacceptable_absence"), seen_version=check_in.version
        )
    assert refused.value.field == "absence_detail"
    check_in_outcomes.classify_absence(
        session,
        **classify,
        record=OutcomeRecord(outcome="acceptable_absence", absence_reason="medical", evidence_seen=True),
        seen_version=check_in.version,
    )
    assert (check_in.outcome, check_in.absence_reason, check_in.evidence_seen) == (
        "acceptable_absence",
        "medical",
        True,
    )
    with pytest.raises(IllegalTransition, match="Only an absence awaiting"):
        check_in_outcomes.classify_absence(
            session,
            **classify,
            record=OutcomeRecord(outcome="unacceptable_absence", absence_detail="x"),
            seen_version=check_in.version,
        )
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "check_in.absence_classified"))
    assert (event.actor_id, event.detail["outcome"], event.detail["explained_in_time"]) == (
        navigator.id,
        "acceptable_absence",
        True,
    )


# --- the sweep ---------------------------------------------------------------------------------------


def test_the_sweep_marks_yesterdays_unrecorded_check_ins_once(session, team, navigator):
    case = _signed(session, team, navigator)
    first, second = check_ins.for_case(session, case=case)[:2]
    # The first check-in was at 10:00 on Tuesday 1 December; the sweep runs just after midnight.
    just_after_midnight = datetime(2026, 12, 2, 0, 5, tzinfo=UTC)
    assert check_in_outcomes.mark_missed(session, now=datetime(2026, 12, 1, 23, 55, tzinfo=UTC)) == 0
    assert check_in_outcomes.mark_missed(session, now=just_after_midnight) == 1
    assert check_in_outcomes.mark_missed(session, now=just_after_midnight + timedelta(hours=2)) == 0
    session.expire_all()
    assert first.outcome == Outcome.AWAITING_EXPLANATION
    assert (first.outcome_recorded_by_id, first.explanation_due_on) == (None, date(2026, 12, 3))
    assert second.outcome is None
    # Nobody recorded it, so the navigator is still asked to, and what they record replaces the mark.
    assert check_ins.awaiting_outcome(first, now=just_after_midnight)
    _record(session, navigator, case, first, now=just_after_midnight, outcome="attended_complied", engagement=5)
    assert (first.outcome, first.explanation_due_on) == ("attended_complied", None)
    marks = session.scalar(select(func.count()).where(AuditEvent.action == "check_in.marked_missed"))
    assert marks == 1


def test_the_sweep_leaves_cancelled_check_ins_and_closed_cases_alone(session, team, navigator):
    case = _signed(session, team, navigator)
    first = check_ins.for_case(session, case=case)[0]
    check_ins.cancel(
        session,
        actor=navigator,
        case=case,
        check_in=first,
        requested_by="person",
        reason="Funeral",
        seen_version=first.version,
        now=NOW,
    )
    assert check_in_outcomes.mark_missed(session, now=datetime(2026, 12, 2, 0, 5, tzinfo=UTC)) == 0
    assert first.outcome is None
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id)
    session.add(
        CheckIn(
            case_id=closed.id,
            scheduled_at=NOW - timedelta(days=3),
            mode="in_person",
            place="Hub",
            source="added",
            created_at=NOW - timedelta(days=9),
        )
    )
    session.flush()
    assert check_in_outcomes.mark_missed(session, now=datetime(2026, 12, 2, 0, 5, tzinfo=UTC)) == 0


def test_when_a_case_ends_its_check_ins_still_to_come_are_cancelled_by_the_service(
    session, team, navigator, supervisor
):
    case = _signed(session, team, navigator)
    held = _started(session, case)
    _record(session, navigator, case, held, outcome="attended_complied", engagement=4)
    case_endings.withdraw_in_error(
        session,
        actor=supervisor,
        case=case,
        reason="duplicate",
        detail="Opened twice for one arrest",
        seen_version=case.version,
        now=NOW,
    )
    planned = check_ins.for_case(session, case=case)
    assert held.outcome == "attended_complied" and held.cancelled_at is None
    assert all(c.cancelled_at == NOW and c.requested_by == "service" for c in planned if c is not held)
    assert {c.changes[-1].reason for c in planned if c is not held} == {"The case closed (Withdrawn in error)."}
    assert check_ins.next_for_case(session, case=case, now=NOW) is None


def test_when_a_contract_is_terminated_its_check_ins_still_to_come_are_cancelled_too(session, team, navigator):
    case = _signed(session, team, navigator)
    transitions.move(session, case, CaseEvent.WITHDRAW_CONSENT, actor=navigator, now=NOW)
    assert case.case_state is CaseState.PROSECUTION_DECISION  # terminated, and passed on at once
    planned = check_ins.for_case(session, case=case)
    assert planned and all(c.cancelled_at == NOW for c in planned)
    assert {c.changes[-1].reason for c in planned} == {"The contract ended: the case went for a prosecution decision."}
