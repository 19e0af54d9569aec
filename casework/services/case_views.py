"""Opening a case for a page that shows it, and recording that consultation (DPA 2018 s.62).

Every page that shows a person's case fetches it through `case_for_display` and records the view
with `record_consultation` (web/case_display.py does both for every such view), so a page cannot
show a case without the access check and an entry in the access log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.errors import NotFound
from casework.domain.roles import Action
from casework.models import Case, User
from casework.services import access, consultation_queue

VIEWED = "case.viewed"


def case_for_display(session: Session, *, actor: User, case_id: int, action: Action) -> Case:
    """The case, if this actor may do `action` on its team; refused (and not recorded) otherwise."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("There is no such case.")
    access.require(actor, action, team_id=case.team_id)
    return case


def sees_full_record(actor: User) -> bool:
    """Custody staff see only that a case exists and its status; the navigator team sees the record.
    The case's team is checked when the case is fetched."""
    return access.can(actor, Action.VIEW_CASE)


def record_consultation(session: Session, *, actor: User, case: Case, page: str, scope: str, now: datetime) -> None:
    """One consultation: who, when, which case and which page (`scope` "status" for the desk's view).
    Queued for the audit chain, so a case view never waits for another user's view or change."""
    consultation_queue.queue(
        session, actor=actor, action=VIEWED, now=now, case_id=case.id, team_id=case.team_id, page=page, scope=scope
    )
