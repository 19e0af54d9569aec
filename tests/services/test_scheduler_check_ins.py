"""Check-ins under the scheduler: two scheduler processes against one database for ten simulated days
send each due reminder once, to a real SMTP server on loopback, only to people who agreed to email;
each check-in nobody recorded is marked missed once, and each absence left unexplained is flagged once.
On SQLite and PostgreSQL (the suite runs this file on both)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.config import Messaging
from casework.domain.clock import FixedClock, local
from casework.domain.flags import FlagKind
from casework.domain.lifecycle import CaseState
from casework.domain.reminders import lateness_allowed
from casework.domain.roles import Role
from casework.jobs.registry import JOBS, JobContext, every_job, run_job, sweep
from casework.models import AuditEvent, CaseFlag, CheckIn, OutboxMessage, Reminder
from casework.services import check_in_outcomes
from casework.services.scheduler_lock import scheduler_lock
from casework.services.transports import transports_for
from tests.conftest import make_case, make_person, make_team, make_user
from tests.messaging import smtp_server
from tests.services.test_scheduler import START, STEP, drive_two_schedulers, engine, sessions  # noqa: F401 (fixtures)

# Held at 10:00 London time (GMT in early March) on these days after START, Monday 2 March 2026:
# Thursday 5, Friday 6, Monday 9, Tuesday 10 and Wednesday 11 March. Nobody records any of them, so
# the sweep marks each missed the night after.
REMINDED_DAYS = (3, 4, 7, 8, 9)
MISSED_DAY = 1  # Tuesday 3 March, for the person who gets no reminders


def _at(days: int) -> datetime:
    return (START + timedelta(days=days)).replace(hour=10, minute=0)


def _book(session, case, at: datetime, **values) -> CheckIn:
    booked = CheckIn(
        case_id=case.id,
        scheduled_at=at,
        mode="in_person",
        place="Navigator office",
        source="added",
        created_at=START - timedelta(days=7),
        **values,
    )
    session.add(booked)
    session.flush()
    return booked


def _world(factory) -> dict[str, int]:
    with factory() as session:
        team = make_team(session, phone="0191 555 0100")
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)

        def case(*, email: bool):
            person = make_person(session, creator=navigator, email="sam@example.org", reminder_by_email=email)
            return make_case(
                session,
                team=team,
                state=CaseState.ACTIVE,
                person=person,
                navigator_id=navigator.id,
                first_contact_at=START - timedelta(days=30),
            )

        agreed, declined = case(email=True), case(email=False)
        for day in REMINDED_DAYS:
            _book(session, agreed, _at(day))
            _book(session, declined, _at(day))
        cancelled = _book(session, agreed, _at(5) + timedelta(hours=3))
        cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = START, "Court date", "person"
        missed = _book(session, declined, _at(MISSED_DAY))
        session.commit()
        return {"agreed": agreed.id, "missed": missed.id}


def test_ten_days_of_two_schedulers_send_each_reminder_once_and_mark_and_flag_each_absence_once(sessions, engine):  # noqa: F811
    world = _world(sessions)
    with smtp_server() as (inbox, port):
        transports = transports_for(Messaging(smtp_host="127.0.0.1", smtp_port=port, smtp_from="casework@example.org"))
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CASEWORK_SMTP_HOST", "127.0.0.1")  # the sweeps read which channels are on
            drive_two_schedulers(sessions, engine, FixedClock(START), jobs=every_job(transports))

    # Two reminders (48 and 2 hours before) for each check-in of the person who agreed; none for the
    # one who did not, nor for the cancelled check-in. Each was queued once, by the first round at or
    # after its hour.
    expected = Counter((_at(day), hours) for day in REMINDED_DAYS for hours in (48, 2))
    with sessions() as session:
        sent = Counter(
            session.execute(
                select(CheckIn.scheduled_at, Reminder.hours_before)
                .join(Reminder, Reminder.check_in_id == CheckIn.id)
                .where(Reminder.status == "sent")
            ).all()
        )
        assert sent == expected
        queued = session.execute(select(Reminder.due_at, Reminder.created_at, Reminder.hours_before)).all()
        assert all(due <= at < due + STEP and at - due <= lateness_allowed(hours) for due, at, hours in queued)
        assert session.scalar(select(func.count()).select_from(Reminder).where(Reminder.status != "sent")) == 0
        emails = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == "reminder")
        )
        assert emails == sum(expected.values())
    assert len([to for to, _ in inbox.received if to == ["sam@example.org"]]) == sum(expected.values())
    subjects = Counter(message["Subject"] for _, message in inbox.received)
    reminders = {subject: count for subject, count in subjects.items() if subject.startswith("Reminder")}
    assert len(reminders) == len(REMINDED_DAYS) and set(reminders.values()) == {2}, subjects  # 48 h and 2 h
    # The navigator's notifications (check-ins marked missed, explanations overdue) come as one digest a day.
    digests = [subject for subject in subjects if subject.startswith("Your casework digest")]
    assert digests and all(subjects[subject] == 1 for subject in digests)

    # Every check-in nobody recorded is marked missed once, the night after (the clock stops at 08:00
    # on Thursday 12 March). The person then has two working days to explain; a flag is raised once the
    # day after those run out: for Tuesday 3 March's on Friday 6; for Thursday 5's, Friday 6's and
    # Monday 9's (both people's) on Tuesday 10, Wednesday 11 and Thursday 12. Tuesday 10's and
    # Wednesday 11's can still be explained when the ten days end.
    with sessions() as session:
        missed = session.get(CheckIn, world["missed"])
        assert missed.outcome == "pending_explanation" and local(missed.outcome_recorded_at).date() == _at(2).date()
        marks = select(func.count()).where(AuditEvent.action == "check_in.marked_missed")
        assert session.scalar(marks) == 2 * len(REMINDED_DAYS) + 1
        raised = Counter(
            (local(check_in.scheduled_at).date().day, local(flag.raised_at).date().day)
            for flag, check_in in session.execute(
                select(CaseFlag, CheckIn)
                .join(CheckIn, func.cast(CheckIn.id, CaseFlag.subject.type) == CaseFlag.subject)
                .where(CaseFlag.kind == FlagKind.EXPLANATION_OVERDUE)
            )
        )
        assert raised == Counter({(3, 6): 1, (5, 10): 2, (6, 11): 2, (9, 12): 2})


def test_the_scheduler_marks_missed_check_ins_and_queues_reminders_in_units_of_a_hundred():
    batched = {job.name: job.batch for job in JOBS if job.batch}
    assert batched == {
        "seal_consultations": 100,
        "mark_missed_check_ins": 100,
        "queue_reminders": 100,
        "conditions_not_met": 100,
    }


def test_a_busy_night_is_marked_in_short_transactions_and_a_failure_keeps_what_was_done(sessions, engine):  # noqa: F811
    """Hundreds due at once never hold the write lock for long: the sweep commits every few items, so
    a failure part-way loses only the unit it was in, and the next run picks up the rest."""
    with sessions() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
        for n in range(7):
            _book(session, case, _at(0) + timedelta(minutes=n))
        session.commit()
    calls = []

    def flaky(session, *, now, limit):
        calls.append(limit)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return check_in_outcomes.mark_missed(session, now=now, limit=limit)

    clock = FixedClock(_at(1))
    lock = scheduler_lock(engine, clock=clock)
    assert lock.acquire()
    context = JobContext(sessions=sessions, clock=clock, lock=lock)
    failed = run_job(sweep("mark", "Missed", flaky, interval=timedelta(minutes=5), batch=2), context)
    assert failed.outcome == "failed" and calls == [2, 2, 2]
    with sessions() as session:
        marked = select(func.count()).select_from(CheckIn).where(CheckIn.outcome == "pending_explanation")
        assert session.scalar(marked) == 4  # two units committed before the failure
    again = run_job(
        sweep("mark", "Missed", check_in_outcomes.mark_missed, interval=timedelta(minutes=5), batch=2), context
    )
    assert (again.outcome, again.handled) == ("ok", 3)
    lock.release()
