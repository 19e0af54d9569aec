"""Who may see which team's reports, over which dates (DOMAIN.md §8). Every report service takes a
`ReportScope` made here, so the rule is written once: a supervisor sees their own team; a
performance lead sees any one team or every team together; anyone else, administrators included,
sees none of it. A scope may also be narrowed to one offence group (DOMAIN.md §8.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from casework.domain.clock import start_of_local_day
from casework.domain.errors import DomainError, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.offence_groups import GROUP_LABELS, is_offence_group
from casework.domain.roles import Action, Role
from casework.domain.suppression import THRESHOLD
from casework.models import Case, CaseOffence, Offence, Team, User
from casework.services import access, schemes

# A range over five years is refused, for the reports and the export alike.
LONGEST_RANGE_DAYS = 366 * 5


class RangeError(ValueError):
    """A date range that cannot be reported on, with the reason to show by the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReportScope:
    """Cases whose custody gate was started on a London date from `first_day` to `last_day`
    inclusive, in one team or (team_id None) every team; with an offence group, only the cases
    holding at least one offence in it (so a case with offences in two groups counts in each)."""

    first_day: date
    last_day: date
    team_id: int | None
    team_name: str
    # The London date the report is made on: what is overdue is judged on it, not on the range's end
    # (a cohort's 12-month checks fall due long after its range).
    today: date
    # The scheme's suppression threshold on the range's last day (DOMAIN.md §8.3).
    threshold: int = THRESHOLD
    # A code from domain.offence_groups, or None for every group.
    offence_group: str | None = None

    @property
    def begins(self) -> datetime:
        return start_of_local_day(self.first_day)

    @property
    def ends(self) -> datetime:
        """The first instant after the range (exclusive)."""
        return start_of_local_day(self.last_day + timedelta(days=1))

    def cases(self) -> list[ColumnElement[bool]]:
        """Conditions on `Case` choosing the cohort. Cases withdrawn in error are left out: they were
        never a decision about a person."""
        conditions = [
            Case.opened_at >= self.begins,
            Case.opened_at < self.ends,
            Case.state != CaseState.WITHDRAWN_IN_ERROR.value,
        ]
        if self.team_id is not None:
            conditions.append(Case.team_id == self.team_id)
        if self.offence_group is not None:
            # EXISTS rather than a join: a case with two offences in the group is still one case.
            conditions.append(
                select(CaseOffence.id)
                .join(Offence, Offence.id == CaseOffence.offence_id)
                .where(CaseOffence.case_id == Case.id, Offence.offence_group == self.offence_group)
                .correlate(Case)
                .exists()
            )
        return conditions

    @property
    def offence_group_label(self) -> str | None:
        return GROUP_LABELS[self.offence_group] if self.offence_group is not None else None

    @property
    def audit_detail(self) -> dict[str, str]:
        detail = {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "team": self.team_name,
        }
        # Only when chosen: a report of every group is recorded as it always was.
        if self.offence_group is not None:
            detail["offence_group"] = self.offence_group
        return detail


def sees_every_team(actor: User) -> bool:
    return actor.is_active and actor.has_role(Role.PERFORMANCE_LEAD)


def scope(
    session: Session,
    *,
    actor: User,
    first_day: date,
    last_day: date,
    team_id: int | None,
    today: date,
    offence_group: str | None = None,
) -> ReportScope:
    """The scope an actor asked for, or a refusal: NotPermitted for a role that sees no reports,
    NotFound for a team the actor may not see (as if it did not exist), RangeError for dates or an
    offence group that is not one of the list."""
    access.require(actor, Action.VIEW_REPORTS)
    if offence_group is not None and not is_offence_group(offence_group):
        raise RangeError("offence_group", "Select an offence group from the list")
    if last_day < first_day:
        raise RangeError("last_day", "The end date must be the same as or after the start date")
    if (last_day - first_day).days >= LONGEST_RANGE_DAYS:
        raise RangeError("last_day", "The range must be 5 years or shorter")
    threshold = _threshold_on(session, last_day)
    if team_id is None:
        if not sees_every_team(actor):
            # A supervisor who asks for no team in particular gets their own.
            team_id = actor.team_id
        else:
            return ReportScope(first_day, last_day, None, "Every team", today, threshold, offence_group)
    if team_id != actor.team_id and not sees_every_team(actor):
        raise NotFound("There is no such team.")
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("There is no such team.")
    return ReportScope(first_day, last_day, team.id, team.name, today, threshold, offence_group)


def _threshold_on(session: Session, day: date) -> int:
    try:
        return schemes.settings_on(session, day).suppression_threshold
    except DomainError:
        # A range ending before the scheme was first configured: the design default.
        return THRESHOLD


def visible_teams(session: Session, actor: User) -> list[Team]:
    """The teams an actor may choose between, by name."""
    access.require(actor, Action.VIEW_REPORTS)
    if sees_every_team(actor):
        return list(session.query(Team).order_by(Team.name))
    team = session.get(Team, actor.team_id)
    return [team] if team is not None else []


__all__ = ["NotFound", "NotPermitted", "RangeError", "ReportScope", "scope", "sees_every_team", "visible_teams"]
