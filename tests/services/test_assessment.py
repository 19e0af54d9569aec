"""First contact and the needs assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain import needs
from casework.domain.errors import FieldError, IllegalTransition, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import assessment
from casework.services.assessment import DomainInput
from tests.conftest import NOW, make_case, make_contract, make_user

TODAY = NOW.date()


def _scores(**overrides) -> list[DomainInput]:
    scores = {
        domain: DomainInput(domain=domain, need_level=0, linked_to_offending=False) for domain, _ in needs.NEED_DOMAINS
    }
    scores.update(overrides)
    return list(scores.values())


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


def test_an_assessment_derives_priorities_and_keeps_its_content_out_of_the_audit_trail(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    scores = _scores(
        drugs=DomainInput("drugs", 3, True, person_priority=2, notes="Daily use"),
        accommodation=DomainInput("accommodation", 2, True, person_priority=1),
        finance=DomainInput("finance", 3, False),
        mental_health=DomainInput("mental_health", 2, True, person_priority=3),
    )
    flags = {needs.Safeguarding.SELF_HARM: "Referred to the crisis team today"}
    assessment.record_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=scores, flags=flags, now=NOW
    )
    summary = assessment.summary(session, actor=navigator, case=case)
    assert [s.domain for s in summary.priorities] == ["drugs", "accommodation", "mental_health"]
    assert [f.flag for f in summary.flags] == ["self_harm"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.assessment_recorded")).one()
    assert event.detail == {"stage": "entry", "safeguarding_flags": 1}


def test_assessment_refusals(session, team, other_team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    with pytest.raises(FieldError) as refused:
        assessment.record_assessment(
            session,
            actor=navigator,
            case=case,
            stage=needs.Stage.ENTRY,
            scores=_scores(drugs=DomainInput("drugs", 2, None)),
            flags={},
            now=NOW,
        )
    assert refused.value.field == "drugs-linked"
    with pytest.raises(FieldError) as refused:
        assessment.record_assessment(
            session,
            actor=navigator,
            case=case,
            stage=needs.Stage.ENTRY,
            now=NOW,
            flags={},
            scores=_scores(drugs=DomainInput("drugs", 2, True, 1), alcohol=DomainInput("alcohol", 1, True, 1)),
        )
    assert refused.value.field == "alcohol-priority"
    with pytest.raises(FieldError) as refused:
        assessment.record_assessment(
            session,
            actor=navigator,
            case=case,
            stage=needs.Stage.ENTRY,
            scores=_scores(),
            flags={needs.Safeguarding.CHILD_AT_RISK: "  "},
            now=NOW,
        )
    assert refused.value.field == "flag-child_at_risk-action"
    with pytest.raises(IllegalTransition):
        assessment.record_assessment(
            session, actor=navigator, case=case, stage=needs.Stage.EXIT, scores=_scores(), flags={}, now=NOW
        )
    for role, team_of in ((Role.CUSTODY_SERGEANT, team), (Role.ADMINISTRATOR, team), (Role.NAVIGATOR, other_team)):
        with pytest.raises(NotPermitted):
            assessment.summary(session, actor=make_user(session, roles=[role], team=team_of), case=case)


def test_entry_and_exit_show_the_change_by_domain(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    assessment.record_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        flags={},
        now=NOW,
        scores=_scores(drugs=DomainInput("drugs", 3, True)),
    )
    case.state = CaseState.ACTIVE.value
    make_contract(session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=100), ends_on=TODAY)
    assessment.record_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.EXIT,
        flags={},
        now=NOW,
        scores=_scores(drugs=DomainInput("drugs", 1, True)),
    )
    change = assessment.summary(session, actor=navigator, case=case).change
    assert change["drugs"] == -2 and change["alcohol"] == 0


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
    assessment.record_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=_scores(), flags={}, now=NOW
    )
    case.state = CaseState.ACTIVE.value
    starts_on = TODAY - timedelta(days=days_into_a_120_day_term)
    make_contract(
        session, case=case, created_by=navigator, starts_on=starts_on, ends_on=starts_on + timedelta(days=120)
    )
    record = lambda: assessment.record_assessment(  # noqa: E731
        session, actor=navigator, case=case, stage=stage, scores=_scores(), flags={}, now=NOW
    )
    if allowed:
        assert record().stage == stage.value
    else:
        with pytest.raises(IllegalTransition, match="can be recorded from"):
            record()
        assert assessment.recorded_stages(session, case=case) == {"entry"}


def test_review_stages_need_the_entry_assessment_and_a_signed_contract(session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    with pytest.raises(IllegalTransition, match="entry assessment first"):
        assessment.record_assessment(
            session, actor=navigator, case=case, stage=needs.Stage.EXIT, scores=_scores(), flags={}, now=NOW
        )
    case.state = CaseState.ASSESSMENT.value
    assessment.record_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=_scores(), flags={}, now=NOW
    )
    case.state = CaseState.ACTIVE.value
    with pytest.raises(IllegalTransition, match="there is none"):
        assessment.record_assessment(
            session, actor=navigator, case=case, stage=needs.Stage.MIDPOINT, scores=_scores(), flags={}, now=NOW
        )
