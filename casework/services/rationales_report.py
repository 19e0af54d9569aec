"""Discretionary decisions (DOMAIN.md §8.3): every step in a scope where a person chose rather than
a rule decided, with the rationale they recorded, for a scrutiny panel to read. The disparities
that build up at the front door come from officers' discretion as much as from the rules (§8.3), so
the panel reads the reasons, not only the rates.

The steps, for the cases in the scope (gate started in the range), whenever they were decided:

- eligibility override: the checklist found the person ineligible and a custody sergeant or
  supervisor overrode it (`Case.override_rationale`);
- not offered though eligible: the offer was not made to someone eligible (`Case.offer_reason`, and
  the explanation in `offer_reason_detail`);
- referral not accepted: the person accepted the offer and a supervisor refused the referral
  (`services.cases.decide_acceptance` keeps the reason in `offer_reason_detail`);
- breach decision: the supervisor's decision on a breach (`Breach.decision`, `decision_rationale`).

Date: the London date the step was decided: when the not-offered record closed the case, when the
referral was decided, when the breach was decided. The case keeps who overrode the checklist but not
when, so an override shows the day the custody gate was started (it is made at the gate, before the
offer). The audit trail has the time, but is not read here: DPA 2018 s.62 limits what its logs may
be used for, and reporting is not among them.

Decided by: the role, not the name. A panel judges the decision, not the officer, and a listing
that names staff would make the report a record about them; the names stay in the case record for
those who may see it. The role is one the decider holds now that allows the step (roles are not
kept by date). The case does not record who made a not-offered record, so that row names the roles
that may.

A listing, not counts, so nothing is suppressed; the newest `LIMIT` are shown, with a note saying
how many more there are. Two queries however many cases: the steps, and the roles of the deciders
where a step is open to more than one role.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Text, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from casework.domain.breaches import BreachKind, BreachStatus, Decision
from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import Report, Table
from casework.domain.roles import Action, Role, roles_allowed
from casework.models import Breach, Case, UserRole
from casework.services import funnel
from casework.services.cases import NOT_OFFERED_REASONS
from casework.services.report_scope import ReportScope

LIMIT = 500

OVERRIDE, NOT_OFFERED, REFERRAL, BREACH = "override", "not_offered", "referral", "breach"
# Who may take each step (domain.roles), and the order to name a decider's roles in.
ACTIONS = {
    OVERRIDE: Action.OPEN_CASE,
    NOT_OFFERED: Action.OPEN_CASE,
    REFERRAL: Action.ACCEPT_REFERRAL,
    BREACH: Action.DECIDE_BREACH,
}
ROLE_ORDER = (Role.CUSTODY_SERGEANT, Role.SUPERVISOR, Role.NAVIGATOR, Role.PERFORMANCE_LEAD, Role.ADMINISTRATOR)

HEADERS = ("Date decided", "Case", "Step", "Decision", "Decided by", "Rationale")
NOTES = (
    "Newest first. Dates are London dates; an override shows the day the custody gate was started, "
    "because the case does not record when it was made.",
    "Decided by gives the decider's role today, not their name: the panel judges the decision, not the "
    "officer. The case does not record who made a not-offered record, so those rows name the roles that may.",
    "Rationales are shown as written and may describe people and their circumstances: share them only as "
    "the scheme's agreements with the panel allow.",
)


def build(session: Session, scope: ReportScope) -> Report:
    steps = _steps(scope)
    rows = session.execute(
        select(steps, func.count().over().label("total"))
        .order_by(steps.c.on.desc(), steps.c.reference, steps.c.step)
        .limit(LIMIT)
    ).all()
    total = rows[0].total if rows else 0
    roles = _roles(session, {row.decider_id for row in rows if row.decider_id and len(_allowed(row.step)) > 1})
    notes = NOTES
    if total > len(rows):
        shown = f"The newest {len(rows):,} of {total:,} decisions are shown: narrow the dates to see the rest."
        notes = (shown, *notes)
    table = Table(
        key="decisions",
        caption="Discretionary decisions and their rationales",
        headers=HEADERS,
        rows=tuple(_row(row, roles) for row in rows),
        notes=notes,
    )
    return Report(
        key="rationales",
        title="Discretionary decisions",
        tables=(table,),
        summary=(
            "Every eligibility override, eligible person not offered, referral a supervisor did not accept "
            "and breach decision on the cases whose custody gate was started in the range, with the "
            "rationale recorded for it, for a scrutiny panel to read.",
        ),
    )


def _steps(scope: ReportScope):
    """Each discretionary step as one row: when, which case, what, who and why."""
    cohort = scope.cases()

    def step(name, on, decider, code, detail, rationale):
        return (
            on.label("on"),
            Case.reference.label("reference"),
            literal(name).label("step"),
            decider.label("decider_id"),
            code.label("code"),
            detail.label("detail"),
            rationale.label("rationale"),
        )

    no_text = cast(null(), Text)
    eligible = funnel.stage_flags()["eligible"]
    overrides = select(
        *step(
            OVERRIDE,
            Case.opened_at,
            Case.overridden_by_id,
            no_text,
            cast(Case.reason_codes, Text),
            Case.override_rationale,
        )
    ).where(*cohort, Case.override_rationale.is_not(None))
    not_offered = select(
        *step(
            NOT_OFFERED,
            Case.closed_at,
            null(),
            Case.offer_reason,
            no_text,
            Case.offer_reason_detail,
        )
    ).where(*cohort, eligible, Case.offer_outcome == "not_offered")
    referrals = select(
        *step(
            REFERRAL,
            Case.accepted_at,
            Case.accepted_by_id,
            no_text,
            no_text,
            Case.offer_reason_detail,
        )
    ).where(*cohort, Case.state == CaseState.INELIGIBLE.value, Case.accepted_at.is_not(None))
    breaches = (
        select(
            *step(
                BREACH,
                Breach.decided_at,
                Breach.decided_by_id,
                Breach.decision,
                Breach.kind,
                Breach.decision_rationale,
            )
        )
        .join(Case, Case.id == Breach.case_id)
        .where(*cohort, Breach.status == BreachStatus.DECIDED.value)
    )
    return union_all(overrides, not_offered, referrals, breaches).subquery("steps")


def _roles(session: Session, deciders: set[int]) -> dict[int, set[Role]]:
    if not deciders:
        return {}
    held: dict[int, set[Role]] = {}
    for user_id, role in session.execute(
        select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(sorted(deciders)))
    ):
        held.setdefault(user_id, set()).add(Role(role))
    return held


def _allowed(step: str) -> tuple[Role, ...]:
    allowed = roles_allowed(ACTIONS[step])
    return tuple(role for role in ROLE_ORDER if role in allowed)


def _decided_by(step: str, decider_id: int | None, roles: dict[int, set[Role]]) -> str:
    allowed = _allowed(step)
    held = [role for role in allowed if role in roles.get(decider_id, set())]
    if len(allowed) == 1:
        return allowed[0].label
    if held:
        return held[0].label
    # Not recorded, or the decider no longer holds a role that allows it: who may.
    return " or ".join(role.label for role in allowed).capitalize()


def _row(row, roles: dict[int, set[Role]]) -> tuple:
    on: datetime = row.on
    day = local_today(on)
    return (
        f"{day.day} {day:%B %Y}",
        row.reference,
        _step(row.step, row.detail),
        _decision(row.step, row.code, row.detail),
        _decided_by(row.step, row.decider_id, roles),
        row.rationale,
    )


def _step(step: str, detail: str | None) -> str:
    if step == BREACH:
        return f"Breach decision: {BreachKind(detail).label.lower()}"
    return {
        OVERRIDE: "Eligibility override",
        NOT_OFFERED: "Not offered though eligible",
        REFERRAL: "Referral decision",
    }[step]


def _decision(step: str, code: str | None, detail: str | None) -> str:
    if step == OVERRIDE:
        found = [reason.replace("_", " ").lower() for reason in json.loads(detail or "[]")]
        return "Eligible, overriding: " + ", ".join(found) if found else "Eligible"
    if step == NOT_OFFERED:
        return NOT_OFFERED_REASONS.get(code, code)
    if step == REFERRAL:
        return "Referral not accepted"
    return Decision(code).label
