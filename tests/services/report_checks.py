"""Helpers for report tests: a scope under a chosen suppression threshold, and the check that a
report shows no figure made from fewer people than the threshold."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from casework.domain.report_tables import Report, Share
from casework.models import User
from casework.services import report_scope, schemes
from tests.conftest import REPORT_DAY


def scope_with_threshold(
    session: Session, *, actor: User, first_day: date, last_day: date, team_id: int | None, threshold: int
) -> report_scope.ReportScope:
    """The scope an actor gets once the scheme's setting is `threshold` (1 shows every count but zero)."""
    schemes.settings_on(session, last_day).suppression_threshold = threshold
    session.flush()
    scope = report_scope.scope(
        session, actor=actor, first_day=first_day, last_day=last_day, team_id=team_id, today=REPORT_DAY
    )
    assert scope.threshold == threshold
    return scope


def small_figures(report: Report, threshold: int) -> list[tuple[str, object]]:
    """Every count, and every share's count or base, below the threshold that a table shows."""
    found = []
    for table in report.tables:
        for row in table.rows:
            for cell in row[1:]:
                smallest = min(cell.count, cell.of) if isinstance(cell, Share) else cell
                if isinstance(smallest, int) and smallest < threshold:
                    found.append((table.key, cell))
    return found
