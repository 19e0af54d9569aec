"""Decisions waiting for a supervisor (DOMAIN.md §1): referrals to accept, contracts and variations
to approve. Whatever a supervisor opened, drafted or started is listed apart, because another
supervisor must decide on it.

Three queries whatever the number waiting (tests/web/test_supervisor_home.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, Contract, User
from casework.services import access


class Kind(StrEnum):
    ACCEPTANCE = "acceptance"
    CONTRACT = "contract"
    VARIATION = "variation"

    @property
    def endpoint(self) -> str:
        """The page where the decision is made."""
        return "cases.acceptance" if self is Kind.ACCEPTANCE else "contract.draft"


@dataclass(frozen=True)
class Waiting:
    kind: Kind
    case: Case
    asked_by: str  # who opened the case, or drafted the contract or variation
    asked_at: datetime
    own: bool  # the reader asked: another supervisor must decide


@dataclass(frozen=True)
class ApprovalQueue:
    items: list[Waiting]

    def for_reader(self, kind: Kind) -> list[Waiting]:
        return [item for item in self.items if item.kind is kind and not item.own]

    @property
    def for_another(self) -> list[Waiting]:
        return [item for item in self.items if item.own]


def waiting_for(session: Session, *, actor: User) -> ApprovalQueue:
    """Everything in the actor's team waiting for a supervisor's decision, oldest first."""
    access.require(actor, Action.ACCEPT_REFERRAL, team_id=actor.team_id)
    access.require(actor, Action.APPROVE_CONTRACT, team_id=actor.team_id)
    referrals = session.execute(
        select(Case, User.full_name, Case.opened_at, Case.opened_by_id)
        .join(User, User.id == Case.opened_by_id)
        .where(Case.team_id == actor.team_id, Case.state == CaseState.PENDING_ACCEPTANCE.value)
        .order_by(Case.opened_at, Case.id)
    ).all()
    contracts = session.execute(
        _contracts(actor).where(
            Case.state == CaseState.CONTRACT_AWAITING_APPROVAL.value, Contract.status == "awaiting_approval"
        )
    ).all()
    # A variation needs a supervisor's approval whatever the scheme's setting (services/variations.py).
    variations = session.execute(_contracts(actor).where(Contract.version_number > 1, Contract.status == "draft")).all()
    items = [
        Waiting(kind, case, name, at, asked_by_id == actor.id)
        for kind, rows in ((Kind.ACCEPTANCE, referrals), (Kind.CONTRACT, contracts), (Kind.VARIATION, variations))
        for case, name, at, asked_by_id in rows
    ]
    return ApprovalQueue(items=items)


def _contracts(actor: User) -> Select:
    return (
        select(Case, User.full_name, Contract.changed_at, Contract.created_by_id)
        .join(Contract, Contract.case_id == Case.id)
        .join(User, User.id == Contract.created_by_id)
        .where(Case.team_id == actor.team_id, Contract.approved_at.is_(None))
        .order_by(Contract.changed_at, Case.id)
    )
