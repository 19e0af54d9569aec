"""The discretionary decisions listing: every override, eligible person not offered, referral not
accepted and breach decision in the scope, with its rationale, checked against a hand count."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Breach
from casework.services import rationales_report, report_scope
from tests.conftest import make_case, make_user
from tests.statements import count_statements

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 24)
IN_RANGE = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def staff(session, team):
    return dict(
        sergeant=make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
        supervisor=make_user(session, roles=[Role.SUPERVISOR], team=team),
        second_supervisor=make_user(session, roles=[Role.SUPERVISOR], team=team),
        navigator=make_user(session, roles=[Role.NAVIGATOR], team=team),
    )


@pytest.fixture
def cohort(session, team, other_team, staff):
    """Cases r1..r11; the comments in the tests name them."""
    sergeant, supervisor = staff["sergeant"], staff["supervisor"]

    def case(state, *, on=team, opened_at=IN_RANGE, **values):
        return make_case(session, team=on, state=state, opened_by=sergeant, opened_at=opened_at, **values)

    def breach(made, kind, *, decided_at=None, **decision):
        session.add(
            Breach(
                case_id=made.id,
                kind=kind,
                status="decided" if decided_at else "review",
                occurred_on=date(2026, 10, 20),
                summary="Recorded.",
                raised_by_id=staff["navigator"].id,
                raised_at=IN_RANGE,
                review_requested_at=IN_RANGE,
                decided_at=decided_at,
                decided_by_id=supervisor.id if decided_at else None,
                **decision,
            )
        )

    S = CaseState
    overridden = dict(provisional_eligible=False, reason_codes=["PREVIOUS_CONVICTIONS", "DENIES_OFFENCE"])
    r1 = case(
        S.REFERRED,
        **overridden,
        override_rationale="Convictions are over ten years old; admitted in interview.",
        overridden_by_id=sergeant.id,
    )
    r2 = case(
        S.INELIGIBLE,
        provisional_eligible=True,
        offer_outcome="not_offered",
        offer_reason="officer_discretion",
        offer_reason_detail="Victim asked for a charge.",
        closed_at=datetime(2026, 10, 12, 9, 0, tzinfo=UTC),
    )
    r3 = case(  # overridden by a supervisor, then not offered: two steps
        S.INELIGIBLE,
        provisional_eligible=False,
        reason_codes=["GRAVITY_TOO_HIGH"],
        override_rationale="Gravity scored on the wrong offence.",
        overridden_by_id=supervisor.id,
        offer_outcome="not_offered",
        offer_reason="custody_likely",
        offer_reason_detail="Likely prison on a further matter.",
        closed_at=datetime(2026, 10, 13, 9, 0, tzinfo=UTC),
    )
    case(  # r4: not eligible, no override: the checklist decided, not a person
        S.INELIGIBLE,
        provisional_eligible=False,
        reason_codes=["OUT_OF_AREA"],
        offer_outcome="not_offered",
        offer_reason="ineligible",
    )
    case(S.DECLINED, provisional_eligible=True, offer_outcome="declined", offer_reason="legal_advice")  # r5
    r6 = case(  # accepted the offer; a supervisor refused the referral
        S.INELIGIBLE,
        provisional_eligible=True,
        offer_outcome="accepted",
        accepted_by_id=staff["second_supervisor"].id,
        accepted_at=datetime(2026, 10, 11, 15, 0, tzinfo=UTC),
        offer_reason_detail="Address could not be verified.",
    )
    r7 = case(S.ACTIVE)
    # 23:30 UTC on Saturday 24 October is 00:30 on Sunday 25 October in London (still summer time).
    absence = dict(decision="final_warning", decision_rationale="Second absence; first since the warning.")
    breach(r7, "unacceptable_absence", decided_at=datetime(2026, 10, 24, 23, 30, tzinfo=UTC), **absence)
    breach(r7, "condition_not_met")  # awaiting the decision: nothing decided yet
    r8 = case(S.PROSECUTION_DECISION)
    # Decided after the range ends: the case's gate was started in it, so it is listed.
    withdrawn = dict(decision="terminate", decision_rationale="Withdrew consent at the review.")
    breach(r8, "withdrawal", decided_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC), **withdrawn)
    # r9 another team's, r10 withdrawn in error, r11 opened before the range: none listed.
    case(S.REFERRED, on=other_team, **overridden, override_rationale="Other team.", overridden_by_id=sergeant.id)
    case(S.WITHDRAWN_IN_ERROR, **overridden, override_rationale="Opened twice.", overridden_by_id=sergeant.id)
    r11 = case(S.ACTIVE, opened_at=datetime(2026, 9, 15, 10, 0, tzinfo=UTC))
    breach(r11, "conduct", decided_at=datetime(2026, 10, 20, 10, 0, tzinfo=UTC), **absence)
    session.flush()
    return dict(r1=r1, r2=r2, r3=r3, r6=r6, r7=r7, r8=r8)


def _report(session, actor, team):
    scope = report_scope.scope(session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id)
    return rationales_report.build(session, scope)


def test_every_discretionary_step_is_listed_newest_first_with_its_rationale(session, team, staff, cohort):
    report = _report(session, staff["supervisor"], team)
    assert (report.key, report.title) == ("rationales", "Discretionary decisions")
    table = report.table("decisions")
    assert table.headers == ("Date decided", "Case", "Step", "Decision", "Decided by", "Rationale")
    r = {name: made.reference for name, made in cohort.items()}
    assert table.rows == (
        (
            "2 November 2026",
            r["r8"],
            "Breach decision: withdrawal or refusal",
            "Terminate the contract",
            "Supervisor",
            "Withdrew consent at the review.",
        ),
        (
            "25 October 2026",  # London's date for 23:30 UTC on 24 October
            r["r7"],
            "Breach decision: unacceptable absence",
            "Final warning",
            "Supervisor",
            "Second absence; first since the warning.",
        ),
        (
            "13 October 2026",
            r["r3"],
            "Not offered though eligible",
            "Eligible, but a custodial sentence is likely",
            "Custody sergeant or supervisor",  # the case does not record who
            "Likely prison on a further matter.",
        ),
        (
            "12 October 2026",
            r["r2"],
            "Not offered though eligible",
            "Eligible, but not offered (officer's discretion)",
            "Custody sergeant or supervisor",
            "Victim asked for a charge.",
        ),
        (
            "11 October 2026",
            r["r6"],
            "Referral decision",
            "Referral not accepted",
            "Supervisor",
            "Address could not be verified.",
        ),
        (
            "10 October 2026",  # overrides show the day the gate was started
            r["r1"],
            "Eligibility override",
            "Eligible, overriding: previous convictions, denies offence",
            "Custody sergeant",
            "Convictions are over ten years old; admitted in interview.",
        ),
        (
            "10 October 2026",
            r["r3"],
            "Eligibility override",
            "Eligible, overriding: gravity too high",
            "Supervisor",
            "Gravity scored on the wrong offence.",
        ),
    )
    # Roles, never names.
    names = {user.full_name for user in staff.values()}
    assert not any(cell in names or any(name in str(cell) for name in names) for row in table.rows for cell in row)
    assert not any(note.startswith("The newest") for note in table.notes)  # all seven shown


def test_a_long_listing_shows_the_newest_and_says_how_many_more(session, team, staff, cohort, monkeypatch):
    monkeypatch.setattr(rationales_report, "LIMIT", 3)
    table = _report(session, staff["supervisor"], team).table("decisions")
    assert [row[0] for row in table.rows] == ["2 November 2026", "25 October 2026", "13 October 2026"]
    assert table.notes[0] == "The newest 3 of 7 decisions are shown: narrow the dates to see the rest."


def test_a_performance_lead_sees_every_teams_decisions(session, team, other_team, staff, cohort):
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    scope = report_scope.scope(session, actor=lead, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=None)
    rationales = [row[-1] for row in rationales_report.build(session, scope).table("decisions").rows]
    assert len(rationales) == 8 and "Other team." in rationales  # r9 joins the seven


def test_an_empty_range_lists_nothing(session, team, staff, cohort):
    scope = report_scope.scope(
        session, actor=staff["supervisor"], first_day=date(2026, 1, 1), last_day=date(2026, 1, 31), team_id=team.id
    )
    assert rationales_report.build(session, scope).table("decisions").rows == ()


def test_the_listing_takes_the_same_two_queries_however_many_decisions(session, team, staff, cohort):
    scope = report_scope.scope(
        session, actor=staff["supervisor"], first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id
    )

    def run():
        rationales_report.build(session, scope)

    before = count_statements(session, run)
    for number in range(10):
        decider = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
        make_case(
            session,
            team=team,
            state=CaseState.REFERRED,
            opened_at=IN_RANGE,
            opened_by=decider,
            provisional_eligible=False,
            reason_codes=["PREVIOUS_CONVICTIONS"],
            override_rationale=f"Override number {number}.",
            overridden_by_id=decider.id,
        )
    session.flush()
    assert count_statements(session, run) == before == 2
    assert len(_report(session, staff["supervisor"], team).table("decisions").rows) == 17
