"""The scheduler's jobs: each has a name, how often it runs and what it does.

Most jobs are sweeps, `fn(session, *, now) -> int` (how many items it handled), run as the system
in one unit of work per run. A job that must commit before it does slow or external work (the
outbox, which commits its claim before sending mail) is registered with `Job` directly and opens
its own units of work from the context.

Every run records a heartbeat in its own transaction, after the job's work has committed or been
rolled back, so a failing job leaves its error where the health check and supervisors see it and
the next job still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from casework import planner_statistics
from casework.domain.clock import Clock
from casework.failures import log_failure
from casework.services import (
    audit_checkpoints,
    breach_raising,
    check_in_outcomes,
    completion,
    consultation_queue,
    flags,
    heartbeats,
    outbox,
    reminders,
    signed_in_sessions,
    staff_notifications,
    unsaved_forms,
)
from casework.services.scheduler_lock import SchedulerLock, scheduler_lock
from casework.services.transports import Transport
from casework.services.unit_of_work import Work, unit_of_work

log = logging.getLogger(__name__)

Sessions = Callable[[], Session]
Sweep = Callable[..., int]  # fn(session, *, now) -> items handled


class LockLost(Exception):
    """Another scheduler holds the lock now: this run's work is rolled back and not recorded."""


@dataclass(frozen=True)
class JobContext:
    sessions: Sessions
    clock: Clock
    lock: SchedulerLock

    @contextmanager
    def unit_of_work(self) -> Iterator[Work]:
        """One transaction as the system, committed only if this process still holds the lock."""
        with unit_of_work(self.sessions, clock=self.clock) as work:
            if not self.lock.confirm(work.session):
                raise LockLost(f"{self.lock.holder} no longer holds the scheduler lock")
            yield work


@dataclass(frozen=True)
class Job:
    name: str
    label: str  # in words, for people reading the heartbeats
    interval: timedelta
    misfire_grace: timedelta  # how late a run may start and still run (APScheduler's default is 1 s)
    run: Callable[[JobContext], int]
    batch: int | None = None  # a sweep committed every this many items


def sweep(
    name: str,
    label: str,
    fn: Sweep,
    *,
    interval: timedelta,
    misfire_grace: timedelta | None = None,
    batch: int | None = None,
) -> Job:
    """A sweep in one unit of work; with `batch`, in units of at most that many items, committed one
    after another until a unit finds nothing, so a night with thousands due never holds the write
    lock (and the audit chain's head) for more than a moment. Each unit claims only what no earlier
    one did, so the loop ends."""

    def run(context: JobContext) -> int:
        total = 0
        while True:
            with context.unit_of_work() as work:
                handled = fn(work.session, now=work.now, **({"limit": batch} if batch else {}))
            total += handled
            if not batch or handled == 0:
                return total

    return Job(name=name, label=label, interval=interval, misfire_grace=misfire_grace or interval, run=run, batch=batch)


FIVE_MINUTES = timedelta(minutes=5)
ONE_MINUTE = timedelta(minutes=1)
FIFTEEN_MINUTES = timedelta(minutes=15)
# Items a batched sweep handles in one transaction: each writes an audit event (about 2-4 ms), so a
# unit holds the locks for well under a second.
BATCH = 100

# Order matters within a round: missed check-ins are marked and reminders queued before anything is
# sent; flags are raised before the ones that ended are resolved.
JOBS: tuple[Job, ...] = (
    # Case views wait in a queue for the chain; a change chains them too, but a quiet minute may have none.
    sweep(
        "seal_consultations",
        "Case views chained onto the audit trail",
        consultation_queue.seal_waiting,
        interval=ONE_MINUTE,
        batch=BATCH,
    ),
    sweep(
        "mark_missed_check_ins", "Missed check-ins", check_in_outcomes.mark_missed, interval=FIVE_MINUTES, batch=BATCH
    ),
    sweep(
        "explanations_overdue",
        "Explanations overdue",
        check_in_outcomes.flag_overdue_explanations,
        interval=FIVE_MINUTES,
    ),
    sweep("queue_reminders", "Check-in reminders", reminders.queue_due, interval=ONE_MINUTE, batch=BATCH),
    sweep(
        "first_contact_overdue", "First contact overdue flags", flags.raise_first_contact_overdue, interval=FIVE_MINUTES
    ),
    sweep("completion_review", "Contracts at their end date", flags.raise_completion_reviews, interval=FIVE_MINUTES),
    sweep(
        "begin_completion_reviews",
        "Completed contracts to completion review",
        completion.begin_due_reviews,
        interval=FIVE_MINUTES,
    ),
    sweep("deadline_warnings", "Charge deadline warnings", flags.raise_deadline_warnings, interval=FIVE_MINUTES),
    sweep(
        "conditions_not_met",
        "Conditions not met by their due date",
        breach_raising.raise_for_unmet_conditions,
        interval=FIVE_MINUTES,
        batch=BATCH,
    ),
    sweep("resolve_flags", "Flags whose situation has ended", flags.resolve_ended, interval=FIVE_MINUTES),
    sweep("daily_digests", "Daily notification digests", staff_notifications.send_digests, interval=FIFTEEN_MINUTES),
    # A session that timed out is ended when its browser next asks; this records the rest (each an
    # audit event: a few hundred at most in a morning, so one unit of work is short enough).
    sweep(
        "end_timed_out_sessions",
        "Sign-in sessions that timed out",
        signed_in_sessions.end_timed_out,
        interval=FIVE_MINUTES,
    ),
    sweep("forget_unsaved_forms", "Unsaved forms kept too long", unsaved_forms.forget_expired, interval=FIVE_MINUTES),
)
DELIVERY = "send_messages"


