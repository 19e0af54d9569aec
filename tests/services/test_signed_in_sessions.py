"""The idle timeout slides with activity, is written at most once a minute, and every end is
recorded once, on the row and in the audit trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from casework.db import make_session_factory
from casework.models import AuditEvent, SignInSession
from casework.services import authentication, signed_in_sessions
from tests.conftest import NOW, TEST_PASSPHRASE, make_user
from tests.races import race


def _signed_in(session):
    user = make_user(session)
    signed = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    return user, signed.token


def _row(session, token) -> SignInSession:
    return signed_in_sessions.find(session, token=token)


def _ends(session):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.session_expired")).all()


def minutes(n: float):
    return NOW + timedelta(minutes=n)


def test_activity_at_minute_20_keeps_the_session_alive_at_minute_45(session):
    _user, token = _signed_in(session)
    assert signed_in_sessions.resolve(session, token=token, now=minutes(20))
    assert signed_in_sessions.resolve(session, token=token, now=minutes(45))
    # 30 minutes after the last activity (minute 45), not after sign-in, it ends.
    assert signed_in_sessions.resolve(session, token=token, now=minutes(74.9))
    assert signed_in_sessions.resolve(session, token=token, now=minutes(104.9)) is None


def test_with_no_activity_the_session_ends_at_minute_30_and_the_end_is_recorded_once(session):
    user, token = _signed_in(session)
    assert signed_in_sessions.resolve(session, token=token, now=minutes(29.9), activity=False)
    assert signed_in_sessions.resolve(session, token=token, now=minutes(30)) is None
    row = _row(session, token)
    assert (row.ended_at, row.end_reason) == (minutes(30), "idle timeout")
    assert signed_in_sessions.resolve(session, token=token, now=minutes(31)) is None
    assert signed_in_sessions.end_timed_out(session, now=minutes(40)) == 0
    [ended] = _ends(session)
    assert (ended.actor_id, ended.subject_user_id, ended.detail) == (None, user.id, {"reason": "idle timeout"})


def test_last_seen_is_written_at_most_once_a_minute(session):
    _user, token = _signed_in(session)
    writes = []

    def count(_conn, _cursor, statement, _params, _context, _many):
        if statement.startswith("UPDATE sign_in_sessions"):
            writes.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        for second in range(0, 120, 5):  # a request every 5 seconds for two minutes
            assert signed_in_sessions.resolve(session, token=token, now=NOW + timedelta(seconds=second))
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(writes) == 1  # at 60 seconds; the next would be due at 120
    assert _row(session, token).last_seen_at == NOW + timedelta(seconds=60)


def test_asking_how_long_is_left_does_not_count_as_activity(session):
    _user, token = _signed_in(session)
    for minute in range(1, 30):
        record = signed_in_sessions.resolve(session, token=token, now=minutes(minute), activity=False)
        assert signed_in_sessions.session_ends_at(record) == minutes(30)
    assert signed_in_sessions.resolve(session, token=token, now=minutes(30), activity=False) is None


def test_staying_signed_in_restarts_the_idle_timeout_but_not_the_12_hour_limit(session):
    _user, token = _signed_in(session)
    record = signed_in_sessions.resolve(session, token=token, now=minutes(28), activity=False)
    assert signed_in_sessions.extend(session, record=record, now=minutes(28)) == minutes(58)
    assert signed_in_sessions.resolve(session, token=token, now=minutes(57), activity=False)
    late = NOW + timedelta(hours=11, minutes=50)
    record.last_seen_at = late - timedelta(minutes=1)
    assert signed_in_sessions.extend(session, record=record, now=late) == NOW + timedelta(hours=12)
    assert signed_in_sessions.resolve(session, token=token, now=NOW + timedelta(hours=12)) is None
    assert _row(session, token).end_reason == "absolute timeout"


def test_a_session_left_open_for_a_deactivated_account_is_ended_and_recorded(session):
    """Deactivating an account ends its sessions (services/accounts.py); this is the guard behind that."""
    user, token = _signed_in(session)
    user.is_active, user.deactivated_at = False, NOW
    session.flush()
    assert signed_in_sessions.resolve(session, token=token, now=minutes(1)) is None
    assert _row(session, token).end_reason == "deactivated"
    assert [e.detail["reason"] for e in _ends(session)] == ["deactivated"]


def test_the_sweep_records_sessions_whose_browser_never_came_back(session):
    _user, idle = _signed_in(session)
    _other, busy = _signed_in(session)
    assert signed_in_sessions.resolve(session, token=busy, now=minutes(20))
    assert signed_in_sessions.end_timed_out(session, now=minutes(35)) == 1
    assert (_row(session, idle).ended_at, _row(session, idle).end_reason) == (minutes(35), "idle timeout")
    assert _row(session, busy).ended_at is None
    assert signed_in_sessions.end_timed_out(session, now=minutes(36)) == 0
    assert len(_ends(session)) == 1


def test_requests_arriving_together_after_the_end_record_it_once(migrated_database):
    """Four requests with the same expired cookie, each on its own connection and committing: one
    ends the row and audits it; the others find it already ended."""
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        user = make_user(setup)
        token = authentication.sign_in(setup, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW).token
        setup.commit()

    def request() -> None:
        with sessions() as own:
            assert signed_in_sessions.resolve(own, token=token, now=minutes(31)) is None
            own.commit()

    race(*[request] * 4)  # an error in any of them is raised here
    with sessions() as check:
        assert len(_ends(check)) == 1
        assert _row(check, token).ended_at == minutes(31)
