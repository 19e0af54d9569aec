"""The failure counters behind the sign-in back-off (casework/domain/throttling.py), kept bounded.

Counting is one INSERT ... ON CONFLICT DO UPDATE per counter, so simultaneous attempts neither
lose a failure nor collide creating the same row. Every statement touches counters in one order
(account, account from address, address), and the clean-up skips rows another attempt holds, so
two attempts never wait on each other in a circle.

Counters are keyed by digests under a key derived from the app's secret key: nothing here, nor in
the audit trail, holds what was typed as a username or the client's address.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, exists, func, select, update
from sqlalchemy.orm import Session

from casework.db import dialect_insert
from casework.domain.throttling import FORGET_AFTER, USUAL_PLACE_FOR, Closed, Count, Scope, client_place, closed
from casework.models import SignInThrottle, User, UsualSignInPlace

# The table never holds more counters than this: past it the oldest are forgotten first.
MAX_COUNTERS = 10_000
# How many old counters one failed attempt deletes: enough to keep up, few enough to stay quick.
CLEAN_UP_BATCH = 200
REFERENCE_LENGTH = 12  # hex characters of a digest shown in the audit trail


@dataclass(frozen=True)
class Origin:
    """Where an attempt comes from (the client's address as the web server saw it) and the secret
    its digests are keyed with. Outside a web request (tests, the command line) there is neither."""

    address: str | None = None
    secret: str | bytes = b""


NO_REQUEST = Origin()


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the counters know it: digests only."""

    user_id: int | None
    counters: dict[Scope, str]  # counter key by scope, in the order they are always touched
    place_key: str
    username_ref: str  # a short digest of what was typed, for the audit trail
    address_ref: str


def _digester(secret: str | bytes):
    # A key of its own, derived from the secret: these digests cannot be confused with its other uses.
    key = hmac.new(secret.encode() if isinstance(secret, str) else secret, b"casework sign-in", hashlib.sha256)

    def digest(*parts: str) -> str:
        return hmac.new(key.digest(), "\x00".join(parts).encode(), hashlib.sha256).hexdigest()

    return digest


def username_reference(secret: str | bytes, username: str) -> str:
    """What the audit trail keeps of a username that names no account: a short keyed digest, the
    same for the same name, so repeated attempts show, but what was typed cannot be read back."""
    return _digester(secret)("audit username", username.strip().lower()[:60])[:REFERENCE_LENGTH]


def attempt_from(origin: Origin, *, username: str, user: User | None) -> Attempt:
    digest = _digester(origin.secret)

    place = client_place(origin.address)
    counters = {Scope.ACCOUNT: digest(Scope.ACCOUNT, username)}
    if user is not None:  # only a real account has usual places for this counter to protect
        counters[Scope.ACCOUNT_FROM_ADDRESS] = digest(Scope.ACCOUNT_FROM_ADDRESS, username, place)
    counters[Scope.ADDRESS] = digest(Scope.ADDRESS, place)
    return Attempt(
        user_id=user.id if user is not None else None,
        counters=counters,
        place_key=digest("place", place),
        username_ref=username_reference(origin.secret, username),
        address_ref=digest("audit address", place)[:REFERENCE_LENGTH],
    )


def closed_for(session: Session, attempt: Attempt, *, now: datetime) -> Closed | None:
    """Whether sign-in is closed to this attempt, by which counter and until when."""
    rows = session.execute(
        select(SignInThrottle.scope, SignInThrottle.failures, SignInThrottle.last_failure_at).where(
            SignInThrottle.key.in_(list(attempt.counters.values()))
        )
    ).all()
    counts = [Count(Scope(row.scope), row.failures, row.last_failure_at) for row in rows]
    return closed(counts, usual_place=_at_usual_place(session, attempt, now=now), now=now)


def _at_usual_place(session: Session, attempt: Attempt, *, now: datetime) -> bool:
    if attempt.user_id is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    UsualSignInPlace.user_id == attempt.user_id,
                    UsualSignInPlace.place_key == attempt.place_key,
                    UsualSignInPlace.last_signed_in_at > now - USUAL_PLACE_FOR,
                )
            )
        )
    )


