"""The server-side session behind a signed-in browser (DESIGN.md §6): finding it from the cookie's
token, sliding its idle timeout with activity, extending it on request, and recording its end.

A session's end is written to its row and to the audit trail exactly once, whether a request, the
status check or the scheduler's sweep notices it first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from casework.db import writing
from casework.domain.session_timeouts import (
    ABSOLUTE_TIMEOUT,
    DEACTIVATED,
    IDLE_TIMEOUT,
    due_a_touch,
    ends_at,
    expiry_reason,
)
from casework.models import SignInSession, User
from casework.services import audit
from casework.services.accounts import token_digest

ENDED_ACTION = "sign_in.session_expired"


def resolve(session: Session, *, token: str | None, now: datetime, activity: bool = True) -> SignInSession | None:
    """The live session behind a cookie's token, or None once it has ended. A request that is the
    person's own `activity` moves "last seen" on, at most once a TOUCH_INTERVAL; a background check
    (the page asking how long is left) must not, or polling would keep an idle session alive."""
    if not token:
        return None
    # One statement for the session, its user, the user's team and roles: every page pays for it.
    record = (
        session.execute(
            select(SignInSession)
            .where(SignInSession.token_hash == token_digest(token))
            .options(joinedload(SignInSession.user).joinedload(User.role_grants))
        )
        .unique()
        .scalar_one_or_none()
    )
    if record is None or record.ended_at is not None:
        return None
    reason = expiry_reason(record.started_at, record.last_seen_at, now) or (
        None if record.user.is_active else DEACTIVATED
    )
    if reason:
        writing(session)  # a page that finds its session over ends it (guarded: once, however raced)
        end(session, record, now=now, reason=reason)
        return None
    if activity and due_a_touch(record.last_seen_at, now):
        writing(session)  # at most once a TOUCH_INTERVAL; any other page only reads
        record.last_seen_at = now
        session.flush()
    return record


def find(session: Session, *, token: str | None) -> SignInSession | None:
    """The row behind a token, live or ended."""
    if not token:
        return None
    return session.scalar(select(SignInSession).where(SignInSession.token_hash == token_digest(token)))


def extend(session: Session, *, record: SignInSession, now: datetime) -> datetime:
    """ "Stay signed in": the idle timeout starts again now (never past the 12-hour limit)."""
    record.last_seen_at = now
    session.flush()
    return session_ends_at(record)


def session_ends_at(record: SignInSession) -> datetime:
    return ends_at(record.started_at, record.last_seen_at)


def end(session: Session, record: SignInSession, *, now: datetime, reason: str) -> bool:
    """Mark the session ended and audit it, unless something else ended it first."""
    ended = session.execute(
        update(SignInSession)
        .where(SignInSession.id == record.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:
        session.refresh(record)
        return False
    # The UPDATE above wrote these; recorded on the object without a second write.
    set_committed_value(record, "ended_at", now)
    set_committed_value(record, "end_reason", reason)
    audit.record(session, actor=None, action=ENDED_ACTION, now=now, subject_user=record.user, reason=reason)
    return True


def end_timed_out(session: Session, *, now: datetime, limit: int | None = None) -> int:
    """Scheduler sweep: record the end of sessions whose browser never came back to notice it."""
    query = (
        select(SignInSession)
        .where(
            SignInSession.ended_at.is_(None),
            or_(
                SignInSession.last_seen_at <= now - IDLE_TIMEOUT,
                SignInSession.started_at <= now - ABSOLUTE_TIMEOUT,
            ),
        )
        .order_by(SignInSession.id)
        .limit(limit)
    )
    handled = 0
    for record in session.scalars(query).all():
        reason = expiry_reason(record.started_at, record.last_seen_at, now)
        if reason and end(session, record, now=now, reason=reason):
            handled += 1
    return handled
