"""Case views queued for the audit chain (DPA 2018 s.62 consultations).

Chaining an event means locking the chain's one head row, so if every case view chained its own
event, every case view in the force would wait for every other. Instead a view is one INSERT into
the queue, which takes no lock that another view holds. Sealing takes the head's lock and chains
the queued views, oldest first, as ordinary `case.viewed` events with the same time, person, case
and page, deleting each from the queue in the same transaction. It happens

- at the start of every `audit.record` (a change holds the head anyway),
- every minute in the scheduler (`seal_waiting`), and
- before anything reads consultations from the trail: the audit pages, `audit-verify`.

The database keeps queued views from being changed or removed before their copy is on the chain
(migration 0034), so a view is never lost between being queued and sealed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casework.models import AuditChainHead, PendingConsultation, User
from casework.services import audit_head

# How many queued views a change chains before its own event: enough to keep up with the views
# between two changes, few enough that a change never holds the head for long behind a backlog
# (about 2-4 ms each); the scheduler chains whatever is left within the minute.
WITH_A_CHANGE = 100
_QUEUED = (
    PendingConsultation.id,
    PendingConsultation.occurred_at,
    PendingConsultation.actor_id,
    PendingConsultation.action,
    PendingConsultation.team_id,
    PendingConsultation.case_id,
    PendingConsultation.detail,
)


def queue(
    session: Session, *, actor: User, action: str, now: datetime, team_id: int | None, case_id: int, **detail: Any
) -> None:
    """One consultation, queued for the chain: a single INSERT, with no lock another view holds."""
    audit_head.check_detail(detail)
    session.add(
        PendingConsultation(
            occurred_at=now, actor_id=actor.id, action=action, team_id=team_id, case_id=case_id, detail=detail
        )
    )
    session.flush()


def seal_locked(session: Session, head: AuditChainHead, *, limit: int | None = None) -> int:
    """Chain the oldest queued views (at most `limit`) onto `head`, which the caller has locked, and
    take them off the queue; how many. One SELECT when nothing is queued.

    The head's lock is taken first, so a second sealer waits and then sees these rows gone."""
    query = select(*_QUEUED).order_by(PendingConsultation.id)
    rows = session.execute(query.limit(limit) if limit else query).all()
    for row in rows:
        audit_head.append(
            session,
            head,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            action=row.action,
            team_id=row.team_id,
            case_id=row.case_id,
            subject_user_id=None,
            detail=row.detail,
            consultation_id=row.id,
        )
    if rows:
        # The database refuses this for any row whose copy is not on the chain (migration 0034).
        session.execute(delete(PendingConsultation).where(PendingConsultation.id.in_([row.id for row in rows])))
    return len(rows)


def seal(session: Session, *, limit: int | None = None) -> int:
    """Chain what is queued (at most `limit`), taking the head's lock only if anything is."""
    if not waiting(session):
        return 0
    return seal_locked(session, audit_head.lock(session), limit=limit)


def seal_waiting(session: Session, *, now: datetime, limit: int) -> int:
    """The scheduler's sweep: `fn(session, *, now, limit) -> handled`, in batches of `limit`."""
    return seal(session, limit=limit)


def waiting(session: Session) -> int:
    """How many views are queued and not yet on the chain."""
    return session.scalar(select(func.count()).select_from(PendingConsultation)) or 0
