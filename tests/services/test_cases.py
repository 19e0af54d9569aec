"""The custody gate's services: custody details, the three offer outcomes, referral clocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case, SchemeSettings
from casework.services import cases
from casework.services.cases import Acceptance, CustodyDetails
from tests.conftest import NOW, make_case, make_person, make_user


@pytest.fixture
def sergeant(session, team):
    return make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)


@pytest.fixture
def draft(session, sergeant):
    return cases.open_case(session, actor=sergeant, person=make_person(session, creator=sergeant), now=NOW)


def _details(**overrides) -> CustodyDetails:
    values = dict(
        custody_suite="Durham",
        crime_reference="dc/123",
        custody_record_number="ab12",
        arrested_at=NOW - timedelta(hours=5),
        offence_first_on=date(2026, 11, 20),
        offence_last_on=date(2026, 11, 20),
        offence_codes=("ASSAULT-COMMON",),
        offence_place="Market Place, Durham",
        offence_description="Pushed a man to the ground outside a bar.",
    )
    values.update(overrides)
    return CustodyDetails(**values)


def _acceptance(**overrides) -> Acceptance:
    values = dict(
        consent_at=NOW - timedelta(hours=1),
        witnessed_by="PC 123 Smith",
        interpreter_present=False,
        appropriate_adult_present=False,
        solicitor_present=True,
        first_appointment_at=NOW + timedelta(days=2),
        first_appointment_place="Navigator office, Durham",
    )
    values.update(overrides)
    return Acceptance(**values)


def _evaluated(case, eligible=True):
    case.provisional_eligible, case.evaluated_at = eligible, NOW
    return case


def test_opening_a_case_gives_a_readable_reference_and_audits_it(session, draft):
    assert draft.reference == f"CP-26-{draft.id:06d}"
    assert draft.case_state is CaseState.ELIGIBILITY_DRAFT
    event = session.scalars(select(AuditEvent).where(AuditEvent.case_id == draft.id)).one()
    assert event.action == "case.opened"


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR])
def test_only_custody_and_supervisors_open_cases(session, team, role):
    actor = make_user(session, roles=[role], team=team)
    with pytest.raises(NotPermitted):
        cases.open_case(session, actor=actor, person=make_person(session, creator=actor), now=NOW)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"arrested_at": NOW + timedelta(hours=1)}, "arrest_date"),
        ({"offence_first_on": date(2026, 12, 1), "offence_last_on": date(2026, 12, 1)}, "offence_first_on"),
        ({"offence_last_on": date(2026, 11, 19)}, "offence_last_on"),
        ({"arrested_at": NOW.replace(day=1)}, "arrest_date"),
        ({"offence_codes": ()}, "offence_codes"),
        ({"offence_codes": ("NO-SUCH-OFFENCE",)}, "offence_codes"),
        ({"offence_place": "  "}, "offence_place"),
        ({"offence_description": ""}, "offence_description"),
        ({"offence_description": "x" * 301}, "offence_description"),
    ],
)
def test_bad_custody_details_are_refused_by_field(session, sergeant, draft, overrides, field):
    with pytest.raises(FieldError) as refused:
        cases.record_custody_details(
            session, actor=sergeant, case=draft, details=_details(**overrides), seen_version=draft.version, now=NOW
        )
    assert refused.value.field == field


def test_the_offences_place_and_description_are_kept_for_the_contract(session, sergeant, draft):
    cases.record_custody_details(
        session,
        actor=sergeant,
        case=draft,
        details=_details(offence_place="  Market Place, Durham ", offence_description=" Pushed a man over. "),
        seen_version=draft.version,
        now=NOW,
    )
    assert (draft.offence_place, draft.offence_description) == ("Market Place, Durham", "Pushed a man over.")


def test_custody_details_from_another_team_are_refused(session, draft, other_team):
    stranger = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    with pytest.raises(NotFound):
        cases.record_custody_details(
            session, actor=stranger, case=draft, details=_details(), seen_version=draft.version, now=NOW
        )


def test_a_stale_custody_form_is_refused(session, sergeant, draft):
    seen = draft.version
    cases.record_custody_details(session, actor=sergeant, case=draft, details=_details(), seen_version=seen, now=NOW)
    with pytest.raises(StaleRecord):
        cases.record_custody_details(
            session, actor=sergeant, case=draft, details=_details(custody_suite="Other"), seen_version=seen, now=NOW
        )


def test_referral_sets_the_charge_clock_for_summary_only_offences(session, sergeant, draft):
    cases.record_custody_details(
        session, actor=sergeant, case=draft, details=_details(), seen_version=draft.version, now=NOW
    )
    _evaluated(draft)
    cases.record_accepted(
        session, actor=sergeant, case=draft, acceptance=_acceptance(), seen_version=draft.version, now=NOW
    )
    assert draft.case_state is CaseState.REFERRED
    assert draft.latest_charge_on == date(2027, 5, 19)  # 20 Nov + 6 months, one day early
    assert draft.decision_deadline_on == date(2027, 4, 28)  # minus Durham's 21-day margin
    assert draft.referred_at == NOW


def test_either_way_offences_have_no_charge_clock(session, sergeant, draft):
    cases.record_custody_details(
        session,
        actor=sergeant,
        case=draft,
        details=_details(offence_codes=("THEFT-SHOP",)),
        seen_version=draft.version,
        now=NOW,
    )
    _evaluated(draft)
    cases.record_accepted(
        session, actor=sergeant, case=draft, acceptance=_acceptance(), seen_version=draft.version, now=NOW
    )
    assert draft.latest_charge_on is None and draft.decision_deadline_on is None


def test_with_an_acceptance_step_the_referral_waits_for_another_supervisor(session, team, sergeant, draft):
    session.scalars(select(SchemeSettings)).one().acceptance_step = "supervisor"
    cases.record_custody_details(
        session, actor=sergeant, case=draft, details=_details(), seen_version=draft.version, now=NOW
    )
    _evaluated(draft)
    cases.record_accepted(
        session, actor=sergeant, case=draft, acceptance=_acceptance(), seen_version=draft.version, now=NOW
    )
    assert draft.case_state is CaseState.PENDING_ACCEPTANCE and draft.referred_at is None
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    cases.decide_acceptance(
        session, actor=supervisor, case=draft, accept=True, rationale="", seen_version=draft.version, now=NOW
    )
    assert draft.case_state is CaseState.REFERRED and draft.accepted_by_id == supervisor.id


def test_nobody_accepts_a_referral_they_opened(session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR, Role.CUSTODY_SERGEANT], team=team)
    case = make_case(session, team=team, state=CaseState.PENDING_ACCEPTANCE, opened_by=supervisor, referred_at=None)
    with pytest.raises(IllegalTransition, match="another supervisor"):
        cases.decide_acceptance(
            session, actor=supervisor, case=case, accept=True, rationale="", seen_version=case.version, now=NOW
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_at": NOW + timedelta(minutes=5)}, "consent_date"),
        ({"witnessed_by": " "}, "witnessed_by"),
        ({"first_appointment_at": NOW - timedelta(minutes=1)}, "appointment_date"),
        ({"first_appointment_place": ""}, "appointment_place"),
    ],
)
def test_bad_acceptance_details_change_nothing(session, sergeant, draft, overrides, field):
    _evaluated(draft)
    with pytest.raises(FieldError) as refused:
        cases.record_accepted(
            session,
            actor=sergeant,
            case=draft,
            acceptance=_acceptance(**overrides),
            seen_version=draft.version,
            now=NOW,
        )
    assert refused.value.field == field
    assert draft.case_state is CaseState.ELIGIBILITY_DRAFT and draft.consent_at is None


def test_a_person_who_needs_an_interpreter_cannot_consent_without_one(session, sergeant):
    person = make_person(session, creator=sergeant, interpreter_needed=True, interpreter_language="Polish")
    case = _evaluated(cases.open_case(session, actor=sergeant, person=person, now=NOW))
    with pytest.raises(FieldError) as refused:
        cases.record_accepted(
            session, actor=sergeant, case=case, acceptance=_acceptance(), seen_version=case.version, now=NOW
        )
    assert refused.value.field == "interpreter_present"


def test_an_ineligible_person_cannot_be_referred_without_an_override(session, sergeant, draft):
    _evaluated(draft, eligible=False)
    with pytest.raises(IllegalTransition, match="override"):
        cases.record_accepted(
            session, actor=sergeant, case=draft, acceptance=_acceptance(), seen_version=draft.version, now=NOW
        )


def test_not_offered_and_declined_are_kept_as_closed_records(session, sergeant, draft):
    _evaluated(draft, eligible=False)
    cases.record_not_offered(
        session,
        actor=sergeant,
        case=draft,
        reason="ineligible",
        detail="",
        alternative_outcome="charge",
        seen_version=draft.version,
        now=NOW,
    )
    assert draft.case_state is CaseState.INELIGIBLE and draft.closed_at == NOW

    other = _evaluated(cases.open_case(session, actor=sergeant, person=draft.person, now=NOW))
    with pytest.raises(FieldError) as refused:
        cases.record_declined(
            session,
            actor=sergeant,
            case=other,
            reason="legal_advice",
            detail="",
            solicitor_present=True,
            consequences_explained=False,
            alternative_outcome="charge",
            seen_version=other.version,
            now=NOW,
        )
    assert refused.value.field == "consequences_explained"
    cases.record_declined(
        session,
        actor=sergeant,
        case=other,
        reason="legal_advice",
        detail="",
        solicitor_present=True,
        consequences_explained=True,
        alternative_outcome="charge",
        seen_version=other.version,
        now=NOW,
    )
    assert other.case_state is CaseState.DECLINED
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == other.id)).all()
    assert actions[-1] == "case.record_decline"


def test_a_closed_case_refuses_further_offers_and_is_unchanged(session, sergeant, draft):
    _evaluated(draft, eligible=False)
    cases.record_not_offered(
        session,
        actor=sergeant,
        case=draft,
        reason="ineligible",
        detail="",
        alternative_outcome="nfa",
        seen_version=draft.version,
        now=NOW,
    )
    session.commit()
    before = session.scalars(select(AuditEvent).where(AuditEvent.case_id == draft.id)).all()
    with pytest.raises(IllegalTransition, match="can no longer change"):
        cases.record_accepted(
            session, actor=sergeant, case=draft, acceptance=_acceptance(), seen_version=draft.version, now=NOW
        )
    assert not session.dirty
    session.rollback()
    refreshed = session.get(Case, draft.id)
    assert refreshed.case_state is CaseState.INELIGIBLE and refreshed.consent_at is None
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.case_id == draft.id)).all()) == len(before)
