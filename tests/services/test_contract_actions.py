"""The contract page's actions come from the rules: at every stage, for every user, each action the
helper offers is accepted by its service, and each one it does not offer is refused by it."""

from __future__ import annotations

import pytest

from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import DomainError
from casework.domain.roles import Role
from casework.services import contract_actions, contract_signing, contracts, documents, variations
from casework.services.contract_actions import ContractAction
from tests.conftest import NOW, make_team, make_user
from tests.services.contract_stages import STAGES, _stage
from tests.services.test_contract_signing import _draft, _signing
from tests.services.test_contracts import DUE

A = ContractAction
RISK = "Low-level offence; the victim has been told the risk of a late breach."


# What the case's navigator and a supervisor (who drafted nothing) are offered at each stage.
EXPECTED = {
    ("assessed", "navigator"): {A.START_DRAFT},
    ("draft", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER},
    ("refused", "navigator"): set(),
    ("agreed", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.RECORD_SIGNATURES},
    ("late", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER},
    ("late", "supervisor"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.RECORD_SIGNATURES},
    ("approval_on", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.SEND_FOR_APPROVAL},
    ("awaiting", "navigator"): {A.RECORD_ANSWER},
    ("awaiting", "supervisor"): {A.RECORD_ANSWER, A.DECIDE_APPROVAL},
    ("approved", "navigator"): {A.RECORD_ANSWER, A.RECORD_SIGNATURES},
    ("signed", "navigator"): {A.VARY, A.DOWNLOAD},
    ("variation", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.DOWNLOAD},
    ("variation", "supervisor"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.APPROVE_VARIATION, A.DOWNLOAD},
    ("variation_by_supervisor", "supervisor"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.DOWNLOAD},
    ("variation_by_supervisor", "other_supervisor"): {
        A.CHANGE_CONDITIONS,
        A.RECORD_ANSWER,
        A.APPROVE_VARIATION,
        A.DOWNLOAD,
    },
    ("variation_approved", "navigator"): {A.CHANGE_CONDITIONS, A.RECORD_ANSWER, A.RECORD_SIGNATURES, A.DOWNLOAD},
    ("signed", "outsider"): set(),
}


def _calls(session, actor, case):
    """Each action, carried out by its own service with good input."""
    pending = contracts.pending(session, case=case)
    in_force = contracts.in_force(session, case=case)
    version = pending.version if pending else 0
    return {
        A.START_DRAFT: lambda: contracts.start_contract(
            session, actor=actor, case=case, seen_version=case.version, now=NOW
        ),
        A.CHANGE_CONDITIONS: lambda: contracts.update_condition(
            session,
            actor=actor,
            case=case,
            condition_id=pending.conditions[0].id if pending else -1,
            condition=contracts.as_draft(pending.conditions[0]) if pending else None,
            seen_version=version,
            now=NOW,
        ),
        A.RECORD_ANSWER: lambda: contract_signing.record_agreement(
            session, actor=actor, case=case, agreement="agrees", reason="", seen_version=version, now=NOW
        ),
        A.SEND_FOR_APPROVAL: lambda: contract_signing.submit_for_approval(
            session, actor=actor, case=case, seen_version=version, now=NOW
        ),
        A.DECIDE_APPROVAL: lambda: contract_signing.decide_approval(
            session, actor=actor, case=case, approve=True, reason="", seen_version=version, now=NOW
        ),
        A.APPROVE_VARIATION: lambda: variations.approve_variation(
            session, actor=actor, case=case, seen_version=version, now=NOW
        ),
        A.RECORD_SIGNATURES: lambda: contract_signing.sign(
            session, actor=actor, case=case, signing=_signing(risk_accepted=RISK), seen_version=version, now=NOW
        ),
        A.VARY: lambda: variations.start_variation(
            session,
            actor=actor,
            case=case,
            reason="More time for the course",
            consent=True,
            extend_weeks=0,
            seen_version=in_force.version if in_force else 0,
            now=NOW,
        ),
    }


def _works(session, call) -> DomainError | None:
    """Carry out one action in a savepoint, and undo it, so the next starts from the same stage."""
    savepoint = session.begin_nested()
    try:
        call()
        session.flush()
    except DomainError as refusal:
        return refusal
    finally:
        savepoint.rollback()
    return None


@pytest.mark.parametrize("stage", STAGES)
def test_every_action_offered_works_and_every_other_is_refused(session, team, stage):
    people = {
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "other_supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "outsider": make_user(session, roles=[Role.NAVIGATOR, Role.SUPERVISOR], team=make_team(session)),
    }
    case = _stage(session, team, people, stage)
    mismatches = []
    for who, actor in people.items():
        offered = contract_actions.available(session, actor=actor, case=case, now=NOW)
        if (stage, who) in EXPECTED:
            assert set(offered.offered) == EXPECTED[(stage, who)], (stage, who)
        for action, call in _calls(session, actor, case).items():
            refusal = _works(session, call)
            if (action in offered) != (refusal is None):
                mismatches.append(f"{who}: {action} offered={action in offered}, service said {refusal}")
        for version in variations.versions(session, case=case):
            for language in ("en", "cy", "fr"):
                download = contract_actions.Download(version.version_number, language)
                refusal = _works(
                    session,
                    lambda v=version, lang=language, a=actor: documents.contract_pdf(
                        session, actor=a, case=case, version_number=v.version_number, language=lang, now=NOW
                    ),
                )
                if (download in offered.downloads) != (refusal is None):
                    mismatches.append(f"{who}: {download} offered={download in offered.downloads}, said {refusal}")
    assert not mismatches, "\n".join(mismatches)


def test_a_signed_contract_offers_no_signing_and_signing_it_again_is_refused(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = _stage(session, team, {"navigator": navigator, "supervisor": None}, "signed")
    offered = contract_actions.available(session, actor=navigator, case=case, now=NOW)
    assert A.RECORD_SIGNATURES not in offered and offered.pending is None
    with pytest.raises(DomainError, match="no unsigned contract"):
        contract_signing.sign(session, actor=navigator, case=case, signing=_signing(), seen_version=99, now=NOW)


def test_only_conditions_other_than_no_further_offending_can_be_removed(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case, contract = _draft(session, team, navigator)
    contracts.add_condition(
        session,
        actor=navigator,
        case=case,
        seen_version=contract.version,
        now=NOW,
        condition=DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 1, DUE),
    )
    offered = contract_actions.available(session, actor=navigator, case=case, now=NOW)
    offending, course = contract.conditions
    assert offered.removable == {course.id}
    with pytest.raises(DomainError, match="part of every contract"):
        contracts.remove_condition(
            session, actor=navigator, case=case, condition_id=offending.id, seen_version=contract.version, now=NOW
        )
