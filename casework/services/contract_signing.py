"""From draft to signed: the person's agreement, the optional supervisor approval, and signing,
which starts the term and freezes the version (DOMAIN.md §5.2, §3.4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain import contract_terms as terms
from casework.domain import time_limits
from casework.domain.clock import local
from casework.domain.contract_status import ContractEvent
from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Action, Role
from casework.models import Case, Contract, User, UserRole
from casework.services import (
    access,
    audit,
    check_in_schedule,
    check_ins,
    contract_status,
    contracts,
    schemes,
    suspensions,
    transitions,
)
from casework.services.concurrency import flush_or_stale, stale_message
from casework.services.contracts import as_draft, limits

AGREEMENTS = {
    "agrees": "Agrees to the contract",
    "does_not_agree": "Does not agree",
    "could_not_answer": "Could not answer",
}
SIGNATURES = {"wet_ink": "Signed the paper copy (scan to be filed)", "typed_name": "Typed their name on screen"}
COPIES = {"paper": "Paper copy handed over", "email": "Emailed to the person"}


def _unsigned(session: Session, *, actor: User, case: Case, action: Action, event: ContractEvent) -> Contract:
    """The version being prepared, if the actor may take this step on it now; else the reason not."""
    access.require(actor, action, team_id=case.team_id)
    contract = contracts.pending(session, case=case)
    if contract is None:
        raise IllegalTransition("There is no unsigned contract on this case.")
    contract_status.require_contract(contract, event)
    if contract.version_number > 1 and case.case_state is not CaseState.ACTIVE:
        raise IllegalTransition("A variation can only be dealt with while the case is active.")
    if contract.version_number == 1 and case.case_state not in FIRST_CONTRACT_STATES:
        raise IllegalTransition(f"A case that is '{case.case_state.label}' has no contract being prepared.")
    return contract


FIRST_CONTRACT_STATES = (CaseState.CONTRACT_DRAFT, CaseState.CONTRACT_AWAITING_APPROVAL)


def _seen(contract: Contract, seen_version: int) -> Contract:
    if contract.version != seen_version:
        raise StaleRecord(stale_message("this contract"), case_id=contract.case_id)
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


def answerable(session: Session, *, actor: User, case: Case) -> Contract:
    return _unsigned(session, actor=actor, case=case, action=Action.DRAFT_CONTRACT, event=ContractEvent.RECORD_ANSWER)


def record_agreement(
    session: Session, *, actor: User, case: Case, agreement: str, reason: str, seen_version: int, now: datetime
) -> Contract:
    """Not agreeing ends the contract route: the case is terminated for a prosecution decision."""
    contract = _seen(answerable(session, actor=actor, case=case), seen_version)
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


def submittable(session: Session, *, actor: User, case: Case, now: datetime) -> Contract:
    contract = _unsigned(
        session, actor=actor, case=case, action=Action.DRAFT_CONTRACT, event=ContractEvent.SEND_FOR_APPROVAL
    )
    if contract.version_number > 1:
        raise IllegalTransition("A supervisor approves a variation as it stands: it is not sent for approval.")
    if not schemes.settings_on(session, local(now).date()).contract_approval_required:
        raise IllegalTransition("This scheme does not ask for contracts to be approved. Sign it when it is ready.")
    transitions.require_allowed(case, CaseEvent.SUBMIT_FOR_APPROVAL)
    _require_complete(session, contract, now=now)
    return contract


def submit_for_approval(session: Session, *, actor: User, case: Case, seen_version: int, now: datetime) -> Contract:
    contract = _seen(submittable(session, actor=actor, case=case, now=now), seen_version)
    contract_status.move_contract(contract, ContractEvent.SEND_FOR_APPROVAL)
    contract.version += 1
    transitions.move(session, case, CaseEvent.SUBMIT_FOR_APPROVAL, actor=actor, now=now)
    return contract


def decidable(session: Session, *, actor: User, case: Case) -> Contract:
    """The contract waiting for this supervisor's decision, or the reason it is not theirs to decide."""
    contract = _unsigned(session, actor=actor, case=case, action=Action.APPROVE_CONTRACT, event=ContractEvent.APPROVE)
    if case.case_state is not CaseState.CONTRACT_AWAITING_APPROVAL:
        raise IllegalTransition("This contract is not waiting for approval.")
    if contract.approved_at is not None:
        raise IllegalTransition("A supervisor has already approved this contract.")
    if contract.created_by_id == actor.id:
        raise IllegalTransition("You drafted this contract, so another supervisor must approve it.")
    return contract


def decide_approval(
    session: Session, *, actor: User, case: Case, approve: bool, reason: str, seen_version: int, now: datetime
) -> Contract:
    contract = _seen(decidable(session, actor=actor, case=case), seen_version)
    if not approve and not reason.strip():
        raise FieldError("reason", "Say what needs to change")
    contract.version += 1
    if approve:
        contract.approved_by_id, contract.approved_at = actor.id, now
        flush_or_stale(session, stale_message("this contract"), case_id=case.id)
        audit.record(session, actor=actor, action="contract.approved", now=now, case_id=case.id, team_id=case.team_id)
    else:
        contract_status.move_contract(contract, ContractEvent.SEND_BACK)
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
    # The navigator who explained the contract and signs it; None means the case's navigator.
    explained_by_id: int | None = None
    risk_accepted: str = ""
    # How the check-ins a first contract generates are held; the place defaults to the signing place.
    check_ins: check_ins.SchedulePlan = field(default_factory=check_ins.SchedulePlan)


