"""The sign-in back-off against guessers, and what it costs the person being guessed at.

An attacker from one address is slowed while the account's owner signs in at once from their usual
place, and from a new place waits at most the capped back-off. Refusals cost a passphrase hash and
are audited once per closed period. Counters stay few and go after a day.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.errors import SignInRefused
from casework.domain.throttling import MAX_DELAY
from casework.models import AuditEvent, SignInThrottle
from casework.services import authentication, passwords, sign_in_throttle
from casework.services.sign_in_throttle import Origin
from tests.conftest import NOW, TEST_PASSPHRASE, make_user

SECRET = "test-secret"
OFFICE = Origin(address="198.51.100.7", secret=SECRET)
HOTEL = Origin(address="203.0.113.40", secret=SECRET)
ATTACKER = Origin(address="192.0.2.66", secret=SECRET)
WRONG = "not the passphrase"


def _try(session, username, passphrase, *, at, origin):
    """Sign in; the refusal's message, or None on success."""
    try:
        authentication.sign_in(session, username=username, passphrase=passphrase, now=at, origin=origin)
    except SignInRefused as refused:
        return refused.message
    return None


def _events(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.sequence)).all()


def _counters(session) -> int:
    return session.scalar(select(func.count()).select_from(SignInThrottle))


def test_an_attacker_is_slowed_while_the_owner_signs_in_at_once_from_their_usual_place(session):
    owner = make_user(session)
    assert _try(session, owner.username, TEST_PASSPHRASE, at=NOW, origin=OFFICE) is None  # the office is usual

    moment = NOW + timedelta(hours=1)
    for _ in range(5):
        assert _try(session, owner.username, WRONG, at=moment, origin=ATTACKER).startswith("Enter a correct")
    # The right passphrase would not help the attacker now: sign-in is closed to them.
    assert _try(session, owner.username, TEST_PASSPHRASE, at=moment, origin=ATTACKER).startswith(
        "Too many failed attempts. Wait 1 minute"
    )
    # The owner, at their desk at the same moment, is not held up by someone guessing elsewhere.
    assert _try(session, owner.username, TEST_PASSPHRASE, at=moment, origin=OFFICE) is None


def test_from_a_new_place_the_owner_waits_at_most_the_capped_back_off(session):
    owner = make_user(session)
    assert _try(session, owner.username, TEST_PASSPHRASE, at=NOW, origin=OFFICE) is None
    moment = NOW + timedelta(hours=1)
    for _ in range(20):  # an attacker who tries whenever sign-in reopens, for five hours
        assert _try(session, owner.username, WRONG, at=moment, origin=ATTACKER).startswith("Enter a correct")
        moment += MAX_DELAY
    moment -= MAX_DELAY
    assert "Wait 15 minutes" in _try(session, owner.username, TEST_PASSPHRASE, at=moment, origin=HOTEL)
    assert _try(session, owner.username, TEST_PASSPHRASE, at=moment + MAX_DELAY, origin=HOTEL) is None


def test_an_address_trying_many_usernames_is_slowed_but_not_the_owners_at_their_usual_place(session):
    owner = make_user(session)
    assert _try(session, owner.username, TEST_PASSPHRASE, at=NOW, origin=OFFICE) is None
    # Someone in the same building tries twenty names, one attempt each.
    for attempt in range(20):
        assert _try(session, f"guess.{attempt}", WRONG, at=NOW, origin=OFFICE).startswith("Enter a correct")
    assert _try(session, "guess.20", WRONG, at=NOW, origin=OFFICE).startswith("Too many failed attempts")
    assert _try(session, owner.username, TEST_PASSPHRASE, at=NOW, origin=OFFICE) is None
    # Someone who never signed in from there waits with the guesser, for at most 15 minutes.
    newcomer = make_user(session)
    assert _try(session, newcomer.username, TEST_PASSPHRASE, at=NOW, origin=OFFICE).startswith("Too many")
    assert _try(session, newcomer.username, TEST_PASSPHRASE, at=NOW + MAX_DELAY, origin=OFFICE) is None


