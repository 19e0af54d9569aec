"""A form posted after its author's session timed out, kept so it is not lost (DESIGN.md §6).

It is kept on the ended session's row, one form per session, for KEPT_FORM_LIFETIME, and offered
only to the same person signing in again from the same browser; offering it deletes it. It is
personal data (a case note, say), so it is never put in the cookie, and files are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from casework.domain.session_timeouts import KEPT_FORM_LIFETIME, TIMED_OUT
from casework.models import SignInSession, User
from casework.services import signed_in_sessions

# Far beyond any form's text (a case note is at most 12,000 characters); a post larger than this
# is not kept rather than stored without limit.
MAX_KEPT_CHARACTERS = 100_000
# Replaced by a fresh token when the form is offered again; never worth keeping.
NOT_KEPT = frozenset({"csrf_token"})


@dataclass(frozen=True)
class KeptForm:
    path: str
    fields: list[tuple[str, str]]
    kept_at: datetime


def keep(session: Session, *, token: str | None, path: str, fields: list[tuple[str, str]], now: datetime) -> int | None:
    """Keep the form posted with a timed-out session's token; the session's id (for the cookie), or
    None if there is nothing to keep or the session did not time out (signed out, deactivated)."""
    record = signed_in_sessions.find(session, token=token)
    if record is None or record.ended_at is None or record.end_reason not in TIMED_OUT:
        return None
    kept = [[name, value] for name, value in fields if name not in NOT_KEPT]
    if not kept or sum(len(name) + len(value) for name, value in kept) > MAX_KEPT_CHARACTERS:
        return None
    record.kept_path, record.kept_fields, record.kept_at = path, kept, now
    session.flush()
    return record.id


def waiting(session: Session, *, user: User, session_id: int | None, now: datetime) -> bool:
    record = _kept(session, user=user, session_id=session_id)
    return record is not None and now - record.kept_at < KEPT_FORM_LIFETIME


def take(session: Session, *, user: User, session_id: int | None, now: datetime) -> KeptForm | None:
    """The kept form, for its author only, deleted as it is handed over (or found too old)."""
    record = _kept(session, user=user, session_id=session_id)
    if record is None:
        return None
    if now - record.kept_at >= KEPT_FORM_LIFETIME:
        _forget(record)
        session.flush()
        return None
    form = KeptForm(
        path=record.kept_path or "/",
        fields=[(str(name), str(value)) for name, value in record.kept_fields or []],
        kept_at=record.kept_at,
    )
    _forget(record)
    session.flush()
    return form


def _kept(session: Session, *, user: User, session_id: int | None) -> SignInSession | None:
    if session_id is None:
        return None
    record = session.get(SignInSession, session_id)
    if record is None or record.user_id != user.id or record.kept_at is None:
        return None
    return record


def _forget(record: SignInSession) -> None:
    record.kept_path, record.kept_fields, record.kept_at = None, None, None


def forget_expired(session: Session, *, now: datetime) -> int:
    """Scheduler sweep: delete kept forms nobody came back for."""
    forgotten = session.execute(
        update(SignInSession)
        .where(SignInSession.kept_at <= now - KEPT_FORM_LIFETIME)
        .values(kept_path=None, kept_fields=None, kept_at=None)
        .execution_options(synchronize_session=False)
    )
    return forgotten.rowcount
