"""What the case page shows about completion: what is still needed, and the steps this user may take
(ask for the review, waive a condition, sign off, find a condition not met), each offered only when
the service that does it would allow it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.domain.roles import Action
from casework.models import Breach, Case, CaseOutcome, CompletionReview, Condition, User
from casework.services import access, assessment, case_record, completion, completion_sign_off, condition_waivers
from casework.services.case_record import CaseRecord

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
    record = case_record.of(session, case=case)
    return panel_for(record, actor=actor, breaches=completion.open_breaches(session, case=case), today=today)


def panel_for(record: CaseRecord, *, actor: User, breaches: list[Breach], today: date) -> CompletionPanel | None:
    """`panel` from a case record and its open breaches (completion.open_breaches), loaded by the page."""
    case, contract = record.case, record.signed
    if case.case_state not in SHOWN_IN or not access.can(actor, Action.VIEW_CASE, team_id=case.team_id):
        return None
    if contract is None:
        return None
    ends_on = record.term_end
    ended = ends_on is not None and ends_on <= today
    conditions = list(contract.conditions)
    in_review = case.case_state is CaseState.COMPLETION_REVIEW
    refusal = completion_sign_off.sign_off_refusal_given(actor, case, review=record.review) if in_review else None
    may_assess = access.can(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    exit_refusal = assessment.stage_refusal_given(
        case, Stage.EXIT, recorded=record.stages, signed=contract, today=today
    )
    return CompletionPanel(
        state=case.case_state,
        ends_on=ends_on,
        conditions=conditions,
        kept_ids=frozenset(c.id for c in conditions if completion.condition_kept(c, ended=ended)),
        waivable_ids=frozenset(c.id for c in conditions if condition_waivers.may_waive(actor, case, c)),
        breaches=breaches,
        still_needed=[]
        if case.case_state is CaseState.COMPLETED
        else completion.unmet_given(contract=contract, ends_on=ends_on, breaches=breaches, today=today),
        exit_done=Stage.EXIT.value in record.stages,
        exit_may_start=may_assess and exit_refusal is None,
        exit_refusal=exit_refusal if may_assess else None,
        may_request=completion.request_refusal(actor=actor, case=case) is None,
        sign_off_refusal=refusal,
        unmet_choices=completion_sign_off.unmet_choices_in(contract)
        if in_review and access.can(actor, Action.SIGN_OFF_COMPLETION, team_id=case.team_id)
        else [],
        review=record.review,
        outcome=record.outcome,
    )
