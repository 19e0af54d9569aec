"""When a signed-in session ends (DESIGN.md §6): 30 minutes after the person last did something,
and never more than 12 hours after they signed in, however busy they are."""

from __future__ import annotations

from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# "Last seen" is written at most this often, so browsing does not write on every request; the idle
# end can therefore come up to this much earlier than 30 minutes after the very last click.
TOUCH_INTERVAL = timedelta(minutes=1)
# The browser warns this long before the idle end (WCAG 2.2.1 asks for at least 20 seconds).
WARNING_LEAD = timedelta(minutes=2)
# A form posted after the session ended is kept this long for its author to sign in and save it.
KEPT_FORM_LIFETIME = timedelta(hours=2)

IDLE = "idle timeout"
ABSOLUTE = "absolute timeout"
DEACTIVATED = "deactivated"
SIGNED_OUT = "signed out"
# Ends after which the person may still save what they were typing (not sign-out or deactivation).
TIMED_OUT = (IDLE, ABSOLUTE)


def ends_at(started_at: datetime, last_seen_at: datetime) -> datetime:
    """The instant the session ends if nothing more happens."""
    return min(last_seen_at + IDLE_TIMEOUT, started_at + ABSOLUTE_TIMEOUT)


def expiry_reason(started_at: datetime, last_seen_at: datetime, now: datetime) -> str | None:
    if now >= started_at + ABSOLUTE_TIMEOUT:
        return ABSOLUTE
    if now >= last_seen_at + IDLE_TIMEOUT:
        return IDLE
    return None


def due_a_touch(last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= TOUCH_INTERVAL
