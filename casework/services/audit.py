"""Writing, browsing and verifying the audit trail.

Events are written in the caller's transaction, so an action and its record commit together
or not at all. Detail holds identifiers and codes only: never special-category free text.
Case views are the exception: they are queued, and chained here by the next change
(consultation_queue.py), so that viewing a case never waits for the chain's head.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casework.domain.clock import LONDON
from casework.models import AuditEvent, Case, User
from casework.services import audit_head, consultation_queue
from casework.services.audit_integrity import HEAD_ID, Verification, verify  # noqa: F401 -- verify lives there

# Actions that read a record without changing it (DPA 2018 s.62 consultations and disclosures).
CONSULTATIONS = (
    "case.viewed",
    "case.offer_sheet_downloaded",
    "contract.pdf_downloaded",
    "case.calendar_downloaded",
    "letter.pdf_downloaded",
    "report.viewed",
    "report.downloaded",
    "panel_sample.viewed",
    "panel_sample.case_viewed",
    "evaluator_export.downloaded",
)


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    now: datetime,
    team_id: int | None = None,
    case_id: int | None = None,
    subject_user: User | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event to the chain; `action` is past tense, e.g. "user.deactivated"."""
    audit_head.check_detail(detail)
    if team_id is None:
        team_id = subject_user.team_id if subject_user else (actor.team_id if actor else None)
    head = audit_head.lock(session)
    # Holding the head anyway, a change chains the case views queued before it (consultation_queue.py).
    consultation_queue.seal_locked(session, head, limit=consultation_queue.WITH_A_CHANGE)
    return audit_head.append(
        session,
        head,
        occurred_at=now,
        actor_id=actor.id if actor else None,
        action=action,
        team_id=team_id,
        case_id=case_id,
        subject_user_id=subject_user.id if subject_user else None,
        detail=detail,
    )


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    case_id: int | None = None
    case_reference: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    per_page: int
    # The trail stores case ids (it outlives erased cases); people know cases by reference.
    case_references: dict[int, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def browse(
    session: Session, *, team_scope: int | None, filters: AuditFilter, page: int = 1, per_page: int = 50
) -> AuditPage:
    """Newest first by when it happened; `team_scope` None means every team (administrators).

    Time, not sequence, orders the list: work entered after the fact (a back-dated record) is
    chained when it is written but shown when it happened. The sequence breaks ties.
    """
    query = _filtered(select(AuditEvent), session, team_scope=team_scope, filters=filters)
    # select_from: with no filter the count would otherwise have no FROM and count one row.
    total = session.scalar(query.with_only_columns(func.count()).select_from(AuditEvent).order_by(None)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    events = list(
        session.scalars(
            query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.sequence.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    case_ids = {event.case_id for event in events if event.case_id is not None}
    references = (
        dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).tuples().all())
        if case_ids
        else {}
    )
    return AuditPage(events=events, total=total, page=page, per_page=per_page, case_references=references)


def _filtered(query: Select, session: Session, *, team_scope: int | None, filters: AuditFilter) -> Select:
    if team_scope is not None:
        query = query.where(AuditEvent.team_id == team_scope)
    if filters.username:
        actor_ids = select(User.id).where(func.lower(User.username) == filters.username.lower())
        query = query.where(AuditEvent.actor_id.in_(actor_ids))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.case_id is not None:
        query = query.where(AuditEvent.case_id == filters.case_id)
    if filters.case_reference:
        case_ids = select(Case.id).where(Case.reference == filters.case_reference.strip().upper())
        query = query.where(AuditEvent.case_id.in_(case_ids))
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=LONDON)
        query = query.where(AuditEvent.occurred_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=LONDON)
        query = query.where(AuditEvent.occurred_at < end)
    return query


def known_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def get_event(session: Session, *, sequence: int, team_scope: int | None) -> AuditEvent | None:
    event = session.get(AuditEvent, sequence)
    if event is None or (team_scope is not None and event.team_id != team_scope):
        return None
    return event


def case_history(session: Session, *, case_id: int) -> list[AuditEvent]:
    """Everything recorded about a case except consultations, oldest first: the raw timeline."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id, AuditEvent.action != "case.viewed")
            .order_by(AuditEvent.sequence)
        )
    )


def last_change(session: Session, *, case_id: int) -> tuple[str, datetime] | None:
    """Who last changed a case, and when (views are not changes): for "someone else changed this".
    What the service did as a consequence of a person's step, in the same moment (passing a terminated
    case on for its decision, owing the victim an update), is that person's change, not the system's."""
    changes = (
        select(User.full_name, AuditEvent.occurred_at)
        .select_from(AuditEvent)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == case_id, AuditEvent.action.notin_(CONSULTATIONS))
        .order_by(AuditEvent.sequence.desc())
        .limit(1)
    )
    row = session.execute(changes).first()
    if row is None:
        return None
    if row.full_name is None:
        by_a_person = session.execute(changes.where(AuditEvent.actor_id.is_not(None))).first()
        if by_a_person is not None and by_a_person.occurred_at == row.occurred_at:
            return (by_a_person.full_name, row.occurred_at)
    return (row.full_name or "the system", row.occurred_at)
