"""A sampled case as a scrutiny panel reads it (DOMAIN.md §8.3, §9): the decisions and the facts they
were made on, under the case's pseudonym within its sample.

Nothing that identifies the person or the staff is given: no names, addresses, date of birth (an age
band instead), case or crime reference, PNC ID or custody record, no dates (only the days taken), no
condition wording (it names places and services). The rationales are the point of the review, so they
are given, with the person's names, the references and the names of the staff on the case removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.breaches import BreachKind, Decision
from casework.domain.check_ins import ATTENDED, Outcome
from casework.domain.clock import local_today
from casework.domain.contract_status import CONDITION_STATUS_LABELS
from casework.domain.contract_terms import CONDITION_LABELS, ConditionStatus, ConditionType
from casework.domain.lifecycle import CaseState
from casework.domain.outcome_codes import Route
from casework.domain.panel_scrutiny import name_parts, pseudonym, redact
from casework.domain.people import age_on
from casework.models import Breach, BreachWarning, Case, CaseOutcome, CheckIn, Contract, PanelSampleCase, User
from casework.services.cases import ALTERNATIVE_OUTCOMES, DECLINE_REASONS, NOT_OFFERED_REASONS
from casework.services.funnel import AGE_BANDS

OFFER_OUTCOMES = {"accepted": "Accepted", "declined": "Declined", "not_offered": "Not offered"}


@dataclass(frozen=True)
class ConditionLine:
    type: str
    status: str


@dataclass(frozen=True)
class BreachLine:
    kind: str
    decision: str | None
    rationale: str | None


@dataclass(frozen=True)
class CaseSummary:
    pseudonym: str
    team: str
    age_band: str
    offences: tuple[str, ...]
    gate_outcome: str
    reason_codes: tuple[str, ...]
    gravity_score: int | None
    override_rationale: str | None
    offer: str | None
    offer_reason: str | None
    offer_detail: str | None
    alternative_outcome: str | None
    conditions: tuple[ConditionLine, ...]
    conditions_by_type: tuple[tuple[str, int], ...]
    check_ins: dict[str, int]
    breaches: tuple[BreachLine, ...]
    warnings: int
    ending: str
    termination_reason: str | None
    outcome: str | None
    outcome_code: str | None
    outcome_rationale: str | None
    days_taken: int


def summary(session: Session, sampled: PanelSampleCase, *, team_name: str) -> CaseSummary:
    """The pseudonymised summary of one sampled case: a fixed handful of queries."""
    case = session.get(Case, sampled.case_id)
    contract = session.scalar(
        select(Contract)
        .where(Contract.case_id == case.id, Contract.signed_at.is_not(None))
        .order_by(Contract.version_number.desc())
        .limit(1)
    )
    breaches = list(session.scalars(select(Breach).where(Breach.case_id == case.id).order_by(Breach.id)))
    outcome = session.scalar(select(CaseOutcome).where(CaseOutcome.case_id == case.id))
    attendance = dict(
        session.execute(
            select(CheckIn.outcome, func.count())
            .where(CheckIn.case_id == case.id, CheckIn.outcome.is_not(None))
            .group_by(CheckIn.outcome)
        ).all()
    )
    warnings = session.scalar(select(func.count()).select_from(BreachWarning).where(BreachWarning.case_id == case.id))
    removed = _identifying_words(session, case, breaches, outcome)

    def clean(text: str | None) -> str | None:
        return redact(text, removed)

    conditions = tuple(
        ConditionLine(
            _label(CONDITION_LABELS, ConditionType, c.type), _label(CONDITION_STATUS_LABELS, ConditionStatus, c.status)
        )
        for c in (contract.conditions if contract else [])
    )
    opened_on = local_today(case.opened_at)
    return CaseSummary(
        pseudonym=pseudonym(sampled.position),
        team=team_name,
        age_band=_age_band(age_on(case.person.date_of_birth, opened_on)),
        offences=tuple(offence.offence.title for offence in case.offences),
        gate_outcome=_gate_outcome(case.provisional_eligible),
        reason_codes=tuple(code.replace("_", " ").capitalize() for code in case.reason_codes or ()),
        gravity_score=case.gravity_score,
        override_rationale=clean(case.override_rationale),
        offer=OFFER_OUTCOMES.get(case.offer_outcome or "", case.offer_outcome),
        offer_reason=(NOT_OFFERED_REASONS | DECLINE_REASONS).get(case.offer_reason or "", case.offer_reason),
        offer_detail=clean(case.offer_reason_detail),
        alternative_outcome=ALTERNATIVE_OUTCOMES.get(case.alternative_outcome or "", case.alternative_outcome),
        conditions=conditions,
        conditions_by_type=tuple(sorted(Counter(line.type for line in conditions).items())),
        check_ins=_attendance(attendance),
        breaches=tuple(
            BreachLine(
                kind=_label(None, BreachKind, breach.kind),
                decision=_label(None, Decision, breach.decision) if breach.decision else None,
                rationale=clean(breach.decision_rationale),
            )
            for breach in breaches
        ),
        warnings=warnings or 0,
        ending=CaseState(case.state).label,
        termination_reason=clean(case.termination_reason),
        outcome=_label(None, Route, outcome.route) if outcome else None,
        outcome_code=f"{outcome.code}: {outcome.outcome_code.label}" if outcome else None,
        outcome_rationale=clean(outcome.rationale) if outcome else None,
        days_taken=(local_today(case.closed_at) - opened_on).days if case.closed_at else 0,
    )


def _identifying_words(session: Session, case: Case, breaches: list[Breach], outcome: CaseOutcome | None) -> list[str]:
    """The person's names, the references, and the names of every member of staff on the case."""
    person = case.person
    staff_ids = {case.opened_by_id, case.navigator_id, case.overridden_by_id, case.accepted_by_id}
    staff_ids |= {breach.raised_by_id for breach in breaches} | {breach.decided_by_id for breach in breaches}
    if outcome is not None:
        staff_ids.add(outcome.decided_by_id)
    staff = session.scalars(select(User.full_name).where(User.id.in_(staff_ids - {None})))
    references = [case.reference, case.crime_reference, case.custody_record_number, person.pnc_id]
    return name_parts(person.given_names, person.family_name, *staff) + [r for r in references if r]


def _attendance(counts: dict[str, int]) -> dict[str, int]:
    return {
        "Attended": sum(n for outcome, n in counts.items() if outcome in {o.value for o in ATTENDED}),
        "Acceptable absences": counts.get(Outcome.ACCEPTABLE_ABSENCE.value, 0),
        "Unacceptable absences": counts.get(Outcome.UNACCEPTABLE_ABSENCE.value, 0),
        "Missed, awaiting an explanation": counts.get(Outcome.AWAITING_EXPLANATION.value, 0),
        "Not held for a service reason": counts.get(Outcome.NOT_HELD_SERVICE_REASON.value, 0),
    }


def _gate_outcome(eligible: bool | None) -> str:
    return {True: "Eligible", False: "Not eligible"}.get(eligible, "Checklist not finished")


def _age_band(age: int) -> str:
    label = next(label for lower, label in reversed(AGE_BANDS) if age >= lower)
    return label.replace("_and_over", " and over").replace("under_", "Under ").replace("_", " to ")


def _label(labels, enum, value: str) -> str:
    """An enum value's label, or the stored value itself if it is one no longer known."""
    try:
        member = enum(value)
    except ValueError:
        return value
    return labels[member] if labels is not None else member.label
