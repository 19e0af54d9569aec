"""The scheduler process against a real database, with real separate connections: exactly one
scheduler runs jobs, each flag is raised once whoever runs and however late, and a failing job
leaves its error in the heartbeats without stopping the others."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from casework.db import make_session_factory
from casework.domain import time_limits
from casework.domain.clock import FixedClock, SystemClock, local_today
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.jobs.process import LOCK_JOB, SchedulerProcess
from casework.jobs.registry import JOBS, JobContext, run_job, run_once, sweep
from casework.models import AuditEvent, CaseFlag, SchedulerHeartbeat
from casework.services import flags
from casework.services.scheduler_lock import LEASE, scheduler_lock
from casework.services.unit_of_work import unit_of_work
from tests.conftest import make_case, make_contract, make_team, make_user

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March 2026, 08:00 in London
WAIT = 60  # seconds a step may take before the test fails rather than hangs
# Each round runs every job (production runs them every few minutes). Four hours a round gives six
# rounds each London day, one exactly at midnight (the ten days are all GMT), and the later rounds
# of a day retry what the earlier ones did, so anything done twice shows. A round falls at 08:00
# each day, when the two-hour reminders for 10:00 check-ins fall due with an hour's grace.
STEP = timedelta(hours=4)

BANDS = {
    time_limits.DeadlineBand.WITHIN_28: "28",
    time_limits.DeadlineBand.WITHIN_14: "14",
    time_limits.DeadlineBand.WITHIN_7: "7",
    time_limits.DeadlineBand.PASSED: "7",
}


@pytest.fixture
def sessions(migrated_database):
    return make_session_factory(migrated_database.engine)


@pytest.fixture
def engine(migrated_database):
    return migrated_database.engine


def _build_cases(sessions) -> None:
    """Cases that fall due at different moments of the fortnight from START, and some that never do."""
    with sessions() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        for n in range(10):  # referred over the ten days before START, at different hours
            make_case(session, team=team, referred_at=START - timedelta(days=n, hours=n * 2))
        make_case(session, team=team, state=CaseState.ASSESSMENT, referred_at=START - timedelta(days=20))
        for n in range(12):  # decision deadlines from 3 to 47 days after START
            make_case(
                session, team=team, state=CaseState.ACTIVE, decision_deadline_on=START.date() + timedelta(3 + 4 * n)
            )
        make_case(session, team=team, state=CaseState.COMPLETED, decision_deadline_on=START.date() + timedelta(days=5))
        for n in range(6):  # contracts ending every other day from START
            case = make_case(session, team=team, state=CaseState.ACTIVE)
            make_contract(session, case=case, created_by=navigator, ends_on=START.date() + timedelta(days=2 * n))
        session.commit()


def _expected(sessions, days_seen: list[date]) -> Counter:
    """What should have been flagged by the last of `days_seen`, worked out from the rules the
    caseload and the case page use, not from the sweeps' queries."""
    from casework.models import Case, Contract

    last = days_seen[-1]
    expected: Counter = Counter()
    with sessions() as session:
        for case in session.scalars(select(Case)):
            if (
                case.case_state is CaseState.REFERRED
                and case.first_contact_at is None
                and last > time_limits.add_working_days(local_today(case.referred_at), 5)
            ):
                expected[(case.id, "first_contact_overdue", "")] += 1
            if case.is_open and case.decision_deadline_on:
                bands = {time_limits.deadline_band(case.decision_deadline_on, day) for day in days_seen}
                for subject in {BANDS[band] for band in bands if band in BANDS}:
                    expected[(case.id, "deadline", subject)] += 1
        for contract in session.scalars(select(Contract).where(Contract.status == "signed")):
            if contract.ends_on <= last:
                expected[(contract.case_id, "completion_review", contract.ends_on.isoformat())] += 1
    return expected


def _flagged(sessions) -> Counter:
    with sessions() as session:
        return Counter(session.execute(select(CaseFlag.case_id, CaseFlag.kind, CaseFlag.subject)).all())


def _count(sessions, model, *criteria) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*criteria))


