"""The audit chain's head: locking it, and appending one event onto it.

Both `audit.record` (a change) and `consultation_queue` (sealing queued views) append through here,
so every event on the chain is hashed and linked the same way.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.audit_chain import ChainedContent, chain_hash
from casework.models import AuditChainHead, AuditEvent
from casework.services import audit_keys
from casework.services.audit_integrity import HEAD_ID

MAX_DETAIL_TEXT = 200


def lock(session: Session) -> AuditChainHead:
    # FOR UPDATE serialises writers on PostgreSQL; SQLite ignores it, but there every
    # transaction already holds the write lock from BEGIN IMMEDIATE.
    head = session.scalars(select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update()).one_or_none()
    if head is None:  # the migrations make it and the database refuses its deletion
        raise RuntimeError("the audit chain's head record is missing: run audit-verify")
    return head


def append(
    session: Session,
    head: AuditChainHead,
    *,
    occurred_at: datetime,
    actor_id: int | None,
    action: str,
    team_id: int | None,
    case_id: int | None,
    subject_user_id: int | None,
    detail: dict[str, Any],
    consultation_id: int | None = None,
) -> AuditEvent:
    """The next event after `head`, which the caller has locked; moves the head onto it."""
    content = ChainedContent(
        sequence=head.last_sequence + 1,
        occurred_at=occurred_at,
        actor_id=actor_id,
        action=action,
        team_id=team_id,
        case_id=case_id,
        subject_user_id=subject_user_id,
        detail=detail,
    )
    key = audit_keys.installed().current
    digest = chain_hash(content, head.last_hash, key)
    event = AuditEvent(
        **asdict(content),
        key_id=key.key_id,
        previous_hash=head.last_hash,
        hash=digest,
        consultation_id=consultation_id,
    )
    # The event goes in first: the database lets the head move only onto an event that is there.
    session.add(event)
    session.flush()
    head.last_sequence, head.last_hash = content.sequence, digest
    session.flush()
    return event


def check_detail(detail: dict[str, Any]) -> None:
    """Detail holds identifiers and codes only: never special-category free text."""
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if not (item is None or isinstance(item, bool | int | str)):
                raise TypeError(f"audit detail {key!r} must be a plain value, not {type(item)}")
            if isinstance(item, str) and len(item) > MAX_DETAIL_TEXT:
                raise ValueError(f"audit detail {key!r} is too long to be an identifier or code")
