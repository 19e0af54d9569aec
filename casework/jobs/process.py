"""The long-running scheduler process: APScheduler 3 runs the registry's jobs on their intervals while
this process holds the scheduler lock, and stops cleanly on SIGTERM or SIGINT.

APScheduler only decides when to wake up (by the real clock); what is due is decided by our tables
and the app's clock, so a run that comes late, or after the process was down, catches up in one go.
Nothing is kept in an APScheduler job store: the jobs are a fixed list, added at start.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from casework.domain.clock import Clock, SystemClock
from casework.failures import log_failure
from casework.jobs.registry import JOBS, Job, JobContext, RunResult, Sessions, run_job
from casework.services.scheduler_lock import RETRY, SchedulerLock

log = logging.getLogger(__name__)

LOCK_JOB = "scheduler_lock"


class SchedulerProcess:
    def __init__(self, sessions: Sessions, clock: Clock, lock: SchedulerLock, jobs: tuple[Job, ...] = JOBS) -> None:
        self.context = JobContext(sessions=sessions, clock=clock, lock=lock)
        self.jobs = jobs
        self.holding = False
        self.scheduler: BlockingScheduler | None = None
        self._busy = threading.Lock()  # held while a job runs, so the lock is never released mid-job

    def keep_lock(self) -> bool:
        """Renew the lock, or try to take it; say so when that changes. On taking it, run every job now."""
        try:
            holding = self.context.lock.acquire()
        except Exception as problem:
            log_failure(log, "Could not reach the database to take or renew the scheduler lock", problem)
            holding = False
        if holding and not self.holding:
            log.info("Holding the scheduler lock (%s): running jobs", self.context.lock.holder)
            self._run_everything_soon()
        elif not holding and (self.holding or self.holding is None):
            log.warning("Another scheduler holds the lock: waiting to take over if it stops")
        self.holding = holding
        return holding

    def run(self, job: Job) -> RunResult | None:
        """One job, if this process holds the lock."""
        if not self.holding:
            return None
        with self._busy:
            return run_job(job, self.context)

    def run_all(self) -> list[RunResult] | None:
        """One round without APScheduler's timing: keep (or take) the lock, then every job once."""
        if not self.keep_lock():
            return None
        return [self.run(job) for job in self.jobs]

    def build(self) -> BlockingScheduler:
        """Jobs run one at a time on their own thread; the lock is renewed on another, so a long job
        cannot let the lease run out."""
        scheduler = BlockingScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(1), "lock": ThreadPoolExecutor(1)},
        )
        every = int(RETRY.total_seconds())
        scheduler.add_job(
            self.keep_lock,
            IntervalTrigger(seconds=every),
            id=LOCK_JOB,
            name="Keep or take the scheduler lock",
            executor="lock",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=every,
            next_run_time=SystemClock().now(),
        )
        for job in self.jobs:
            scheduler.add_job(
                self.run,
                IntervalTrigger(seconds=int(job.interval.total_seconds())),
                args=[job],
                id=job.name,
                name=job.label,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=int(job.misfire_grace.total_seconds()),
            )
        self.scheduler = scheduler
        return scheduler

    def serve(self) -> None:
        """Run until SIGTERM or SIGINT; a job already running finishes before the lock is released."""
        self.holding = None  # neither yet: the first attempt is always logged
        scheduler = self.build()

        def stop(signum, _frame) -> None:
            log.info("Stopping the scheduler (%s)", signal.Signals(signum).name)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            scheduler.start()
        finally:
            with self._busy:
                self.context.lock.release()
            log.info("Scheduler stopped")

    def _run_everything_soon(self) -> None:
        # A scheduler that has just taken over catches up at once rather than an interval later.
        if self.scheduler is None or not self.scheduler.running:
            return
        for job in self.jobs:
            self.scheduler.modify_job(job.name, next_run_time=SystemClock().now())
