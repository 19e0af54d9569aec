"""What a user may do with a case's contract now, in one list the contract page renders.

Each action is offered exactly when the service that carries it out would accept it: the list is
worked out by asking the same checks the services make (the case lifecycle, the contract and
condition status tables, the scheme settings and the permission table), never by repeating them.
So the page cannot offer a step that then fails, nor hide one that would work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.contract_terms import ConditionType
from casework.domain.errors import DomainError, IllegalTransition, NotPermitted
from casework.domain.roles import Role
from casework.models import Case, Contract, User
from casework.services import contract_signing, contracts, documents, variations


class ContractAction(StrEnum):
    START_DRAFT = "start_draft"
    CHANGE_CONDITIONS = "change_conditions"
    RECORD_ANSWER = "record_answer"
    SEND_FOR_APPROVAL = "send_for_approval"
    DECIDE_APPROVAL = "decide_approval"
    APPROVE_VARIATION = "approve_variation"
    RECORD_SIGNATURES = "record_signatures"
    VARY = "vary"
    DOWNLOAD = "download"


@dataclass(frozen=True)
class Download:
    version_number: int
    language: str


@dataclass(frozen=True)
class ContractActions:
    in_force: Contract | None  # the signed version the person is bound by
    pending: Contract | None  # a first draft or a variation, not yet signed
    offered: frozenset[ContractAction]
    removable: frozenset[int]  # conditions of the pending draft that may be removed
    downloads: tuple[Download, ...]
    waiting: tuple[str, ...]  # why the next step is not this user's to take, or not yet possible
    reasons: dict[ContractAction, str]  # why each action not offered would be refused

    def __contains__(self, action: object) -> bool:
        return action in self.offered

    def downloads_of(self, version_number: int) -> list[Download]:
        return [d for d in self.downloads if d.version_number == version_number]


def _refusal(check: Callable[[], object]) -> DomainError | None:
    try:
        check()
    except DomainError as refusal:
        return refusal
    return None


def available(session: Session, *, actor: User, case: Case, now: datetime) -> ContractActions:
    in_force = contracts.in_force(session, case=case)
    pending = contracts.pending(session, case=case)
    checks: dict[ContractAction, Callable[[], object]] = {
        ContractAction.START_DRAFT: lambda: contracts.startable(session, actor=actor, case=case),
        ContractAction.CHANGE_CONDITIONS: lambda: contracts.changeable(session, actor=actor, case=case),
        ContractAction.RECORD_ANSWER: lambda: contract_signing.answerable(session, actor=actor, case=case),
        ContractAction.SEND_FOR_APPROVAL: lambda: contract_signing.submittable(
            session, actor=actor, case=case, now=now
        ),
        ContractAction.DECIDE_APPROVAL: lambda: contract_signing.decidable(session, actor=actor, case=case),
        ContractAction.APPROVE_VARIATION: lambda: variations.approvable_variation(session, actor=actor, case=case),
        ContractAction.RECORD_SIGNATURES: lambda: _signable_today(session, actor=actor, case=case, now=now),
        ContractAction.VARY: lambda: variations.variable(session, actor=actor, case=case),
    }
    refusals = {action: _refusal(check) for action, check in checks.items()}
    offered = {action for action, refusal in refusals.items() if refusal is None}
    downloads = tuple(
        Download(version.version_number, language)
        for version in variations.versions(session, case=case)
        for language in documents.CONTRACT_LANGUAGES
        if _refusal(lambda v=version, lg=language: documents.issuable(actor=actor, case=case, contract=v, language=lg))
        is None
    )
    if downloads:
        offered.add(ContractAction.DOWNLOAD)
    removable = frozenset(
        c.id
        for c in (pending.conditions if pending and ContractAction.CHANGE_CONDITIONS in offered else [])
        if c.type != ConditionType.OFFENDING.value
    )
    return ContractActions(
        in_force=in_force,
        pending=pending,
        offered=frozenset(offered),
        removable=removable,
        downloads=downloads,
        waiting=_waiting(pending, refusals, offered),
        reasons={action: refusal.message for action, refusal in refusals.items() if refusal is not None},
    )


def _signable_today(session: Session, *, actor: User, case: Case, now: datetime) -> None:
    """Signing is offered to whoever may record it today: past the time-limit margin, a supervisor."""
    contract = contract_signing.signable(session, actor=actor, case=case, now=now)
    today = local_today(now)
    if not actor.has_role(Role.SUPERVISOR) and contract_signing.needs_supervisor(
        session, case=case, contract=contract, signed_on=today, now=now
    ):
        raise IllegalTransition(
            "Signed today, the contract would end too close to the latest charge date: a supervisor "
            "must record the signing and the risk accepted."
        )


def _waiting(
    pending: Contract | None, refusals: dict[ContractAction, DomainError | None], offered: set[ContractAction]
) -> tuple[str, ...]:
    """What holds up the contract being prepared, in the order the steps come: whose approval it
    waits for, then why it cannot be signed yet."""
    if pending is None:
        return ()
    notes: list[str] = []
    approval = ContractAction.APPROVE_VARIATION if pending.version_number > 1 else ContractAction.DECIDE_APPROVAL
    awaited = pending.approved_at is None and (
        pending.version_number > 1 or pending.contract_status is ContractStatus.AWAITING_APPROVAL
    )
    if awaited and approval not in offered:
        refusal = refusals[approval]
        waiting = "Waiting for a supervisor to approve it."
        notes.append(waiting if isinstance(refusal, NotPermitted) else refusal.message)
    signing = refusals[ContractAction.RECORD_SIGNATURES]
    # While approval is awaited, signing waits for it: that was said above.
    if signing is not None and not isinstance(signing, NotPermitted) and not awaited:
        notes.append(signing.message)
    return tuple(notes)
