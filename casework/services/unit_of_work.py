"""Work outside a web request (CLI commands, scheduler jobs): one session, one commit, rollback on
any error, and an explicit actor for the audit trail.

In a request the actor is the signed-in user. Out here it is either a named, active account (an
operator running a command on someone's behalf) or the system itself, recorded as no actor, which
the timeline shows as "the system". Nobody can act through a deactivated account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.clock import Clock
from casework.domain.errors import NotPermitted
from casework.models import User


@dataclass(frozen=True)
class Work:
    session: Session
    actor: User | None  # None: the system
    now: datetime


@contextmanager
def unit_of_work(sessions: Callable[[], Session], *, clock: Clock, acting_as: str | None = None) -> Iterator[Work]:
    """Commit once when the block ends; roll everything back if it raises."""
    session = sessions()
    try:
        actor = _actor(session, acting_as) if acting_as else None
        yield Work(session=session, actor=actor, now=clock.now())
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _actor(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.is_active:
        raise NotPermitted(f"There is no active account called {username!r} to act as.")
    return user
