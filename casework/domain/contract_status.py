"""The statuses of a support contract version and of each of its conditions (DOMAIN.md §5), as
tables. Services change either only through `next_contract_status` / `next_condition_status`;
the contract page offers only what the tables (with the case lifecycle) allow.

A contract version:

    draft ──send for approval──▶ awaiting_approval
      ▲ ◀──────send back──────────┘      │
      │                                  │ sign (once a supervisor has approved it)
      │ sign (no approval asked for,     ▼
      └─ or an approved variation) ──▶ signed ──supersede (its variation is signed)──▶ superseded

    Without moving: a draft's conditions change and the person's answer is recorded (draft);
    the answer is recorded and a supervisor approves (awaiting_approval); a supervisor approves a
    variation (draft, version 2 on); a signed version is varied, and stays in force meanwhile.

A condition:

    not_started, in_progress, at_risk ──progress recorded──▶ in_progress
                                      ──progress, at risk──▶ at_risk
                                      ──target reached─────▶ met ──more evidence──▶ met
                                      ──supervisor waives──▶ waived     (decided: nothing moves it)
                                      ──supervisor finds not met──▶ not_met (decided: nothing moves it)
"""

from __future__ import annotations

from enum import StrEnum

from casework.domain.contract_terms import ConditionStatus
from casework.domain.errors import IllegalTransition


class ContractStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SIGNED = "signed"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return CONTRACT_STATUS_LABELS[self]


CONTRACT_STATUS_LABELS = {
    ContractStatus.DRAFT: "Draft",
    ContractStatus.AWAITING_APPROVAL: "Awaiting approval",
    ContractStatus.SIGNED: "Signed",
    ContractStatus.SUPERSEDED: "Superseded",
}


class ContractEvent(StrEnum):
    CHANGE_CONDITIONS = "change_conditions"
    RECORD_ANSWER = "record_answer"
    SEND_FOR_APPROVAL = "send_for_approval"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    APPROVE_VARIATION = "approve_variation"
    SIGN = "sign"
    VARY = "vary"
    SUPERSEDE = "supersede"


C, CE = ContractStatus, ContractEvent

CONTRACT_TRANSITIONS: dict[tuple[ContractStatus, ContractEvent], ContractStatus] = {
    (C.DRAFT, CE.CHANGE_CONDITIONS): C.DRAFT,
    (C.DRAFT, CE.RECORD_ANSWER): C.DRAFT,
    (C.DRAFT, CE.SEND_FOR_APPROVAL): C.AWAITING_APPROVAL,
    (C.DRAFT, CE.APPROVE_VARIATION): C.DRAFT,
    (C.DRAFT, CE.SIGN): C.SIGNED,
    (C.AWAITING_APPROVAL, CE.RECORD_ANSWER): C.AWAITING_APPROVAL,
    (C.AWAITING_APPROVAL, CE.APPROVE): C.AWAITING_APPROVAL,
    (C.AWAITING_APPROVAL, CE.SEND_BACK): C.DRAFT,
    (C.AWAITING_APPROVAL, CE.SIGN): C.SIGNED,
    (C.SIGNED, CE.VARY): C.SIGNED,
    (C.SIGNED, CE.SUPERSEDE): C.SUPERSEDED,
}

_CONTRACT_REFUSALS = {
    C.AWAITING_APPROVAL: "This version is waiting for a supervisor's approval, so it cannot be {event} now.",
    C.SIGNED: "This version is signed, and a signed version is frozen: it cannot be {event}.",
    C.SUPERSEDED: "This version has been replaced by a later one: it cannot be {event}.",
    C.DRAFT: "This version is still a draft, so it cannot be {event} yet.",
}
_CONTRACT_EVENT_WORDS = {
    CE.CHANGE_CONDITIONS: "changed",
    CE.RECORD_ANSWER: "answered",
    CE.SEND_FOR_APPROVAL: "sent for approval",
    CE.APPROVE: "approved",
    CE.SEND_BACK: "sent back for changes",
    CE.APPROVE_VARIATION: "approved as a variation",
    CE.SIGN: "signed",
    CE.VARY: "varied",
    CE.SUPERSEDE: "replaced",
}


def next_contract_status(status: ContractStatus, event: ContractEvent) -> ContractStatus:
    try:
        return CONTRACT_TRANSITIONS[(status, event)]
    except KeyError:
        raise IllegalTransition(_CONTRACT_REFUSALS[status].format(event=_CONTRACT_EVENT_WORDS[event])) from None


def allowed_contract_events(status: ContractStatus) -> list[ContractEvent]:
    return [event for (start, event) in CONTRACT_TRANSITIONS if start == status]


class ConditionEvent(StrEnum):
    RECORD_PROGRESS = "record_progress"
    REPORT_AT_RISK = "report_at_risk"
    REACH_TARGET = "reach_target"
    WAIVE = "waive"
    FIND_NOT_MET = "find_not_met"

    @property
    def by(self) -> str:
        """Who or what moves a condition by this event: recorded progress, or a supervisor's decision."""
        return "supervisor decision" if self in SUPERVISOR_EVENTS else "progress"


SUPERVISOR_EVENTS = frozenset({ConditionEvent.WAIVE, ConditionEvent.FIND_NOT_MET})

S, CnE = ConditionStatus, ConditionEvent
OPEN_CONDITION_STATUSES = (S.NOT_STARTED, S.IN_PROGRESS, S.AT_RISK)
DECIDED_CONDITION_STATUSES = frozenset({S.WAIVED, S.NOT_MET})

CONDITION_TRANSITIONS: dict[tuple[ConditionStatus, ConditionEvent], ConditionStatus] = {
    **{(status, CnE.RECORD_PROGRESS): S.IN_PROGRESS for status in OPEN_CONDITION_STATUSES},
    **{(status, CnE.REPORT_AT_RISK): S.AT_RISK for status in OPEN_CONDITION_STATUSES},
    **{(status, CnE.REACH_TARGET): S.MET for status in OPEN_CONDITION_STATUSES},
    **{(status, CnE.WAIVE): S.WAIVED for status in OPEN_CONDITION_STATUSES},
    **{(status, CnE.FIND_NOT_MET): S.NOT_MET for status in OPEN_CONDITION_STATUSES},
    # Evidence that arrives after the target was reached is kept; the condition stays met.
    (S.MET, CnE.REACH_TARGET): S.MET,
}

CONDITION_STATUS_LABELS = {
    S.NOT_STARTED: "Not started",
    S.IN_PROGRESS: "In progress",
    S.MET: "Met",
    S.AT_RISK: "At risk",
    S.NOT_MET: "Not met",
    S.WAIVED: "Waived",
}


def next_condition_status(status: ConditionStatus, event: ConditionEvent) -> ConditionStatus:
    try:
        return CONDITION_TRANSITIONS[(status, event)]
    except KeyError:
        pass
    if status is S.WAIVED:
        raise IllegalTransition("A supervisor has waived this condition: nothing more can be recorded against it.")
    if status is S.NOT_MET:
        raise IllegalTransition("A supervisor has found this condition not met: that decision stands.")
    if event.by == "supervisor decision":
        raise IllegalTransition("This condition has been met, so it can no longer be waived or found not met.")
    raise IllegalTransition("This condition has been met: further progress can only keep it met.")


def allowed_condition_events(status: ConditionStatus) -> list[ConditionEvent]:
    return [event for (start, event) in CONDITION_TRANSITIONS if start == status]
