"""What a user may do with one check-in now: the same guards the actions apply, so a page offers
exactly what the service would accept."""

from __future__ import annotations

from datetime import datetime

from casework.domain.errors import IllegalTransition, NotFound, NotPermitted
from casework.domain.roles import Action
from casework.models import Case, CheckIn, User
from casework.services import access
from casework.services.check_in_outcomes import recordable, require_classifiable
from casework.services.check_ins import require_cancellable, require_case_open, require_movable, require_plannable

# Each action's guards, in the order its service function applies them (the version check aside).
_GUARDS = {
    "record": lambda actor, case, check_in, now: (
        access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id),
        recordable(check_in, case=case, now=now),
    ),
    "classify": lambda actor, case, check_in, now: (
        access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id),
        require_classifiable(check_in, case=case),
    ),
    "move": lambda actor, case, check_in, now: (
        require_plannable(actor, case),
        require_movable(check_in, now=now),
    ),
    "cancel": lambda actor, case, check_in, now: (
        require_case_open(actor, case),
        require_cancellable(check_in, now=now),
    ),
}
ACTIONS = tuple(_GUARDS)


def refusal(action: str, *, actor: User, case: Case, check_in: CheckIn, now: datetime) -> str | None:
    """Why this actor cannot `action` ("record", "classify", "move", "cancel") this check-in now,
    or None when they can: the same guards the action itself applies, so a page offers exactly
    what would be accepted. Another team's case is NotFound: nothing is offered on it."""
    try:
        _GUARDS[action](actor, case, check_in, now)
    except (IllegalTransition, NotPermitted, NotFound) as refused:
        return refused.message
    return None


def require(action: str, *, actor: User, case: Case, check_in: CheckIn, now: datetime) -> None:
    """Raise the refusal for `action`, for a page that should not open (NotPermitted stays a 403;
    another team's case is NotFound, a 404 like a missing one)."""
    _GUARDS[action](actor, case, check_in, now)


def offered(*, actor: User, case: Case, check_in: CheckIn, now: datetime) -> frozenset[str]:
    return frozenset(
        action for action in ACTIONS if refusal(action, actor=actor, case=case, check_in=check_in, now=now) is None
    )
