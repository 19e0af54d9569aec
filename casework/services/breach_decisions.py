"""The supervisor's decision on a breach awaiting review (DOMAIN.md §7.2, rule 3): no action, a
final warning, a variation, a suspension or termination, each with a written rationale.

Nobody decides a breach they raised or referred. Two supervisors deciding at once: the breach's
version column lets one win; the other is told who decided and when. When the last breach in review
is decided without suspending or terminating, the case goes back to ACTIVE."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, not_, or_
from sqlalchemy.orm import Session

from casework.domain import contract_terms as terms
from casework.domain.breaches import BreachKind, BreachStatus, Decision, WarningLevel
from casework.domain.check_ins import Outcome
from casework.domain.clock import local, local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.notifications import Event
from casework.domain.roles import Action
from casework.models import Breach, BreachWarning, Case, CheckIn, User
from casework.services import (
    access,
    audit,
    breach_queue,
    breach_status,
    contracts,
    schemes,
    staff_notifications,
    suspensions,
    transitions,
    variations,
    victim_updates,
)
from casework.services.case_endings import MAX_TEXT, MIN_REASON
from casework.services.concurrency import flush_or_stale

LOST_RACE = "Someone else decided this breach while you were working on it."


@dataclass(frozen=True)
class Choice:
    """What the supervisor chose, as typed: the service checks all of it."""

    decision: str | None
    rationale: str
    # Suspend: the day the term is paused from.
    suspended_from: date | None = None
    # Vary: the weeks the variation will add to the term (0 for a change of conditions only).
    extend_weeks: int | None = None
    # No action on a missed check-in: the absence is reclassified as acceptable.
    reclassify: bool = False


def counts_as_failure(breach: Breach) -> bool:
    """Whether a breach counts towards escalation (DOMAIN.md §7.2): a failure to comply that a
    supervisor did not set aside with "no action"."""
    return breach.breach_kind.is_failure and breach.decision != Decision.NO_ACTION.value


def counted_failures():
    """`counts_as_failure` as SQL, for counting a case's earlier failures."""
    failures = [kind.value for kind in BreachKind if kind.is_failure]
    return and_(
        Breach.kind.in_(failures),
        or_(Breach.decision.is_(None), not_(Breach.decision == Decision.NO_ACTION.value)),
    )


def breach_for(session: Session, *, actor: User, breach_id: int) -> Breach:
    """A breach this supervisor's team holds; another team's is as good as missing."""
    breach = session.get(Breach, breach_id)
    if breach is None:
        raise NotFound("There is no such breach.")
    access.require(actor, Action.DECIDE_BREACH, team_id=_case(session, breach).team_id)
    return breach


def _case(session: Session, breach: Breach) -> Case:
    return session.get(Case, breach.case_id)


def who_decided(session: Session, breach: Breach) -> str:
    shown = local(breach.decided_at)
    at = f"{shown.hour % 12 or 12}:{shown:%M}{'am' if shown.hour < 12 else 'pm'} on {shown.day} {shown:%B %Y}"
    decider = session.get(User, breach.decided_by_id)
    name = decider.full_name if decider else "Another supervisor"
    return f"{name} decided this breach at {at}: {Decision(breach.decision).label.lower()}."


def lost_race_message(session: Session, *, breach: Breach) -> str:
    """After a decision lost to another supervisor's (and the transaction was rolled back): who
    decided, and when, as the database now holds it."""
    session.refresh(breach)
    if breach.breach_status is BreachStatus.DECIDED:
        return f"{LOST_RACE} {who_decided(session, breach)}"
    return LOST_RACE


def refusal(session: Session, *, actor: User, breach: Breach) -> str | None:
    """Why this supervisor may not decide this breach now, or None: the page offers the decision
    only when they may."""
    case = _case(session, breach)
    access.require(actor, Action.DECIDE_BREACH, team_id=case.team_id)
    if breach.breach_status is BreachStatus.DECIDED:
        return who_decided(session, breach)
    if breach.breach_status is not BreachStatus.REVIEW:
        return f"This breach is not awaiting a supervisor's decision: it is {breach.breach_status.label.lower()}."
    if actor.id == breach.raised_by_id:
        return "You raised this breach, so another supervisor must decide it."
    if actor.id == breach.review_requested_by_id:
        return "You referred this breach for review, so another supervisor must decide it."
    if case.case_state is not CaseState.BREACH_REVIEW:
        return f"Case {case.reference} is {case.case_state.label.lower()}, not in breach review."
    return None


