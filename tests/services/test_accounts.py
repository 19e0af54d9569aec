from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.roles import Role
from casework.models import AuditEvent, SignInSession
from casework.services import accounts, authentication
from casework.services.accounts import AccountDetails
from tests.conftest import NOW, TEST_PASSPHRASE, make_user


def _details(team, **overrides) -> AccountDetails:
    values = dict(
        username="new.navigator",
        full_name="Sam Okafor",
        email="sam.okafor@example.police.uk",
        organisation="Pathways",
        team_id=team.id,
        roles=frozenset({Role.NAVIGATOR}),
    )
    values.update(overrides)
    return AccountDetails(**values)


def _events(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_administrator_creates_an_account_without_knowing_its_passphrase(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = accounts.create_user(session, actor=admin, details=_details(team), now=NOW)
    assert user.password_hash is None
    assert user.roles == {Role.NAVIGATOR}
    [event] = _events(session, "user.created")[-1:]
    assert event.actor_id == admin.id and event.subject_user_id == user.id


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.SUPERVISOR, Role.CUSTODY_SERGEANT])
def test_only_administrators_manage_accounts(session, team, role):
    actor = make_user(session, roles=[role], team=team)
    with pytest.raises(NotPermitted):
        accounts.create_user(session, actor=actor, details=_details(team), now=NOW)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "Bad Name!"}, "username"),
        ({"username": "ab"}, "username"),
        ({"full_name": "  "}, "full_name"),
        ({"roles": frozenset()}, "roles"),
        ({"team_id": 0}, "team_id"),
    ],
)
def test_bad_account_details_name_the_field(session, team, overrides, field):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    with pytest.raises(FieldError) as refused:
        accounts.create_user(session, actor=admin, details=_details(team, **overrides), now=NOW)
    assert refused.value.field == field


def test_usernames_are_unique_whatever_the_case(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    accounts.create_user(session, actor=admin, details=_details(team), now=NOW)
    with pytest.raises(FieldError, match="already taken"):
        accounts.create_user(session, actor=admin, details=_details(team, username="NEW.Navigator"), now=NOW)


def test_a_stale_edit_is_refused_and_changes_nothing(session, team, other_team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team)
    seen = user.version
    accounts.update_user(
        session,
        actor=admin,
        user=user,
        details=_details(team, full_name="First Edit", username=user.username),
        seen_version=seen,
        now=NOW,
    )
    with pytest.raises(StaleRecord):
        accounts.update_user(
            session,
            actor=admin,
            user=user,
            details=_details(other_team, username=user.username),
            seen_version=seen,
            now=NOW,
        )
    assert user.full_name == "First Edit" and user.team_id == team.id


def test_changing_roles_signs_the_holder_out(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team)
    signed = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    accounts.update_user(
        session,
        actor=admin,
        user=user,
        seen_version=user.version,
        now=NOW,
        details=_details(team, username=user.username, roles=frozenset({Role.SUPERVISOR})),
    )
    assert authentication.resolve_session(session, token=signed.token, now=NOW) is None


def test_administrators_cannot_remove_their_own_access(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    with pytest.raises(IllegalTransition):
        accounts.deactivate_user(session, actor=admin, user=admin, seen_version=admin.version, now=NOW)
    with pytest.raises(FieldError):
        accounts.update_user(
            session,
            actor=admin,
            user=admin,
            seen_version=admin.version,
            now=NOW,
            details=_details(team, username=admin.username, roles=frozenset({Role.NAVIGATOR})),
        )


def test_deactivation_ends_every_session_and_link(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team)
    first = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    second = authentication.sign_in(session, username=user.username, passphrase=TEST_PASSPHRASE, now=NOW)
    token = accounts.issue_passphrase_link(session, actor=admin, user=user, now=NOW)
    accounts.deactivate_user(session, actor=admin, user=user, seen_version=user.version, now=NOW)
    assert authentication.resolve_session(session, token=first.token, now=NOW) is None
    assert authentication.resolve_session(session, token=second.token, now=NOW) is None
    with pytest.raises(NotFound):
        accounts.find_link(session, token=token, now=NOW)
    with pytest.raises(IllegalTransition, match="already deactivated"):
        accounts.deactivate_user(session, actor=admin, user=user, seen_version=user.version, now=NOW)
    assert _events(session, "user.deactivated")[-1].detail == {"sessions_ended": 2}


def test_a_passphrase_link_works_once(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team, passphrase=None)
    token = accounts.issue_passphrase_link(session, actor=admin, user=user, now=NOW)
    accounts.set_passphrase_from_link(
        session, token=token, passphrase="plum orchard lighthouse", confirmation="plum orchard lighthouse", now=NOW
    )
    assert authentication.sign_in(session, username=user.username, passphrase="plum orchard lighthouse", now=NOW)
    with pytest.raises(NotFound):
        accounts.set_passphrase_from_link(
            session, token=token, passphrase="another fine passphrase", confirmation="another fine passphrase", now=NOW
        )


def test_a_new_link_replaces_the_old_and_links_expire(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team)
    old = accounts.issue_passphrase_link(session, actor=admin, user=user, now=NOW)
    new = accounts.issue_passphrase_link(session, actor=admin, user=user, now=NOW)
    with pytest.raises(NotFound):
        accounts.find_link(session, token=old, now=NOW)
    assert accounts.find_link(session, token=new, now=NOW + timedelta(hours=23))
    with pytest.raises(NotFound):
        accounts.find_link(session, token=new, now=NOW + timedelta(hours=24))


@pytest.mark.parametrize(
    ("passphrase", "confirmation", "field"),
    [
        ("short", "short", "passphrase"),
        ("password1234", "password1234", "passphrase"),
        ("plum orchard lighthouse", "plum orchard lighthous", "confirmation"),
    ],
)
def test_a_weak_or_mistyped_passphrase_leaves_the_link_usable(session, team, passphrase, confirmation, field):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    user = make_user(session, team=team, passphrase=None)
    token = accounts.issue_passphrase_link(session, actor=admin, user=user, now=NOW)
    with pytest.raises(FieldError) as refused:
        accounts.set_passphrase_from_link(
            session, token=token, passphrase=passphrase, confirmation=confirmation, now=NOW
        )
    assert refused.value.field == field
    assert accounts.find_link(session, token=token, now=NOW)
    assert session.scalar(select(SignInSession.id).where(SignInSession.user_id == user.id)) is None