def count_refusal(session: Session, attempt: Attempt, closure: Closed) -> bool:
    """Count an attempt refused while closed, on the counter that closed it. True for the first
    refusal since the counter was last reported: only that one is worth its own audit event."""
    table = SignInThrottle.__table__
    refused = session.scalar(
        update(table)
        .where(table.c.key == attempt.counters[closure.scope])
        .values(refused=table.c.refused + 1)
        .returning(table.c.refused)
    )
    return refused == 1


@dataclass(frozen=True)
class Failure:
    failures: int  # consecutive failures for the username, this one included
    refused_while_closed: int  # refusals counted since the last report, now reported


def count_failure(session: Session, attempt: Attempt, *, now: datetime) -> Failure:
    """Add one failure to each of the attempt's counters, atomically, and clean up old counters."""
    insert = dialect_insert(session)
    table = SignInThrottle.__table__
    # A counter idle for a day starts again, whether or not it has been deleted yet.
    stale = table.c.last_failure_at < now - FORGET_AFTER
    failures: dict[Scope, int] = {}
    unreported: dict[str, int] = {}
    for scope, key in attempt.counters.items():
        statement = insert(table).values(key=key, scope=scope.value, failures=1, last_failure_at=now, refused=0)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "refused": case((stale, 0), else_=table.c.refused),
                "last_failure_at": now,
            },
        ).returning(table.c.failures, table.c.refused)
        row = session.execute(statement).one()
        failures[scope] = row.failures
        if row.refused:
            unreported[key] = row.refused
    for key, reported in unreported.items():
        # Subtract what is reported rather than zero it: a refusal counted meanwhile is kept.
        session.execute(update(table).where(table.c.key == key).values(refused=table.c.refused - reported))
    forget_old_counters(session, now=now, keep=list(attempt.counters.values()))
    return Failure(failures=failures[Scope.ACCOUNT], refused_while_closed=sum(unreported.values()))


def clear_after_success(session: Session, attempt: Attempt, *, now: datetime) -> int:
    """Start the username's counters again and remember this place as usual for the account.
    Returns the refusals those counters had not yet reported. The address's own counter stays:
    one good passphrase must not buy a guesser at that address a fresh allowance."""
    table = SignInThrottle.__table__
    refused = 0
    for scope in (Scope.ACCOUNT, Scope.ACCOUNT_FROM_ADDRESS):
        if scope in attempt.counters:
            deleted = session.execute(
                delete(table).where(table.c.key == attempt.counters[scope]).returning(table.c.refused)
            ).all()
            refused += sum(row.refused for row in deleted)
    places = UsualSignInPlace.__table__
    remember = dialect_insert(session)(places).values(
        user_id=attempt.user_id, place_key=attempt.place_key, last_signed_in_at=now
    )
    session.execute(
        remember.on_conflict_do_update(
            index_elements=[places.c.user_id, places.c.place_key], set_={"last_signed_in_at": now}
        )
    )
    session.execute(
        delete(places).where(places.c.user_id == attempt.user_id, places.c.last_signed_in_at <= now - USUAL_PLACE_FOR)
    )
    return refused


def forget_old_counters(
    session: Session, *, now: datetime, limit: int = MAX_COUNTERS, keep: list[str] | None = None
) -> int:
    """Delete counters idle for a day, then the oldest past `limit` other than those in `keep` (the
    ones this attempt has just counted on); at most a batch of each.

    Rows another attempt holds are skipped (SKIP LOCKED on PostgreSQL; SQLite runs one writer at a
    time), so the clean-up never waits. Returns how many were deleted."""
    table = SignInThrottle.__table__
    idle = (
        select(table.c.key)
        .where(table.c.last_failure_at < now - FORGET_AFTER)
        .order_by(table.c.last_failure_at)
        .limit(CLEAN_UP_BATCH)
        .with_for_update(skip_locked=True)
    )
    forgotten = session.execute(delete(table).where(table.c.key.in_(idle))).rowcount or 0
    excess = (session.scalar(select(func.count()).select_from(table)) or 0) - limit
    if excess > 0:
        oldest = (
            select(table.c.key)
            .where(table.c.key.notin_(keep or []))
            .order_by(table.c.last_failure_at)
            .limit(min(excess, CLEAN_UP_BATCH))
            .with_for_update(skip_locked=True)
        )
        forgotten += session.execute(delete(table).where(table.c.key.in_(oldest))).rowcount or 0
    return forgotten
