"""The sender: delivers queued messages after the transaction that queued them has committed.

Each run claims due rows with a guarded UPDATE (pending -> sending, counting the attempt) and
commits, so two senders never both hold one row; sends outside any transaction, so a slow mail
server never holds a database lock; then records the result in a new transaction. A failure is
tried again after a growing wait (domain.notifications.RETRY_AFTER) until the attempts are used up.
A row left in `sending` by a sender that died is taken back once its lease runs out: the message
may then go twice, which is better than never for a reminder, and is the only way it can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.domain.clock import Clock
from casework.domain.notifications import MAX_ATTEMPTS, SENDING_LEASE, retry_after
from casework.models import OutboxMessage
from casework.services import reminders
from casework.services.transports import DeliveryFailed, Outgoing, Transport
from casework.services.unit_of_work import unit_of_work

DELIVERABLE = ("pending", "sending")
CHANNEL_NAMES = {"email": "email", "sms": "text message"}


@dataclass(frozen=True)
class Claimed:
    outgoing: Outgoing
    attempts: int  # including this one


def deliver_due(
    sessions: Callable[[], Session], clock: Clock, transports: Mapping[str, Transport], *, batch: int = 100
) -> int:
    """Send what is due now; returns how many were sent."""
    sent = 0
    for claimed in _claim(sessions, clock, batch):
        reference, failure = None, None
        transport = transports.get(claimed.outgoing.channel)
        try:
            if transport is None:
                name = CHANNEL_NAMES[claimed.outgoing.channel]
                raise DeliveryFailed(f"This service has nothing set up to send {name}s", permanent=True)
            reference = transport.send(claimed.outgoing)
        except DeliveryFailed as problem:
            failure = problem
        except Exception as error:  # a transport's bug must still leave the row retried, not stuck
            failure = DeliveryFailed(f"Unexpected error while sending: {error!r}")
        _record(sessions, clock, claimed, reference, failure)
        sent += failure is None
    return sent


def _claim(sessions: Callable[[], Session], clock: Clock, batch: int) -> list[Claimed]:
    claimed = []
    with unit_of_work(sessions, clock=clock) as work:
        session, now = work.session, work.now
        due = session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_(DELIVERABLE), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch)
        ).scalars()
        for message in list(due):
            # Guarded by the attempt count seen: whoever updates first wins, the other matches nothing.
            guard = (
                OutboxMessage.id == message.id,
                OutboxMessage.attempts == message.attempts,
                OutboxMessage.status.in_(DELIVERABLE),
                OutboxMessage.next_attempt_at <= now,
            )
            if message.expires_at is not None and message.expires_at <= now:
                _give_up(session, guard, message, "Not sent: it was too late to be any use", now)
            elif reason := reminders.withdrawn(session, message=message, now=now):
                _update(session, guard, status="failed", last_error=reason)
            elif message.attempts >= MAX_ATTEMPTS:
                _give_up(session, guard, message, _stopped(message), now)
            elif _update(
                session, guard, status="sending", attempts=message.attempts + 1, next_attempt_at=now + SENDING_LEASE
            ):
                outgoing = Outgoing(
                    id=message.id,
                    channel=message.channel,
                    recipient=message.recipient,
                    subject=message.subject,
                    body=message.body,
                    language=message.language,
                )
                claimed.append(Claimed(outgoing, message.attempts + 1))
    return claimed


def _record(
    sessions: Callable[[], Session],
    clock: Clock,
    claimed: Claimed,
    reference: str | None,
    failure: DeliveryFailed | None,
) -> None:
    with unit_of_work(sessions, clock=clock) as work:
        session, now = work.session, work.now
        # Still ours only if nobody took it back after our lease ran out.
        guard = (
            OutboxMessage.id == claimed.outgoing.id,
            OutboxMessage.status == "sending",
            OutboxMessage.attempts == claimed.attempts,
        )
        if failure is None:
            if _update(session, guard, status="sent", sent_at=now, provider_reference=reference, last_error=None):
                reminders.settled(session, message=session.get(OutboxMessage, claimed.outgoing.id), now=now)
            return
        wait = None if failure.permanent else retry_after(claimed.attempts)
        reason = failure.reason[:480]
        if wait is None:
            message = session.get(OutboxMessage, claimed.outgoing.id)
            _give_up(session, guard, message, _final(reason, claimed.attempts, failure.permanent), now)
        else:
            _update(session, guard, status="pending", next_attempt_at=now + wait, last_error=reason)


def _give_up(session: Session, guard, message: OutboxMessage, reason: str, now: datetime) -> None:
    if _update(session, guard, status="failed", last_error=reason[:500]):
        session.refresh(message)
        reminders.settled(session, message=message, now=now)


def _update(session: Session, guard, **values) -> bool:
    result = session.execute(
        update(OutboxMessage).where(*guard).values(**values).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _final(reason: str, attempts: int, permanent: bool) -> str:
    if permanent:
        return reason
    return f"{reason} (gave up after {attempts} attempt{'s' if attempts != 1 else ''})"


def _stopped(message: OutboxMessage) -> str:
    last = f" Last error: {message.last_error}" if message.last_error else ""
    return f"The sender stopped while sending, and all {message.attempts} attempts are used.{last}"
