from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import SignInRefused
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import accounts, authentication
from tests.conftest import NOW, TEST_PASSPHRASE, make_user


def _actions(session):
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))]


def test_success_is_audited_and_opens_a_server_side_session(session):
    user = make_user(session)
    signed = authentication.sign_in(
        session, username=f"  {user.username.upper()} ", passphrase=TEST_PASSPHRASE, now=NOW
    )
    assert signed.user.id == user.id
    assert authentication.resolve_session(session, token=signed.token, now=NOW) is user
    assert _actions(session)[-1] == "sign_in.succeeded"


def test_failures_do_not_say_whether_the_username_exists(session):
    user = make_user(session)
    with pytest.raises(SignInRefused) as wrong_passphrase:
        authentication.sign_in(session, username=user.username, passphrase="wrong passphrase!", now=NOW)
    with pytest.raises(SignInRefused) as unknown_user:
        authentication.sign_in(session, username="nobody.here", passphrase="wrong passphrase!", now=NOW)
    assert wrong_passphrase.value.message == unknown_user.value.message
    known, unknown = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()
    assert known.subject_user_id == user.id and "username_ref" not in known.detail
    # What was typed is kept only as a short keyed digest: the same name always gives the same one.
    assert unknown.subject_user_id is None and re.fullmatch(r"[0-9a-f]{12}", unknown.detail["username_ref"])
    assert "nobody" not in str(unknown.detail)


def test_back_off_after_five_failures_then_reopens(session):
    user = make_user(session)
    for attempt in range(5):
        with pytest.raises(SignInRefused, match="correct username"):
            authentication.sign_in(
                session, username=user.username, passphrase="wrong", now=NOW + timedelta(seconds=attempt)
            )
    last_failure = NOW + timedelta(seconds=4)
    # Even the right passphrase is refused during the back-off, without being checked.
    with pytest.raises(SignInRefused, match=r"Too many failed attempts\. Wait 1 minute"):
        authentication.sign_in(
            session, username=user.username, passphrase=TEST_PASSPHRASE, now=last_failure + timedelta(seconds=10)
        )
    assert _actions(session)[-1] == "sign_in.throttled"
    signed = authentication.sign_in(
        session, username=user.username, passphrase=TEST_PASSPHRASE, now=last_failure + timedelta(seconds=31)
    )
    assert signed.user.id == user.id
    # Success clears the count: the next single failure does not close sign-in again.
    later = last_failure + timedelta(minutes=5)
    with pytest.raises(SignInRefused, match="correct username"):
        authentication.sign_in(session, username=user.username, passphrase="wrong", now=later)
    assert authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=later)


def test_a_deactivated_account_cannot_sign_in(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team)
    accounts.deactivate_user(session, actor=admin, user=user, seen_version=user.version, now=NOW)
    with pytest.raises(SignInRefused):
        authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    assert (
        session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()[-1].detail["reason"]
        == "inactive"
    )


def test_sessions_end_after_30_idle_minutes(session):
    user = make_user(session)
    signed = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    assert authentication.resolve_session(session, token=signed.token, now=NOW + timedelta(minutes=29))
    assert authentication.resolve_session(session, token=signed.token, now=NOW + timedelta(minutes=58))
    assert authentication.resolve_session(session, token=signed.token, now=NOW + timedelta(minutes=89)) is None


def test_sessions_end_after_12_hours_however_busy(session):
    user = make_user(session)
    signed = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    moment = NOW
    while moment + timedelta(minutes=20) < NOW + timedelta(hours=12):
        moment += timedelta(minutes=20)
        assert authentication.resolve_session(session, token=signed.token, now=moment) is user
    assert authentication.resolve_session(session, token=signed.token, now=NOW + timedelta(hours=12)) is None


def test_sign_out_ends_only_that_session(session):
    user = make_user(session)
    laptop = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    desktop = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    authentication.sign_out(session, user=user, token=laptop.token, now=NOW)
    assert authentication.resolve_session(session, token=laptop.token, now=NOW) is None
    assert authentication.resolve_session(session, token=desktop.token, now=NOW) is user