def test_refusals_while_closed_are_audited_once_and_counted_on_the_next_audited_attempt(session):
    owner = make_user(session)
    for _ in range(5):
        _try(session, owner.username, WRONG, at=NOW, origin=ATTACKER)
    for second in range(10):
        assert _try(session, owner.username, WRONG, at=NOW + timedelta(seconds=second), origin=ATTACKER).startswith(
            "Too many"
        )
    (throttled,) = _events(session, "sign_in.throttled")
    assert throttled.subject_user_id == owner.id and throttled.detail["closed_by"] == "account"

    assert _try(session, owner.username, TEST_PASSPHRASE, at=NOW + timedelta(seconds=31), origin=HOTEL) is None
    assert _events(session, "sign_in.succeeded")[-1].detail["refused_while_blocked"] == 10
    assert len(_events(session, "sign_in.throttled")) == 1


def test_a_refused_attempt_takes_as_long_as_a_checked_one(session, cheap_argon2, monkeypatch):
    """No shortcut when sign-in is closed: a guesser cannot try faster, nor tell from the time taken
    whether sign-in is closed or the username exists."""
    monkeypatch.setattr(passwords, "_hasher", cheap_argon2)  # the production cost, about 0.1 s
    owner = make_user(session)

    def timed(username):
        started = time.perf_counter()
        refusal = _try(session, username, WRONG, at=NOW, origin=ATTACKER)
        return time.perf_counter() - started, refusal

    checked = [timed(owner.username) for _ in range(5)]
    refused = [timed(owner.username) for _ in range(3)]
    unknown = [timed(f"nobody.{attempt}") for attempt in range(3)]
    assert all(refusal.startswith("Enter a correct") for _, refusal in checked)
    assert all(refusal.startswith("Too many") for _, refusal in refused)
    assert all(refusal.startswith("Enter a correct") for _, refusal in unknown)
    # The quickest of each: other work on the machine can slow an attempt, never speed one up.
    usual = min(duration for duration, _ in checked)
    assert min(duration for duration, _ in refused) > usual / 2
    assert min(duration for duration, _ in unknown) > usual / 2


def test_a_thousand_random_usernames_from_one_address_leave_few_counters_and_none_a_day_later(session):
    for attempt in range(1000):
        _try(session, uuid.uuid4().hex[:20], WRONG, at=NOW + timedelta(seconds=attempt), origin=ATTACKER)
    # The address closed after twenty failures, so few usernames were ever tried, let alone counted.
    assert _counters(session) <= 40
    assert len(_events(session, "sign_in.failed")) <= 40
    assert len(_events(session, "sign_in.throttled")) <= 20

    # A day later any failure clears them away, and a counter idle for a day starts again.
    later = NOW + timedelta(seconds=1000) + timedelta(hours=24)
    assert _try(session, "someone.else", WRONG, at=later, origin=HOTEL).startswith("Enter a correct")
    assert _counters(session) == 2  # that username's and that address's
    assert _try(session, "next.guess", WRONG, at=later, origin=ATTACKER).startswith("Enter a correct")


def test_counters_past_the_limit_are_forgotten_oldest_first(session):
    for attempt in range(60):
        origin = Origin(address=f"192.0.2.{attempt}", secret=SECRET)
        _try(session, f"guess.{attempt}", WRONG, at=NOW + timedelta(seconds=attempt), origin=origin)
    assert _counters(session) == 120
    forgotten = sign_in_throttle.forget_old_counters(session, now=NOW + timedelta(minutes=1), limit=100)
    assert forgotten == 20 and _counters(session) == 100
    oldest = session.scalar(select(func.min(SignInThrottle.last_failure_at)))
    assert oldest == NOW + timedelta(seconds=10)


@pytest.mark.parametrize("passphrase_typed_as_username", ["Tangerine Harbour Bicycle", "tangerine harbour bicycle"])
def test_a_passphrase_typed_as_a_username_is_stored_nowhere(session, passphrase_typed_as_username):
    owner = make_user(session)
    _try(session, passphrase_typed_as_username, owner.username, at=NOW, origin=OFFICE)
    (failed,) = _events(session, "sign_in.failed")
    assert failed.subject_user_id is None
    assert failed.detail["username_ref"] == sign_in_throttle.username_reference(SECRET, passphrase_typed_as_username)
    stored = " ".join(
        str(row) for table in (AuditEvent, SignInThrottle) for row in session.execute(select(table.__table__)).all()
    ).lower()
    assert "tangerine" not in stored and "harbour" not in stored
    assert OFFICE.address not in stored  # nor the address it came from


def test_a_username_with_a_nul_byte_is_an_unknown_username(session):
    assert _try(session, "admin\x00", WRONG, at=NOW, origin=ATTACKER).startswith("Enter a correct")
    assert "\x00" not in str(_events(session, "sign_in.failed")[-1].detail)
