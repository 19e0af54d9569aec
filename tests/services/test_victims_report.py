"""The victims report checked against a hand count of a small cohort: when views were sought,
restorative work from the victim's request to its completion, and updates on time or late."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import SUPPRESSED, Share
from casework.domain.roles import Role
from casework.models import Condition, VictimRecord, VictimUpdate
from casework.services import victims_report
from tests.conftest import NOW, fake, make_case, make_contract, make_user
from tests.services.report_checks import scope_with_threshold, small_figures
from tests.statements import count_statements

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 24)
IN_RANGE = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)  # NOW's London date
S = CaseState


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    """Cases v1..v9 in the range and x1..x4 that are not counted; the tests' comments name them."""
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)

    def case(state, checklist, *, on=team, opened_at=IN_RANGE, offer="accepted"):
        answers = {"victim_view": checklist} if checklist else {}
        return make_case(
            session, team=on, state=state, opened_by=sergeant, opened_at=opened_at, gate_answers=answers,
            offer_outcome=offer,
        )  # fmt: skip

    def victim(made, views, *, restorative=False):
        session.add(
            VictimRecord(
                case_id=made.id,
                views=views,
                not_sought_reason="The victim could not be reached." if views == "not_sought" else None,
                wants_restorative=restorative,
                wants_updates=True,
                contact_method="phone",
                contact_name=fake.name(),
                contact_phone="07700 900123",
                recorded_by_id=supervisor.id,
                recorded_at=NOW,
                changed_by_id=supervisor.id,
                changed_at=NOW,
            )
        )

    def contract(made, status, *, victim_condition, version=1):
        signed = make_contract(session, case=made, created_by=supervisor, status=status, version_number=version)
        waived = victim_condition == "waived"
        signed.conditions.append(
            Condition(
                position=3,
                type="victim",
                wording="Write a letter of apology to the victim.",
                rule="document",
                due_on=date(2026, 12, 1),
                status=victim_condition,
                waived_by_id=supervisor.id if waived else None,
                waived_at=NOW if waived else None,
                waiver_reason="The victim no longer wants the letter." if waived else None,
            )
        )

    v1 = case(S.COMPLETED, "supports")
    victim(v1, "supports", restorative=True)
    contract(v1, "signed", victim_condition="met")
    v2 = case(S.ACTIVE, "objects")
    victim(v2, "does_not_support", restorative=True)
    contract(v2, "signed", victim_condition="in_progress")
    v3 = case(S.DECLINED, "supports", offer="declined")
    v4 = case(S.ACTIVE, "not_sought")
    victim(v4, "supports", restorative=True)  # sought by the navigator later; no restorative condition yet
    v5 = case(S.REFERRED, "not_sought")
    victim(v5, "not_sought")
    v6 = case(S.DECLINED, "not_sought", offer="declined")
    v7 = case(S.ACTIVE, "no_victim")
    v8 = case(S.ACTIVE, None)  # the checklist never answered the question
    v9 = case(S.ACTIVE, "supports")
    victim(v9, "supports", restorative=True)
    contract(v9, "superseded", victim_condition="in_progress")
    contract(v9, "signed", victim_condition="waived", version=2)  # the version in force: waived, not met

    x1 = case(S.INELIGIBLE, "supports", offer="not_offered")  # eligible but never offered
    x2 = case(S.ACTIVE, "supports", on=other_team)
    victim(x2, "supports", restorative=True)
    contract(x2, "signed", victim_condition="met")
    x3 = case(S.ACTIVE, "supports", opened_at=datetime(2026, 9, 30, 22, 30, tzinfo=UTC))  # 30 September in London
    x4 = case(S.WITHDRAWN_IN_ERROR, "supports")

    def update(made, event, due_on, given_on=None, *, subject_id=0, not_owed=None):
        given = given_on is not None
        session.add(
            VictimUpdate(
                case_id=made.id,
                event=event,
                subject_id=subject_id,
                event_on=(due_on or TODAY) - timedelta(days=7),
                created_at=NOW,
                not_owed_reason=not_owed,
                due_on=due_on,
                given_on=given_on,
                method="phone" if given else None,
                summary="Told the victim what happened." if given else None,
                given_by_id=supervisor.id if given else None,
                recorded_at=NOW if given else None,
            )
        )

    started, breach, outcome = "contract_started", "breach_decided", "outcome"
    update(v1, started, date(2026, 10, 20), date(2026, 10, 19))  # on time
    update(v2, started, date(2026, 10, 20), date(2026, 10, 22))  # late
    update(v4, started, date(2026, 11, 23))  # overdue
    update(v9, started, TODAY)  # due today: not yet overdue
    update(v8, started, date(2026, 11, 27))  # not yet due (owed though the victim is not recorded yet)
    update(v1, breach, date(2026, 11, 2), date(2026, 11, 2), subject_id=1)  # on time, on the day
    update(v9, breach, date(2026, 11, 10), date(2026, 11, 12), subject_id=2)  # late
    update(v2, breach, date(2026, 11, 1), subject_id=3)  # overdue
    update(v4, breach, date(2026, 11, 26), subject_id=4)  # not yet due
    update(v1, outcome, date(2026, 11, 20), date(2026, 11, 18))  # on time
    update(v5, outcome, date(2026, 11, 5), date(2026, 11, 9))  # late
    update(v2, outcome, date(2026, 11, 20))  # overdue
    update(v4, outcome, date(2026, 11, 25))  # not yet due
    update(v7, outcome, None, not_owed="no_victim")  # owed to nobody: not counted
    update(x2, started, date(2026, 10, 20), date(2026, 10, 19))  # another team's
    update(x3, started, date(2026, 10, 20), date(2026, 10, 19))  # before the range
    session.flush()
    return dict(v3=v3, v6=v6, v8=v8, x1=x1, x4=x4)


