"""The case state machine (DOMAIN.md §3.1 and §3.2) as a table. Services change a case's state only
through `next_state`; templates offer only `allowed_events`."""

from __future__ import annotations

from enum import StrEnum

from casework.domain.errors import IllegalTransition


class CaseState(StrEnum):
    ELIGIBILITY_DRAFT = "eligibility_draft"
    INELIGIBLE = "ineligible"
    DECLINED = "declined"
    PENDING_ACCEPTANCE = "pending_acceptance"
    REFERRED = "referred"
    ASSESSMENT = "assessment"
    CONTRACT_DRAFT = "contract_draft"
    CONTRACT_AWAITING_APPROVAL = "contract_awaiting_approval"
    ACTIVE = "active"
    BREACH_REVIEW = "breach_review"
    SUSPENDED = "suspended"
    COMPLETION_REVIEW = "completion_review"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    PROSECUTION_DECISION = "prosecution_decision"
    CLOSED_CHARGED = "closed_charged"
    CLOSED_ALTERNATIVE = "closed_alternative"
    CLOSED_TIME_BARRED = "closed_time_barred"
    CLOSED_EVIDENTIAL = "closed_evidential"
    WITHDRAWN_IN_ERROR = "withdrawn_in_error"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES


class CaseEvent(StrEnum):
    RECORD_INELIGIBLE = "record_ineligible"
    RECORD_DECLINE = "record_decline"
    REQUEST_ACCEPTANCE = "request_acceptance"
    REFER = "refer"
    ACCEPT_REFERRAL = "accept_referral"
    REJECT_REFERRAL = "reject_referral"
    RECORD_FIRST_CONTACT = "record_first_contact"
    TERMINATE_NO_CONTACT = "terminate_no_contact"
    START_CONTRACT = "start_contract"
    REFUSE_CONTRACT = "refuse_contract"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    REQUEST_CHANGES = "request_changes"
    SIGN_CONTRACT = "sign_contract"
    REPORT_BREACH = "report_breach"
    RESOLVE_BREACH = "resolve_breach"
    TERMINATE = "terminate"
    SUSPEND = "suspend"
    RESUME = "resume"
    BEGIN_COMPLETION_REVIEW = "begin_completion_review"
    COMPLETE = "complete"
    FIND_CONDITION_UNMET = "find_condition_unmet"
    WITHDRAW_CONSENT = "withdraw_consent"
    PASS_FOR_DECISION = "pass_for_decision"
    CLOSE_CHARGED = "close_charged"
    CLOSE_ALTERNATIVE = "close_alternative"
    CLOSE_TIME_BARRED = "close_time_barred"
    CLOSE_EVIDENTIAL = "close_evidential"
    WITHDRAW_IN_ERROR = "withdraw_in_error"


S, E = CaseState, CaseEvent

TRANSITIONS: dict[tuple[CaseState, CaseEvent], CaseState] = {
    (S.ELIGIBILITY_DRAFT, E.RECORD_INELIGIBLE): S.INELIGIBLE,
    (S.ELIGIBILITY_DRAFT, E.RECORD_DECLINE): S.DECLINED,
    (S.ELIGIBILITY_DRAFT, E.REQUEST_ACCEPTANCE): S.PENDING_ACCEPTANCE,
    (S.ELIGIBILITY_DRAFT, E.REFER): S.REFERRED,
    (S.PENDING_ACCEPTANCE, E.ACCEPT_REFERRAL): S.REFERRED,
    (S.PENDING_ACCEPTANCE, E.REJECT_REFERRAL): S.INELIGIBLE,
    (S.REFERRED, E.RECORD_FIRST_CONTACT): S.ASSESSMENT,
    (S.REFERRED, E.TERMINATE_NO_CONTACT): S.TERMINATED,
    (S.ASSESSMENT, E.START_CONTRACT): S.CONTRACT_DRAFT,
    (S.ASSESSMENT, E.REFUSE_CONTRACT): S.TERMINATED,
    (S.CONTRACT_DRAFT, E.SUBMIT_FOR_APPROVAL): S.CONTRACT_AWAITING_APPROVAL,
    (S.CONTRACT_DRAFT, E.SIGN_CONTRACT): S.ACTIVE,
    (S.CONTRACT_DRAFT, E.REFUSE_CONTRACT): S.TERMINATED,
    (S.CONTRACT_AWAITING_APPROVAL, E.REQUEST_CHANGES): S.CONTRACT_DRAFT,
    (S.CONTRACT_AWAITING_APPROVAL, E.SIGN_CONTRACT): S.ACTIVE,
    (S.ACTIVE, E.REPORT_BREACH): S.BREACH_REVIEW,
    (S.ACTIVE, E.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, E.BEGIN_COMPLETION_REVIEW): S.COMPLETION_REVIEW,
    (S.ACTIVE, E.WITHDRAW_CONSENT): S.TERMINATED,
    (S.ACTIVE, E.TERMINATE): S.TERMINATED,
    (S.BREACH_REVIEW, E.RESOLVE_BREACH): S.ACTIVE,
    (S.BREACH_REVIEW, E.TERMINATE): S.TERMINATED,
    # The supervisor's decision on a breach may pause the term (DOMAIN.md §7.2).
    (S.BREACH_REVIEW, E.SUSPEND): S.SUSPENDED,
    (S.BREACH_REVIEW, E.WITHDRAW_CONSENT): S.TERMINATED,
    (S.SUSPENDED, E.RESUME): S.ACTIVE,
    # A new offence can come to light while the term is paused or being signed off.
    (S.SUSPENDED, E.REPORT_BREACH): S.BREACH_REVIEW,
    (S.SUSPENDED, E.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, E.WITHDRAW_CONSENT): S.TERMINATED,
    (S.COMPLETION_REVIEW, E.COMPLETE): S.COMPLETED,
    (S.COMPLETION_REVIEW, E.FIND_CONDITION_UNMET): S.BREACH_REVIEW,
    (S.COMPLETION_REVIEW, E.REPORT_BREACH): S.BREACH_REVIEW,
    (S.COMPLETION_REVIEW, E.WITHDRAW_CONSENT): S.TERMINATED,
    (S.TERMINATED, E.PASS_FOR_DECISION): S.PROSECUTION_DECISION,
    # Every termination goes on to the prosecution decision at once (services.transitions).
    (S.PROSECUTION_DECISION, E.CLOSE_CHARGED): S.CLOSED_CHARGED,
    (S.PROSECUTION_DECISION, E.CLOSE_ALTERNATIVE): S.CLOSED_ALTERNATIVE,
    (S.PROSECUTION_DECISION, E.CLOSE_TIME_BARRED): S.CLOSED_TIME_BARRED,
    (S.PROSECUTION_DECISION, E.CLOSE_EVIDENTIAL): S.CLOSED_EVIDENTIAL,
}