def signable(session: Session, *, actor: User, case: Case, now: datetime) -> Contract:
    """The contract whose signing this actor may record now, or the reason they may not."""
    contract = _unsigned(session, actor=actor, case=case, action=Action.DRAFT_CONTRACT, event=ContractEvent.SIGN)
    if contract.version_number == 1:
        transitions.require_allowed(case, CaseEvent.SIGN_CONTRACT)
    settings = schemes.settings_on(session, local(now).date())
    if (settings.contract_approval_required or contract.version_number > 1) and contract.approved_at is None:
        raise IllegalTransition("A supervisor must approve this contract before it is signed.")
    if contract.agreement != "agrees":
        raise IllegalTransition("Record that the person agrees to the contract before it is signed.")
    _require_complete(session, contract, now=now)
    return contract


def term(session: Session, *, case: Case, contract: Contract, signed_on: date, now: datetime) -> tuple[date, date]:
    """The term a signing on this day gives: a first contract runs from it for the scheme's length;
    a variation continues the term in force to the end it asked for."""
    if contract.version_number > 1:
        return contracts.in_force(session, case=case).starts_on, contract.planned_ends_on
    months = schemes.settings_on(session, local(now).date()).contract_length_months
    return signed_on, time_limits.contract_end_date(signed_on, months=months)


def needs_supervisor(session: Session, *, case: Case, contract: Contract, signed_on: date, now: datetime) -> bool:
    """Whether a signing on this day ends the term too close to the latest charge date (DOMAIN.md §3.4),
    so that only a supervisor, accepting the risk, may record it."""
    _, ends_on = term(session, case=case, contract=contract, signed_on=signed_on, now=now)
    # A suspension's paused days run on past the contract's own end; the legal limit does not move.
    ends_on += timedelta(days=suspensions.extension_days(session, case=case))
    margin = schemes.settings_on(session, local(now).date()).time_limit_margin_days
    return not terms.passes_time_limit(ends_on, margin_days=margin, latest_charge=case.latest_charge_on)


def navigators(session: Session, *, case: Case) -> list[User]:
    """Who may be named as having explained the contract: the case team's active navigators."""
    return list(
        session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.team_id == case.team_id, User.is_active, UserRole.role == Role.NAVIGATOR.value)
            .order_by(User.full_name)
        )
    )


def sign(session: Session, *, actor: User, case: Case, signing: Signing, seen_version: int, now: datetime) -> Contract:
    """The term starts on the signing date; the version is frozen from here on. The navigator who
    explained the contract signs it; a supervisor who accepts the time-limit risk countersigns."""
    contract = _seen(signable(session, actor=actor, case=case, now=now), seen_version)
    settings = schemes.settings_on(session, local(now).date())
    if signing.signed_at > now:
        raise FieldError("signed_date", "The signing date and time must be in the past")
    explained_by_id = signing.explained_by_id or case.navigator_id
    if explained_by_id not in {navigator.id for navigator in navigators(session, case=case)}:
        raise FieldError("explained_by_id", "Select the navigator who explained the contract")
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
    signed_on = local(signing.signed_at).date()
    starts_on, ends_on = term(session, case=case, contract=contract, signed_on=signed_on, now=now)
    late = [c.position for c in contract.conditions if c.due_on and c.due_on > ends_on]
    if late:
        raise IllegalTransition(f"Condition {late[0]} is due after the contract ends on {ends_on:%d/%m/%Y}.")
    if needs_supervisor(session, case=case, contract=contract, signed_on=signed_on, now=now):
        if not actor.has_role(Role.SUPERVISOR):
            raise FieldError(
                "risk_accepted",
                "The contract ends too close to the latest charge date. A supervisor "
                "must record the signing and the risk accepted",
            )
        if len(signing.risk_accepted.strip()) < 20:
            raise FieldError(
                "risk_accepted",
                "Record the risk accepted: a breach late in the contract may leave no time to prosecute",
            )
        contract.time_limit_risk_accepted, contract.risk_accepted_by_id = signing.risk_accepted.strip(), actor.id
    contract.signed_at, contract.signed_by_navigator_id = signing.signed_at, explained_by_id
    contract.signing_recorded_by_id = actor.id
    contract.signing_place, contract.signing_language = signing.place.strip(), signing.language
    contract.interpreter_present = signing.interpreter_present
    contract.appropriate_adult_present = signing.appropriate_adult_present
    contract.solicitor_present = signing.solicitor_present
    contract.person_signature, contract.signature_name = (
        signing.person_signature,
        signing.signature_name.strip() or None,
    )
    contract.copy_given, contract.starts_on, contract.ends_on = signing.copy_given, starts_on, ends_on
    detail = dict(
        contract_version=contract.version_number,
        ends_on=ends_on.isoformat(),
        risk_accepted=bool(contract.time_limit_risk_accepted),
        explained_by_id=explained_by_id,
    )
    if contract.version_number > 1:
        previous = contracts.in_force(session, case=case)
        contract_status.move_contract(previous, ContractEvent.SUPERSEDE)
        contract_status.move_contract(contract, ContractEvent.SIGN)
        contract.version += 1
        flush_or_stale(session, stale_message("this contract"), case_id=case.id)
        audit.record(
            session,
            actor=actor,
            action="contract.variation_signed",
            now=now,
            case_id=case.id,
            team_id=case.team_id,
            **detail,
        )
        check_in_schedule.fit_to_varied_term(
            session,
            actor=actor,
            case=case,
            contract=contract,
            now=now,
            ends_on=suspensions.term_end(session, case=case),
        )
        return contract
    contract_status.move_contract(contract, ContractEvent.SIGN)
    contract.version += 1
    transitions.move(session, case, CaseEvent.SIGN_CONTRACT, actor=actor, now=now, **detail)
    check_in_schedule.generate_for_signing(
        session, actor=actor, case=case, contract=contract, plan=signing.check_ins, now=now
    )
    return contract
