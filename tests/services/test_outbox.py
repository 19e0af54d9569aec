"""The sender: retries with back-off after a refused connection, gives up visibly, never sends one
message twice from two senders, and takes back a message a dead sender left half-sent."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.db import make_session_factory
from casework.domain.clock import FixedClock
from casework.domain.notifications import MAX_ATTEMPTS, RETRY_AFTER, SENDING_LEASE
from casework.models import OutboxMessage
from casework.services import messages, outbox
from casework.services.transports import DeliveryFailed, SmtpEmail
from tests.conftest import NOW
from tests.messaging import free_port, savepoint_sessions, smtp_server


def _queue(session, key="staff:1:test", recipient="navigator@example.police.uk") -> OutboxMessage:
    message = messages.queue(
        session,
        channel="email",
        recipient=recipient,
        subject="A check-in was missed",
        body="Sam Jones missed the check-in at 10:00.",
        language="en",
        purpose="staff_notification",
        dedupe_key=key,
        now=NOW,
    )
    session.flush()
    return message


def _smtp(port: int) -> dict:
    return {"email": SmtpEmail(host="127.0.0.1", port=port, sender="casework@example.police.uk", timeout=2)}


def test_the_same_cause_queues_one_message(session):
    assert _queue(session) is not None
    assert _queue(session) is None


def test_a_refused_connection_is_retried_with_back_off_until_the_server_answers(session, connection):
    message = _queue(session)
    port = free_port()  # nothing listens here yet
    clock = FixedClock(NOW)
    sessions = savepoint_sessions(connection)

    assert outbox.deliver_due(sessions, clock, _smtp(port)) == 0
    session.refresh(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "Could not reach the mail server" in message.last_error
    assert message.next_attempt_at == NOW + RETRY_AFTER[0]

    clock.advance(RETRY_AFTER[0] - timedelta(seconds=1))
    assert outbox.deliver_due(sessions, clock, _smtp(port)) == 0  # not due yet: nothing tried
    session.refresh(message)
    assert message.attempts == 1

    with smtp_server(port) as (inbox, _):
        clock.advance(timedelta(seconds=1))
        assert outbox.deliver_due(sessions, clock, _smtp(port)) == 1
    session.refresh(message)
    assert (message.status, message.attempts, message.sent_at) == ("sent", 2, clock.now())
    assert message.last_error is None and message.provider_reference
    [(recipients, email)] = inbox.received
    assert recipients == ["navigator@example.police.uk"] and email["Subject"] == "A check-in was missed"


def test_after_the_last_attempt_the_message_is_failed_and_says_why(session, connection):
    message = _queue(session)
    port, clock, sessions = free_port(), FixedClock(NOW), savepoint_sessions(connection)
    waits = []
    for _ in range(MAX_ATTEMPTS):
        outbox.deliver_due(sessions, clock, _smtp(port))
        session.refresh(message)
        if message.status == "pending":
            waits.append(message.next_attempt_at - clock.now())
            clock.set(message.next_attempt_at)
    assert waits == list(RETRY_AFTER)
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert message.last_error.endswith(f"(gave up after {MAX_ATTEMPTS} attempts)")
    clock.advance(timedelta(days=1))
    assert outbox.deliver_due(sessions, clock, _smtp(port)) == 0  # a failed message stays failed


def test_a_permanent_refusal_is_not_retried(session, connection):
    message = _queue(session)

    class Refuses:
        def send(self, _message):
            raise DeliveryFailed("The mail server said 550: no such mailbox", permanent=True)

    outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW), {"email": Refuses()})
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (
        "failed",
        1,
        "The mail server said 550: no such mailbox",
    )


def test_a_message_left_sending_by_a_dead_sender_is_taken_back_after_its_lease(session, connection):
    message = _queue(session)
    sessions, clock = savepoint_sessions(connection), FixedClock(NOW)

    class Dies:
        def send(self, _message):
            raise SystemExit("the sender's process was killed mid-send")

    with pytest.raises(SystemExit):
        outbox.deliver_due(sessions, clock, {"email": Dies()})
    session.refresh(message)
    assert (message.status, message.attempts) == ("sending", 1)  # the claim was committed first

    with smtp_server() as (inbox, port):
        clock.advance(SENDING_LEASE - timedelta(seconds=1))
        assert outbox.deliver_due(sessions, clock, _smtp(port)) == 0  # the lease still holds
        clock.advance(timedelta(seconds=1))
        assert outbox.deliver_due(sessions, clock, _smtp(port)) == 1
    session.refresh(message)
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(inbox.received) == 1


def test_nothing_is_sent_on_a_channel_with_no_transport(session, connection):
    message = _queue(session)
    outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW), {})
    session.refresh(message)
    assert message.status == "failed" and "nothing set up to send emails" in message.last_error


def test_two_senders_never_send_one_message_twice(migrated_database):
    """Two senders on their own connections, started together over the same 20 messages, each
    transport pausing inside send so both runs overlap: every message goes exactly once."""
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        for n in range(20):
            _queue(setup, key=f"staff:1:race-{n}", recipient=f"person{n}@example.org")
        setup.commit()
    sent: list[int] = []
    lock, start = threading.Lock(), threading.Barrier(2)

    class Slow:
        def send(self, message):
            with lock:
                sent.append(message.id)
            threading.Event().wait(0.01)
            return None

    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(outbox.deliver_due(sessions, FixedClock(NOW), {"email": Slow()}))
        except Exception as error:  # reported below, with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 20
    assert sum(results) == 20
    with sessions() as reader:
        assert set(reader.scalars(select(OutboxMessage.status))) == {"sent"}
        assert set(reader.scalars(select(OutboxMessage.attempts))) == {1}


def test_a_message_is_sent_only_once_what_queued_it_has_committed_and_never_if_it_rolled_back(migrated_database):
    sessions = make_session_factory(migrated_database.engine)
    sent: list[str] = []

    class Recording:
        def send(self, message):
            sent.append(message.recipient)
            return None

    transports = {"email": Recording()}
    with sessions() as change:
        _queue(change, key="staff:1:pending", recipient="pending@example.org")
        # The change has not committed: the sender, on its own connection, sees nothing to send. (On
        # SQLite the open change holds the write lock, so the sender cannot even start until it ends.)
        if migrated_database.kind == "postgresql":
            assert outbox.deliver_due(sessions, FixedClock(NOW), transports) == 0
        change.rollback()
    assert outbox.deliver_due(sessions, FixedClock(NOW), transports) == 0 and sent == []
    with sessions() as change:
        _queue(change, key="staff:1:committed", recipient="committed@example.org")
        change.commit()
    assert outbox.deliver_due(sessions, FixedClock(NOW), transports) == 1
    assert sent == ["committed@example.org"]
