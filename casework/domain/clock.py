"""Time conventions: store UTC, show and count days in England and Wales time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The only place the real clock is read; everything below takes `now` as an argument."""
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def from_local(day: date, clock: time) -> datetime:
    """A date and wall-clock time typed in England or Wales, as UTC."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC)
