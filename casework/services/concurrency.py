"""Turning a lost race into a message the user can act on.

Two people (or one double click) acting on the same record at once end in one of two database
refusals: a version check that matched no row (StaleDataError) or a unique key already taken by the
other transaction (IntegrityError). Both mean "someone else changed this", and both are shown as such.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casework.domain.clock import local
from casework.domain.errors import StaleRecord
from casework.services import audit

STALE = "Someone else changed {what} while you were working on it. Check the latest details and try again."


def stale_message(what: str) -> str:
    return STALE.format(what=what)


def is_lost_race(error: BaseException) -> bool:
    """A version check that failed, or a unique key the other transaction took first."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, IntegrityError):
        return False
    original = error.orig
    # PostgreSQL reports SQLSTATE 23505; SQLite names the constraint kind in its message.
    return getattr(original, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(original)


def flush_or_stale(session: Session, message: str | None = None, *, case_id: int | None = None) -> None:
    """Flush; a lost race becomes a StaleRecord. The caller (the view) must then roll back."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        if is_lost_race(error):
            raise StaleRecord(message or stale_message("this record"), case_id=case_id) from None
        raise


def naming_who(session: Session, refusal: StaleRecord) -> str:
    """The refusal's message, with who changed the case last and when, where the trail says.
    Call it after rolling back, so the latest committed change is visible."""
    if refusal.case_id is None:
        return refusal.message
    change = audit.last_change(session, case_id=refusal.case_id)
    if change is None:
        return refusal.message
    who, when = change
    shown = local(when)
    at = f"{shown.hour % 12 or 12}:{shown:%M}{'am' if shown.hour < 12 else 'pm'} on {shown.day} {shown:%B}"
    return f"{refusal.message} The latest change was made by {who} at {at}."
