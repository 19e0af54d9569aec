"""Time conventions: store UTC, show and count days in England and Wales time.

The real clock is read in one place, `SystemClock`. The web app, the CLI and the scheduler ask the
clock they were given, so tests run them at a fixed instant (midnight, the daylight-saving changes).
"""

from __future__ import annotations

import time as monotonic
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """Always the same instant until moved: for tests of one request or one job run."""

    def __init__(self, instant: datetime) -> None:
        self.set(instant)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("a clock needs an aware instant")
        self.instant = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.instant += delta

    def now(self) -> datetime:
        return self.instant


class RunningClock:
    """Starts at a chosen instant and runs at real speed: for browser journeys, which need a known
    date but whose steps must still happen one after another."""

    def __init__(self, start: datetime) -> None:
        self.start = start.astimezone(UTC)
        self._started = monotonic.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=monotonic.monotonic() - self._started)


def utcnow() -> datetime:
    """The real clock, for code that runs outside the app (benchmarks, the demo loader's default)."""
    return SystemClock().now()


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def local_today(moment: datetime) -> date:
    """The date in England and Wales at this instant: what "today" means to everyone using the service.
    At 00:30 BST the UTC date is still yesterday, so never take `.date()` of a UTC instant."""
    return local(moment).date()


def from_local(day: date, clock: time) -> datetime:
    """A date and wall-clock time typed in England or Wales, as UTC."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC)


def start_of_local_day(day: date) -> datetime:
    """The UTC instant at which a London date begins."""
    return from_local(day, time.min)
