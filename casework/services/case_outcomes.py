"""A closed case's recorded outcome (DOMAIN.md §3.5): reading it, the "recorded on force system"
confirmation for any outcome (a prosecution decision or a completion), and the time-barred figure
the supervisor's home shows (target: zero)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from casework.domain.clock import local
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, User
from casework.models.outcomes import CaseOutcome
from casework.services import access, audit
from casework.services.concurrency import stale_message

MAX_REFERENCE = 60


def outcome_for(session: Session, *, case: Case) -> CaseOutcome | None:
    return session.scalar(select(CaseOutcome).where(CaseOutcome.case_id == case.id))


def may_confirm(actor: User, case: Case) -> bool:
    """Supervisors and custody sergeants of the case's team confirm what was entered on force systems."""
    return access.can(actor, Action.RECORD_PROSECUTION_DECISION, team_id=case.team_id)


def confirm_force_record(
    session: Session, *, actor: User, case: Case, force_reference: str, confirmed: bool, now: datetime
) -> CaseOutcome:
    """Record that someone entered the outcome on the force's systems: once, with who and when.
    The conditional update settles two confirmations at once: only the first finds it unconfirmed."""
    access.require(actor, Action.RECORD_PROSECUTION_DECISION, team_id=case.team_id)
    outcome = outcome_for(session, case=case)
    if outcome is None:
        raise NotFound("This case has no outcome to confirm.")
    if outcome.force_recorded_at is not None:
        raise IllegalTransition(_already(outcome))
    problems = []
    reference = (force_reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        problems.append(FieldError("force_reference", f"Enter the reference in {MAX_REFERENCE} characters or fewer"))
    if not confirmed:
        problems.append(
            FieldError("confirmed", f"Confirm that Outcome {outcome.code} has been entered on the force's systems")
        )
    FieldErrors.raise_any(problems)
    done = session.execute(
        update(CaseOutcome)
        .where(CaseOutcome.id == outcome.id, CaseOutcome.force_recorded_at.is_(None))
        .values(force_recorded_at=now, force_recorded_by_id=actor.id, force_reference=reference or None)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise StaleRecord(stale_message(f"the outcome of case {case.reference}"), case_id=case.id)
    session.refresh(outcome)
    audit.record(
        session,
        actor=actor,
        action="case.outcome_recorded_on_force_system",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        code=outcome.code,
        effective_on=outcome.effective_on.isoformat(),
    )
    return outcome


def _already(outcome: CaseOutcome) -> str:
    shown = local(outcome.force_recorded_at)
    who = outcome.force_recorded_by.full_name if outcome.force_recorded_by else "someone"
    return f"{who} already confirmed this outcome was recorded on force systems on {shown.day} {shown:%B %Y}."


@dataclass(frozen=True)
class PastLimit:
    case_id: int
    reference: str
    person_name: str
    state_label: str
    latest_charge_on: date


@dataclass(frozen=True)
class TimeBarred:
    closed_time_barred: int
    open_past_limit: list[PastLimit]


def time_barred_figures(session: Session, *, actor: User, today: date) -> TimeBarred:
    """The team's cases closed as time-barred, and its cases still open past their latest charge
    date: each one a case that can now only be closed as time-barred (target: zero)."""
    access.require(actor, Action.VIEW_TEAM)
    # Counted by the state only the time-barred decision leads to, which the team's index on (team,
    # state) answers by itself: the team's other closed cases, years of them, are never read.
    closed = session.scalar(
        select(func.count())
        .select_from(Case)
        .where(Case.team_id == actor.team_id, Case.state == CaseState.CLOSED_TIME_BARRED.value)
    )
    open_cases = session.scalars(
        select(Case)
        .where(
            Case.team_id == actor.team_id,
            Case.latest_charge_on < today,
            # Named, not "not closed": the team's index on (team, state) then reads open cases only.
            Case.state.in_([state.value for state in CaseState if not state.is_terminal]),
        )
        .order_by(Case.latest_charge_on, Case.reference)
        # The people by primary key once the few cases are known: joined into the query, PostgreSQL
        # expected most of the team's open cases to be past their date and read every person.
        .options(selectinload(Case.person))
    )
    return TimeBarred(
        closed_time_barred=closed or 0,
        open_past_limit=[
            PastLimit(c.id, c.reference, c.person.full_name, c.case_state.label, c.latest_charge_on) for c in open_cases
        ],
    )