def drive_two_schedulers(sessions, engine, clock: FixedClock, *, days: int = 10, jobs=JOBS) -> tuple[Counter, list]:
    """Two scheduler processes against one database, each trying every job every STEP of the clock for
    `days`: returns how many rounds each ran and the London days the clock passed through."""
    # The lease is about whether a process is alive, so it runs on the real clock, not the simulated one.
    processes = [
        SchedulerProcess(sessions, clock, scheduler_lock(engine, clock=SystemClock(), holder=name), jobs=jobs)
        for name in ("first", "second")
    ]
    start, rounds = clock.now(), Counter()
    problems: list[BaseException] = []
    step = threading.Barrier(3, timeout=WAIT)

    def loop(process: SchedulerProcess, name: str) -> None:
        try:
            while True:
                step.wait()  # the clock has been set
                if clock.now() > start + timedelta(days=days):
                    return
                if process.run_all() is not None:
                    rounds[name] += 1
                step.wait()  # this round is done
        except BaseException as problem:
            problems.append(problem)
            step.abort()

    threads = [threading.Thread(target=loop, args=(p, n)) for p, n in zip(processes, ("first", "second"), strict=True)]
    for thread in threads:
        thread.start()
    days_seen = []
    while clock.now() <= start + timedelta(days=days):
        days_seen.append(local_today(clock.now()))
        step.wait()
        step.wait()
        clock.advance(STEP)
    step.wait()
    for thread in threads:
        thread.join(WAIT)
    for process in processes:
        process.context.lock.release()
    assert not problems, problems
    steps = int(timedelta(days=days) / STEP) + 1
    assert sorted(rounds.values()) == [steps], rounds  # one scheduler ran every round, the other none
    return rounds, days_seen


def test_two_schedulers_over_ten_days_raise_each_flag_once_and_only_one_runs_jobs(sessions, engine):
    _build_cases(sessions)
    _rounds, days_seen = drive_two_schedulers(sessions, engine, FixedClock(START))
    expected = _expected(sessions, sorted(set(days_seen)))
    assert _flagged(sessions) == expected
    assert {kind for _, kind, _ in expected} == {"first_contact_overdue", "deadline", "completion_review"}
    assert _count(sessions, AuditEvent, AuditEvent.action == "flag.raised") == sum(expected.values())


def test_after_a_two_hour_outage_one_run_catches_up_and_a_second_finds_nothing(sessions, engine):
    _build_cases(sessions)
    before = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)  # 23:00 on Thursday 5 March
    clock = FixedClock(before)
    lock = scheduler_lock(engine, clock=clock)
    assert all(result.outcome == "ok" for result in run_once(sessions, clock, lock=lock))
    flagged_before = _flagged(sessions)

    clock.advance(timedelta(hours=2))  # down from 23:00 to 01:00: a new day's flags fell due meanwhile
    caught_up = run_once(sessions, clock, lock=lock)
    assert sum(result.handled for result in caught_up if result.job != "resolve_flags") > 0
    again = run_once(sessions, clock, lock=lock)
    assert [result.handled for result in again] == [0] * len(JOBS)

    flagged = _flagged(sessions)
    assert flagged != flagged_before
    assert flagged == _expected(sessions, [date(2026, 3, 5), date(2026, 3, 6)])
    assert _count(sessions, AuditEvent, AuditEvent.action == "flag.raised") == sum(flagged.values())