def _report(session, actor, team_id, *, threshold=1):
    scope = scope_with_threshold(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, threshold=threshold
    )
    return victims_report.build(session, replace(scope, today=TODAY))


def test_views_are_counted_by_whether_they_were_sought_before_the_offer(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("views")
    assert table.rows == (
        ("Sought before the offer: supports it", 3, Share(3, 7)),  # v1, v3 (declined), v9
        ("Sought before the offer: does not support it", 1, Share(1, 7)),  # v2
        ("Sought only after the offer", 1, Share(1, 7)),  # v4: not sought at the offer, recorded since
        ("Not sought", 2, Share(2, 7)),  # v5 (a reason recorded), v6 (declined, no record)
        ("No identifiable victim", 1, None),  # v7
        ("Not recorded", 1, None),  # v8
        ("All", 9, None),  # x1 was never offered; x2 another team's; x3 before the range; x4 withdrawn
    )


def test_restorative_work_from_the_victims_request_to_its_completion(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("restorative")
    assert table.rows == (
        ("The victim asked for restorative work", 4, None),  # v1, v2, v4, v9
        ("A restorative condition was signed into the contract", 3, Share(3, 4)),  # v1, v2, v9
        ("The restorative condition was met", 1, Share(1, 3)),  # v1; v9's is waived in the version in force
    )


def test_updates_owed_are_on_time_late_overdue_or_not_yet_due(session, team, supervisor, cohort):
    table = _report(session, supervisor, team.id).table("updates")
    assert table.headers[1:] == (
        "Given on time",
        "Given late",
        "Not given, overdue",
        "Not given, not yet due",
        "Total",
        "Given on time, share of those due",
    )
    # The cohort's comments say which is which; v7's update was owed to nobody.
    assert table.rows == (
        ("The contract has started", 1, 1, 1, 2, 5, Share(1, 3)),
        ("A decision on a breach", 1, 1, 1, 1, 4, Share(1, 3)),
        ("The outcome of the case", 1, 1, 1, 1, 4, Share(1, 3)),
        ("All", 3, 3, 3, 4, 13, Share(3, 9)),
    )


def test_a_day_later_the_update_due_today_is_overdue(session, team, supervisor, cohort):
    scope = scope_with_threshold(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, threshold=1
    )
    table = victims_report.build(session, replace(scope, today=TODAY + timedelta(days=1))).table("updates")
    # v9's contract update (due 24 November) is now overdue; v8's, due on the 27th, is not.
    assert table.rows[0] == ("The contract has started", 1, 1, 2, 1, 5, Share(1, 4))
    # v4's outcome update, due on the 25th, is due today: not yet overdue.
    assert table.rows[2] == ("The outcome of the case", 1, 1, 1, 1, 4, Share(1, 3))


def test_small_counts_are_hidden_at_the_default_threshold(session, team, supervisor, cohort):
    report = _report(session, supervisor, team.id, threshold=5)
    assert small_figures(report, 5) == []
    # Nine people were offered, too many to point at anyone; how their victims' views were sought is
    # spread too thin to show.
    assert report.table("views").rows[-1] == ("All", 9, None)
    assert {row[1] for row in report.table("views").rows[:-1]} == {SUPPRESSED}
    assert report.table("updates").rows[-1][5] == 13
    assert any(note.startswith("[c] means") for note in report.table("restorative").notes)


def test_another_teams_cases_are_counted_only_for_a_lead_asking_for_every_team(
    session, team, other_team, supervisor, cohort
):
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    own = _report(session, lead, team.id)
    assert own.table("views").rows[0][1] == 3 and own.table("restorative").rows[0][1] == 4
    every = _report(session, lead, None)
    # x2, the other team's case, is one more sought before the offer, asked, agreed and met.
    assert every.table("views").rows[0][1] == 4
    assert [row[1] for row in every.table("restorative").rows] == [5, 4, 2]
    assert every.table("updates").rows[0][1] == 2


def test_the_report_takes_the_same_few_queries_however_many_cases(session, team, supervisor, cohort):
    scope = scope_with_threshold(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, threshold=1
    )

    def run():
        victims_report.build(session, replace(scope, today=TODAY))

    before = count_statements(session, run)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    for _ in range(10):
        made = make_case(
            session, team=team, state=S.ACTIVE, opened_by=sergeant, opened_at=IN_RANGE, offer_outcome="accepted",
            gate_answers={"victim_view": "supports"},
        )  # fmt: skip
        make_contract(session, case=made, created_by=supervisor)
    session.flush()
    assert count_statements(session, run) == before <= 2
    assert _report(session, supervisor, team.id).table("views").rows[-1][1] == 19
