"""A case at each stage of its contract, built through the services, for tests of what each stage
allows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from casework.models import SchemeSettings
from casework.services import contract_signing, variations
from tests.conftest import NOW
from tests.services.test_contract_signing import _draft, _signing
from tests.services.test_contracts import _assessed_case


def _agree(session, actor, case, contract):
    contract_signing.record_agreement(
        session, actor=actor, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )


def _stage(session, team, people, name):
    """A case at one stage of its contract, built through the services."""
    navigator, supervisor = people["navigator"], people["supervisor"]
    settings = session.scalars(select(SchemeSettings)).one()
    settings.contract_approval_required = name in ("approval_on", "awaiting", "approved")
    if name == "assessed":
        return _assessed_case(session, team, navigator)
    late = {"latest_charge_on": date(2027, 3, 1)} if name == "late" else {}
    case, contract = _draft(session, team, navigator, **late)
    if name == "refused":
        contract_signing.record_agreement(
            session,
            actor=navigator,
            case=case,
            agreement="does_not_agree",
            reason="Will not",
            seen_version=contract.version,
            now=NOW,
        )
        return case
    if name == "draft":
        return case
    _agree(session, navigator, case, contract)
    if name in ("agreed", "approval_on", "late"):
        return case
    if name in ("awaiting", "approved"):
        contract_signing.submit_for_approval(
            session, actor=navigator, case=case, seen_version=contract.version, now=NOW
        )
        if name == "approved":
            contract_signing.decide_approval(
                session, actor=supervisor, case=case, approve=True, reason="", seen_version=contract.version, now=NOW
            )
        return case
    contract_signing.sign(
        session, actor=navigator, case=case, signing=_signing(), seen_version=contract.version, now=NOW
    )
    if name == "signed":
        return case
    variation = variations.start_variation(
        session,
        actor=supervisor if name == "variation_by_supervisor" else navigator,
        case=case,
        reason="Waiting list",
        consent=True,
        extend_weeks=2,
        seen_version=contract.version,
        now=NOW,
    )
    _agree(session, navigator, case, variation)
    if name == "variation_approved":
        variations.approve_variation(session, actor=supervisor, case=case, seen_version=variation.version, now=NOW)
    return case


STAGES = [
    "assessed",
    "draft",
    "refused",
    "agreed",
    "late",
    "approval_on",
    "awaiting",
    "approved",
    "signed",
    "variation",
    "variation_by_supervisor",
    "variation_approved",
]
