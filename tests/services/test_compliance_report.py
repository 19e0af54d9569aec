"""The compliance and change report, checked against a hand count of a small cohort (k1-k7 in the
team, x1-x3 outside the report), with the suppression threshold set to 1 so every figure shows,
and at the scheme's default of 5 to see what is hidden.

With any threshold, a zero is hidden like a small count (domain/suppression.py), and in a table
whose rows add up to a total a second cell is then hidden beside it: the expected rows below
say where.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import SUPPRESSED, SUPPRESSED_NOTE, Share
from casework.domain.roles import Role
from casework.models import (
    AssessmentDomain,
    Breach,
    BreachWarning,
    Condition,
    PartnerService,
    Referral,
    ReferralUpdate,
)
from casework.services import compliance_report, report_scope, schemes
from tests.check_ins import make_check_in
from tests.conftest import NOW, REPORT_DAY, make_assessment, make_case, make_contract, make_user
from tests.statements import count_statements

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 31)
IN_RANGE = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)
BEFORE_THE_RANGE = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)
C = SUPPRESSED


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


def threshold(session, value: int) -> None:
    """The scheme's setting, as an administrator would change it."""
    schemes.settings_on(session, LAST_DAY).suppression_threshold = value
    session.flush()


class Cohort:
    """Builds cases with what the report reads about them."""

    def __init__(self, session, team, supervisor):
        self.session, self.team, self.supervisor = session, team, supervisor
        self.navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
        self.sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)

    def case(self, state, *, team=None, opened_at=IN_RANGE, signed=True):
        made = make_case(
            self.session, team=team or self.team, state=state, opened_at=opened_at, opened_by=self.sergeant
        )
        contract = make_contract(self.session, case=made, created_by=self.navigator) if signed else None
        return made, contract

    def partner(self, name, *, team=None):
        service = PartnerService(
            team_id=(team or self.team).id, name=name, pathway="drugs", phone="0191 000 0000", data_accepted="Name"
        )
        self.session.add(service)
        self.session.flush()
        return service

    def pathway(self, contract, partner, status):
        waiver = (
            dict(waived_by_id=self.supervisor.id, waived_at=NOW, waiver_reason="The service closed.")
            if status == "waived"
            else {}
        )
        contract.conditions.append(
            Condition(
                position=len(contract.conditions) + 1,
                type="pathway",
                wording="Attend the service.",
                rule="sessions",
                target=2,
                due_on=NOW.date(),
                partner_service_id=partner.id,
                status=status,
                **waiver,
            )
        )
        self.session.flush()

    def education(self, contract, status):
        course = contract.conditions[1]
        course.status = status
        if status == "waived":
            course.waived_by_id, course.waived_at, course.waiver_reason = self.supervisor.id, NOW, "Course cancelled."
        self.session.flush()

    def offending(self, contract, status):
        contract.conditions[0].status = status
        self.session.flush()

    def breach(self, case, kind, *, warnings=(), check_in=None):
        breach = Breach(
            case_id=case.id,
            kind=kind,
            status="warned" if warnings else "open",
            occurred_on=NOW.date(),
            summary="Recorded.",
            raised_at=NOW,
            check_in_id=check_in.id if check_in else None,
        )
        self.session.add(breach)
        self.session.flush()
        for level in warnings:
            self.session.add(
                BreachWarning(
                    case_id=case.id,
                    breach_id=breach.id,
                    level=level,
                    reason="Warned.",
                    issued_by_id=self.navigator.id,
                    issued_at=NOW,
                    language="en",
                )
            )
        self.session.flush()

    def check_in(self, case, outcome):
        extra = {
            "late": dict(late_minutes=20, late_reason="Bus was late."),
            "acceptable_absence": dict(absence_reason="medical"),
            "pending_explanation": dict(explanation_due_on=NOW.date()),
            "not_held_service_reason": dict(service_reason="The navigator was ill."),
        }.get(outcome, {})
        return make_check_in(
            self.session,
            case=case,
            at=NOW - timedelta(days=3),
            by=self.navigator,
            outcome=outcome,
            outcome_recorded_at=NOW,
            outcome_recorded_by_id=self.navigator.id,
            **extra,
        )

    def needs(self, case, stage, levels, *, completed=True):
        assessment = make_assessment(self.session, case=case, stage=stage, by=self.navigator, completed=completed)
        for domain, level in levels.items():
            self.session.add(
                AssessmentDomain(
                    assessment_id=assessment.id, domain=domain, need_level=level, linked_to_offending=level > 1
                )
            )
        self.session.flush()

    def referral(self, case, partner, *statuses):
        referral = Referral(
            case_id=case.id,
            partner_service_id=partner.id,
            need_domain="drugs",
            sent_on=NOW.date(),
            method="secure_email",
            data_shared=["name"],
            consent_recorded=True,
            status=statuses[-1] if statuses else "sent",
            created_by_id=self.navigator.id,
            created_at=NOW,
        )
        self.session.add(referral)
        self.session.flush()
        for status in ("sent", *statuses):
            self.session.add(
                ReferralUpdate(
                    referral_id=referral.id,
                    status=status,
                    happened_on=NOW.date(),
                    recorded_by_id=self.navigator.id,
                    recorded_at=NOW,
                )
            )
        self.session.flush()


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    S = CaseState
    build = Cohort(session, team, supervisor)
    recovery, housing = build.partner("Recovery Steps"), build.partner("Open Door Housing")

    # k1: completed; no warnings; every condition met (no further offending kept to the end).
    k1, contract = build.case(S.COMPLETED)
    build.education(contract, "met")
    build.pathway(contract, recovery, "met")
    build.check_in(k1, "attended_complied")
    build.check_in(k1, "attended_complied")
    build.needs(k1, "entry", {"drugs": 3, "alcohol": 2})
    build.needs(k1, "exit", {"drugs": 1, "alcohol": 2})
    build.referral(k1, recovery, "acknowledged", "appointment_offered", "attended", "completed")
    build.referral(k1, recovery)  # a second referral to the same service: still one person

    # k2: completed; one warning; the course waived; two pathway conditions, met and waived.
    k2, contract = build.case(S.COMPLETED)
    build.education(contract, "waived")
    build.pathway(contract, housing, "met")
    build.pathway(contract, recovery, "waived")
    build.check_in(k2, "acceptable_absence")
    build.check_in(k2, "late")
    build.breach(k2, "unacceptable_absence", warnings=["formal"], check_in=build.check_in(k2, "unacceptable_absence"))
    build.needs(k2, "entry", {"drugs": 2, "alcohol": 1})
    build.needs(k2, "exit", {"drugs": 2, "alcohol": 2})
    build.referral(k2, housing, "waitlisted")

    # k3: terminated, charged; three warnings on three breaches. Its first contract version was
    # replaced by a variation that moved its pathway condition from one service to another: only
    # the version in force counts.
    k3, superseded = build.case(S.CLOSED_CHARGED)
    superseded.status = "superseded"
    build.education(superseded, "met")
    build.pathway(superseded, housing, "in_progress")
    contract = make_contract(session, case=k3, created_by=build.navigator, version_number=2)
    build.offending(contract, "not_met")
    build.education(contract, "in_progress")
    build.pathway(contract, recovery, "at_risk")
    for warnings in (["formal"], ["final"]):
        missed = build.check_in(k3, "unacceptable_absence")
        build.breach(k3, "unacceptable_absence", warnings=warnings, check_in=missed)
    build.breach(k3, "condition_not_met", warnings=["formal"])
    build.breach(k3, "new_offence")
    build.check_in(k3, "pending_explanation")
    build.needs(k3, "entry", {"drugs": 3, "alcohol": 3})
    build.needs(k3, "exit", {"drugs": 0, "alcohol": 0}, completed=False)  # a draft: not an exit score
    build.referral(k3, recovery, "acknowledged", "appointment_offered", "did_not_attend", "declined")

    # k4: terminated, awaiting the prosecution decision; two warnings on one conduct breach.
    k4, _ = build.case(S.PROSECUTION_DECISION)
    build.breach(k4, "conduct", warnings=["formal", "final"])
    build.check_in(k4, "attended_not_complied")
    build.needs(k4, "entry", {"drugs": 2, "alcohol": 0})
    build.needs(k4, "exit", {"drugs": 3, "alcohol": 0})

    # k5: still running; one warning; a cancelled and a future check-in, neither with an outcome.
    k5, _ = build.case(S.ACTIVE)
    build.breach(k5, "unacceptable_absence", warnings=["formal"], check_in=build.check_in(k5, "unacceptable_absence"))
    cancelled = make_check_in(session, case=k5, at=NOW, by=build.navigator)
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Moved.", "person"
    make_check_in(session, case=k5, at=NOW + timedelta(days=7), by=build.navigator)
    build.needs(k5, "entry", {"drugs": 1, "alcohol": 0})
    build.needs(k5, "exit", {"drugs": 0, "alcohol": 1})
    build.referral(k5, housing)

    # k6: no first contact, so terminated without a contract; its referral was declined.
    k6, _ = build.case(S.TERMINATED, signed=False)
    build.referral(k6, recovery, "declined")

    # k7: a contract still in draft: nothing signed, no conditions in force.
    k7, _ = build.case(S.CONTRACT_DRAFT, signed=False)
    make_contract(session, case=k7, created_by=build.navigator, status="draft")

    # x1: withdrawn in error; x2: the other team's; x3: opened before the range. None is counted.
    x1, _ = build.case(S.WITHDRAWN_IN_ERROR)
    build.breach(x1, "withdrawal")
    hilltop = build.partner("Hilltop Advice", team=other_team)
    x2, contract = build.case(S.ACTIVE, team=other_team)
    build.breach(x2, "withdrawal", warnings=["formal"])
    build.check_in(x2, "not_held_service_reason")
    build.pathway(contract, hilltop, "met")
    build.referral(x2, hilltop, "acknowledged")
    x3, _ = build.case(S.COMPLETED, opened_at=BEFORE_THE_RANGE)
    build.breach(x3, "withdrawal")
    session.flush()


