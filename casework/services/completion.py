"""Into completion review (DOMAIN.md §3.1, §3.2): the contract in force has reached its end date, every
condition is met or waived, and no breach is open. The navigator asks for it on the case, or the
scheduler moves the case at the end date; a case that reaches the end date with something still
unmet stays active, with the completion review flag (services/flags.py), until it is put right.

Every precondition is in `unmet`, which lists each reason, so the page, the refusal and the sweep
all say the same thing; sign-off (services/completion_sign_off.py) adds its own to the same list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from casework.domain.breaches import BreachKind, BreachStatus
from casework.domain.clock import local_today
from casework.domain.contract_status import CONDITION_STATUS_LABELS
from casework.domain.contract_terms import CompletionRule, ConditionStatus
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.needs import Stage
from casework.domain.roles import Action
from casework.models import Breach, Case, CompletionReview, Condition, Contract, User
from casework.services import access, assessment, contracts, suspensions, transitions, victim_updates
from casework.services.concurrency import stale_message

# A breach still waiting for the navigator or the supervisor (a warned or decided one is dealt with).
OPEN_BREACH_STATUSES = (BreachStatus.OPEN.value, BreachStatus.REVIEW.value)


@dataclass(frozen=True)
class Unmet:
    """One reason a case may not complete yet. `what` groups them on the page."""

    what: str  # end_date, condition, breach, exit_assessment
    text: str


def end_date(session: Session, *, case: Case) -> date | None:
    """The day the contract in force ends, for completion: the one place that says so, so a term
    extended for a suspension changes here and nowhere else."""
    return suspensions.term_end(session, case=case)


def condition_kept(condition: Condition, *, ended: bool) -> bool:
    """Met, or waived by a supervisor. A condition kept for the whole term (no further offending)
    is never marked met by progress: it is kept once the term has ended without it being found
    not met, and an offence while it ran is an open breach, which `unmet` lists on its own."""
    status = condition.condition_status
    if status in (ConditionStatus.MET, ConditionStatus.WAIVED):
        return True
    return ended and condition.rule == CompletionRule.WHOLE_TERM.value and status is not ConditionStatus.NOT_MET


def _runs_to_the_end(condition: Condition) -> bool:
    """A whole-term condition not found not met: before the end date it is simply still running."""
    return (
        condition.rule == CompletionRule.WHOLE_TERM.value and condition.condition_status is not ConditionStatus.NOT_MET
    )


def open_breaches(session: Session, *, case: Case) -> list[Breach]:
    return list(
        session.scalars(
            select(Breach)
            .where(Breach.case_id == case.id, Breach.status.in_(OPEN_BREACH_STATUSES))
            .order_by(Breach.raised_at, Breach.id)
            # The people are shown by name: their roles would cost a statement each.
            .options(*(joinedload(who).lazyload(User.role_grants) for who in (Breach.raised_by, Breach.decided_by)))
        )
    )


def exit_assessment_done(session: Session, *, case: Case) -> bool:
    return Stage.EXIT.value in assessment.recorded_stages(session, case=case)


def unmet(
    session: Session, *, case: Case, today: date, signing_off: bool = False, exit_not_done_reason: str = ""
) -> list[Unmet]:
    """Every reason the case may not complete yet (DOMAIN.md §3.2), in the order they would be put
    right; empty when it may. Signing off adds the updates owed to the victim and the exit needs
    assessment, done or a reason recorded why not."""
    contract, ends_on = contracts.in_force(session, case=case), end_date(session, case=case)
    if contract is None or ends_on is None:
        return unmet_given(contract=contract, ends_on=ends_on, breaches=[], today=today)
    reasons = unmet_given(contract=contract, ends_on=ends_on, breaches=open_breaches(session, case=case), today=today)
    if signing_off:
        # DOMAIN.md §3.2: each update owed to the victim so far is given, or recorded as not owed.
        reasons.extend(
            Unmet("victim_update", text) for text in victim_updates.outstanding_before_completion(session, case=case)
        )
    if signing_off and not exit_assessment_done(session, case=case) and not exit_not_done_reason.strip():
        reasons.append(
            Unmet(
                "exit_assessment",
                "The exit needs assessment has not been recorded: record it, or say why it was not done.",
            )
        )
    return reasons


def unmet_given(*, contract: Contract | None, ends_on: date | None, breaches: list[Breach], today: date) -> list[Unmet]:
    """`unmet` before sign-off, from the version in force, its end date and the open breaches."""
    if contract is None or ends_on is None:
        return [Unmet("end_date", "There is no signed contract.")]
    reasons: list[Unmet] = []
    ended = ends_on <= today
    if not ended:
        reasons.append(Unmet("end_date", f"The contract ends on {_day(ends_on)}: it has not reached its end date."))
    for condition in contract.conditions:
        if condition_kept(condition, ended=ended) or (not ended and _runs_to_the_end(condition)):
            continue
        status = CONDITION_STATUS_LABELS[condition.condition_status].lower()
        reasons.append(Unmet("condition", f"Condition {condition.position} is {status}: {_short(condition.wording)}"))
    for breach in breaches:
        reasons.append(
            Unmet(
                "breach",
                f"A breach is open ({BreachKind(breach.kind).label.lower()}, recorded "
                f"{_day(local_today(breach.raised_at))}): it must be decided first.",
            )
        )
    return reasons


def request_refusal(*, actor: User, case: Case) -> str | None:
    """Why this user may not ask for completion review now (the role, the team, the case's state),
    or None; the preconditions themselves are listed by `unmet`."""
    if not access.can(actor, Action.RECORD_CONTACT, team_id=case.team_id):
        return "You do not have permission to do that."
    try:
        transitions.require_allowed(case, CaseEvent.BEGIN_COMPLETION_REVIEW)
    except IllegalTransition as refusal:
        return refusal.message
    return None


def request_review(session: Session, *, actor: User, case: Case, seen_version: int, now: datetime) -> CompletionReview:
    """The navigator asks for completion review; refused with every unmet reason listed."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    transitions.require_allowed(case, CaseEvent.BEGIN_COMPLETION_REVIEW)
    reasons = unmet(session, case=case, today=local_today(now))
    if reasons:
        raise FieldErrors(
            [FieldError("completion", "The case cannot go to completion review yet.")]
            + [FieldError("completion", reason.text) for reason in reasons]
        )
    return _begin(session, case=case, actor=actor, now=now)


def record_review(session: Session, *, case: Case, now: datetime, actor: User | None = None) -> CompletionReview:
    """The review row for the case entering completion review now (or, for a case that entered it
    some other way, at sign-off), against the contract in force."""
    review = CompletionReview(
        case_id=case.id,
        contract_id=contracts.in_force(session, case=case).id,
        ends_on=end_date(session, case=case),
        requested_at=now,
        requested_by_id=actor.id if actor else None,
    )
    session.add(review)
    return review


def _begin(session: Session, *, case: Case, actor: User | None, now: datetime) -> CompletionReview:
    review = record_review(session, case=case, now=now, actor=actor)
    transitions.move(
        session,
        case,
        CaseEvent.BEGIN_COMPLETION_REVIEW,
        actor=actor,
        now=now,
        requested_by="system at the end date" if actor is None else "navigator",
    )
    session.flush()
    return review


def begin_due_reviews(session: Session, *, now: datetime) -> int:
    """The scheduler's sweep: every active case whose contract in force has reached its end date and
    meets every precondition goes to completion review; returns how many moved. A case moves by a
    guarded, version-checked transition, so a rerun or a navigator asking at the same moment moves
    it once; a case still short of something stays active with its flag."""
    today = local_today(now)
    # Candidates by the contract's own end date (an extension only moves it later); `unmet`, through
    # `end_date`, has the final word. Started from the active cases, as the flag sweep is.
    active = select(Case.id).where(Case.state == CaseState.ACTIVE.value)
    candidates = session.scalars(
        select(Case)
        .join(Contract, Contract.case_id == Case.id)
        .where(
            Contract.case_id.in_(active),
            Contract.status == "signed",
            Contract.ends_on <= today,
            Case.state == CaseState.ACTIVE.value,
        )
    ).all()
    moved = 0
    for case in sorted(candidates, key=lambda c: c.id):
        if unmet(session, case=case, today=today):
            continue
        try:
            with session.begin_nested():
                _begin(session, case=case, actor=None, now=now)
        except (StaleRecord, IllegalTransition):
            continue  # someone else moved it first
        moved += 1
    return moved


def current_review(session: Session, *, case: Case) -> CompletionReview | None:
    """The review the case is in, while it is in completion review (or was, when it completed)."""
    if case.case_state not in (CaseState.COMPLETION_REVIEW, CaseState.COMPLETED):
        return None
    return session.scalar(
        select(CompletionReview)
        .where(CompletionReview.case_id == case.id)
        .order_by(CompletionReview.id.desc())
        .limit(1)
    )


def awaiting_sign_off(session: Session, *, actor: User) -> list[Case]:
    """The actor's team's cases in completion review, longest waiting first (for the supervisor's home)."""
    access.require(actor, Action.SIGN_OFF_COMPLETION, team_id=actor.team_id)
    latest = (
        select(CompletionReview.case_id, CompletionReview.requested_at)
        .join(Case, Case.id == CompletionReview.case_id)
        .where(Case.team_id == actor.team_id, Case.state == CaseState.COMPLETION_REVIEW.value)
        .order_by(CompletionReview.requested_at, CompletionReview.case_id)
    )
    ids = list(dict.fromkeys(case_id for case_id, _ in session.execute(latest)))
    found = {case.id: case for case in session.scalars(select(Case).where(Case.id.in_(ids)))}
    return [found[case_id] for case_id in ids]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
