"""Signing in and out, and the server-side sessions behind the cookie (DESIGN.md §6)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casework.domain.errors import SignInRefused
from casework.domain.session_timeouts import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, TOUCH_INTERVAL  # noqa: F401
from casework.models import SignInSession, User
from casework.services import audit, sign_in_throttle, signed_in_sessions
from casework.services.accounts import token_digest
from casework.services.passwords import hash_passphrase, needs_rehash, verify_passphrase
from casework.services.sign_in_throttle import NO_REQUEST, Origin

GENERIC_REFUSAL = "Enter a correct username and passphrase"


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str


def sign_in(
    session: Session, *, username: str, passphrase: str, now: datetime, origin: Origin = NO_REQUEST
) -> SignedIn:
    """Check the passphrase under the back-off (casework/domain/throttling.py).

    Every attempt costs one passphrase hash, refused or not, known username or not, so the time an
    answer takes says nothing about either. Failures are audited one by one; refusals while sign-in
    is closed are audited once, then counted and reported with the next attempt that is audited.
    What was typed as a username is audited only as a short keyed digest unless it names an account.
    """
    typed = username.strip().lower()[:60]
    # No username holds a NUL, and PostgreSQL refuses one in a query: such a name is simply unknown.
    user = None if "\x00" in typed else session.scalar(select(User).where(func.lower(User.username) == typed))
    attempt = sign_in_throttle.attempt_from(origin, username=typed, user=user)
    who = {"subject_user": user} if user is not None else {"username_ref": attempt.username_ref}

    closure = sign_in_throttle.closed_for(session, attempt, now=now)
    if closure is not None:
        verify_passphrase(None, passphrase)  # the cost of a real check, whose answer is not used
        if sign_in_throttle.count_refusal(session, attempt, closure):
            audit.record(
                session,
                actor=None,
                action="sign_in.throttled",
                now=now,
                closed_by=closure.scope.value,
                address_ref=attempt.address_ref,
                **who,
            )
        raise SignInRefused(closure.wait_message(now))

    valid = verify_passphrase(user.password_hash if user else None, passphrase)
    if not (valid and user is not None and user.is_active):
        failure = sign_in_throttle.count_failure(session, attempt, now=now)
        audit.record(
            session,
            actor=None,
            action="sign_in.failed",
            now=now,
            reason="inactive" if (valid and user is not None) else "bad_credentials",
            failures=failure.failures,
            address_ref=attempt.address_ref,
            **_refusals(failure.refused_while_closed),
            **who,
        )
        raise SignInRefused(GENERIC_REFUSAL)

    refused = sign_in_throttle.clear_after_success(session, attempt, now=now)
    if needs_rehash(user.password_hash):
        _rehash(session, user, passphrase)
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=token_digest(token), user_id=user.id, started_at=now, last_seen_at=now))
    session.flush()
    audit.record(
        session,
        actor=user,
        action="sign_in.succeeded",
        now=now,
        address_ref=attempt.address_ref,
        **_refusals(refused),
    )
    return SignedIn(user=user, token=token)


def _refusals(count: int) -> dict[str, int]:
    return {"refused_while_blocked": count} if count else {}


def _rehash(session: Session, user: User, passphrase: str) -> None:
    """Store the passphrase under today's hashing parameters. Not a versioned edit of the account:
    simultaneous sign-ins must not refuse each other, nor a sign-in stale an administrator's form."""
    session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=hash_passphrase(passphrase))
        .execution_options(synchronize_session=False)
    )
    session.expire(user, ["password_hash"])


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