def _report(session, actor, team_id):
    scope = report_scope.scope(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, today=REPORT_DAY
    )
    return compliance_report.build(session, scope)


def _rows(report, key):
    return {row[0]: row[1:] for row in report.table(key).rows}


def test_the_completion_rate_is_of_the_contracts_that_ended(session, team, supervisor, cohort):
    threshold(session, 1)
    report = _report(session, supervisor, team.id)
    assert (report.key, report.title) == ("compliance", "Compliance and change")
    assert _rows(report, "completion") == {
        "Completed": (2, Share(2, 4)),  # k1, k2 of the four that ended (k6 never signed)
        "Terminated": (2, Share(2, 4)),  # k3, k4
        "Contract still running": (1, None),  # k5
        "All": (5, None),
    }


def test_warnings_per_signed_case(session, team, supervisor, cohort):
    threshold(session, 1)
    table = _report(session, supervisor, team.id).table("warnings")
    assert {row[0]: row[1:] for row in table.rows} == {
        "No warnings": (1, Share(1, 5)),  # k1
        "1 warning": (2, Share(2, 5)),  # k2, k5
        "2 warnings": (1, Share(1, 5)),  # k4
        "3 or more warnings": (1, Share(1, 5)),  # k3
        "All": (5, Share(5, 5)),
    }
    # 0 + 1 + 3 + 2 + 1 warnings over 5 signed cases
    assert "Mean warnings per signed case, formal and final alike: 1.4." in table.notes