def others_in_review(session: Session, *, breach: Breach) -> list[Breach]:
    return [other for other in breach_queue.in_review(session, case=_case(session, breach)) if other.id != breach.id]


def decide(
    session: Session, *, actor: User, breach: Breach, choice: Choice, seen_version: int, now: datetime
) -> Breach:
    case = _case(session, breach)
    problem = refusal(session, actor=actor, breach=breach)
    if breach.breach_status is BreachStatus.DECIDED:
        raise StaleRecord(who_decided(session, breach))
    if breach.version != seen_version:
        raise StaleRecord(LOST_RACE, case_id=case.id)
    if problem:
        raise IllegalTransition(problem)
    decision, rationale = _checked(session, actor=actor, breach=breach, case=case, choice=choice, now=now)
    others = others_in_review(session, breach=breach)

    breach_status.step(breach, BreachStatus.DECIDED)
    breach.decision, breach.decision_rationale = decision.value, rationale
    breach.decided_by_id, breach.decided_at = actor.id, now
    # First write of the decision: a supervisor who decided first has moved the version on. The
    # view names them with `lost_race_message` once this transaction is rolled back.
    flush_or_stale(session, LOST_RACE)
    detail = _apply(session, actor=actor, breach=breach, case=case, choice=choice, others=others, now=now)
    audit.record(
        session,
        actor=actor,
        action="breach.decided",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        breach_id=breach.id,
        kind=breach.kind,
        decision=decision.value,
        **detail,
    )
    if decision in (Decision.NO_ACTION, Decision.FINAL_WARNING, Decision.VARY) and not others:
        transitions.move(session, case, CaseEvent.RESOLVE_BREACH, actor=actor, now=now, breach_id=breach.id)
    victim_updates.owe_for_breach_decision(session, case=case, breach=breach, now=now)
    _tell_navigator(session, actor=actor, breach=breach, case=case, decision=decision, now=now)
    return breach


def _checked(
    session: Session, *, actor: User, breach: Breach, case: Case, choice: Choice, now: datetime
) -> tuple[Decision, str]:
    """Every problem with what was typed, each by its field; then the refusals of the whole step."""
    problems: list[FieldError] = []
    decision = Decision(choice.decision) if choice.decision in Decision._value2member_map_ else None
    if decision is None:
        problems.append(FieldError("decision", "Select a decision"))
    rationale = (choice.rationale or "").strip()
    if len(rationale) < MIN_REASON:
        problems.append(
            FieldError("rationale", f"Write the reasons for the decision, at least {MIN_REASON} characters")
        )
    elif len(rationale) > MAX_TEXT:
        problems.append(FieldError("rationale", f"Write the reasons in {MAX_TEXT} characters or fewer"))
    if decision is Decision.SUSPEND:
        start = suspensions.start_problem(session, case=case, starts_on=choice.suspended_from, today=local_today(now))
        if start:
            problems.append(FieldError("suspended_from", start))
    if decision is Decision.VARY:
        problems.extend(_variation_problems(session, case=case, weeks=choice.extend_weeks, now=now))
    FieldErrors.raise_any(problems)
    others = others_in_review(session, breach=breach)
    if decision in (Decision.SUSPEND, Decision.VARY) and others:
        # Suspending pauses the case and a variation starts only on an active case: the case must
        # leave breach review with this decision.
        step = "suspending" if decision is Decision.SUSPEND else "varying"
        raise IllegalTransition(
            f"Another breach on this case is awaiting a decision. Decide it before {step} the contract."
        )
    if decision is Decision.TERMINATE and any(actor.id in (o.raised_by_id, o.review_requested_by_id) for o in others):
        raise IllegalTransition(
            "Terminating decides every breach awaiting review on this case, and you raised or referred one of "
            "them, so another supervisor must terminate the contract."
        )
    return decision, rationale


