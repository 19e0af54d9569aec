"""The custody gate: opening a deferred case, recording custody details and the offer, referral.

Each function checks the actor's role and the case's team, checks the version the user saw,
applies one guarded transition, audits it and flushes. Nothing here commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.errors import FieldError, IllegalTransition, NotFound, StaleRecord
from casework.domain.gate_questions import Reason
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.offence_terms import needs_supervisor
from casework.domain.roles import Action
from casework.models import Case, CaseOffence, Person, User
from casework.services import access, audit, referral_checks, schemes, transitions
from casework.services.concurrency import flush_or_stale, stale_message
from casework.services.referral_checks import clocks_for


def _require_version(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)


def require_case(session: Session, *, actor: User, case_id: int, action: Action) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("There is no such case.")
    access.require(actor, action, team_id=case.team_id)
    return case


def open_case(session: Session, *, actor: User, person: Person, now: datetime) -> Case:
    """Start an eligibility check for a person in custody, in the sergeant's team."""
    access.require(actor, Action.OPEN_CASE)
    case = Case(
        reference=f"pending-{uuid.uuid4().hex[:12]}",
        person_id=person.id,
        team_id=actor.team_id,
        opened_by_id=actor.id,
        opened_at=now,
        gate_answers={},
        reason_codes=[],
    )
    session.add(case)
    session.flush()
    # Readable and unique: the year it was opened and the row's own number.
    case.reference = f"CP-{now:%y}-{case.id:06d}"
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session, actor=actor, action="case.opened", now=now, case_id=case.id, team_id=case.team_id, person_id=person.id
    )
    return case


@dataclass(frozen=True)
class CustodyDetails:
    custody_suite: str
    crime_reference: str
    custody_record_number: str
    arrested_at: datetime
    offence_first_on: date
    offence_last_on: date
    offence_codes: tuple[str, ...]
    # Printed on the contract (DOMAIN.md §5.4 item 3): where, and what happened in a sentence or two.
    offence_place: str = ""
    offence_description: str = ""


MAX_PLACE, MAX_DESCRIPTION = 200, 300


def record_custody_details(
    session: Session, *, actor: User, case: Case, details: CustodyDetails, seen_version: int, now: datetime
) -> Case:
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    _require_version(case, seen_version)
    if case.case_state is not CaseState.ELIGIBILITY_DRAFT:
        raise IllegalTransition("Custody details can only be changed while the eligibility check is in progress.")
    today = local_today(now)
    if details.arrested_at > now:
        raise FieldError("arrest_date", "Arrest date and time must be in the past")
    if details.offence_first_on > today:
        raise FieldError("offence_first_on", "Offence date must be today or in the past")
    if details.offence_last_on > today:
        raise FieldError("offence_last_on", "Last offence date must be today or in the past")
    if details.offence_last_on < details.offence_first_on:
        raise FieldError("offence_last_on", "Last offence date must be the same as or after the first offence date")
    if local_today(details.arrested_at) < details.offence_first_on:
        raise FieldError("arrest_date", "The arrest must be on or after the offence date")
    if not details.offence_place.strip():
        raise FieldError("offence_place", "Enter where the offence happened")
    if len(details.offence_place.strip()) > MAX_PLACE:
        raise FieldError("offence_place", f"Where the offence happened must be {MAX_PLACE} characters or fewer")
    if not details.offence_description.strip():
        raise FieldError("offence_description", "Describe what happened in a sentence or two")
    if len(details.offence_description.strip()) > MAX_DESCRIPTION:
        raise FieldError("offence_description", f"The description must be {MAX_DESCRIPTION} characters or fewer")
    if not details.offence_codes:
        raise FieldError("offence_codes", "Select at least one offence")
    offences = schemes.offences_by_code(session, list(details.offence_codes))
    if len(offences) != len(set(details.offence_codes)):
        raise FieldError("offence_codes", "Select offences from the list")
    case.custody_suite = details.custody_suite.strip()
    case.crime_reference = details.crime_reference.strip().upper()
    case.custody_record_number = details.custody_record_number.strip().upper()
    case.arrested_at = details.arrested_at
    case.offence_first_on, case.offence_last_on = details.offence_first_on, details.offence_last_on
    case.offence_place, case.offence_description = details.offence_place.strip(), details.offence_description.strip()
    case.offences = [CaseOffence(offence_id=offence.id) for offence in offences]
    # Changed facts invalidate any earlier evaluation of the checklist.
    case.provisional_eligible, case.reason_codes, case.evaluated_at = None, [], None
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.custody_details_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        offences=sorted(details.offence_codes),
    )
    return case