def test_two_sweeps_racing_without_the_lock_still_raise_each_flag_once(sessions):
    """The lock is not the only guard: the unique key and ON CONFLICT DO NOTHING hold on their own."""
    _build_cases(sessions)
    clock = FixedClock(START + timedelta(days=9))
    go = threading.Barrier(2, timeout=WAIT)
    raised: list[int] = []
    problems: list[BaseException] = []

    def sweep_now() -> None:
        try:
            go.wait()
            for fn in (
                flags.raise_first_contact_overdue,
                flags.raise_completion_reviews,
                flags.raise_deadline_warnings,
            ):
                with unit_of_work(sessions, clock=clock) as work:
                    raised.append(fn(work.session, now=work.now))
        except BaseException as problem:
            problems.append(problem)

    threads = [threading.Thread(target=sweep_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not problems, problems
    flagged = _flagged(sessions)
    assert set(flagged.values()) == {1} and sum(raised) == len(flagged) > 0
    assert _count(sessions, AuditEvent, AuditEvent.action == "flag.raised") == len(flagged)


def test_a_second_scheduler_is_refused_while_the_first_holds_the_lock(sessions, engine):
    _build_cases(sessions)
    clock = FixedClock(START + timedelta(days=9))
    first = scheduler_lock(engine, clock=clock, holder="first")
    second = scheduler_lock(engine, clock=clock, holder="second")
    assert first.acquire() and first.acquire()  # renewing is taking it again
    assert not second.acquire()
    assert run_once(sessions, clock, lock=second) is None
    assert _count(sessions, SchedulerHeartbeat) == 0 and _count(sessions, CaseFlag) == 0
    first.release()
    assert second.acquire()
    second.release()


def _end(first, database, clock: FixedClock) -> None:
    """The first scheduler dies: its PostgreSQL connection goes (ended by the owner: the application's
    role may not end another's connection), or its SQLite lease is not renewed."""
    if database.kind == "postgresql":
        with database.owner_engine.connect() as other:
            # pg_terminate_backend returns before the backend has gone: wait until its locks have.
            other.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": first._backend_pid})
    else:
        clock.advance(LEASE + timedelta(seconds=1))


def test_a_waiting_scheduler_takes_over_when_the_first_dies_and_the_first_stands_down(
    sessions, engine, migrated_database
):
    _build_cases(sessions)
    clock = FixedClock(START + timedelta(days=9))
    first = scheduler_lock(engine, clock=clock, holder="first")
    second = scheduler_lock(engine, clock=clock, holder="second")
    assert first.acquire() and not second.acquire()
    first_context = JobContext(sessions=sessions, clock=clock, lock=first)

    _end(first, migrated_database, clock)
    assert second.acquire()
    # A first scheduler that was only paused finds it has lost the lock: it runs nothing.
    assert run_job(JOBS[0], first_context).outcome == "skipped"
    assert _count(sessions, CaseFlag) == 0 and _count(sessions, SchedulerHeartbeat) == 0
    assert not first.acquire()
    results = run_once(sessions, clock, lock=second)
    assert [result.outcome for result in results] == ["ok"] * len(JOBS)
    assert _count(sessions, CaseFlag) > 0
    first.release()
    second.release()


def test_a_failing_job_records_its_error_rolls_back_its_work_and_the_others_still_run(sessions, engine, caplog):
    _build_cases(sessions)
    clock = FixedClock(START + timedelta(days=9))

    def broken(session, *, now) -> int:
        flags.raise_flags(session, kind="broken", due=[flags.Due(1, 1)], now=now)
        raise RuntimeError("the partner's system did not answer")

    jobs = (sweep("broken", "A job that fails", broken, interval=timedelta(minutes=5)), *JOBS)
    with caplog.at_level(logging.INFO):
        results = run_once(sessions, clock, jobs=jobs)
    assert [(r.job, r.outcome) for r in results] == [("broken", "failed")] + [(job.name, "ok") for job in JOBS]
    with sessions() as session:
        beats = {beat.job: beat for beat in session.scalars(select(SchedulerHeartbeat))}
        assert session.scalar(select(func.count()).select_from(CaseFlag).where(CaseFlag.kind == "broken")) == 0
    assert beats["broken"].last_outcome == "failed" and beats["broken"].handled == 0
    # The class and a reference, in the log and on the status page; the message (it may name a
    # person or quote their data) in neither.
    reference = re.fullmatch(r"RuntimeError \(reference ([A-Z2-9]{8})\)", beats["broken"].error).group(1)
    assert f"broken failed: builtins.RuntimeError [reference {reference}]" in caplog.text
    assert "the partner's system did not answer" not in caplog.text
    assert beats["broken"].last_finished_at == clock.now()
    assert beats["first_contact_overdue"].last_outcome == "ok" and beats["first_contact_overdue"].handled > 0
    assert beats["first_contact_overdue"].error is None


def test_the_apscheduler_jobs_coalesce_never_overlap_and_have_an_explicit_misfire_grace(sessions, engine):
    process = SchedulerProcess(sessions, FixedClock(START), scheduler_lock(engine, clock=FixedClock(START)))
    scheduled = {job.id: job for job in process.build().get_jobs()}
    assert set(scheduled) == {LOCK_JOB} | {job.name for job in JOBS}
    for job in scheduled.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time is not None and job.misfire_grace_time >= 20
    assert scheduled["deadline_warnings"].trigger.interval == timedelta(minutes=5)
    assert scheduled[LOCK_JOB].executor == "lock"  # renewing the lease never waits behind a long job