def delivery(transports: Mapping[str, Transport]) -> Job:
    """The outbox sender: it commits each claim before sending, so it opens its own transactions
    (its guarded claims keep two senders from sending one message) and is not a sweep."""
    return Job(
        name=DELIVERY,
        label="Sending reminders and notifications",
        interval=ONE_MINUTE,
        misfire_grace=ONE_MINUTE,
        run=lambda context: outbox.deliver_due(context.sessions, context.clock, transports),
    )


PLANNER_STATISTICS = "planner_statistics"
SIX_HOURS = timedelta(hours=6)


def planner_statistics_job() -> Job:
    """SQLite gathers no planner statistics by itself: without this, a server running for months plans
    its lists for the database it started with. On PostgreSQL it warns while autovacuum is off."""
    return Job(
        name=PLANNER_STATISTICS,
        label="Database planner statistics",
        interval=SIX_HOURS,
        misfire_grace=SIX_HOURS,
        run=lambda context: int(planner_statistics.refresh_if_stale(_engine(context.sessions))),
    )


AUDIT_CHECKPOINT = "audit_checkpoint"


def audit_checkpoint(file: audit_checkpoints.CheckpointFile) -> Job:
    """Verify the audit chain since the last signed checkpoint and sign its head to the file outside
    the database, so events cannot be cut off the end unseen for longer than this interval."""
    return sweep(
        AUDIT_CHECKPOINT,
        "Audit trail checkpoints",
        audit_checkpoints.checkpoint_sweep(file),
        interval=FIVE_MINUTES,
    )


def every_job(
    transports: Mapping[str, Transport], checkpoints: audit_checkpoints.CheckpointFile | None = None
) -> tuple[Job, ...]:
    """What the scheduler process runs: the sweeps, then sending what they queued, then a checkpoint
    of the audit trail (which comes last, to cover what the others wrote)."""
    checkpoint = (audit_checkpoint(checkpoints),) if checkpoints else ()
    return (*JOBS, delivery(transports), planner_statistics_job(), *checkpoint)


LABELS = {job.name: job.label for job in every_job({}, audit_checkpoints.CheckpointFile(Path()))}


@dataclass(frozen=True)
class RunResult:
    job: str
    outcome: str  # ok, failed, or skipped (the lock was lost)
    handled: int = 0
    error: str | None = None


def run_job(job: Job, context: JobContext) -> RunResult:
    """Run one job now and record its heartbeat; never raises, so one failure stops nothing else."""
    started: datetime = context.clock.now()
    try:
        handled, outcome, error = job.run(context), "ok", None
    except LockLost as lost:
        log.warning("%s not run: %s", job.name, lost)
        return RunResult(job.name, "skipped", error=str(lost))
    except Exception as problem:  # a failing job must not stop the others
        # Its class and a reference, in the log and on the status page: never its message.
        reference = log_failure(log, f"{job.name} failed", problem)
        handled, outcome, error = 0, "failed", f"{type(problem).__name__} (reference {reference})"
    if handled:
        log.info("%s: %d handled", job.name, handled)
    try:
        with unit_of_work(context.sessions, clock=context.clock) as work:
            heartbeats.record(
                work.session,
                job=job.name,
                started_at=started,
                finished_at=work.now,
                outcome=outcome,
                handled=handled,
                error=error,
            )
    except Exception as problem:
        log_failure(log, f"{job.name}: heartbeat not recorded", problem)
    return RunResult(job.name, outcome, handled, error)


def run_once(
    sessions: Sessions, clock: Clock, *, lock: SchedulerLock | None = None, jobs: tuple[Job, ...] = JOBS
) -> list[RunResult] | None:
    """Every job once, at the clock's current time, if this process can hold the scheduler lock;
    None when another scheduler holds it. A lock made here is released before returning."""
    owned = lock is None
    if lock is None:
        lock = scheduler_lock(_engine(sessions), clock=clock)
    try:
        if not lock.acquire():
            log.info("Another scheduler holds the lock: nothing run.")
            return None
        context = JobContext(sessions=sessions, clock=clock, lock=lock)
        return [run_job(job, context) for job in jobs]
    finally:
        if owned:
            lock.release()


def _engine(sessions: Sessions):
    with sessions() as session:
        bind = session.get_bind()
    return getattr(bind, "engine", bind)
