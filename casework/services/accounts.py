"""Accounts: an administrator creates, changes and deactivates them; passphrases are set by
the account holder through a one-time link, so no administrator ever knows one."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError, IllegalTransition, NotFound, StaleRecord
from casework.domain.passphrases import passphrase_problem
from casework.domain.roles import Action, Role
from casework.models import PassphraseLink, SignInSession, Team, User, UserRole
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale
from casework.services.passwords import hash_passphrase

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
LINK_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class AccountDetails:
    username: str
    full_name: str
    email: str
    organisation: str
    team_id: int
    roles: frozenset[Role]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, actor: User | None, details: AccountDetails, now: datetime) -> User:
    """`actor` is None only for the first administrator, created from the command line."""
    if actor is not None:
        access.require(actor, Action.MANAGE_USERS)
    username = details.username.strip().lower()
    _check_details(session, details, username=username)
    if session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise FieldError("username", "That username is already taken. Choose a different username")
    user = User(
        username=username,
        full_name=details.full_name.strip(),
        email=details.email.strip().lower(),
        organisation=details.organisation.strip(),
        team_id=details.team_id,
        is_active=True,
        created_at=now,
        role_grants=[UserRole(role=role.value) for role in sorted(details.roles)],
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        now=now,
        subject_user=user,
        roles=sorted(r.value for r in details.roles),
    )
    return user


def update_user(
    session: Session, *, actor: User, user: User, details: AccountDetails, seen_version: int, now: datetime
) -> User:
    access.require(actor, Action.MANAGE_USERS)
    _require_version(user, seen_version)
    _check_details(session, details, username=user.username)
    if user.id == actor.id and Role.ADMINISTRATOR not in details.roles:
        raise FieldError("roles", "You cannot remove your own administrator role")
    changed = _changed_fields(user, details)
    user.full_name = details.full_name.strip()
    user.email = details.email.strip().lower()
    user.organisation = details.organisation.strip()
    user.team_id = details.team_id
    current = user.roles
    for grant in list(user.role_grants):
        if Role(grant.role) not in details.roles:
            user.role_grants.remove(grant)
    for role in sorted(details.roles - current):
        user.role_grants.append(UserRole(role=role.value))
    if details.roles != current:
        changed.append("roles")
        # Privileges changed: make the holder sign in again under the new ones.
        _end_sessions(session, user, now=now, reason="roles changed")
    if changed:
        _flush_guarded(session, user)
        audit.record(
            session,
            actor=actor,
            action="user.changed",
            now=now,
            subject_user=user,
            fields=changed,
            roles=sorted(r.value for r in details.roles),
        )
    return user


def deactivate_user(session: Session, *, actor: User, user: User, seen_version: int, now: datetime) -> User:
    access.require(actor, Action.MANAGE_USERS)
    _require_version(user, seen_version)
    if user.id == actor.id:
        raise IllegalTransition("You cannot deactivate your own account.")
    if not user.is_active:
        raise IllegalTransition(f"{user.full_name}'s account is already deactivated.")
    user.is_active = False
    user.deactivated_at = now
    ended = _end_sessions(session, user, now=now, reason="deactivated")
    _revoke_links(session, user, now=now)
    _flush_guarded(session, user)
    audit.record(session, actor=actor, action="user.deactivated", now=now, subject_user=user, sessions_ended=ended)
    return user


def reactivate_user(session: Session, *, actor: User, user: User, seen_version: int, now: datetime) -> User:
    access.require(actor, Action.MANAGE_USERS)
    _require_version(user, seen_version)
    if user.is_active:
        raise IllegalTransition(f"{user.full_name}'s account is already active.")
    user.is_active = True
    user.deactivated_at = None
    _flush_guarded(session, user)
    audit.record(session, actor=actor, action="user.reactivated", now=now, subject_user=user)
    return user


def issue_passphrase_link(session: Session, *, actor: User | None, user: User, now: datetime) -> str:
    """Return a fresh one-time token (shown once, stored only as a digest); older links die."""
    if actor is not None:
        access.require(actor, Action.MANAGE_USERS)
    if not user.is_active:
        raise IllegalTransition("Reactivate the account before sending a passphrase link.")
    _revoke_links(session, user, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        PassphraseLink(
            token_hash=token_digest(token),
            user_id=user.id,
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    session.flush()
    audit.record(session, actor=actor, action="user.passphrase_link_issued", now=now, subject_user=user)
    return token


def find_link(session: Session, *, token: str, now: datetime) -> PassphraseLink:
    link = session.scalar(select(PassphraseLink).where(PassphraseLink.token_hash == token_digest(token)))
    if link is None or link.used_at or link.revoked_at or link.expires_at <= now or not link.user.is_active:
        raise NotFound("This link has expired or has already been used. Ask your administrator for a new one.")
    return link


def set_passphrase_from_link(
    session: Session, *, token: str, passphrase: str, confirmation: str, now: datetime
) -> User:
    link = find_link(session, token=token, now=now)
    user = link.user
    problem = passphrase_problem(passphrase, username=user.username, full_name=user.full_name)
    if problem:
        raise FieldError("passphrase", problem)
    if passphrase != confirmation:
        raise FieldError("confirmation", "Passphrases do not match. Type the same passphrase twice")
    # Guarded: of two simultaneous submissions of one link, only the first is accepted.
    claimed = session.execute(
        update(PassphraseLink).where(PassphraseLink.id == link.id, PassphraseLink.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise NotFound("This link has already been used. Ask your administrator for a new one.")
    _end_sessions(session, user, now=now, reason="passphrase changed")
    user.password_hash = hash_passphrase(passphrase)
    user.password_changed_at = now
    _flush_guarded(session, user)  # the one write to the user, where a lost race is caught
    audit.record(session, actor=user, action="user.passphrase_set", now=now, subject_user=user)
    return user


def set_initial_passphrase(session: Session, *, user: User, passphrase: str, now: datetime) -> None:
    """For the first administrator only, from the command line: no web link exists yet."""
    problem = passphrase_problem(passphrase, username=user.username, full_name=user.full_name)
    if problem:
        raise FieldError("passphrase", problem)
    user.password_hash = hash_passphrase(passphrase)
    user.password_changed_at = now
    _flush_guarded(session, user)
    audit.record(session, actor=None, action="user.passphrase_set", now=now, subject_user=user, via="cli")


def get_user(session: Session, *, actor: User, user_id: int) -> User:
    access.require(actor, Action.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user


def list_users(session: Session, *, actor: User, include_inactive: bool = True) -> list[User]:
    access.require(actor, Action.MANAGE_USERS)
    query = select(User).order_by(User.is_active.desc(), func.lower(User.full_name))
    if not include_inactive:
        query = query.where(User.is_active)
    return list(session.scalars(query))


def team_members(session: Session, *, actor: User) -> list[User]:
    access.require(actor, Action.VIEW_TEAM, team_id=actor.team_id)
    query = select(User).where(User.team_id == actor.team_id, User.is_active).order_by(User.full_name)
    return list(session.scalars(query))


def last_signed_in(session: Session, users: list[User]) -> dict[int, datetime]:
    """When each of these users last signed in, in one query."""
    rows = session.execute(
        select(SignInSession.user_id, func.max(SignInSession.started_at))
        .where(SignInSession.user_id.in_([u.id for u in users]))
        .group_by(SignInSession.user_id)
    ).all()
    return dict(rows)


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def _check_details(session: Session, details: AccountDetails, *, username: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        raise FieldError(
            "username",
            "Username must be 3 to 60 characters: lower-case letters, numbers, full stops, hyphens "
            "or underscores, starting with a letter or number",
        )
    if not details.full_name.strip():
        raise FieldError("full_name", "Enter the person's full name")
    if not details.roles:
        raise FieldError("roles", "Select at least one role")
    if session.get(Team, details.team_id) is None:
        raise FieldError("team_id", "Select a team")


def _changed_fields(user: User, details: AccountDetails) -> list[str]:
    pairs = {
        "full_name": (user.full_name, details.full_name.strip()),
        "email": (user.email, details.email.strip().lower()),
        "organisation": (user.organisation, details.organisation.strip()),
        "team_id": (user.team_id, details.team_id),
    }
    return [name for name, (old, new) in pairs.items() if old != new]


def _require_version(user: User, seen_version: int) -> None:
    if user.version != seen_version:
        raise StaleRecord(
            f"Someone else changed {user.full_name}'s account while you were looking at it. "
            "Check the latest details and try again."
        )


def _flush_guarded(session: Session, user: User) -> None:
    flush_or_stale(
        session,
        f"Someone else changed {user.full_name}'s account at the same moment. Check the latest details and try again.",
    )


def _end_sessions(session: Session, user: User, *, now: datetime, reason: str) -> int:
    return session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    ).rowcount


def _revoke_links(session: Session, user: User, *, now: datetime) -> None:
    session.execute(
        update(PassphraseLink)
        .where(
            PassphraseLink.user_id == user.id,
            PassphraseLink.used_at.is_(None),
            PassphraseLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