# ---- the offer ---------------------------------------------------------------------------------

NOT_OFFERED_REASONS = {
    "ineligible": "Not eligible under the scheme's rules",
    "time_barred": "The statutory time limit for charging has passed, or leaves no time for a contract",
    "officer_discretion": "Eligible, but not offered (officer's discretion)",
    "custody_likely": "Eligible, but a custodial sentence is likely",
    "other": "Other reason",
}
DECLINE_REASONS = {
    "wants_to_contest": "Wants to contest the allegation",
    "legal_advice": "On legal advice",
    "cannot_commit": "Cannot commit to the appointments",
    "rejects_conditions": "Does not accept the conditions",
    "other": "Other reason",
}
ALTERNATIVE_OUTCOMES = {
    "charge": "Charged",
    "postal_requisition": "Postal requisition",
    "caution": "Simple caution",
    "conditional_caution": "Conditional caution",
    "community_resolution": "Community resolution",
    "nfa": "No further action",
    "released_under_investigation": "Released under investigation",
}


def record_not_offered(
    session: Session,
    *,
    actor: User,
    case: Case,
    reason: str,
    detail: str,
    alternative_outcome: str,
    seen_version: int,
    now: datetime,
) -> Case:
    """Ineligible, or eligible but not offered: kept as a record, because fairness monitoring
    needs the whole funnel, not only the people who started a contract (DOMAIN.md §2.4)."""
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.RECORD_INELIGIBLE)
    if reason not in NOT_OFFERED_REASONS:
        raise FieldError("reason", "Select why the deferred prosecution was not offered")
    settings = schemes.settings_on(session, local_today(now))
    if reason == "time_barred" and not referral_checks.time_barred(case, settings, local_today(now)):
        raise FieldError("reason", "The time limit for charging has not passed. Select another reason")
    if reason not in ("ineligible", "time_barred") and not detail.strip():
        raise FieldError("detail", "Explain why the deferred prosecution was not offered")
    if alternative_outcome not in ALTERNATIVE_OUTCOMES:
        raise FieldError("alternative_outcome", "Select the outcome taken instead")
    _require_evaluated(case)
    case.offer_outcome, case.offer_reason = "not_offered", reason
    case.offer_reason_detail = detail.strip() or None
    case.alternative_outcome = alternative_outcome
    transitions.move(
        session,
        case,
        CaseEvent.RECORD_INELIGIBLE,
        actor=actor,
        now=now,
        reason=reason,
        reason_codes=list(case.reason_codes),
        alternative_outcome=alternative_outcome,
    )
    return case


def record_declined(
    session: Session,
    *,
    actor: User,
    case: Case,
    reason: str,
    detail: str,
    solicitor_present: bool,
    consequences_explained: bool,
    alternative_outcome: str,
    seen_version: int,
    now: datetime,
) -> Case:
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.RECORD_DECLINE)
    _require_offerable(case)
    if reason not in DECLINE_REASONS:
        raise FieldError("reason", "Select why the person declined")
    if reason == "other" and not detail.strip():
        raise FieldError("detail", "Explain why the person declined")
    if not consequences_explained:
        raise FieldError("consequences_explained", "Confirm the consequences of declining were explained")
    if alternative_outcome not in ALTERNATIVE_OUTCOMES:
        raise FieldError("alternative_outcome", "Select the outcome taken instead")
    case.offer_outcome, case.offer_reason = "declined", reason
    case.offer_reason_detail = detail.strip() or None
    case.solicitor_present, case.consequences_explained = solicitor_present, True
    case.alternative_outcome = alternative_outcome
    transitions.move(
        session,
        case,
        CaseEvent.RECORD_DECLINE,
        actor=actor,
        now=now,
        reason=reason,
        alternative_outcome=alternative_outcome,
        solicitor_present=solicitor_present,
    )
    return case


@dataclass(frozen=True)
class Acceptance:
    consent_at: datetime
    witnessed_by: str
    interpreter_present: bool
    appropriate_adult_present: bool
    solicitor_present: bool
    first_appointment_at: datetime
    first_appointment_place: str
    # Offence codes whose terms the sergeant confirms are met, and that the time-limit warning was seen.
    terms_confirmed: frozenset[str] = frozenset()
    time_limit_risk_seen: bool = False