def test_breaches_by_type(session, team, supervisor, cohort):
    threshold(session, 1)
    assert _rows(_report(session, supervisor, team.id), "breaches") == {
        "New offence reported": (1, 1, Share(1, 5)),  # k3
        "Unacceptable absence": (3, 4, Share(3, 5)),  # k2, k3 twice, k5
        "Condition not met by its due date": (1, 1, Share(1, 5)),  # k3
        "Conduct": (1, 1, Share(1, 5)),  # k4
        "Withdrawal or refusal": (C, C, C),  # none in the team's range: a zero is hidden too
    }


def test_check_in_absences_acceptable_and_not(session, team, supervisor, cohort):
    threshold(session, 1)
    assert _rows(_report(session, supervisor, team.id), "check-ins") == {
        "Attended and complied": (1, 2),  # k1 twice
        "Attended but did not comply": (1, 1),  # k4
        "Attended late": (1, 1),  # k2
        "Did not attend: awaiting an explanation": (1, 1),  # k3
        "Acceptable absence": (1, 1),  # k2
        "Unacceptable absence": (3, 4),  # k2, k3 twice, k5 (k5's cancelled and future ones have no outcome)
        "Not held for a service reason": (C, C),  # only x2, the other team's
    }


def test_conditions_by_type_count_each_person_once_by_their_worst(session, team, supervisor, cohort):
    threshold(session, 1)
    rows = _rows(_report(session, supervisor, team.id), "conditions")
    # Columns: met, not met, waived, still open, total, share met. Every row has a zero somewhere,
    # hidden, and so a second count is hidden beside it (the smallest; the leftmost of equals).
    # No further offending: met k1, k2 (kept to completion); not met k3; open k4, k5; none waived.
    assert rows["No further offending"] == (2, C, C, 2, 5, Share(2, 5))
    # Course: met k1; waived k2; open k3, k4, k5 (k3's met course was in the superseded version).
    assert rows["Education course"] == (C, C, 1, 3, 5, C)
    # Pathway: met k1; waived k2 (met at one service, waived at another); open k3.
    assert rows["Pathway (support for a need)"] == (C, C, 1, 1, 3, C)
    assert rows["Community hours"] == (C, C, C, C, C, C)  # nobody had one
    assert len(rows) == 8  # every condition type, in the contract's own order


