"""Signing in and out, and the server-side sessions behind the cookie (DESIGN.md §6)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casework.domain.errors import SignInRefused
from casework.domain.session_timeouts import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, TOUCH_INTERVAL  # noqa: F401
from casework.domain.throttling import blocked_until
from casework.models import SignInSession, SignInThrottle, User
from casework.services import audit, signed_in_sessions
from casework.services.accounts import token_digest
from casework.services.concurrency import flush_or_stale
from casework.services.passwords import hash_passphrase, needs_rehash, verify_passphrase

GENERIC_REFUSAL = "Enter a correct username and passphrase"


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str


def sign_in(session: Session, *, username: str, passphrase: str, now: datetime) -> SignedIn:
    """Check the passphrase under the per-username back-off; every attempt is audited."""
    typed = username.strip().lower()[:60]
    throttle = session.get(SignInThrottle, typed) or SignInThrottle(username=typed, failures=0)
    session.add(throttle)
    user = session.scalar(select(User).where(func.lower(User.username) == typed))
    team_id = user.team_id if user else None

    if throttle.last_failure_at is not None:
        reopens = blocked_until(throttle.failures, throttle.last_failure_at)
        if reopens is not None and now < reopens:
            audit.record(
                session,
                actor=None,
                action="sign_in.throttled",
                now=now,
                team_id=team_id,
                username=typed,
                subject_user=user,
            )
            wait = max(1, int((reopens - now).total_seconds() + 59) // 60)
            raise SignInRefused(f"Too many failed attempts. Wait {wait} minute{'s' if wait != 1 else ''} and try again")

    valid = verify_passphrase(user.password_hash if user else None, passphrase)
    if not (valid and user is not None and user.is_active):
        throttle.failures += 1
        throttle.last_failure_at = now
        reason = "inactive" if (valid and user is not None) else "bad_credentials"
        audit.record(
            session,
            actor=None,
            action="sign_in.failed",
            now=now,
            team_id=team_id,
            username=typed,
            reason=reason,
            failures=throttle.failures,
            subject_user=user,
        )
        raise SignInRefused(GENERIC_REFUSAL)

    throttle.failures, throttle.last_failure_at = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_passphrase(passphrase)
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=token_digest(token), user_id=user.id, started_at=now, last_seen_at=now))
    flush_or_stale(session)  # a rehashed passphrase changes the (versioned) user
    audit.record(session, actor=user, action="sign_in.succeeded", now=now)
    return SignedIn(user=user, token=token)


def resolve_session(session: Session, *, token: str | None, now: datetime) -> User | None:
    """The user behind a cookie's token, or None once it has ended, idled or expired."""
    record = signed_in_sessions.resolve(session, token=token, now=now)
    return record.user if record else None


def sign_out(session: Session, *, user: User, token: str, now: datetime) -> None:
    session.execute(
        update(SignInSession)
        .where(SignInSession.token_hash == token_digest(token), SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason="signed out")
    )
    audit.record(session, actor=user, action="sign_out.succeeded", now=now)
