"""First contact, and what a completed needs assessment says: priorities, change and flags.

The journey that records an assessment page by page is tested in test_assessment_journey.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain import needs
from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import assessment, assessment_journey
from casework.services.assessment import DomainInput
from tests.assessments import record_whole_assessment
from tests.conftest import NOW, make_case, make_contract, make_user

TODAY = NOW.date()


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def test_first_contact_moves_a_referred_case_to_assessment(session, team, navigator):
    case = make_case(session, team=team, referred_at=NOW - timedelta(days=1))
    assessment.record_first_contact(
        session,
        actor=navigator,
        case=case,
        contact_at=NOW - timedelta(hours=1),
        method="in_person",
        seen_version=case.version,
        now=NOW,
    )
    assert case.case_state is CaseState.ASSESSMENT and case.first_contact_at == NOW - timedelta(hours=1)
    with pytest.raises(IllegalTransition):
        assessment.record_first_contact(
            session, actor=navigator, case=case, contact_at=NOW, method="phone", seen_version=case.version, now=NOW
        )


@pytest.mark.parametrize(
    ("when", "method", "field"),
    [
        (NOW + timedelta(minutes=5), "phone", "contact_date"),
        (NOW - timedelta(days=3), "phone", "contact_date"),
        (NOW - timedelta(hours=1), "carrier pigeon", "method"),
    ],
)
def test_bad_first_contact_is_refused_by_field(session, team, navigator, when, method, field):
    case = make_case(session, team=team, referred_at=NOW - timedelta(days=1))
    with pytest.raises(FieldError) as refused:
        assessment.record_first_contact(
            session, actor=navigator, case=case, contact_at=when, method=method, seen_version=case.version, now=NOW
        )
    assert refused.value.field == field and case.case_state is CaseState.REFERRED


def test_a_completed_assessment_derives_priorities_and_keeps_its_content_out_of_the_audit_trail(
    session, team, navigator
):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    scores = [
        DomainInput("drugs", 3, True, person_priority=2, notes="Daily use"),
        DomainInput("accommodation", 2, True, person_priority=1, strengths="Supportive sister"),
        DomainInput("finance", 3, False),
        DomainInput("mental_health", 2, True, person_priority=3),
    ]
    flags = {needs.Safeguarding.SELF_HARM: "Referred to the crisis team today"}
    record_whole_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=scores, flags=flags, now=NOW
    )
    summary = assessment.summary(session, actor=navigator, case=case)
    assert [s.domain for s in summary.priorities] == ["drugs", "accommodation", "mental_health"]
    assert [(f.flag, f.action_taken) for f in summary.flags] == [("self_harm", "Referred to the crisis team today")]
    events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
    completed = [e for e in events if e.action == "case.assessment_completed"]
    assert [e.detail for e in completed] == [{"stage": "entry", "safeguarding_flags": 1}]
    said = " ".join(str(e.detail) for e in events)
    assert not any(words in said for words in ("Daily use", "Supportive sister", "crisis team", "self_harm"))


def test_only_a_completed_assessment_reaches_the_summary(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=needs.Stage.ENTRY, now=NOW)
    assessment_journey.save_domain(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        answers=DomainInput("drugs", 3, True),
        seen_version=draft.version,
        now=NOW,
    )
    summary = assessment.summary(session, actor=navigator, case=case)
    assert summary.by_stage == {} and summary.priorities == [] and summary.flags == []


def test_only_the_case_teams_navigators_and_supervisors_read_the_summary(session, team, other_team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    for role in (Role.NAVIGATOR, Role.SUPERVISOR):
        assessment.summary(session, actor=make_user(session, roles=[role], team=team), case=case)
    for role, team_of in ((Role.CUSTODY_SERGEANT, team), (Role.ADMINISTRATOR, team), (Role.NAVIGATOR, other_team)):
        with pytest.raises(NotFound if team_of is other_team else NotPermitted):
            assessment.summary(session, actor=make_user(session, roles=[role], team=team_of), case=case)


def test_entry_and_exit_show_the_change_by_domain(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        now=NOW,
        scores=[DomainInput("drugs", 3, True), DomainInput("alcohol", 1, False)],
    )
    case.state = CaseState.ACTIVE.value
    make_contract(session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=100), ends_on=TODAY)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.EXIT,
        now=NOW,
        scores=[DomainInput("drugs", 1, True), DomainInput("alcohol", 1, False)],
    )
    summary = assessment.summary(session, actor=navigator, case=case)
    assert summary.change["drugs"] == -2 and summary.change["alcohol"] == 0
    assert [s.need_level for s in summary.priorities] == [1]  # the latest assessment sets the priorities


@pytest.mark.parametrize(
    ("stage", "days_into_a_120_day_term", "allowed"),
    [
        (needs.Stage.MIDPOINT, 0, False),  # the first day of the contract: too early for a midpoint
        (needs.Stage.MIDPOINT, 59, False),
        (needs.Stage.MIDPOINT, 60, True),  # halfway
        (needs.Stage.EXIT, 60, False),
        (needs.Stage.EXIT, 91, False),
        (needs.Stage.EXIT, 92, True),  # 28 days before the end
        (needs.Stage.EXIT, 130, True),  # past the end, in completion review
    ],
)
def test_review_stages_open_from_the_signed_contracts_dates(
    session, team, navigator, stage, days_into_a_120_day_term, allowed
):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    record_whole_assessment(session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=[], now=NOW)
    case.state = CaseState.ACTIVE.value
    starts_on = TODAY - timedelta(days=days_into_a_120_day_term)
    make_contract(
        session, case=case, created_by=navigator, starts_on=starts_on, ends_on=starts_on + timedelta(days=120)
    )
    start = lambda: assessment_journey.start(session, actor=navigator, case=case, stage=stage, now=NOW)  # noqa: E731
    if allowed:
        assert start().stage == stage.value
    else:
        with pytest.raises(IllegalTransition, match="can be recorded from"):
            start()
        assert assessment.recorded_stages(session, case=case) == {"entry"}


def test_review_stages_need_the_entry_assessment_and_a_signed_contract(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    with pytest.raises(IllegalTransition, match="entry assessment first"):
        assessment_journey.start(session, actor=navigator, case=case, stage=needs.Stage.EXIT, now=NOW)
    case.state = CaseState.ASSESSMENT.value
    record_whole_assessment(session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=[], now=NOW)
    case.state = CaseState.ACTIVE.value
    with pytest.raises(IllegalTransition, match="there is none"):
        assessment_journey.start(session, actor=navigator, case=case, stage=needs.Stage.MIDPOINT, now=NOW)