TERMINAL_STATES = frozenset(
    {
        S.INELIGIBLE,
        S.DECLINED,
        S.COMPLETED,
        S.CLOSED_CHARGED,
        S.CLOSED_ALTERNATIVE,
        S.CLOSED_TIME_BARRED,
        S.CLOSED_EVIDENTIAL,
        S.WITHDRAWN_IN_ERROR,
    }
)

# A case opened by mistake (duplicate, wrong person) can be withdrawn from any open state.
for _state in CaseState:
    if _state not in TERMINAL_STATES:
        TRANSITIONS[(_state, E.WITHDRAW_IN_ERROR)] = S.WITHDRAWN_IN_ERROR

# A contract that has ended without completing: the check-ins still to come are cancelled.
ENDED_EARLY_STATES = frozenset({S.TERMINATED, S.PROSECUTION_DECISION})

# States in which a navigator is working with the person: the caseload's "open" cases.
OPEN_STATES = frozenset(
    {
        S.REFERRED,
        S.ASSESSMENT,
        S.CONTRACT_DRAFT,
        S.CONTRACT_AWAITING_APPROVAL,
        S.ACTIVE,
        S.BREACH_REVIEW,
        S.SUSPENDED,
        S.COMPLETION_REVIEW,
    }
)

STATE_LABELS = {
    S.ELIGIBILITY_DRAFT: "Eligibility check",
    S.INELIGIBLE: "Ineligible",
    S.DECLINED: "Declined",
    S.PENDING_ACCEPTANCE: "Awaiting acceptance",
    S.REFERRED: "Referred",
    S.ASSESSMENT: "Assessment",
    S.CONTRACT_DRAFT: "Contract draft",
    S.CONTRACT_AWAITING_APPROVAL: "Contract awaiting approval",
    S.ACTIVE: "Active",
    S.BREACH_REVIEW: "Breach review",
    S.SUSPENDED: "Suspended",
    S.COMPLETION_REVIEW: "Completion review",
    S.COMPLETED: "Completed",
    S.TERMINATED: "Terminated",
    S.PROSECUTION_DECISION: "Prosecution decision",
    S.CLOSED_CHARGED: "Closed: charged",
    S.CLOSED_ALTERNATIVE: "Closed: other outcome",
    S.CLOSED_TIME_BARRED: "Closed: time-barred",
    S.CLOSED_EVIDENTIAL: "Closed: evidential difficulties",
    S.WITHDRAWN_IN_ERROR: "Withdrawn in error",
}

# GOV.UK tag colours by state, so a list of cases can be scanned by colour as well as by word.
STATE_TAG_COLOURS = {
    S.ELIGIBILITY_DRAFT: "grey",
    S.PENDING_ACCEPTANCE: "yellow",
    S.REFERRED: "light-blue",
    S.ASSESSMENT: "blue",
    S.CONTRACT_DRAFT: "blue",
    S.CONTRACT_AWAITING_APPROVAL: "yellow",
    S.ACTIVE: "green",
    S.BREACH_REVIEW: "red",
    S.SUSPENDED: "orange",
    S.COMPLETION_REVIEW: "turquoise",
    S.COMPLETED: "green",
    S.TERMINATED: "red",
    S.PROSECUTION_DECISION: "pink",
    S.INELIGIBLE: "grey",
    S.DECLINED: "grey",
    S.CLOSED_CHARGED: "grey",
    S.CLOSED_ALTERNATIVE: "grey",
    S.CLOSED_TIME_BARRED: "grey",
    S.CLOSED_EVIDENTIAL: "grey",
    S.WITHDRAWN_IN_ERROR: "grey",
}


def next_state(state: CaseState, event: CaseEvent) -> CaseState:
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        if state.is_terminal:
            raise IllegalTransition(f"This case is {state.label.lower()} and can no longer change.") from None
        raise IllegalTransition(
            f"A case that is '{state.label}' cannot be moved on by '{event.value.replace('_', ' ')}'."
        ) from None


def allowed_events(state: CaseState) -> list[CaseEvent]:
    return [event for (from_state, event) in TRANSITIONS if from_state == state]
