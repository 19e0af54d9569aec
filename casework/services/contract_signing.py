"""From draft to signed: the person's agreement, the optional supervisor approval, and signing,
which starts the term and freezes the version (DOMAIN.md §5.2, §3.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import contract_terms as terms
from casework.domain import time_limits
from casework.domain.clock import local
from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Action, Role
from casework.models import Case, Contract, User
from casework.services import access, audit, schemes, transitions
from casework.services.concurrency import flush_or_stale, stale_message
from casework.services.contracts import as_draft, current, limits

AGREEMENTS = {
    "agrees": "Agrees to the contract",
    "does_not_agree": "Does not agree",
    "could_not_answer": "Could not answer",
}
SIGNATURES = {"wet_ink": "Signed the paper copy (scan to be filed)", "typed_name": "Typed their name on screen"}
COPIES = {"paper": "Paper copy handed over", "email": "Emailed to the person"}


def _contract(session: Session, *, actor: User, case: Case, seen_version: int, action: Action) -> Contract:
    access.require(actor, action, team_id=case.team_id)
    contract = current(session, case=case)
    if contract is None or contract.status in ("signed", "superseded"):
        raise IllegalTransition("There is no unsigned contract on this case.")
    if contract.version != seen_version:
        raise StaleRecord(stale_message("this contract"), case_id=case.id)
    return contract


def _require_complete(session: Session, contract: Contract, *, now: datetime) -> None:
    bounds = limits(session, now=now, contract=contract)
    drafts = [as_draft(condition) for condition in contract.conditions]
    problem = terms.collection_problem(drafts, bounds)
    for position, draft in enumerate(drafts, start=1):
        if problem is None and (found := terms.condition_problem(draft, bounds)):
            problem = f"Condition {position}: {found[1]}"
    if problem:
        raise IllegalTransition(f"The contract is not ready: {problem}.")


def record_agreement(
    session: Session, *, actor: User, case: Case, agreement: str, reason: str, seen_version: int, now: datetime
) -> Contract:
    """Not agreeing ends the contract route: the case is terminated for a prosecution decision."""
    contract = _contract(session, actor=actor, case=case, seen_version=seen_version, action=Action.DRAFT_CONTRACT)
    if agreement not in AGREEMENTS:
        raise FieldError("agreement", "Select the person's answer")
    if agreement != "agrees" and not reason.strip():
        raise FieldError("reason", "Say why")
    # Refusing a first contract ends the route to it; refusing a variation leaves the signed one in force.
    refuses_contract = agreement == "does_not_agree" and contract.version_number == 1
    if refuses_contract:
        transitions.require_allowed(case, CaseEvent.REFUSE_CONTRACT)  # refuse before changing anything
    contract.agreement, contract.agreement_reason = agreement, reason.strip() or None
    contract.version += 1
    flush_or_stale(session, stale_message("this contract"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="contract.agreement_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        agreement=agreement,
    )
    if refuses_contract:
        transitions.move(session, case, CaseEvent.REFUSE_CONTRACT, actor=actor, now=now)
    return contract


def submit_for_approval(session: Session, *, actor: User, case: Case, seen_version: int, now: datetime) -> Contract:
    contract = _contract(session, actor=actor, case=case, seen_version=seen_version, action=Action.DRAFT_CONTRACT)
    if not schemes.settings_on(session, local(now).date()).contract_approval_required:
        raise IllegalTransition("This scheme does not ask for contracts to be approved. Sign it when it is ready.")
    transitions.require_allowed(case, CaseEvent.SUBMIT_FOR_APPROVAL)
    _require_complete(session, contract, now=now)
    contract.status = "awaiting_approval"
    contract.version += 1
    transitions.move(session, case, CaseEvent.SUBMIT_FOR_APPROVAL, actor=actor, now=now)
    return contract


def decide_approval(
    session: Session, *, actor: User, case: Case, approve: bool, reason: str, seen_version: int, now: datetime
) -> Contract:
    contract = _contract(session, actor=actor, case=case, seen_version=seen_version, action=Action.APPROVE_CONTRACT)
    if case.case_state is not CaseState.CONTRACT_AWAITING_APPROVAL:
        raise IllegalTransition("This contract is not waiting for approval.")
    if contract.created_by_id == actor.id:
        raise IllegalTransition("You drafted this contract, so another supervisor must approve it.")
    if not approve and not reason.strip():
        raise FieldError("reason", "Say what needs to change")
    contract.version += 1
    if approve:
        contract.approved_by_id, contract.approved_at = actor.id, now
        flush_or_stale(session, stale_message("this contract"), case_id=case.id)
        audit.record(session, actor=actor, action="contract.approved", now=now, case_id=case.id, team_id=case.team_id)
    else:
        contract.status = "draft"
        transitions.move(session, case, CaseEvent.REQUEST_CHANGES, actor=actor, now=now)
    return contract


@dataclass(frozen=True)
class Signing:
    signed_at: datetime
    place: str
    language: str
    interpreter_present: bool
    appropriate_adult_present: bool
    solicitor_present: bool
    person_signature: str
    signature_name: str
    copy_given: str
    risk_accepted: str = ""


def sign(session: Session, *, actor: User, case: Case, signing: Signing, seen_version: int, now: datetime) -> Contract:
    """The term starts on the signing date; the version is frozen from here on."""
    contract = _contract(session, actor=actor, case=case, seen_version=seen_version, action=Action.DRAFT_CONTRACT)
    variation = contract.version_number > 1
    previous = _signed_before(session, case, contract) if variation else None
    if variation and case.case_state is not CaseState.ACTIVE:
        raise IllegalTransition("A variation can only be signed while the case is active.")
    if not variation:
        transitions.require_allowed(case, CaseEvent.SIGN_CONTRACT)
    settings = schemes.settings_on(session, local(now).date())
    if (settings.contract_approval_required or variation) and contract.approved_at is None:
        raise IllegalTransition("A supervisor must approve this contract before it is signed.")
    if contract.agreement != "agrees":
        raise IllegalTransition("Record that the person agrees to the contract before it is signed.")
    _require_complete(session, contract, now=now)
    if signing.signed_at > now:
        raise FieldError("signed_date", "The signing date and time must be in the past")
    if not signing.place.strip():
        raise FieldError("place", "Enter where the contract was signed")
    if signing.language not in settings.languages:
        raise FieldError("language", "Select the language the contract was explained in")
    if signing.person_signature not in SIGNATURES:
        raise FieldError("person_signature", "Select how the person signed")
    if signing.person_signature == "typed_name" and not signing.signature_name.strip():
        raise FieldError("signature_name", "The person must type their name to sign on screen")
    if signing.copy_given not in COPIES:
        raise FieldError("copy_given", "Select how the person was given their copy")
    if case.person.interpreter_needed and not signing.interpreter_present:
        raise FieldError("interpreter_present", "An interpreter must be present: this person needs one")
    if variation:  # the term continues from the first signature, to the end the variation asked for
        starts_on, ends_on = previous.starts_on, contract.planned_ends_on
    else:
        starts_on = local(signing.signed_at).date()
        ends_on = time_limits.contract_end_date(starts_on, months=settings.contract_length_months)
    late = [c.position for c in contract.conditions if c.due_on and c.due_on > ends_on]
    if late:
        raise IllegalTransition(f"Condition {late[0]} is due after the contract ends on {ends_on:%d/%m/%Y}.")
    if not terms.passes_time_limit(
        ends_on, margin_days=settings.time_limit_margin_days, latest_charge=case.latest_charge_on
    ):
        if not actor.has_role(Role.SUPERVISOR):
            raise FieldError(
                "risk_accepted",
                "The contract ends too close to the latest charge date. A supervisor "
                "must sign it and record the risk accepted",
            )
        if len(signing.risk_accepted.strip()) < 20:
            raise FieldError(
                "risk_accepted",
                "Record the risk accepted: a breach late in the contract may leave no time to prosecute",
            )
        contract.time_limit_risk_accepted, contract.risk_accepted_by_id = signing.risk_accepted.strip(), actor.id
    contract.signed_at, contract.signed_by_navigator_id = signing.signed_at, actor.id
    contract.signing_place, contract.signing_language = signing.place.strip(), signing.language
    contract.interpreter_present = signing.interpreter_present
    contract.appropriate_adult_present = signing.appropriate_adult_present
    contract.solicitor_present = signing.solicitor_present
    contract.person_signature, contract.signature_name = (
        signing.person_signature,
        signing.signature_name.strip() or None,
    )
    contract.copy_given, contract.starts_on, contract.ends_on = signing.copy_given, starts_on, ends_on
    contract.status = "signed"
    contract.version += 1
    if variation:
        previous.status = "superseded"
        flush_or_stale(session, stale_message("this contract"), case_id=case.id)
        audit.record(
            session,
            actor=actor,
            action="contract.variation_signed",
            now=now,
            case_id=case.id,
            team_id=case.team_id,
            contract_version=contract.version_number,
            ends_on=ends_on.isoformat(),
            risk_accepted=bool(contract.time_limit_risk_accepted),
        )
        return contract
    transitions.move(
        session,
        case,
        CaseEvent.SIGN_CONTRACT,
        actor=actor,
        now=now,
        contract_version=contract.version_number,
        ends_on=ends_on.isoformat(),
        risk_accepted=bool(contract.time_limit_risk_accepted),
    )
    return contract


def _signed_before(session: Session, case: Case, contract: Contract) -> Contract:
    return session.scalar(
        select(Contract).where(
            Contract.case_id == case.id, Contract.status == "signed", Contract.version_number < contract.version_number
        )
    )
