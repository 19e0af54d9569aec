"""Sign-in back-off: slows guessing without ever locking an account for good."""

from __future__ import annotations

from datetime import datetime, timedelta

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)


def backoff_after(failures: int) -> timedelta:
    """How long sign-in stays closed after this many consecutive failures.

    Nothing for the first five; then 30 s doubling per failure, capped at 15 minutes, so a
    forgotten passphrase costs a colleague minutes, while a guesser gets about 100 tries a day.
    """
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = failures - FREE_FAILURES
    if doublings >= 10:
        return MAX_DELAY
    return min(FIRST_DELAY * (2**doublings), MAX_DELAY)


def blocked_until(failures: int, last_failure_at: datetime) -> datetime | None:
    delay = backoff_after(failures)
    return last_failure_at + delay if delay else None
