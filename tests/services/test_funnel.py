"""The funnel from the custody gate to the outcome, checked against a hand count of a small cohort."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.domain.errors import NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.domain.suppression import suppress
from casework.models import Breach, CaseOutcome, PersonMonitoring
from casework.services import funnel, report_scope
from tests.conftest import NOW, REPORT_DAY, make_case, make_contract, make_person, make_user
from tests.statements import count_statements

# October 2026 in London. British Summer Time ends at 01:00 UTC on Sunday 25 October, so 23:30 UTC
# on Saturday 24 October is already Sunday in London, and 23:30 UTC on 30 September is 1 October.
FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 24)
IN_RANGE = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)
FIRST_LONDON_HOUR = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)
LAST_LONDON_DAY_ENDED = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
BEFORE_THE_RANGE = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)
ACCEPTED = dict(offer_outcome="accepted")
CONTACTED = dict(ACCEPTED, first_contact_at=IN_RANGE)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    """Cases c1..c18; the comments in the tests name them."""
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)

    def case(state, *, opened_at=IN_RANGE, on=team, dob=date(1980, 6, 1), monitoring=None, **values):
        person = make_person(session, creator=sergeant, date_of_birth=dob)
        if monitoring:
            ethnicity, sex, disability = monitoring
            session.add(
                PersonMonitoring(
                    person_id=person.id, ethnicity=ethnicity, sex=sex, disability=disability, recorded_at=NOW
                )
            )
        return make_case(session, team=on, state=state, person=person, opened_at=opened_at, **values)

    def signed(state, **values):
        made = case(state, **CONTACTED, **values)
        make_contract(session, case=made, created_by=supervisor)
        return made

    def outcome(made, route, code):
        session.add(
            CaseOutcome(
                case_id=made.id,
                route=route,
                code=code,
                rationale="Recorded.",
                decided_by_id=supervisor.id,
                decided_at=NOW,
                effective_on=NOW.date(),
            )
        )

    S = CaseState
    case(S.ELIGIBILITY_DRAFT)  # c1: checklist not finished
    not_offered = dict(offer_outcome="not_offered", offer_reason="ineligible")
    case(
        S.INELIGIBLE,
        provisional_eligible=False,
        reason_codes=["PREVIOUS_CONVICTIONS", "GRAVITY_TOO_HIGH"],
        **not_offered,
    )  # c2
    case(S.INELIGIBLE, provisional_eligible=False, reason_codes=["PREVIOUS_CONVICTIONS"], **not_offered)  # c3
    case(  # c4: eligible, not offered
        S.INELIGIBLE,
        provisional_eligible=True,
        offer_outcome="not_offered",
        offer_reason="officer_discretion",
        offer_reason_detail="Victim is a family member.",
    )
    case(S.DECLINED, provisional_eligible=True, offer_outcome="declined", offer_reason="legal_advice")  # c5
    case(  # c6: found ineligible, overridden, then declined
        S.DECLINED,
        provisional_eligible=False,
        reason_codes=["DENIES_OFFENCE"],
        override_rationale="Admitted later.",
        overridden_by_id=supervisor.id,
        offer_outcome="declined",
        offer_reason="wants_to_contest",
    )
    case(S.REFERRED, **ACCEPTED)  # c7
    case(S.ASSESSMENT, **CONTACTED)  # c8
    c9 = signed(S.ACTIVE, monitoring=("black_caribbean", "male", "yes"))
    c10 = signed(S.COMPLETED, monitoring=("white_british", "female", "no"))
    outcome(c10, "completion", 22)
    c11 = signed(S.CLOSED_EVIDENTIAL)
    outcome(c11, "evidential", 15)
    c12 = signed(S.PROSECUTION_DECISION)  # terminated, decision still to make
    # c18: never made first contact, so ended for a prosecution decision without a contract
    outcome(case(S.CLOSED_EVIDENTIAL, **ACCEPTED), "evidential", 15)
    c13 = signed(S.WITHDRAWN_IN_ERROR)  # never a decision about anyone
    # c14: 1 October in London, the day of a 25th birthday (still 24 on the UTC date)
    case(
        S.INELIGIBLE,
        opened_at=FIRST_LONDON_HOUR,
        dob=date(2001, 10, 1),
        provisional_eligible=False,
        reason_codes=["OUT_OF_AREA"],
    )
    signed(S.ACTIVE, opened_at=LAST_LONDON_DAY_ENDED)  # c15: 25 October in London
    signed(S.ACTIVE, on=other_team)  # c16
    signed(S.ACTIVE, opened_at=BEFORE_THE_RANGE)  # c17: 30 September in London
    session.flush()
    return dict(c9=c9, c10=c10, c11=c11, c12=c12, c13=c13)


def _funnel(session, actor, team_id):
    scope = report_scope.scope(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, today=REPORT_DAY
    )
    return funnel.funnel(session, scope)


def _counts(result):
    return {stage.key: stage.count for stage in result.stages}


def test_every_stage_counts_the_cases_that_passed_it(session, team, supervisor, cohort):
    result = _funnel(session, supervisor, team.id)
    assert _counts(result) == {
        "gate_started": 14,  # c1-c12, c14, c18 (c13 withdrawn in error; c15, c16, c17 outside)
        "eligible": 10,  # c4-c12, c18 (c6 by override)
        "offered": 9,  # c5-c12, c18
        "accepted": 7,  # c7-c12, c18
        "first_contact": 5,  # c8-c12
        "signed": 4,  # c9-c12
        "completed": 1,  # c10
        "terminated": 2,  # c11, c12
        "outcome": 2,  # c10, c11 (c18 has an outcome but never signed)
    }
    shares = {stage.key: (stage.count, stage.previous) for stage in result.stages}
    assert shares["eligible"] == (10, 14)
    assert shares["first_contact"] == (5, 7)
    assert shares["terminated"] == (2, 4)  # of those signed
    assert shares["outcome"] == (2, 3)  # of those completed or terminated
    assert result.stages[0].share is None


def test_the_reasons_people_left(session, team, supervisor, cohort):
    result = _funnel(session, supervisor, team.id)
    # c2 and c3; c2; c14. c6's reason was overridden, so it is not a reason anyone left.
    assert result.ineligible_reasons == {"GRAVITY_TOO_HIGH": 1, "OUT_OF_AREA": 1, "PREVIOUS_CONVICTIONS": 2}
    assert result.not_offered_reasons == {"officer_discretion": 1}  # c4 (c2, c3 were not eligible)
    assert result.declined_reasons == {"legal_advice": 1, "wants_to_contest": 1}  # c5, c6
    # c11, c10: the outcomes of those who signed (c12 awaits its decision; c18 never signed)
    assert result.outcome_codes == {15: 1, 22: 1}


def test_another_teams_funnel_is_refused(session, other_team, cohort):
    outsider = make_user(session, roles=[Role.SUPERVISOR])
    with pytest.raises(NotFound):
        _funnel(session, outsider, other_team.id)


def test_a_performance_lead_sees_every_team_together(session, team, other_team, cohort):
    lead = make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)
    assert _counts(_funnel(session, lead, team.id))["gate_started"] == 14
    # c16 is the other team's only case in the range.
    assert _counts(_funnel(session, lead, None))["gate_started"] == 15


def test_each_split_by_group_adds_up_to_the_totals(session, team, supervisor, cohort):
    result = _funnel(session, supervisor, team.id)
    totals = [stage.count for stage in result.stages]
    for table in result.by_group.values():
        assert [sum(column) for column in zip(*table.counts, strict=True)] == totals, table.grouping
        suppress(table.counts, row_totals=False)  # the shape the suppression rules take
    by_ethnicity = dict(zip(result.by_group["ethnicity"].groups, result.by_group["ethnicity"].counts, strict=True))
    assert by_ethnicity["black"] == (1, 1, 1, 1, 1, 1, 0, 0, 0)  # c9, still on its contract
    assert by_ethnicity["white"] == (1, 1, 1, 1, 1, 1, 1, 0, 1)  # c10, completed
    assert set(by_ethnicity) == {"black", "white", "not_stated"}
    by_age = dict(zip(result.by_group["age_band"].groups, result.by_group["age_band"].counts, strict=True))
    assert by_age["25_34"] == (1, 0, 0, 0, 0, 0, 0, 0, 0)  # c14, 25 on its London day
    assert by_age["45_54"][0] == 13
    assert "18_24" not in by_age


def test_the_funnel_takes_the_same_few_queries_however_many_cases(session, team, supervisor, cohort):
    scope = report_scope.scope(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, today=REPORT_DAY
    )

    def run():
        funnel.funnel(session, scope)

    before = count_statements(session, run)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    for _ in range(10):
        make_case(session, team=team, state=CaseState.ACTIVE, opened_at=IN_RANGE, opened_by=sergeant, **CONTACTED)
    session.flush()
    assert count_statements(session, run) == before <= 4
    assert _counts(_funnel(session, supervisor, team.id))["accepted"] == 17  # c7-c12, c18 and the ten


def test_the_breach_stages_count_the_signed_who_breached_and_those_then_sent_for_a_decision(
    session, team, supervisor, cohort
):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)

    def breach(case, kind, **decided):
        session.add(
            Breach(
                case_id=case.id,
                kind=kind,
                status="decided" if decided else "open",
                occurred_on=NOW.date(),
                summary="Recorded.",
                raised_by_id=navigator.id,
                raised_at=NOW,
                **decided,
            )
        )

    terminate = dict(decision="terminate", decision_rationale="Second failure.", decided_by_id=supervisor.id)
    breach(cohort["c9"], "unacceptable_absence")  # still on the contract
    breach(cohort["c9"], "condition_not_met")  # a second breach: c9 is still one person
    breach(cohort["c11"], "new_offence", decided_at=NOW, **terminate)  # terminated on the breach
    breach(cohort["c12"], "withdrawal", decided_at=NOW, **terminate)  # withdrew: the person's choice
    breach(cohort["c13"], "conduct")  # withdrawn in error: outside every count
    session.flush()
    scope = report_scope.scope(
        session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id, today=REPORT_DAY
    )

    tables = funnel.by_group(session, scope, funnel.stage_flags(with_breaches=True))
    sexes = tables["sex"]
    assert sexes.columns[-2:] == ("breached", "prosecuted_after_breach")
    assert sum(sexes.count(sex, "breached") for sex in sexes.groups) == 2  # c9, c11
    assert sum(sexes.count(sex, "prosecuted_after_breach") for sex in sexes.groups) == 1  # c11
    assert sexes.count("male", "breached") == 1  # c9
    assert sexes.count("female", "breached") == 0  # c10 completed without a breach
    assert sexes.count("nobody", "breached") == 0
    # The funnel itself is unchanged by them.
    assert len(_funnel(session, supervisor, team.id).by_group["sex"].counts[0]) == len(funnel.STAGES)


def test_the_trend_counts_each_case_in_its_london_month(session, team, supervisor, cohort):
    result = _funnel(session, supervisor, team.id)
    # c14 was opened at 23:30 UTC on 30 September, 00:30 in London on 1 October: October's.
    assert result.by_month == {"2026-10": tuple(stage.count for stage in result.stages)}


def test_a_varied_contract_counts_its_case_once_and_an_unsigned_draft_not_at_all(session, team, supervisor):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)

    def contacted(state):
        return make_case(session, team=team, state=state, opened_at=IN_RANGE, opened_by=sergeant, **CONTACTED)

    varied = contacted(CaseState.ACTIVE)  # v1 signed, then varied: v2 signed
    make_contract(session, case=varied, created_by=supervisor, status="superseded")
    make_contract(session, case=varied, created_by=supervisor, version_number=2)
    completed = contacted(CaseState.COMPLETED)  # varied twice, then completed
    make_contract(session, case=completed, created_by=supervisor, status="superseded")
    make_contract(session, case=completed, created_by=supervisor, status="superseded", version_number=2)
    make_contract(session, case=completed, created_by=supervisor, version_number=3)
    session.add(
        CaseOutcome(
            case_id=completed.id,
            route="completion",
            code=22,
            rationale="Recorded.",
            decided_by_id=supervisor.id,
            decided_at=NOW,
            effective_on=NOW.date(),
        )
    )
    drafted = contacted(CaseState.CONTRACT_DRAFT)  # a contract being drafted, never signed
    make_contract(session, case=drafted, created_by=supervisor, status="draft")
    session.flush()

    result = _funnel(session, supervisor, team.id)
    counts = _counts(result)
    assert (counts["first_contact"], counts["signed"], counts["completed"], counts["outcome"]) == (3, 2, 1, 1)
    assert result.outcome_codes == {22: 1}  # the completed case, once for its three versions
    sexes = result.by_group["sex"]
    assert sum(sexes.count(sex, "signed") for sex in sexes.groups) == 2  # varied, completed
