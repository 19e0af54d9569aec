"""The reoffending report checked against a hand count of a small cohort: the 12- and 24-month checks
by how the case ended and where each stands, prevalence among known results, and new offences
during the contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import SUPPRESSED, Share
from casework.domain.roles import Role
from casework.models import Breach, ReoffendingFollowUp
from casework.services import reoffending_report
from tests.conftest import NOW, make_case, make_contract, make_user
from tests.services.report_checks import scope_with_threshold, small_figures
from tests.statements import count_statements

# Cases from the first half of 2024, so that by NOW (24 November 2026) their 12-month checks have
# come due and most of their 24-month ones too.
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2024, 6, 30)
IN_RANGE = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)  # NOW's London date
S = CaseState

# R reoffended, N no further offending found, U not known, D due with no result, Y not yet due.
# Five cases for each ending give every cell of both tables one check; the sixth and seventh tip the
# counts so that rows and columns differ. (name, how it ended, 12-month check, 24-month check)
CHECKS = (
    ("c1", "completed", "R", "D"),
    ("c2", "completed", "N", "U"),
    ("c3", "completed", "U", "R"),
    ("c4", "completed", "D", "N"),
    ("c5", "completed", "Y", "Y"),
    ("c6", "completed", "N", "N"),
    ("c7", "completed", "N", "Y"),
    ("t1", "terminated", "R", "D"),
    ("t2", "terminated", "N", "U"),
    ("t3", "terminated", "U", "R"),
    ("t4", "terminated", "D", "N"),
    ("t5", "terminated", "Y", "Y"),
    ("t6", "terminated", "R", "R"),
    ("b1", "before_signing", "R", "D"),
    ("b2", "before_signing", "N", "U"),
    ("b3", "before_signing", "U", "R"),
    ("b4", "before_signing", "D", "N"),
    ("b5", "before_signing", "Y", "Y"),
    ("b6", "before_signing", "D", "Y"),
)
RESULTS = {"R": "reoffended", "N": "not_reoffended", "U": "unknown"}
# Due dates by standing; b4's 12-month check falls due today (due, not overdue by a day) and b5's tomorrow.
DUE = {
    12: {
        "R": date(2025, 3, 1),
        "N": date(2025, 3, 1),
        "U": date(2025, 3, 1),
        "D": date(2025, 3, 1),
        "Y": date(2026, 12, 1),
    },
    24: {
        "R": date(2026, 3, 1),
        "N": date(2026, 3, 1),
        "U": date(2026, 3, 1),
        "D": date(2026, 3, 1),
        "Y": date(2027, 3, 1),
    },
}
DUE_TODAY, NOT_YET = {("b4", 12)}, {("b5", 12): TODAY + timedelta(days=1)}


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    # Any of the prosecution decision's closings, with or without a signed contract: the signature
    # tells terminated from ended before signing, not the outcome.
    closings = (S.CLOSED_CHARGED, S.CLOSED_ALTERNATIVE, S.CLOSED_TIME_BARRED, S.CLOSED_EVIDENTIAL)

    def case(made_state, *, on=team, opened_at=IN_RANGE, signed=True):
        made = make_case(session, team=on, state=made_state, opened_by=sergeant, opened_at=opened_at)
        if signed:
            make_contract(session, case=made, created_by=supervisor, starts_on=date(2024, 3, 1))
        return made

    def check(made, months, standing, due_on=None):
        result = RESULTS.get(standing)
        due_on = due_on or DUE[months][standing]
        session.add(
            ReoffendingFollowUp(
                case_id=made.id,
                months=months,
                counted_from=date(2024, 3, 1),
                basis="contract_start",
                due_on=due_on,
                created_at=NOW,
                result=result,
                source="pnc" if result else None,
                checked_on=due_on if result else None,
                recorded_by_id=supervisor.id if result else None,
                recorded_at=NOW if result else None,
            )
        )

    cases = {}
    for index, (name, ending, twelve, twenty_four) in enumerate(CHECKS):
        closed = S.COMPLETED if ending == "completed" else closings[index % len(closings)]
        made = cases[name] = case(closed, signed=ending != "before_signing")
        check(made, 12, twelve, TODAY if (name, 12) in DUE_TODAY else NOT_YET.get((name, 12)))
        check(made, 24, twenty_four)
    # b6 had a contract drafted but never signed: still ended before signing.
    make_contract(session, case=cases["b6"], created_by=supervisor, status="draft")

    # Not counted: another team's completed case, and one whose gate was started before the range.
    for outsider in (case(S.COMPLETED, on=other_team), case(S.COMPLETED, opened_at=datetime(2023, 12, 31, tzinfo=UTC))):
        check(outsider, 12, "R")
        check(outsider, 24, "R")
        _new_offence(session, outsider, supervisor, decision="terminate")

    # Contracts still running, for the table of new offences during the contract.
    cases["r1"], cases["r2"] = case(S.BREACH_REVIEW), case(S.ACTIVE)
    _new_offence(session, cases["c1"], supervisor, decision="no_action")  # set aside: not counted
    _new_offence(session, cases["c2"], supervisor, decision="final_warning")
    _breach(session, cases["c3"], supervisor, kind="unacceptable_absence", decision="final_warning")  # not an offence
    _new_offence(session, cases["t1"], supervisor, decision="terminate")
    _new_offence(session, cases["t2"], supervisor, decision="no_action")
    _new_offence(session, cases["t2"], supervisor, decision="terminate")  # the second one stood: counted once
    _new_offence(session, cases["t3"], supervisor, decision="terminate")
    _new_offence(session, cases["t3"], supervisor, decision="terminate")  # two: counted once
    _new_offence(session, cases["r1"], supervisor, decision=None)  # awaiting the decision: counted
    session.flush()
    return cases


def _breach(session, made, supervisor, *, kind, decision):
    decided = decision is not None
    session.add(
        Breach(
            case_id=made.id,
            kind=kind,
            status="decided" if decided else "review",
            occurred_on=date(2024, 4, 1),
            summary="Recorded for the report's test.",
            raised_at=NOW,
            review_requested_at=NOW,
            decision=decision,
            decision_rationale="On the evidence." if decided else None,
            decided_by_id=supervisor.id if decided else None,
            decided_at=NOW if decided else None,
        )
    )


def _new_offence(session, made, supervisor, *, decision):
    _breach(session, made, supervisor, kind="new_offence", decision=decision)


def _report(session, actor, team_id, *, threshold=1):
    scope = scope_with_threshold(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, threshold=threshold
    )
    return reoffending_report.build(session, replace(scope, today=TODAY))


def test_twelve_month_checks_by_how_the_case_ended_and_where_each_stands(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("checks-12")
    assert table.headers == (
        "How the case ended",
        "Reoffended",
        "No further offending found",
        "Result not known",
        "No result yet: due",
        "No result yet: not yet due",
        "Total",
        "Reoffended, share of known results",
    )
    assert table.rows == (
        ("Completed", 1, 3, 1, 1, 1, 7, Share(1, 4)),  # R c1; N c2 c6 c7; U c3; D c4; Y c5
        ("Terminated", 2, 1, 1, 1, 1, 6, Share(2, 3)),  # R t1 t6; N t2; U t3; D t4; Y t5
        ("Ended before a contract was signed", 1, 1, 1, 2, 1, 6, Share(1, 2)),  # D b4 (due today) b6; Y b5
        ("All", 4, 5, 3, 4, 3, 19, Share(4, 9)),
    )


def test_twenty_four_month_checks(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("checks-24")
    assert table.caption == "24-month checks, by how the case ended"
    assert table.rows == (
        ("Completed", 1, 2, 1, 1, 2, 7, Share(1, 3)),  # R c3; N c4 c6; U c2; D c1; Y c5 c7
        ("Terminated", 2, 1, 1, 1, 1, 6, Share(2, 3)),  # R t3 t6; N t4; U t2; D t1; Y t5
        ("Ended before a contract was signed", 1, 1, 1, 1, 2, 6, Share(1, 2)),  # Y b5 b6
        ("All", 4, 4, 3, 3, 5, 19, Share(4, 8)),
    )


def test_new_offences_during_the_contract_count_each_person_once_unless_set_aside(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("during-contract")
    assert table.headers[1:] == ("New offence", "No new offence", "Total", "New offence, share of those who signed")
    assert table.rows == (
        ("Completed", 1, 6, 7, Share(1, 7)),  # c2; c1's was set aside, c3's breach was an absence
        ("Terminated", 3, 3, 6, Share(3, 6)),  # t1, t2 (one of two set aside), t3 (two offences)
        ("Contract not yet ended", 1, 1, 2, Share(1, 2)),  # r1, awaiting the decision; r2 none
        ("All", 5, 10, 15, Share(5, 15)),  # b1-b6 never signed
    )


def test_a_day_later_the_check_due_tomorrow_is_due(session, team, supervisor, cohort):
    scope = scope_with_threshold(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, threshold=1
    )
    table = reoffending_report.build(session, replace(scope, today=TODAY + timedelta(days=1))).table("checks-12")
    # b5's 12-month check now joins b4's and b6's as due; nothing else there is left not yet due.
    assert table.rows[2][4] == 3
    assert table.rows[2][5] is SUPPRESSED  # none left: a zero, hidden like any count under the threshold


def test_small_counts_are_hidden_at_the_default_threshold(session, team, supervisor, cohort):
    report = _report(session, supervisor, team.id, threshold=5)
    assert small_figures(report, 5) == []
    during = report.table("during-contract")
    c = SUPPRESSED
    assert during.rows == (
        # 1 of 7 completers had a new offence: both hidden, and so the share.
        ("Completed", c, c, 7, c),
        # 6 terminated is shown nowhere: with the 2 still running hidden, it would give them away.
        ("Terminated", c, c, c, c),
        ("Contract not yet ended", c, c, c, c),
        ("All", 5, 10, 15, Share(5, 15)),
    )
    twelve = report.table("checks-12")
    assert [row[6] for row in twelve.rows] == [7, 6, 6, 19]
    assert {row[-1] for row in twelve.rows} == {SUPPRESSED}


def test_another_teams_cases_are_counted_only_for_a_lead_asking_for_every_team(
    session, team, other_team, supervisor, cohort
):
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    assert _report(session, lead, team.id).table("checks-12").rows[0][1] == 1
    every = _report(session, lead, None)
    # The other team's completed case reoffended by both checks and during its contract.
    assert every.table("checks-12").rows[0][1] == 2
    assert every.table("checks-24").rows[0][1] == 2
    assert every.table("during-contract").rows[0][1:3] == (2, 6)


def test_the_report_takes_the_same_few_queries_however_many_cases(session, team, supervisor, cohort):
    scope = scope_with_threshold(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, threshold=1
    )

    def run():
        reoffending_report.build(session, replace(scope, today=TODAY))

    before = count_statements(session, run)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    for _ in range(10):
        made = make_case(session, team=team, state=S.COMPLETED, opened_by=sergeant, opened_at=IN_RANGE)
        make_contract(session, case=made, created_by=supervisor)
        _new_offence(session, made, supervisor, decision=None)
    session.flush()
    assert count_statements(session, run) == before <= 2
    assert _report(session, supervisor, team.id).table("during-contract").rows[0][1:4] == (11, 6, 17)