def record_accepted(
    session: Session, *, actor: User, case: Case, acceptance: Acceptance, seen_version: int, now: datetime
) -> Case:
    """Consent given: refer at once, or wait for a supervisor where the scheme, or an offence's
    terms, ask for that step."""
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.REFER)
    _require_offerable(case)
    if acceptance.consent_at > now:
        raise FieldError("consent_date", "Consent date and time must be in the past")
    if case.arrested_at and acceptance.consent_at < case.arrested_at:
        raise FieldError("consent_date", "Consent must be given after the arrest")
    if not acceptance.witnessed_by.strip():
        raise FieldError("witnessed_by", "Enter who witnessed the consent")
    if acceptance.first_appointment_at <= now:
        raise FieldError("appointment_date", "The first appointment must be in the future")
    if not acceptance.first_appointment_place.strip():
        raise FieldError("appointment_place", "Enter where the first appointment will be")
    if case.person.interpreter_needed and not acceptance.interpreter_present:
        raise FieldError("interpreter_present", "An interpreter must be present: this person needs one")
    if case.person.appropriate_adult_needed and not acceptance.appropriate_adult_present:
        raise FieldError("appropriate_adult_present", "An appropriate adult must be present for this person")
    settings = schemes.settings_on(session, local_today(now))
    referral_checks.require_not_time_barred(case, settings, local_today(now))
    applying = referral_checks.terms_applying(session, case, local_today(now))
    referral_checks.require_terms_met(case, applying, acceptance.terms_confirmed)
    warning = referral_checks.time_limit_warning(case, settings, local_today(acceptance.first_appointment_at))
    if warning and not acceptance.time_limit_risk_seen:
        raise FieldError(referral_checks.WARNING_FIELD, warning.message)
    case.offer_outcome = "accepted"
    case.consent_at, case.consent_witnessed_by = acceptance.consent_at, acceptance.witnessed_by.strip()
    case.interpreter_present = acceptance.interpreter_present
    case.appropriate_adult_present = acceptance.appropriate_adult_present
    case.solicitor_present = acceptance.solicitor_present
    case.first_appointment_at = acceptance.first_appointment_at
    case.first_appointment_place = acceptance.first_appointment_place.strip()
    case.latest_charge_on, case.decision_deadline_on = clocks_for(case, margin_days=settings.time_limit_margin_days)
    detail = dict(terms=[t.code for t in applying], time_limit_warned=warning is not None)
    if settings.acceptance_step == "supervisor" or needs_supervisor(applying):
        transitions.move(session, case, CaseEvent.REQUEST_ACCEPTANCE, actor=actor, now=now, **detail)
    else:
        transitions.move(session, case, CaseEvent.REFER, actor=actor, now=now, **detail)
    return case


def decide_acceptance(
    session: Session, *, actor: User, case: Case, accept: bool, rationale: str, seen_version: int, now: datetime
) -> Case:
    """A supervisor accepts or refuses a referral; nobody approves a case they opened themselves."""
    access.require(actor, Action.ACCEPT_REFERRAL, team_id=case.team_id)
    _require_version(case, seen_version)
    transitions.require_allowed(case, CaseEvent.ACCEPT_REFERRAL)
    if case.opened_by_id == actor.id:
        raise IllegalTransition("You opened this case, so another supervisor must decide on accepting it.")
    if not accept and not rationale.strip():
        raise FieldError("rationale", "Explain why the referral is not accepted")
    case.accepted_by_id, case.accepted_at = actor.id, now
    if accept:
        transitions.move(session, case, CaseEvent.ACCEPT_REFERRAL, actor=actor, now=now)
    else:
        case.offer_reason_detail = rationale.strip()
        transitions.move(session, case, CaseEvent.REJECT_REFERRAL, actor=actor, now=now)
    return case


def _require_evaluated(case: Case) -> None:
    if case.provisional_eligible is None:
        raise IllegalTransition("Complete the eligibility checklist first.")


def _require_offerable(case: Case) -> None:
    _require_evaluated(case)
    if Reason.TIME_BARRED.value in case.reason_codes:  # no override reaches past a statutory bar
        raise IllegalTransition(
            "The statutory time limit for charging has passed or leaves no time for a contract, so a "
            "deferred prosecution cannot be offered. Record the case as not offered."
        )
    if not case.provisional_eligible and not case.override_rationale:
        raise IllegalTransition(
            "The checklist found this person ineligible. Record that, or override it with a written rationale."
        )
