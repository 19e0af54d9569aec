"""The custody gate's rules through the services: the statutory time bar, the time-limit warning at
referral, offences included with terms, and the checklist's fuller record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, SchemeSettings
from casework.services import cases, checklist, offence_catalogue, schemes
from casework.services.cases import Acceptance, CustodyDetails
from tests.conftest import NOW, make_person, make_user
from tests.domain.test_gate import ANSWERS


@pytest.fixture
def sergeant(session, team):
    return make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)


@pytest.fixture
def settings(session):
    return session.scalars(select(SchemeSettings)).one()


def _checked(session, sergeant, *, codes=("ASSAULT-COMMON",), last=date(2026, 11, 20), **changes):
    """A case through custody details and every page of the checklist, as the sergeant would."""
    person = make_person(session, creator=sergeant, date_of_birth=date(1990, 1, 1))
    case = cases.open_case(session, actor=sergeant, person=person, now=NOW)
    details = CustodyDetails(
        custody_suite="Durham",
        crime_reference="DC/1",
        custody_record_number="CR1",
        arrested_at=NOW - timedelta(hours=5),
        offence_first_on=last,
        offence_last_on=last,
        offence_codes=codes,
        offence_place="Market Place, Durham",
        offence_description="Took goods from a shop without paying",
    )
    cases.record_custody_details(
        session, actor=sergeant, case=case, details=details, seen_version=case.version, now=NOW
    )
    answers = {**ANSWERS, "evidential_decided_on": last.isoformat(), **changes}
    for section in SECTIONS:
        checklist.answer_section(
            session,
            actor=sergeant,
            case=case,
            section=section,
            answers={q.key: answers.get(q.key, "") for q in section.questions},
            seen_version=case.version,
            now=NOW,
        )
    return case


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


def _accept(session, sergeant, case, **overrides):
    return cases.record_accepted(
        session, actor=sergeant, case=case, acceptance=_acceptance(**overrides), seen_version=case.version, now=NOW
    )


# ---- 1. the statutory time bar ------------------------------------------------------------------


def test_a_time_barred_offence_is_found_cannot_be_overridden_and_is_recorded_as_not_offered(
    session, sergeant, settings
):
    settings.max_offence_age_months = 12  # so the time bar is the only reason
    case = _checked(session, sergeant, last=date(2026, 5, 20))  # latest charge date 19 November 2026
    assert case.provisional_eligible is False and case.reason_codes == ["TIME_BARRED"]

    with pytest.raises(IllegalTransition, match="cannot be overridden"):
        checklist.override(
            session,
            actor=sergeant,
            case=case,
            rationale="The person is very keen and the navigator has capacity now.",
            seen_version=case.version,
            now=NOW,
        )
    assert case.override_rationale is None
    with pytest.raises(IllegalTransition, match="statutory time limit"):
        _accept(session, sergeant, case)

    cases.record_not_offered(
        session,
        actor=sergeant,
        case=case,
        reason="time_barred",
        detail="",
        alternative_outcome="nfa",
        seen_version=case.version,
        now=NOW,
    )
    assert case.case_state is CaseState.INELIGIBLE and case.offer_reason == "time_barred"
    assert case.reason_codes == ["TIME_BARRED"]


def test_a_case_passed_its_decision_deadline_is_time_barred_too(session, sergeant, settings):
    settings.max_offence_age_months = 12
    # Latest charge date 14 December 2026, so the decision deadline (21 days before) was 23 November.
    case = _checked(session, sergeant, last=date(2026, 6, 15))
    result = checklist.evaluation(session, case=case, now=NOW)
    assert case.reason_codes == ["TIME_BARRED"] and "decision deadline was 23 November 2026" in (
        result.findings[0].explanation
    )


def test_time_barred_is_not_a_reason_for_a_case_within_its_time_limit(session, sergeant):
    case = _checked(session, sergeant, has_co_accused="yes")
    with pytest.raises(FieldError) as refused:
        cases.record_not_offered(
            session,
            actor=sergeant,
            case=case,
            reason="time_barred",
            detail="",
            alternative_outcome="nfa",
            seen_version=case.version,
            now=NOW,
        )
    assert refused.value.field == "reason" and case.case_state is CaseState.ELIGIBILITY_DRAFT


def test_the_time_bar_is_checked_again_on_the_day_consent_is_given(session, sergeant, settings):
    settings.max_offence_age_months = 12
    case = _checked(session, sergeant, last=date(2026, 6, 16))  # deadline 24 November: today, still open
    assert case.provisional_eligible is True
    later = NOW + timedelta(days=1)
    with pytest.raises(IllegalTransition, match="decision deadline, 24 November 2026, has passed"):
        cases.record_accepted(
            session,
            actor=sergeant,
            case=case,
            acceptance=_acceptance(
                consent_at=later - timedelta(hours=1), first_appointment_at=later + timedelta(days=1)
            ),
            seen_version=case.version,
            now=later,
        )
    assert case.case_state is CaseState.ELIGIBILITY_DRAFT and case.consent_at is None
    cases.record_not_offered(
        session,
        actor=sergeant,
        case=case,
        reason="time_barred",
        detail="",
        alternative_outcome="nfa",
        seen_version=case.version,
        now=later,
    )
    assert case.case_state is CaseState.INELIGIBLE and case.offer_reason == "time_barred"


# ---- 2. the time-limit warning before consent ---------------------------------------------------


def test_a_term_that_would_run_past_the_latest_charge_date_is_warned_of_before_consent(session, sergeant):
    # Offence on 1 September: latest charge date 28 February 2027, decision deadline 7 February.
    # Still offerable, but a 4-month term from 20 December ends 20 April, far past the limit.
    case = _checked(session, sergeant, last=date(2026, 9, 1))
    late = NOW.replace(month=12, day=20)
    with pytest.raises(FieldError) as refused:
        _accept(session, sergeant, case, first_appointment_at=late)
    assert refused.value.field == "time_limit_risk_seen"
    assert refused.value.message == (
        "A standard 4-month contract signed on the first appointment day, 20 December 2026, would end on "
        "20 April 2027. With the 21 days kept for preparing the file, that runs past the latest charge date, "
        "28 February 2027. A supervisor will have to accept the risk when the contract is signed."
    )
    assert case.consent_at is None

    _accept(session, sergeant, case, first_appointment_at=late, time_limit_risk_seen=True)
    assert case.case_state is CaseState.REFERRED
    refer = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "case.refer"))
    assert refer.one().detail["time_limit_warned"] is True


def test_no_warning_when_the_term_ends_in_time_or_there_is_no_time_limit(session, sergeant):
    in_time = _checked(session, sergeant)
    _accept(session, sergeant, in_time)
    assert in_time.case_state is CaseState.REFERRED
    either_way = _checked(session, sergeant, codes=("THEFT-SHOP",), last=date(2026, 9, 1))
    _accept(session, sergeant, either_way, first_appointment_at=NOW.replace(month=12, day=20))
    assert either_way.case_state is CaseState.REFERRED


# ---- 3. offences included with terms ------------------------------------------------------------


def test_burglary_of_a_dwelling_needs_the_victims_views_and_goes_to_a_supervisor(session, team, sergeant, settings):
    assert settings.acceptance_step == "none"
    case = _checked(session, sergeant, codes=("BURGLARY-DWELLING",), victim_view="not_sought")
    assert case.provisional_eligible is True  # the terms do not make the person ineligible
    with pytest.raises(FieldError) as refused:
        _accept(session, sergeant, case)
    assert refused.value.field == "terms_confirmed"
    assert "Burglary of a dwelling can be referred only when the victim's views have been sought" in (
        refused.value.message
    )
    assert "Not yet sought" in refused.value.message and case.consent_at is None

    checklist.answer_section(
        session,
        actor=sergeant,
        case=case,
        section=SECTIONS[-1],
        answers={"victim_view": "supports", "risk_band": "none", "risk_band_source": ""},
        seen_version=case.version,
        now=NOW,
    )
    _accept(session, sergeant, case)
    assert case.case_state is CaseState.PENDING_ACCEPTANCE  # even though the scheme has no acceptance step
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "case.request_acceptance")
    ).one()
    assert event.detail["terms"] == ["BURGLARY-DWELLING"]
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    cases.decide_acceptance(
        session, actor=supervisor, case=case, accept=True, rationale="", seen_version=case.version, now=NOW
    )
    assert case.case_state is CaseState.REFERRED


def test_a_victim_who_objects_stops_a_referral_under_the_victim_term(session, sergeant):
    case = _checked(session, sergeant, codes=("BURGLARY-DWELLING",), victim_view="objects")
    with pytest.raises(FieldError, match="The checklist records: Objects"):
        _accept(session, sergeant, case)


def test_bladed_article_terms_must_be_confirmed_by_the_sergeant(session, sergeant):
    case = _checked(session, sergeant, codes=("BLADE-POSS",))
    with pytest.raises(FieldError) as refused:
        _accept(session, sergeant, case)
    assert refused.value.field == "terms_confirmed"
    assert refused.value.message == (
        "Confirm that the terms for Possession of a bladed article in a public place are met"
    )
    _accept(session, sergeant, case, terms_confirmed=frozenset({"BLADE-POSS"}))
    assert case.case_state is CaseState.REFERRED


def test_the_administrator_sets_requirements_with_the_terms(session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    offence = schemes.offences_by_code(session, ["THEFT-OTHER"])[0]
    tomorrow = NOW.date() + timedelta(days=1)

    def change(inclusion, terms, requirements, day=tomorrow):
        return offence_catalogue.set_inclusion(
            session,
            actor=admin,
            offence=offence,
            inclusion=inclusion,
            terms=terms,
            requirements=frozenset(requirements),
            effective_from=day,
            now=NOW,
        )

    for inclusion, terms, requirements, message in [
        ("included_with_terms", "Victim consulted", [], "Select what the terms ask"),
        ("included", "", ["supervisor_agreement"], "Only an offence included with terms"),
        ("included_with_terms", "Victim consulted", ["no_such_thing"], "Select from the list"),
    ]:
        with pytest.raises(FieldError, match=message) as refused:
            change(inclusion, terms, requirements)
        assert refused.value.field == "requirements"
    rule = change("included_with_terms", "Victim consulted", ["victim_not_objecting", "supervisor_agreement"])
    assert rule.requirements == ["supervisor_agreement", "victim_not_objecting"]


# ---- 4. the checklist's fuller record -----------------------------------------------------------


def test_every_missing_answer_on_a_page_is_reported_at_once(session, sergeant):
    case = _checked(session, sergeant)
    with pytest.raises(FieldErrors) as refused:
        checklist.answer_section(
            session,
            actor=sergeant,
            case=case,
            section=SECTIONS[1],
            answers={**ANSWERS, "evidential_decided_by": "", "evidential_decided_on": ""},
            seen_version=case.version,
            now=NOW,
        )
    assert {p.field for p in refused.value.problems} == {"evidential_decided_by", "evidential_decided_on"}
    assert case.gate_answers["evidential_decided_by"] == "DS 1234 Patel"  # nothing changed


def test_a_follow_up_that_no_longer_applies_is_cleared(session, sergeant):
    case = _checked(session, sergeant)
    assert case.gate_answers["last_conviction_on"] == "2019-05-10"
    seriousness = SECTIONS[3]
    checklist.answer_section(
        session,
        actor=sergeant,
        case=case,
        section=seriousness,
        answers={**{q.key: ANSWERS[q.key] for q in seriousness.questions}, "previous_convictions": "0"},
        seen_version=case.version,
        now=NOW,
    )
    assert case.gate_answers["previous_convictions"] == "0" and case.gate_answers["last_conviction_on"] == ""
    assert case.gate_answers["aggravating"] == ["none"]  # lists are kept as lists


def test_the_none_within_years_rule_is_a_scheme_setting_the_gate_enforces(session, team, sergeant):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    current = schemes.settings_on(session, NOW.date())
    values = {name: getattr(current, name) for name in schemes.EDITABLE}
    values["previous_conviction_rule"] = "none_within_years"
    with pytest.raises(FieldError) as refused:
        schemes.change_settings(session, actor=admin, values=values, effective_from=NOW.date(), reason="x", now=NOW)
    assert refused.value.field == "previous_conviction_years"
    values["previous_conviction_years"] = 10
    schemes.change_settings(
        session, actor=admin, values=values, effective_from=NOW.date(), reason="Turning Point rule", now=NOW
    )
    case = _checked(session, sergeant)  # most recent conviction 10 May 2019: within ten years
    assert case.reason_codes == ["PREVIOUS_CONVICTIONS"]
    assert "within 10 years" in checklist.evaluation(session, case=case, now=NOW).findings[0].explanation