def test_conditions_by_partner(session, team, supervisor, cohort):
    threshold(session, 1)
    assert _rows(_report(session, supervisor, team.id), "conditions-by-partner") == {
        "Open Door Housing": (1, C, C, C, 1, Share(1, 1)),  # k2 (k3's was in the superseded version)
        # met k1, waived k2, open k3: the zero (not met) and the smallest beside it hidden
        "Recovery Steps": (C, C, 1, 1, 3, C),
    }


def test_need_at_entry_against_exit(session, team, supervisor, cohort):
    threshold(session, 1)
    table = _report(session, supervisor, team.id).table("needs")
    rows = {row[0]: row[1:] for row in table.rows}
    # Columns: lower, same, higher, total, mean at entry, mean at exit, entry with no exit yet.
    # Drugs: k1 3->1 and k5 1->0 lower, k2 2->2 same, k4 2->3 higher; k3 has only a draft exit.
    assert rows["Drug misuse"] == (2, 1, 1, 4, "2.0", "1.5", 1)
    # Alcohol: k2 1->2 and k5 0->1 higher, k1 2->2 and k4 0->0 same, none lower: the zero and the
    # smaller of the equal counts beside it are hidden, and the means with them.
    assert rows["Alcohol misuse"] == (C, C, 2, 4, C, C, 1)
    assert rows["Gambling"] == (C,) * 7  # nobody was scored for it
    assert len(rows) == 15


def test_referral_uptake_by_partner(session, team, supervisor, cohort):
    threshold(session, 1)
    # Columns: referred, acknowledged, attended, did not attend, completed, declined, share attended.
    assert _rows(_report(session, supervisor, team.id), "referrals") == {
        "Open Door Housing": (2, 1, C, C, C, C, C),  # k2 (waitlisted), k5 (sent)
        # k1 (completed, and a second referral), k3 (did not attend, then declined), k6 (declined)
        "Recovery Steps": (3, 2, 1, 1, 1, 2, Share(1, 3)),
    }


def test_at_the_default_threshold_no_figure_counts_fewer_than_five(session, team, supervisor, cohort):
    report = _report(session, supervisor, team.id)
    assert _rows(report, "completion") == {
        "Completed": (C, C),
        "Terminated": (C, C),
        "Contract still running": (C, None),
        "All": (5, None),  # k1-k5
    }
    warnings = report.table("warnings")
    assert "Mean warnings per signed case, formal and final alike: [c]." in warnings.notes
    assert SUPPRESSED_NOTE.format(threshold=5) in warnings.notes
    for table in report.tables:
        for row in table.rows:
            for cell in row[1:]:
                assert not (isinstance(cell, int) and cell < 5), (table.key, row)
                assert not (isinstance(cell, Share) and min(cell.count, cell.of) < 5), (table.key, row)
                # A mean is shown only beside counts that are all shown: here none is.
                assert not isinstance(cell, str), (table.key, row)


def test_another_teams_cases_are_not_counted(session, team, other_team, supervisor, cohort):
    threshold(session, 1)
    own = _report(session, supervisor, team.id)
    assert _rows(own, "breaches")["Withdrawal or refusal"] == (C, C, C)  # x2's is the other team's
    assert "Hilltop Advice" not in _rows(own, "referrals")
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    every = _report(session, lead, None)
    assert _rows(every, "completion")["All"] == (6, None)  # k1-k5 and x2
    assert _rows(every, "breaches")["Withdrawal or refusal"] == (1, 1, Share(1, 6))  # x2 (not x1, x3)
    # Across teams a service is named with its team: each team keeps its own directory.
    assert _rows(every, "referrals")["Hilltop Advice (Darlington test team)"][:2] == (1, 1)
    assert _rows(every, "conditions-by-partner")["Hilltop Advice (Darlington test team)"][0] == 1


def test_the_report_takes_the_same_few_queries_however_many_cases(session, team, supervisor, cohort):
    scope = report_scope.scope(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, today=REPORT_DAY
    )

    def run():
        compliance_report.build(session, scope)

    before = count_statements(session, run)
    build = Cohort(session, team, supervisor)
    partner = build.partner("Second Chance Trust")
    for _ in range(10):
        made, contract = build.case(CaseState.ACTIVE)
        build.pathway(contract, partner, "in_progress")
        build.breach(
            made, "unacceptable_absence", warnings=["formal"], check_in=build.check_in(made, "unacceptable_absence")
        )
        build.needs(made, "entry", {"drugs": 2})
        build.referral(made, partner, "acknowledged")
    assert count_statements(session, run) == before == 7
    threshold(session, 1)
    assert _rows(_report(session, supervisor, team.id), "completion")["All"] == (15, None)
