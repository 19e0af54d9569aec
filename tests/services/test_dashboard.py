"""The reports dashboard's figures: each by the rule of the report it summarises, so the dashboard
and the reports never disagree, and cheap enough to open for a whole force."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import Share
from casework.domain.roles import Role
from casework.models import CaseOutcome
from casework.services import dashboard, funnel_report, report_scope, schemes, timeliness_report
from tests.conftest import REPORT_DAY, make_case, make_user
from tests.services.test_funnel import FIRST_DAY, LAST_DAY, cohort  # noqa: F401 -- the funnel's hand-counted cases
from tests.statements import count_statements

LATEST = date(2026, 10, 12)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


def _scope(session, actor, team_id=None, threshold=None):
    if threshold is not None:
        schemes.settings_on(session, LAST_DAY).suppression_threshold = threshold
        session.flush()
    return report_scope.scope(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, today=REPORT_DAY
    )


def test_the_dashboards_steps_are_the_funnel_reports(session, team, supervisor, cohort):  # noqa: F811
    scope = _scope(session, supervisor, team.id, threshold=1)
    shown = dashboard.build(session, scope).table("stages")
    assert shown == funnel_report.build(session, scope).table("stages")
    assert shown.rows[0][1] == 14  # the funnel's hand count of gates started


def test_the_completion_rate_is_of_the_contracts_that_ended(session, team, supervisor, cohort):  # noqa: F811
    scope = _scope(session, supervisor, team.id, threshold=1)
    rows = {row[0]: row[1] for row in dashboard.build(session, scope).table("headlines").rows}
    # The funnel's cohort: c10 completed; c11 and c12 terminated.
    assert rows["Contracts completed"] == 1
    assert rows["Contracts terminated"] == 2
    assert rows["Completion rate: completed of the contracts that ended"] == Share(1, 3)


def _decided(
    session, team, supervisor, *, decided_at, route="no_further_action", code=10, state=CaseState.CLOSED_ALTERNATIVE
):
    made = make_case(
        session, team=team, state=state, opened_at=datetime(2026, 10, 2, 10, tzinfo=UTC), latest_charge_on=LATEST
    )
    session.add(
        CaseOutcome(
            case_id=made.id,
            route=route,
            code=code,
            rationale="Recorded.",
            decided_by_id=supervisor.id,
            decided_at=decided_at,
            effective_on=decided_at.date(),
        )
    )
    return made


def test_time_barred_is_counted_by_london_date_as_the_timeliness_report_counts_it(session, team, supervisor):
    # On the latest charge date in London: in time.
    _decided(session, team, supervisor, decided_at=datetime(2026, 10, 12, 22, 30, tzinfo=UTC))
    # 23:30 UTC on the latest charge date is 00:30 on the 13th in London (summer time): too late.
    _decided(session, team, supervisor, decided_at=datetime(2026, 10, 12, 23, 30, tzinfo=UTC))
    # Closed as time-barred days later.
    _decided(
        session,
        team,
        supervisor,
        decided_at=datetime(2026, 10, 20, 9, tzinfo=UTC),
        route="time_barred",
        code=17,
        state=CaseState.CLOSED_TIME_BARRED,
    )
    # A completion after the date is not a prosecution decision.
    _decided(
        session,
        team,
        supervisor,
        decided_at=datetime(2026, 10, 20, 9, tzinfo=UTC),
        route="completion",
        code=22,
        state=CaseState.COMPLETED,
    )
    session.flush()
    scope = _scope(session, supervisor, team.id)
    assert dashboard.time_barred_count(session, scope) == 2
    rows = {row[0]: row[1] for row in dashboard.build(session, scope).table("headlines").rows}
    assert rows["Cases that became time-barred (target: none)"] == 2  # shown, though under the threshold
    barred = timeliness_report.build(session, scope).table("time-barred")
    assert barred.rows[-1] == ("All", 2)


def test_the_dashboard_takes_two_queries_however_many_cases(session, team, supervisor, cohort):  # noqa: F811
    scope = _scope(session, supervisor, team.id)
    before = count_statements(session, lambda: dashboard.build(session, scope))
    for _ in range(10):
        make_case(session, team=team, state=CaseState.ACTIVE, opened_at=datetime(2026, 10, 10, tzinfo=UTC))
    session.flush()
    assert count_statements(session, lambda: dashboard.build(session, scope)) == before <= 2
