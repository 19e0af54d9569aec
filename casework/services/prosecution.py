"""Recording the prosecution decision on a terminated case (DOMAIN.md §3.4, §3.5, §7.2 step 4).

The decision maker (a custody sergeant or a supervisor of the case's team) records one route with
an outcome code in force that day, the rationale and, for a charge, its wording and dates. The case
closes with the route's closing event and its CaseOutcome in one step: refused whole, or applied whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.outcome_codes import CLOSING_EVENT, Route
from casework.domain.prosecution import DECISION_ROUTES, FAILURE_ROUTES, days_left, time_bar_refusal
from casework.domain.roles import Action
from casework.models import Breach, Case, User
from casework.models.outcomes import CaseOutcome, OutcomeCode
from casework.services import access, case_outcomes, decision_letters, outcome_codes, schemes, transitions
from casework.services.concurrency import stale_message

MIN_RATIONALE = 20
MAX_TEXT = 4000
MAX_WORDING = 2000

# The form field that names the code for each route; a route with one code in force needs none.
CODE_FIELDS = {
    Route.CHARGED: "route",
    Route.ALTERNATIVE: "alternative_code",
    Route.NO_FURTHER_ACTION: "nfa_code",
    Route.EVIDENTIAL: "evidential_code",
    Route.TIME_BARRED: "route",
}


@dataclass(frozen=True)
class DecisionChoices:
    """What the decision form offers today: the codes in force per route, the scheme's usual
    route, and the routes the time limit rules out (with why)."""

    codes: dict[Route, list[OutcomeCode]]
    usual_route: Route | None
    latest_charge_on: date | None
    decision_deadline_on: date | None
    days_left: int | None
    barred: dict[Route, str]


def may_record(actor: User, case: Case) -> bool:
    return access.can(actor, Action.RECORD_PROSECUTION_DECISION, team_id=case.team_id)


def refusal(actor: User, case: Case) -> str | None:
    """Why this actor cannot record the decision on this case now, or None. Refuses (NotPermitted)
    anyone who is not a decision maker of the case's team."""
    access.require(actor, Action.RECORD_PROSECUTION_DECISION, team_id=case.team_id)
    if case.case_state is not CaseState.PROSECUTION_DECISION:
        return (
            f"This case is {case.case_state.label.lower()}: a prosecution decision is recorded only on a case "
            "waiting for one."
        )
    return None


def choices(session: Session, *, case: Case, today: date) -> DecisionChoices:
    settings = schemes.settings_on(session, today)
    barred = {}
    for route in DECISION_ROUTES:
        reason = time_bar_refusal(route, latest_charge_on=case.latest_charge_on, today=today)
        if reason:
            barred[route] = reason
    return DecisionChoices(
        codes={route: outcome_codes.in_force(session, route=route, on=today) for route in DECISION_ROUTES},
        usual_route=FAILURE_ROUTES.get(settings.failure_route),
        latest_charge_on=case.latest_charge_on,
        decision_deadline_on=case.decision_deadline_on,
        days_left=days_left(case.latest_charge_on, today),
        barred=barred,
    )


def record_decision(
    session,
    *,
    actor: User,
    case: Case,
    route: str,
    code: int | None,
    rationale: str,
    charge_wording: str = "",
    charged_on: date | None = None,
    court_date: date | None = None,
    seen_version: int,
    now: datetime,
) -> CaseOutcome:
    """Close the case by the route chosen and keep the outcome to enter on force systems."""
    reason = refusal(actor, case)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    if reason:
        raise IllegalTransition(reason)
    today = local(now).date()
    chosen = Route(route) if route in {r.value for r in DECISION_ROUTES} else None
    problems = _text_problems(rationale)
    if chosen is None:
        FieldErrors.raise_any([FieldError("route", "Select the decision"), *problems])
    barred = time_bar_refusal(chosen, latest_charge_on=case.latest_charge_on, today=today)
    if barred:
        problems.insert(0, FieldError("route", barred))
    if chosen is Route.CHARGED:
        problems.extend(_charge_problems(case, charge_wording, charged_on, court_date, today))
    row = None
    if not barred:
        try:
            row = _code(session, chosen, code, today)
        except FieldError as problem:
            problems.append(problem)
    FieldErrors.raise_any(problems)
    charged = chosen is Route.CHARGED
    outcome = CaseOutcome(
        case_id=case.id,
        route=chosen.value,
        code=row.code,
        rationale=rationale.strip(),
        decided_by_id=actor.id,
        decided_at=now,
        # The date for the force's systems: the charge date for a charge, otherwise the decision's day.
        effective_on=charged_on if charged else today,
        charge_wording=charge_wording.strip() if charged else None,
        charged_on=charged_on if charged else None,
        court_date=court_date if charged else None,
    )
    session.add(outcome)
    transitions.move(session, case, CLOSING_EVENT[chosen], actor=actor, now=now, route=chosen.value, code=row.code)
    return outcome


