"""Simultaneous sign-in attempts, each on its own connection with real commits, on both databases.

Every failure counts however many arrive at once, and simultaneous first sign-ins to one account
all succeed: the counters are created and counted in single statements, not read, changed in
Python and written back. On PostgreSQL every racing attempt is held until all have read (or are
about to create) the counters, so the interleaving that loses updates is certain, not lucky.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.db import make_session_factory
from casework.domain.errors import SignInRefused
from casework.migrate import upgrade
from casework.models import AuditEvent, SignInSession, SignInThrottle
from casework.services import authentication
from tests.conftest import NOW, TEST_PASSPHRASE, ThrowawayDatabase, make_user
from tests.races import all_read_before_any_write, all_ready_before_any_write, race

WRONG = "not the passphrase"


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    database = ThrowawayDatabase(tmp_path_factory.mktemp("sign-in-races"))
    upgrade(database.engine)
    yield make_session_factory(database.engine)
    database.drop()


def _new_user(sessions) -> str:
    with sessions() as setup:
        user = make_user(setup)
        setup.commit()
        return user.username


def _attempt(sessions, username: str, passphrase: str, at=NOW):
    """One attempt in its own transaction: the refusal's message, or the new session's token."""

    def send():
        with sessions() as session:
            try:
                signed = authentication.sign_in(session, username=username, passphrase=passphrase, now=at)
            except SignInRefused as refused:
                session.commit()  # as the sign-in page does: the failure is the point
                return refused.message
            session.commit()
            return signed.token

    return send


def test_four_simultaneous_failures_after_one_make_five(sessions):
    username = _new_user(sessions)
    assert _attempt(sessions, username, WRONG)().startswith("Enter a correct")
    with all_read_before_any_write(SignInThrottle, 4) as gave_up:
        answers = race(*[_attempt(sessions, username, WRONG) for _ in range(4)])
    assert not gave_up
    assert all(answer.startswith("Enter a correct") for answer in answers)
    with sessions() as session:
        counted = sorted(
            event.detail["failures"]
            for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed"))
            if event.subject_user and event.subject_user.username == username
        )
    assert counted == [1, 2, 3, 4, 5]
    # Five failures close sign-in: even the right passphrase now waits.
    assert _attempt(sessions, username, TEST_PASSPHRASE, at=NOW + timedelta(seconds=1))().startswith("Too many")


def test_four_simultaneous_first_sign_ins_all_succeed(sessions):
    username = _new_user(sessions)
    with all_ready_before_any_write(SignInThrottle, 4) as gave_up:
        tokens = race(*[_attempt(sessions, username, TEST_PASSPHRASE) for _ in range(4)])
    assert not gave_up
    with sessions() as session:
        opened = set(session.scalars(select(SignInSession.token_hash).join(SignInSession.user)))
        for token in tokens:
            assert authentication.resolve_session(session, token=token, now=NOW).username == username
    assert len(set(tokens)) == 4 and len(opened) >= 4


def test_simultaneous_failures_and_successes_for_one_account_all_get_an_answer(sessions):
    """Counting a failure and clearing the counters after a success touch the same rows: neither
    deadlocks against the other, and each attempt gets its ordinary answer."""
    username = _new_user(sessions)
    answers = race(
        *[_attempt(sessions, username, WRONG) for _ in range(3)],
        *[_attempt(sessions, username, TEST_PASSPHRASE) for _ in range(3)],
    )
    assert all(answer.startswith("Enter a correct") for answer in answers[:3])
    assert all(not answer.startswith(("Enter", "Too many")) for answer in answers[3:])
