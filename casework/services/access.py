"""Access control in one place: the role *and* the object's team (DOMAIN.md §1)."""

from __future__ import annotations

from typing import Protocol

from casework.domain.errors import NotFound, NotPermitted
from casework.domain.roles import Action, Role, roles_allowed


class Actor(Protocol):
    id: int
    team_id: int
    is_active: bool

    def has_role(self, *roles: Role) -> bool: ...


def can(actor: Actor | None, action: Action, *, team_id: int | None = None) -> bool:
    """May this actor do this action, on an object of this team (if the action is scoped)?"""
    if actor is None or not actor.is_active:
        return False
    if not actor.has_role(*roles_allowed(action)):
        return False
    return team_id is None or _reaches(actor, action, team_id)


def require(actor: Actor | None, action: Action, *, team_id: int | None = None) -> None:
    """Refuse unless `can`. Another team's object is refused as if it did not exist (NotFound, a
    404 like a number that names nothing), whatever the actor's role, so no one can learn which
    numbers are in use elsewhere by trying them; a role that may not do this at all is NotPermitted."""
    if can(actor, action, team_id=team_id):
        return
    if actor is not None and team_id is not None and not _reaches(actor, action, team_id):
        raise NotFound("There is no such record.")
    raise NotPermitted("You do not have permission to do that.")


def _reaches(actor: Actor, action: Action, team_id: int) -> bool:
    return team_id == actor.team_id or _reaches_every_team(actor, action)


def _reaches_every_team(actor: Actor, action: Action) -> bool:
    # Administrators manage the whole force's accounts and audit; they never gain case content
    # this way because no case-content action lists the administrator role.
    return actor.has_role(Role.ADMINISTRATOR) and Role.ADMINISTRATOR in roles_allowed(action)


def audit_team_scope(actor: Actor) -> int | None:
    """The team whose audit trail an actor may read; None means every team."""
    require(actor, Action.READ_AUDIT)
    return None if actor.has_role(Role.ADMINISTRATOR) else actor.team_id