def _text_problems(rationale: str) -> list[FieldError]:
    text = (rationale or "").strip()
    if len(text) < MIN_RATIONALE:
        return [FieldError("rationale", f"Write why this decision was made, at least {MIN_RATIONALE} characters")]
    if len(text) > MAX_TEXT:
        return [FieldError("rationale", f"Write the rationale in {MAX_TEXT} characters or fewer")]
    return []


def _charge_problems(
    case: Case, wording: str, charged_on: date | None, court_date: date | None, today: date
) -> list[FieldError]:
    problems = []
    if not (wording or "").strip():
        problems.append(FieldError("charge_wording", "Enter the charge wording"))
    elif len(wording.strip()) > MAX_WORDING:
        problems.append(FieldError("charge_wording", f"Enter the charge wording in {MAX_WORDING} characters or fewer"))
    if charged_on is None:
        problems.append(FieldError("charged_on", "Enter the date of the charge or postal requisition"))
    elif charged_on > today:
        problems.append(FieldError("charged_on", "The charge date must be today or in the past"))
    elif case.offence_last_on and charged_on < case.offence_last_on:
        problems.append(FieldError("charged_on", "The charge date cannot be before the offence"))
    if court_date and charged_on and court_date < charged_on:
        problems.append(FieldError("court_date", "The court date cannot be before the charge date"))
    return problems


def _code(session: Session, route: Route, code: int | None, today: date) -> OutcomeCode:
    """The code chosen, or the route's only code in force; checked against the table for today."""
    field = CODE_FIELDS[route]
    if code is None:
        in_force = outcome_codes.in_force(session, route=route, on=today)
        if len(in_force) != 1:
            raise FieldError(field, "Select the outcome code")
        code = in_force[0].code
    return outcome_codes.require(session, code=code, route=route, on=today, field=field)


# Where the breach file is worth preparing: a breach has been raised, or the contract has failed.
_FILE_STATES = frozenset(
    {
        CaseState.BREACH_REVIEW,
        CaseState.SUSPENDED,
        CaseState.TERMINATED,
        CaseState.PROSECUTION_DECISION,
        CaseState.CLOSED_CHARGED,
        CaseState.CLOSED_ALTERNATIVE,
        CaseState.CLOSED_TIME_BARRED,
        CaseState.CLOSED_EVIDENTIAL,
    }
)


@dataclass(frozen=True)
class Panel:
    """The case page's prosecution decision panel, for this reader."""

    waiting: bool
    latest_charge_on: date | None
    decision_deadline_on: date | None
    days_left: int | None
    may_record: bool
    outcome: CaseOutcome | None
    may_confirm: bool
    may_download_letter: bool
    breach_file: bool


def breach_file_available(session: Session, *, case: Case) -> bool:
    if case.case_state in _FILE_STATES:
        return True
    return session.scalar(select(Breach.id).where(Breach.case_id == case.id).limit(1)) is not None


def panel(session: Session, *, actor: User, case: Case, today: date) -> Panel | None:
    """None when there is nothing to show: the case is not waiting for a decision and has no outcome."""
    waiting = case.case_state is CaseState.PROSECUTION_DECISION
    outcome = case_outcomes.outcome_for(session, case=case)
    if not waiting and outcome is None:
        return None
    # The breach file's question is asked only of those who may download it.
    may_file = access.can(actor, Action.DOWNLOAD_BREACH_FILE, team_id=case.team_id)
    any_breach = may_file and breach_file_available(session, case=case)
    return panel_given(actor=actor, case=case, today=today, outcome=outcome, any_breach=any_breach)


def panel_given(*, actor: User, case: Case, today: date, outcome: CaseOutcome | None, any_breach: bool) -> Panel | None:
    """`panel` from the case's outcome and whether it has had a breach, for a page that has loaded them."""
    waiting = case.case_state is CaseState.PROSECUTION_DECISION
    if not waiting and outcome is None:
        return None
    return Panel(
        waiting=waiting,
        latest_charge_on=case.latest_charge_on,
        decision_deadline_on=case.decision_deadline_on,
        days_left=days_left(case.latest_charge_on, today),
        may_record=waiting and may_record(actor, case),
        outcome=outcome,
        may_confirm=bool(outcome and outcome.force_recorded_at is None and case_outcomes.may_confirm(actor, case)),
        may_download_letter=outcome is not None
        and outcome.outcome_route is not Route.COMPLETION
        and decision_letters.may_download(actor, case),
        breach_file=access.can(actor, Action.DOWNLOAD_BREACH_FILE, team_id=case.team_id)
        and (case.case_state in _FILE_STATES or any_breach),
    )
