"""What a user can do next on a case: the case overview's "What needs doing next".

One entry per action in STEPS: the permission it needs (domain/roles.py, through services/access.py,
which checks the case's team too), the lifecycle event that must be open (domain/lifecycle.py
`allowed_events`) and the rule on the case's data that the action's own service applies. The list
offers exactly what this user may do now, and templates only render it. A new action is one more
entry here (tests/services/test_case_actions.py then checks it against its service).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from casework.domain import time_limits
from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseEvent, CaseState, allowed_events
from casework.domain.needs import Stage
from casework.domain.roles import Action, Role
from casework.models import Case, Contract, User
from casework.services import access, assessment, case_record, caseload, progress
from casework.services.case_record import CaseRecord


@dataclass(frozen=True)
class CaseFacts:
    """What the rules look at, loaded once for a page."""

    case: Case
    actor: User
    today: date
    stages: frozenset[str]  # assessment stages recorded
    contract: Contract | None  # the latest version: a draft, one awaiting approval, or the one signed
    signed: Contract | None  # the version in force
    recordable: frozenset[int] = frozenset()  # its conditions this user may record progress against


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Callable[[CaseFacts], str]
    endpoint: str
    permission: Action
    event: CaseEvent | None = None
    when: Callable[[CaseFacts], bool] = lambda _facts: True
    params: dict[str, str] = field(default_factory=dict)
    primary: bool = False  # the step that moves the case on, shown as the main button


@dataclass(frozen=True)
class OfferedAction:
    key: str
    label: str
    endpoint: str
    params: dict[str, str]
    primary: bool


@dataclass(frozen=True)
class Notice:
    key: str
    text: str


@dataclass(frozen=True)
class NextSteps:
    actions: list[OfferedAction]
    warnings: list[Notice]

    def offers(self, key: str) -> bool:
        return any(action.key == key for action in self.actions)

    def get(self, key: str) -> OfferedAction | None:
        return next((action for action in self.actions if action.key == key), None)


def _not_own(record: Case | Contract | None, actor: User, column: str) -> bool:
    # Separation of duties (DOMAIN.md §1): nobody decides on what they opened, drafted or started.
    return record is not None and getattr(record, column) != actor.id


def _stage_open(stage: Stage) -> Callable[[CaseFacts], bool]:
    def rule(f: CaseFacts) -> bool:
        refusal = assessment.stage_refusal_given(f.case, stage, recorded=f.stages, signed=f.signed, today=f.today)
        return refusal is None

    return rule


def _draft_open(f: CaseFacts) -> bool:
    """A first contract is drafted before the case is active, a variation while it is (services/contracts.py)."""
    c = f.contract
    if c is None or c.status != "draft":
        return False
    return f.case.case_state is (CaseState.ACTIVE if c.version_number > 1 else CaseState.CONTRACT_DRAFT)


def _contract_waiting(f: CaseFacts) -> bool:
    c = f.contract
    return c is not None and c.status == "awaiting_approval" and c.approved_at is None


def _variation_waiting(f: CaseFacts) -> bool:
    c = f.contract
    return c is not None and c.version_number > 1 and c.status == "draft" and c.approved_at is None


STEPS: tuple[Step, ...] = (
    Step(
        "decide_acceptance",
        "Decide on acceptance",
        "cases.acceptance",
        Action.ACCEPT_REFERRAL,
        event=CaseEvent.ACCEPT_REFERRAL,
        when=lambda f: _not_own(f.case, f.actor, "opened_by_id"),
        primary=True,
    ),
    Step(
        "allocate",
        lambda f: "Reallocate" if f.case.navigator_id else "Allocate",
        "cases.allocate",
        Action.ALLOCATE_CASE,
        when=lambda f: f.case.is_open,
    ),
    Step(
        "record_first_contact",
        "Record first contact",
        "cases.first_contact",
        Action.RECORD_CONTACT,
        event=CaseEvent.RECORD_FIRST_CONTACT,
        primary=True,
    ),
    Step(
        "entry_assessment",
        "Record the needs assessment",
        "cases.assess",
        Action.ASSESS_NEEDS,
        when=_stage_open(Stage.ENTRY),
        params={"stage": Stage.ENTRY.value},
        primary=True,
    ),
    Step(
        "start_contract",
        "Start the contract",
        "contract.draft",
        Action.DRAFT_CONTRACT,
        event=CaseEvent.START_CONTRACT,
        when=lambda f: Stage.ENTRY.value in f.stages,
        primary=True,
    ),
    Step(
        "continue_contract",
        lambda f: "Continue the variation" if f.contract and f.contract.version_number > 1 else "Continue the contract",
        "contract.draft",
        Action.DRAFT_CONTRACT,
        when=_draft_open,
    ),
    Step(
        "approve_contract",
        "Review and approve the contract",
        "contract.draft",
        Action.APPROVE_CONTRACT,
        # Approving or sending back is open only while the case waits in this state.
        event=CaseEvent.REQUEST_CHANGES,
        when=lambda f: _contract_waiting(f) and _not_own(f.contract, f.actor, "created_by_id"),
        primary=True,
    ),
    Step(
        "approve_variation",
        "Review and approve the variation",
        "contract.draft",
        Action.APPROVE_CONTRACT,
        when=lambda f: _variation_waiting(f) and _not_own(f.contract, f.actor, "created_by_id"),
        primary=True,
    ),
    Step(
        "midpoint_assessment",
        "Record the midpoint assessment",
        "cases.assess",
        Action.ASSESS_NEEDS,
        when=_stage_open(Stage.MIDPOINT),
        params={"stage": Stage.MIDPOINT.value},
    ),
    Step(
        "exit_assessment",
        "Record the exit assessment",
        "cases.assess",
        Action.ASSESS_NEEDS,
        when=_stage_open(Stage.EXIT),
        params={"stage": Stage.EXIT.value},
    ),
    Step(
        "record_progress",
        "Record progress on the conditions",
        "cases.contract_summary",
        Action.RECORD_CONTACT,
        # The version in force, also while a variation of it waits (DOMAIN.md §5.3).
        when=lambda f: bool(f.recordable),
    ),
    Step(
        "make_referral", "Make a referral", "cases.new_referral", Action.REFER_TO_PARTNER, when=lambda f: f.case.is_open
    ),
    Step("add_note", "Add a case note", "cases.notes", Action.WRITE_CASE_NOTE),
    Step(
        "end_no_contact",
        "End for no contact",
        "case_endings.end_no_contact",
        Action.TERMINATE_CASE,
        event=CaseEvent.TERMINATE_NO_CONTACT,
        # Only once the person has had the chance to attend (services/case_endings.py).
        when=lambda f: f.case.first_appointment_at is not None and local_today(f.case.first_appointment_at) <= f.today,
    ),
    Step(
        "withdraw",
        "Withdraw in error",
        "case_endings.withdraw",
        Action.WITHDRAW_CASE,
        event=CaseEvent.WITHDRAW_IN_ERROR,
        when=lambda f: f.actor.has_role(Role.SUPERVISOR)
        or (f.case.case_state is CaseState.ELIGIBILITY_DRAFT and f.case.opened_by_id == f.actor.id),
    ),
)


def facts_for(session: Session, *, actor: User, case: Case, today: date) -> CaseFacts:
    return facts_from(case_record.of(session, case=case), actor=actor, today=today)


def facts_from(record: CaseRecord, *, actor: User, today: date) -> CaseFacts:
    """The facts from a case record a page has loaded already."""
    return CaseFacts(
        case=record.case,
        actor=actor,
        today=today,
        stages=record.stages,
        contract=record.current,
        signed=record.signed,
        recordable=progress.recordable_in(actor=actor, case=record.case, signed=record.signed),
    )


def is_offered(step: Step, facts: CaseFacts) -> bool:
    if not access.can(facts.actor, step.permission, team_id=facts.case.team_id):
        return False
    if step.event is not None and step.event not in allowed_events(facts.case.case_state):
        return False
    return step.when(facts)


def offered(facts: CaseFacts) -> list[OfferedAction]:
    """In STEPS order, the steps that move the case on first (GOV.UK puts the main button first)."""
    actions = [
        OfferedAction(
            key=step.key,
            label=step.label(facts) if callable(step.label) else step.label,
            endpoint=step.endpoint,
            params=dict(step.params),
            primary=step.primary,
        )
        for step in STEPS
        if is_offered(step, facts)
    ]
    return sorted(actions, key=lambda action: not action.primary)


def next_steps(session: Session, *, actor: User, case: Case, today: date) -> NextSteps:
    """Every action open to this user on this case now, and what they should know before acting."""
    return steps_for(session, case_record.of(session, case=case), actor=actor, today=today)


def steps_for(session: Session, record: CaseRecord, *, actor: User, today: date) -> NextSteps:
    """`next_steps` from a case record the page has loaded already."""
    facts = facts_from(record, actor=actor, today=today)
    return NextSteps(actions=offered(facts), warnings=_warnings(session, facts))


def _warnings(session: Session, f: CaseFacts) -> list[Notice]:
    case, found = f.case, []
    if case.decision_deadline_on and not case.case_state.is_terminal:
        deadline, latest = case.decision_deadline_on, case.latest_charge_on
        band = time_limits.deadline_band(deadline, f.today)
        said = (
            "The decision deadline passed on" if band is time_limits.DeadlineBand.PASSED else "Decide on prosecution by"
        )
        found.append(Notice("decision_deadline", f"{said} {_day(deadline)}. The latest charge date is {_day(latest)}."))
    # Only a referred case waits for first contact: the scheme's target is read only then.
    if case.case_state is CaseState.REFERRED and caseload.first_contact_overdue(session, case=case, today=f.today):
        found.append(
            Notice(
                "first_contact_overdue",
                "First contact is overdue: nobody has recorded meeting this person since the referral.",
            )
        )
    may_approve = access.can(f.actor, Action.APPROVE_CONTRACT, team_id=case.team_id)
    own_referral = case.case_state is CaseState.PENDING_ACCEPTANCE and case.opened_by_id == f.actor.id
    if own_referral and access.can(f.actor, Action.ACCEPT_REFERRAL):
        found.append(
            Notice("acceptance_elsewhere", "You opened this case, so another supervisor must decide on accepting it.")
        )
    if case.case_state is CaseState.CONTRACT_AWAITING_APPROVAL and _contract_waiting(f):
        if not may_approve:
            found.append(Notice("contract_waiting", "The contract is waiting for a supervisor's approval."))
        elif f.contract.created_by_id == f.actor.id:
            found.append(
                Notice("contract_elsewhere", "You drafted this contract, so another supervisor must approve it.")
            )
    if _variation_waiting(f) and may_approve and f.contract.created_by_id == f.actor.id:
        found.append(
            Notice("variation_elsewhere", "You started this variation, so another supervisor must approve it.")
        )
    return found


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not set"
