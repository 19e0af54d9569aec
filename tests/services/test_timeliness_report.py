"""The timeliness report, checked against a hand count of a small cohort.

Cases whose gate was started from 1 August to 24 November 2026 (today) in the team. London is on
British Summer Time until 25 October, so 23:30 UTC is already the next day there. Monday 31 August
2026 is a bank holiday. Each case below says what it adds to which measure; the tests add them up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from casework.domain.clock import from_local, local_today
from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import SUPPRESSED, Days, Share
from casework.domain.roles import Role
from casework.models import Breach, CaseOutcome
from casework.services import report_scope, schemes, timeliness, timeliness_report
from tests.conftest import NOW, REPORT_DAY, make_case, make_contract, make_user
from tests.statements import count_statements

TODAY = local_today(NOW)
FIRST_DAY, LAST_DAY = date(2026, 8, 1), TODAY
S = CaseState


def london(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return from_local(date(2026, month, day), time(hour, minute))


def utc(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    """Cases A to R in the team, and J, K, L outside the report. Returns their references."""
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    made = {}

    def case(name, state, *, opened_at, on=team, signed_at=None, **values):
        made[name] = make_case(session, team=on, state=state, opened_at=opened_at, **values)
        if signed_at:
            make_contract(session, case=made[name], created_by=navigator, signed_at=signed_at)
        return made[name]

    def accepted(consent_at, *, referred=True):
        referred_at = consent_at if referred else None
        return dict(consent_at=consent_at, referred_at=referred_at, offer_outcome="accepted")

    def outcome(name, route, code, decided_at, **values):
        session.add(
            CaseOutcome(
                case_id=made[name].id,
                route=route,
                code=code,
                rationale="Recorded for the test.",
                decided_by_id=supervisor.id,
                decided_at=decided_at,
                effective_on=local_today(decided_at),
                **values,
            )
        )

    def breach(name, raised_at, *, status="decided", decided_at=None, decision=None):
        decided = status == "decided"
        session.add(
            Breach(
                case_id=made[name].id,
                kind="unacceptable_absence",
                status=status,
                occurred_on=local_today(raised_at),
                summary="Missed a check-in.",
                raised_at=raised_at,
                review_requested_at=raised_at if status in ("review", "decided") else None,
                decision=decision if decided else None,
                decision_rationale="Decided on the evidence in the file." if decided else None,
                decided_by_id=supervisor.id if decided else None,
                decided_at=decided_at,
            )
        )

    # A: arrest to offer 0 days; first contact 1 working day (Monday to Tuesday), on time; signed 10
    # days after first contact; two breaches decided (3 days, 1 day), one awaiting review, one warned.
    case(
        "A",
        S.BREACH_REVIEW,
        opened_at=london(9, 7, 10),
        arrested_at=london(9, 7, 9),
        **accepted(london(9, 7, 15)),
        first_contact_at=london(9, 8, 11),
        signed_at=london(9, 18, 11),
    )
    breach("A", london(10, 5, 10), decided_at=london(10, 8, 10), decision="no_action")
    breach("A", london(10, 20, 10), decided_at=london(10, 21, 9), decision="final_warning")
    breach("A", london(11, 16, 10), status="review")
    breach("A", london(10, 10, 10), status="warned")
    # B (the only case opened in August): offered Friday 28 August, first contact Tuesday 1 September:
    # one working day across the weekend and the bank holiday, four calendar days. Signed 10 days later.
    case(
        "B",
        S.ACTIVE,
        opened_at=london(8, 27, 10),
        arrested_at=london(8, 27, 8),
        **accepted(london(8, 28, 10)),
        first_contact_at=london(9, 1, 10),
        signed_at=london(9, 11, 10),
    )
    # C: arrest to offer 4 days; first contact 6 working days after the offer: later than the target.
    case(
        "C",
        S.ASSESSMENT,
        opened_at=london(9, 10, 12),
        arrested_at=london(9, 10, 11),
        **accepted(london(9, 14, 10)),
        first_contact_at=london(9, 22, 10),
    )
    # D (the only case opened in October): consent at 23:30 UTC on Monday 5 October, 00:30 on Tuesday
    # in London. Arrest to offer is 1 day (0 by UTC dates); first contact on Tuesday 13 October is 5
    # working days after the Tuesday, on time (6 after the UTC Monday, late). No contract yet.
    case(
        "D",
        S.CONTRACT_DRAFT,
        opened_at=london(10, 5, 21),
        arrested_at=london(10, 5, 20),
        **accepted(utc(10, 5, 23, 30)),
        first_contact_at=london(10, 13, 14),
    )
    # E: gate started 00:30 on 1 September in London (31 August by UTC): September's. Arrested at
    # midnight in London, offered on 2 September: 1 day. First contact 1 working day, signed 7 days
    # later. Terminated on a breach (5 days), charged 10 days after the termination, decided with 72
    # days left, by the decision deadline.
    case(
        "E",
        S.CLOSED_CHARGED,
        opened_at=utc(8, 31, 23, 30),
        arrested_at=utc(8, 31, 23, 0),
        **accepted(london(9, 2, 10)),
        first_contact_at=london(9, 3, 10),
        signed_at=london(9, 10, 10),
        latest_charge_on=date(2026, 12, 31),
        decision_deadline_on=date(2026, 12, 10),
    )
    breach("E", london(10, 1, 10), decided_at=london(10, 6, 10), decision="terminate")
    outcome(
        "E",
        "charged",
        1,
        london(10, 20, 10),
        charge_wording="Assault by beating.",
        charged_on=date(2026, 10, 16),
    )
    # F: 1 day; 1 working day; signed 5 days later; breach decided in 7 days; closed time-barred
    # (Outcome 17) on 16 November, 6 days after its latest charge date.
    case(
        "F",
        S.CLOSED_TIME_BARRED,
        opened_at=london(9, 2, 10),
        arrested_at=london(9, 2, 9),
        **accepted(london(9, 3, 10)),
        first_contact_at=london(9, 4, 10),
        signed_at=london(9, 9, 10),
        latest_charge_on=date(2026, 11, 10),
        decision_deadline_on=date(2026, 10, 20),
    )
    breach("F", london(11, 2, 10), decided_at=london(11, 9, 10), decision="terminate")
    outcome("F", "time_barred", 17, london(11, 16, 10))
    # G: 2 days; Thursday to Monday is 2 working days; signed 7 days later; breach decided in 2 days;
    # closed no further action on 20 November, 2 days after its latest charge date.
    case(
        "G",
        S.CLOSED_ALTERNATIVE,
        opened_at=london(9, 8, 10),
        arrested_at=london(9, 8, 9),
        **accepted(london(9, 10, 10)),
        first_contact_at=london(9, 14, 10),
        signed_at=london(9, 21, 10),
        latest_charge_on=date(2026, 11, 18),
        decision_deadline_on=date(2026, 10, 28),
    )
    breach("G", london(11, 10, 10), decided_at=london(11, 12, 10), decision="terminate")
    outcome("G", "no_further_action", 21, london(11, 20, 10))
    # H: 0 days; referred, never contacted, now awaiting its prosecution decision.
    case(
        "H",
        S.PROSECUTION_DECISION,
        opened_at=london(9, 21, 9),
        arrested_at=london(9, 21, 8),
        **accepted(london(9, 21, 12)),
    )
    # N: 0 days; 1 working day; signed 7 days later; completed, though its limit passed during the
    # contract: not time-barred, and no prosecution decision.
    case(
        "N",
        S.COMPLETED,
        opened_at=london(9, 15, 9),
        arrested_at=london(9, 15, 8),
        **accepted(london(9, 15, 14)),
        first_contact_at=london(9, 16, 10),
        signed_at=london(9, 23, 10),
        latest_charge_on=date(2026, 11, 1),
    )
    outcome("N", "completion", 22, london(11, 20, 10))
    # P: 0 days; waiting for a supervisor to accept the referral: not referred, so no first contact measure.
    case(
        "P",
        S.PENDING_ACCEPTANCE,
        opened_at=london(9, 24, 9),
        arrested_at=london(9, 24, 8),
        **accepted(london(9, 24, 11), referred=False),
    )
    # Q (November's only case): 1 day; referred and still waiting for first contact: not counted there.
    case("Q", S.REFERRED, opened_at=london(11, 20, 9), arrested_at=london(11, 19, 10), **accepted(london(11, 20, 10)))
    # R: no arrest time recorded; never contacted; closed for evidential difficulties on 20 November
    # with 11 days left, after its decision deadline.
    case(
        "R",
        S.CLOSED_EVIDENTIAL,
        opened_at=london(9, 28, 9),
        **accepted(london(9, 28, 10)),
        latest_charge_on=date(2026, 12, 1),
        decision_deadline_on=date(2026, 11, 10),
    )
    outcome("R", "evidential", 15, london(11, 20, 10))
    # M: found time-barred at the gate and not offered; I: declined. Neither accepted an offer.
    case("M", S.INELIGIBLE, opened_at=london(9, 25, 9), offer_outcome="not_offered", offer_reason="time_barred")
    case("I", S.DECLINED, opened_at=london(9, 25, 10), arrested_at=london(9, 25, 8), offer_outcome="declined")

    # Outside the report: J another team's, K withdrawn in error, L opened at 23:30 on 31 July in London.
    outsider = dict(arrested_at=london(9, 1, 9), **accepted(london(9, 1, 10)), first_contact_at=london(9, 2, 10))
    barred = dict(latest_charge_on=date(2026, 11, 1), decision_deadline_on=date(2026, 10, 11))
    case(
        "J",
        S.CLOSED_TIME_BARRED,
        opened_at=london(9, 1, 8),
        on=other_team,
        signed_at=london(9, 3, 10),
        **outsider,
        **barred,
    )
    breach("J", london(10, 1, 10), decided_at=london(10, 30, 10), decision="terminate")
    outcome("J", "time_barred", 17, london(11, 5, 10))
    case("K", S.WITHDRAWN_IN_ERROR, opened_at=london(9, 1, 8), **outsider)
    case("L", S.CLOSED_TIME_BARRED, opened_at=utc(7, 31, 22, 30), **outsider, **barred)
    outcome("L", "time_barred", 17, london(11, 5, 10))
    session.flush()
    return {name: case.reference for name, case in made.items()}


def _scope(session, actor, team_id):
    return report_scope.scope(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, today=REPORT_DAY
    )


def _change_settings(session, team, **changes):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    installed = schemes.settings_on(session, TODAY)
    values = {name: getattr(installed, name) for name in schemes.EDITABLE} | changes
    schemes.change_settings(
        session, actor=admin, values=values, effective_from=TODAY, reason="Checking figures", now=NOW
    )


@pytest.fixture
def threshold_one(session, team):
    """The scheme's administrator sets the suppression threshold to 1 from today, as the settings page
    would: a scope ending today then shows every figure, so each can be checked against the hand count."""
    _change_settings(session, team, suppression_threshold=1)


@pytest.fixture
def report(session, team, supervisor, cohort, threshold_one):
    scope = _scope(session, supervisor, team.id)
    assert scope.threshold == 1
    return timeliness_report.build(session, scope)


def _rows(report, key):
    return {row[0]: row[1:] for row in report.table(key).rows}


def test_cases_that_became_time_barred_come_first_with_their_references(report, cohort):
    assert (report.key, report.title) == ("timeliness", "Timeliness")
    assert report.tables[0].key == "time-barred"
    assert _rows(report, "time-barred") == {
        "Closed as time-barred (Outcome 17)": (1,),  # F (J is another team's, L was opened in July)
        "Closed another way after the latest charge date": (1,),  # G (R was decided before its date)
        "All": (2,),
    }
    assert report.tables[1].key == "time-barred-cases"
    assert report.table("time-barred-cases").rows == (
        (cohort["F"], "10 November 2026", "16 November 2026", "Time-barred"),
        (cohort["G"], "18 November 2026", "20 November 2026", "No further action, with a reason"),
    )


def test_first_contact_in_working_days_against_the_target(report):
    table = report.table("first-contact")
    assert table.headers[1:] == (
        "Within 5 working days",
        "Later",
        "Ended without first contact",
        "Total",
        "Share within the target",
        "Median working days",
        "90th percentile working days",
    )
    # Within: A, B, D, E, F, G, N. Later: C. Never contacted: H, R. (P is not yet referred; Q is waiting.)
    # Working days: A 1, B 1, C 6, D 5, E 1, F 1, G 2, N 1: sorted 1 1 1 1 1 2 5 6.
    assert _rows(report, "first-contact") == {
        "Offer accepted to first contact": (7, 1, 2, 10, Share(7, 10), Days(1), Days(6)),
    }


def test_each_offer_is_measured_against_the_target_in_force_on_its_day(session, team, supervisor, cohort):
    _change_settings(session, team, suppression_threshold=1, first_contact_working_days=3)
    # Z: offered and first seen this morning, under today's 3-day target.
    today = dict(consent_at=london(11, 24, 8), referred_at=london(11, 24, 8), first_contact_at=london(11, 24, 9))
    make_case(session, team=team, state=S.ASSESSMENT, opened_at=london(11, 24, 7), offer_outcome="accepted", **today)
    session.flush()
    report = timeliness_report.build(session, _scope(session, supervisor, team.id))
    table = report.table("first-contact")
    assert table.headers[1] == "Within the target"
    # D took 5 working days in October, under the 5-day target then: still on time.
    assert _rows(report, "first-contact")["Offer accepted to first contact"][:4] == (8, 1, 2, 11)
    assert "The target changed during the range (3 and 5 working days)" in table.notes[0]


def test_the_days_between_the_other_steps(report):
    assert _rows(report, "intervals") == {
        # A 0, B 1, C 4, D 1, E 1, F 1, G 2, H 0, N 0, P 0, Q 1: sorted 0 0 0 0 1 1 1 1 1 2 4.
        "Arrest to offer accepted": (11, Days(1), Days(2)),
        # A 10, B 10, E 7, F 5, G 7, N 7: sorted 5 7 7 7 10 10.
        "First contact to contract signed": (6, Days(7), Days(10)),
        # Breaches A 3 and 1, E 5, F 7, G 2 (A's warned and awaiting breaches are not decided): four people.
        "Breach reported to the supervisor's decision": (4, Days(3), Days(7)),
        # E: terminated 6 October, charged 16 October.
        "Supervisor's decision to terminate to charge": (1, Days(10), Days(10)),
    }


def test_the_margin_left_at_the_prosecution_decision(report):
    # E by its deadline (72 days left); R after its deadline (11); F and G after the latest charge
    # date (-6, -2). N completed: no prosecution decision. Sorted -6 -2 11 72.
    assert _rows(report, "margin") == {"Offences with a time limit": (1, 1, 2, 4, Days(4.5), Days(-6))}


def test_the_trend_puts_each_case_in_its_london_month(report):
    table = report.table("by-month")
    assert table.chart == "trend"
    assert _rows(report, "by-month") == {
        # B alone: E's gate was started on 1 September in London, though 31 August by UTC.
        "2026-08": (Days(1), Days(1), Days(10)),
        # A 0, C 4, E 1, F 1, G 2, H 0, N 0, P 0 | A 1, C 6, E 1, F 1, G 2, N 1 | A 10, E 7, F 5, G 7, N 7
        "2026-09": (Days(0.5), Days(1), Days(7)),
        # D alone, with no contract yet: nothing to measure is hidden as a count of none is.
        "2026-10": (Days(1), Days(5), SUPPRESSED),
        "2026-11": (Days(1), SUPPRESSED, SUPPRESSED),  # Q
    }


def test_with_the_default_threshold_figures_from_fewer_than_five_people_are_hidden(session, team, supervisor, cohort):
    scope = _scope(session, supervisor, team.id)
    assert scope.threshold == 5
    report = timeliness_report.build(session, scope)
    c = SUPPRESSED
    # The time-barred counts are never hidden: they count the service's failures, listed below anyway.
    assert _rows(report, "time-barred") == {
        "Closed as time-barred (Outcome 17)": (1,),
        "Closed another way after the latest charge date": (1,),
        "All": (2,),
    }
    # The list is for following the cases up; its note says it is not for publication.
    assert len(report.table("time-barred-cases").rows) == 2
    assert "not for publication" in report.table("time-barred-cases").notes[0]
    # 7 within; 1 later and 2 never are hidden (two in the row, so neither can be worked out from the total).
    assert _rows(report, "first-contact") == {
        "Offer accepted to first contact": (7, c, c, 10, Share(7, 10), Days(1), Days(6)),
    }
    assert _rows(report, "intervals") == {
        "Arrest to offer accepted": (11, Days(1), Days(2)),
        "First contact to contract signed": (6, Days(7), Days(10)),
        # Five breaches, but from four people: hidden.
        "Breach reported to the supervisor's decision": (c, c, c),
        "Supervisor's decision to terminate to charge": (c, c, c),
    }
    assert _rows(report, "margin") == {"Offences with a time limit": (c, c, c, c, c, c)}
    assert _rows(report, "by-month") == {
        "2026-08": (c, c, c),
        "2026-09": (Days(0.5), Days(1), Days(7)),  # 8, 6 and 5 people
        "2026-10": (c, c, c),
        "2026-11": (c, c, c),
    }
    assert any("[c] means" in note for note in report.table("intervals").notes)


def test_a_performance_lead_sees_every_team_together(session, team, other_team, cohort, threshold_one):
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    report = timeliness_report.build(session, _scope(session, lead, None))
    # J, the other team's, joins F: both closed as time-barred.
    assert _rows(report, "time-barred")["Closed as time-barred (Outcome 17)"] == (2,)
    assert [row[0] for row in report.table("time-barred-cases").rows] == [cohort["J"], cohort["F"], cohort["G"]]


def test_the_report_takes_the_same_three_queries_however_many_cases(session, team, supervisor, cohort):
    scope = _scope(session, supervisor, team.id)
    before = count_statements(session, lambda: timeliness_report.build(session, scope))
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    for day in range(1, 21):
        made = make_case(
            session,
            team=team,
            state=S.ACTIVE,
            opened_at=london(10, day, 9),
            arrested_at=london(10, day, 8),
            consent_at=london(10, day, 10),
            referred_at=london(10, day, 10),
            first_contact_at=london(10, day + 1, 10),
        )
        make_contract(session, case=made, created_by=navigator, signed_at=london(10, day + 3, 10))
    session.flush()
    assert count_statements(session, lambda: timeliness_report.build(session, scope)) == before == 3
    intervals = _rows(timeliness_report.build(session, scope), "intervals")
    assert intervals["Arrest to offer accepted"][0] == 31  # the eleven and the twenty


def test_contact_to_signature_runs_to_the_first_signature_not_a_variations(session, team, supervisor):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    # V: first seen on 8 September, signed on 15 September (7 days), varied and signed again on 1 October.
    varied = make_case(
        session,
        team=team,
        state=S.ACTIVE,
        opened_at=london(9, 7, 10),
        consent_at=london(9, 7, 15),
        referred_at=london(9, 7, 15),
        offer_outcome="accepted",
        first_contact_at=london(9, 8, 11),
    )
    make_contract(session, case=varied, created_by=navigator, status="superseded", signed_at=london(9, 15, 10))
    make_contract(session, case=varied, created_by=navigator, version_number=2, signed_at=london(10, 1, 10))
    session.flush()
    found = timeliness.timeliness(session, _scope(session, supervisor, team.id))
    assert found.contact_to_signature.values == (7,)
