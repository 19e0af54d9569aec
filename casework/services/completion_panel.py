"""What the case page shows about completion: what is still needed, and the steps this user may take
(ask for the review, waive a condition, sign off, find a condition not met), each offered only when
the service that does it would allow it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.domain.errors import DomainError
from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.domain.roles import Action
from casework.models import Breach, Case, CaseOutcome, CompletionReview, Condition, User
from casework.services import access, assessment, completion, completion_sign_off, condition_waivers, contracts

# The states in which the completion panel has something to say.
SHOWN_IN = frozenset({CaseState.ACTIVE, CaseState.COMPLETION_REVIEW, CaseState.COMPLETED})


@dataclass(frozen=True)
class CompletionPanel:
    state: CaseState
    ends_on: date | None
    conditions: list[Condition]
    kept_ids: frozenset[int]
    waivable_ids: frozenset[int]
    breaches: list[Breach]
    still_needed: list[completion.Unmet]
    exit_done: bool
    exit_may_start: bool
    # Why the exit assessment cannot be recorded now, for a user who could otherwise record it.
    exit_refusal: str | None
    may_request: bool
    sign_off_refusal: str | None
    unmet_choices: list[Condition]
    review: CompletionReview | None
    outcome: CaseOutcome | None

    @property
    def may_sign_off(self) -> bool:
        return self.state is CaseState.COMPLETION_REVIEW and self.sign_off_refusal is None


def panel(session: Session, *, actor: User, case: Case, today: date) -> CompletionPanel | None:
    """None when the case is not at a stage where completion means anything."""
    if case.case_state not in SHOWN_IN or not access.can(actor, Action.VIEW_CASE, team_id=case.team_id):
        return None
    contract = contracts.in_force(session, case=case)
    if contract is None:
        return None
    ends_on = completion.end_date(session, case=case)
    ended = ends_on is not None and ends_on <= today
    conditions = list(contract.conditions)
    in_review = case.case_state is CaseState.COMPLETION_REVIEW
    refusal = completion_sign_off.sign_off_refusal(session, actor=actor, case=case) if in_review else None
    may_assess = access.can(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    exit_refusal = assessment.stage_refusal(session, case=case, stage=Stage.EXIT, today=today)
    return CompletionPanel(
        state=case.case_state,
        ends_on=ends_on,
        conditions=conditions,
        kept_ids=frozenset(c.id for c in conditions if completion.condition_kept(c, ended=ended)),
        waivable_ids=frozenset(c.id for c in conditions if _may_waive(session, actor, case, c.id)),
        breaches=completion.open_breaches(session, case=case),
        still_needed=[]
        if case.case_state is CaseState.COMPLETED
        else completion.unmet(session, case=case, today=today),
        exit_done=completion.exit_assessment_done(session, case=case),
        exit_may_start=may_assess and exit_refusal is None,
        exit_refusal=exit_refusal if may_assess else None,
        may_request=completion.request_refusal(session, actor=actor, case=case) is None,
        sign_off_refusal=refusal,
        unmet_choices=completion_sign_off.unmet_choices(session, case=case)
        if in_review and access.can(actor, Action.SIGN_OFF_COMPLETION, team_id=case.team_id)
        else [],
        review=completion.current_review(session, case=case),
        outcome=completion_sign_off.outcome_for(session, case=case),
    )


def _may_waive(session: Session, actor: User, case: Case, condition_id: int) -> bool:
    if not access.can(actor, Action.WAIVE_CONDITION, team_id=case.team_id):
        return False
    try:
        condition_waivers.waivable(session, actor=actor, case=case, condition_id=condition_id)
    except DomainError:
        return False
    return True
