"""The one way a contract version or one of its conditions changes status: through the tables in
domain.contract_status, refused with the table's reason before anything is touched.
tests/test_architecture.py fails if any other module assigns either status."""

from __future__ import annotations

from casework.domain.contract_status import (
    ConditionEvent,
    ContractEvent,
    ContractStatus,
    next_condition_status,
    next_contract_status,
)
from casework.domain.contract_terms import ConditionStatus
from casework.models import Condition, Contract


def require_contract(contract: Contract, event: ContractEvent) -> ContractStatus:
    """The status the event would lead to; raises IllegalTransition if the table refuses it."""
    return next_contract_status(ContractStatus(contract.status), event)


def move_contract(contract: Contract, event: ContractEvent) -> None:
    contract.status = require_contract(contract, event).value


def require_condition(condition: Condition, event: ConditionEvent) -> ConditionStatus:
    return next_condition_status(ConditionStatus(condition.status), event)


def move_condition(condition: Condition, event: ConditionEvent) -> None:
    condition.status = require_condition(condition, event).value
