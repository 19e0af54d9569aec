"""Queueing a message: an outbox row written in the caller's transaction, so the message exists
exactly when the change that causes it is committed, and is delivered afterwards by services.outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.config import Messaging
from casework.models import OutboxMessage


def enabled_channels(channels: frozenset[str] | None) -> frozenset[str]:
    """The channels something can send on; None reads the service's settings (the scheduler's case)."""
    return Messaging.from_env().channels if channels is None else channels


def queue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    purpose: str,
    dedupe_key: str,
    now: datetime,
    case_id: int | None = None,
    check_in_id: int | None = None,
    user_id: int | None = None,
    expires_at: datetime | None = None,
) -> OutboxMessage | None:
    """The new row, or None when a message with this key was queued already (by a rerun or a
    second scheduler): the savepoint keeps the caller's transaction usable on both databases."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None:
        return None
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        language=language,
        purpose=purpose,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        expires_at=expires_at,
        created_at=now,
        case_id=case_id,
        check_in_id=check_in_id,
        user_id=user_id,
        dedupe_key=dedupe_key,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    return message
