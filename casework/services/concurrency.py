"""Turning a lost race into a message the user can act on."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casework.domain.errors import StaleRecord


def flush_or_stale(session: Session, message: str) -> None:
    """Flush; if another transaction changed the row since we read it (UPDATE ... WHERE version = n
    matched nothing), report it as a stale record. The caller must then roll back."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleRecord(message) from None