def _variation_problems(session: Session, *, case: Case, weeks: int | None, now: datetime) -> list[FieldError]:
    """The variation flow's own rules, checked before the decision is made: a signed contract with
    no variation already being prepared, an extension within the scheme's limit, and an end that,
    with the file-preparation margin, still falls on or before the latest charge date."""
    if contracts.in_force(session, case=case) is None:
        return [FieldError("decision", "There is no signed contract to vary")]
    if contracts.pending(session, case=case) is not None:
        return [FieldError("decision", "A variation of this contract is already being prepared")]
    if weeks is None:
        return [FieldError("extend_weeks", "Select how many weeks the variation extends the term by")]
    if not 0 <= weeks <= variations.MAX_EXTENSION_WEEKS:
        return [FieldError("extend_weeks", f"Extend by 0 to {variations.MAX_EXTENSION_WEEKS} weeks")]
    new_end = suspensions.term_end(session, case=case) + timedelta(weeks=weeks)
    margin = schemes.settings_on(session, local_today(now)).time_limit_margin_days
    if terms.passes_time_limit(new_end, margin_days=margin, latest_charge=case.latest_charge_on):
        return []
    return [
        FieldError(
            "extend_weeks",
            f"The contract would end on {_day(new_end)}. With the {margin} days needed to prepare a prosecution "
            f"file, that is past the latest charge date, {_day(case.latest_charge_on)}: the decision deadline "
            f"of {_day(case.decision_deadline_on)} would be broken",
        )
    ]


def _apply(
    session: Session, *, actor: User, breach: Breach, case: Case, choice: Choice, others: list[Breach], now: datetime
) -> dict:
    """What the decision does beyond the breach itself; returns what the audit event adds."""
    decision = Decision(breach.decision)
    if decision is Decision.NO_ACTION:
        return {
            "reclassified": _reclassify(session, actor=actor, breach=breach, case=case, now=now)
            if choice.reclassify
            else False
        }
    if decision is Decision.FINAL_WARNING:
        session.add(
            BreachWarning(
                case_id=case.id,
                breach_id=breach.id,
                level=WarningLevel.FINAL.value,
                reason=breach.decision_rationale,
                issued_by_id=actor.id,
                issued_at=now,
                language=case.person.preferred_language,
            )
        )
        session.flush()
        return {}
    if decision is Decision.VARY:
        return {"extend_weeks": choice.extend_weeks}
    if decision is Decision.SUSPEND:
        suspension = suspensions.begin(
            session,
            actor=actor,
            case=case,
            breach=breach,
            starts_on=choice.suspended_from,
            reason=breach.decision_rationale,
            now=now,
        )
        return {"suspension_id": suspension.id}
    for other in others:
        breach_status.step(other, BreachStatus.DECIDED)
        other.decision = Decision.TERMINATE.value
        other.decision_rationale = breach.decision_rationale
        other.decided_by_id, other.decided_at = actor.id, now
    flush_or_stale(session, LOST_RACE)
    case.termination_reason = breach.decision_rationale
    transitions.move(session, case, CaseEvent.TERMINATE, actor=actor, now=now, breach_id=breach.id)
    return {"also_decided": [other.id for other in others]}


def _reclassify(session: Session, *, actor: User, breach: Breach, case: Case, now: datetime) -> bool:
    """A missed check-in found acceptable after all: its outcome says so, so it is no longer counted."""
    check_in = session.get(CheckIn, breach.check_in_id) if breach.check_in_id else None
    if check_in is None or check_in.outcome != Outcome.UNACCEPTABLE_ABSENCE.value:
        return False
    check_in.outcome = Outcome.ACCEPTABLE_ABSENCE.value
    check_in.absence_reason = check_in.absence_reason or "other"
    check_in.outcome_recorded_at, check_in.outcome_recorded_by_id = now, actor.id
    flush_or_stale(session, LOST_RACE)
    audit.record(
        session,
        actor=actor,
        action="check_in.reclassified",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        check_in_id=check_in.id,
        outcome=check_in.outcome,
    )
    return True


def _tell_navigator(
    session: Session, *, actor: User, breach: Breach, case: Case, decision: Decision, now: datetime
) -> None:
    navigator = case.navigator
    if navigator is None or navigator.id == actor.id:
        return
    staff_notifications.notify(
        session,
        user=navigator,
        event=Event.BREACH_DECIDED,
        case=case,
        text=f"{actor.full_name} decided the breach ({breach.breach_kind.label.lower()}): {decision.label.lower()}.",
        now=now,
        key=f"breach_decided:{breach.id}",
    )


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not set"
