"""Recording a breach of a running contract (DOMAIN.md §7.1): a new offence, conduct against a
condition, or the person's withdrawal, each by the navigator team; and reading a case's breaches.

Absences and conditions past their due date are raised by the service itself (breach_raising).
Every breach keeps its evidence (breach_evidence) and goes to the supervisor at once where the
escalation rule says so (breach_escalation); the others stay with the navigator (breach_warnings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from casework.domain.breaches import BreachKind, BreachStatus
from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.roles import Action
from casework.models import Breach, BreachWarning, Case, Condition, Contract, User
from casework.services import access, audit, breach_escalation, breach_evidence, contracts
from casework.services.concurrency import stale_message

MAX_TEXT = 4000
MAX_REFERENCE = 40

NEW_OFFENCE_SOURCES = {
    "navigator": "The navigator",
    "officer_in_case": "The officer in the case",
    "force_system": "The force's records system",
    "victim": "The victim",
}
CONDUCT_SOURCES = {key: NEW_OFFENCE_SOURCES[key] for key in ("navigator", "officer_in_case", "victim")}
# What the police have done about the new offence. An arrest that ended in no further action is
# not a breach (DOMAIN.md §7.1): the form asks, and the service refuses it.
POLICE_ACTIONS = {
    "suspect": "The person is named as a suspect in a recorded crime",
    "charged": "The person has been charged or summonsed",
    "arrested_nfa": "The person was arrested and released with no further action",
}
NFA = "arrested_nfa"
NFA_REFUSAL = (
    "An arrest that ended with no further action is not a breach, so it cannot be recorded as one. "
    "Write a case note instead if the navigator should know about it."
)


@dataclass(frozen=True)
class NewOffenceReport:
    crime_reference: str
    occurred_on: date | None
    source: str
    police_action: str
    summary: str
    explanation: str = ""
    evidence_note: str = ""


@dataclass(frozen=True)
class ConductReport:
    condition_id: int | None
    occurred_on: date | None
    source: str
    summary: str
    explanation: str = ""
    evidence_note: str = ""


@dataclass(frozen=True)
class WithdrawalReport:
    occurred_on: date | None
    summary: str
    explanation: str = ""


def recordable(session: Session, *, actor: User, case: Case) -> Contract:
    """The signed contract a breach would be recorded against, or the reason none can be."""
    return recordable_given(actor=actor, case=case, signed=contracts.in_force(session, case=case))


def recordable_given(*, actor: User, case: Case, signed: Contract | None) -> Contract:
    """`recordable` given the version in force, for a page that has loaded it already."""
    access.require(actor, Action.RECORD_BREACH, team_id=case.team_id)
    breach_escalation.require_running(case)
    if signed is None:
        raise IllegalTransition("This case has no signed contract, so no breach can be recorded.")
    return signed


def _written(report: NewOffenceReport | ConductReport, problems: list[FieldError], *, missing: str) -> dict:
    """What happened, the person's explanation and the evidence, as typed: checked, kept for the breach."""
    return {
        "summary": _text(report.summary, "summary", missing, problems),
        "explanation": _text(report.explanation, "explanation", None, problems),
        "evidence_note": _text(report.evidence_note, "evidence_note", None, problems),
    }


def _text(value: str, field: str, missing: str | None, problems: list[FieldError]) -> str | None:
    value = (value or "").strip()
    if not value and missing:
        problems.append(FieldError(field, missing))
    elif len(value) > MAX_TEXT:
        problems.append(FieldError(field, f"Write {MAX_TEXT} characters or fewer"))
    return value or None


def _occurred(day: date | None, contract: Contract, *, now: datetime, what: str, problems: list[FieldError]) -> None:
    if day is None:
        problems.append(FieldError("occurred_on", f"Enter the date {what}"))
    elif day > local_today(now):
        problems.append(FieldError("occurred_on", "The date must be today or in the past"))
    elif contract.starts_on and day < contract.starts_on:
        problems.append(
            FieldError(
                "occurred_on",
                f"The date must be on or after {contract.starts_on.day} {contract.starts_on:%B %Y}, "
                "when the contract started: anything earlier is not a breach of it",
            )
        )


def _record(
    session: Session,
    *,
    actor: User,
    case: Case,
    kind: BreachKind,
    contract: Contract,
    condition: Condition | None = None,
    now: datetime,
    **columns,
) -> Breach:
    reason = breach_escalation.reason_for(session, case=case, kind=kind, now=now)
    breach = Breach(
        case_id=case.id,
        kind=kind.value,
        raised_by_id=actor.id,
        raised_at=now,
        contract_id=contract.id,
        condition_id=condition.id if condition else None,
        evidence=breach_evidence.snapshot(
            session,
            case=case,
            kind=kind,
            contract=contract,
            condition=condition,
            explanation=columns.get("explanation"),
            evidence_note=columns.get("evidence_note"),
            now=now,
        ),
        **columns,
        **breach_escalation.review_fields(reason, actor=actor, now=now),
    )
    session.add(breach)
    session.flush()
    audited(session, case=case, breach=breach, actor=actor, now=now)
    if reason is not None:
        breach_escalation.reviewed(session, case=case, breach=breach, actor=actor, now=now)
    return breach


def audited(session: Session, *, case: Case, breach: Breach, actor: User | None, now: datetime) -> None:
    audit.record(
        session,
        actor=actor,
        action="breach.recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        breach_id=breach.id,
        kind=breach.kind,
        status=breach.status,
        occurred_on=breach.occurred_on.isoformat(),
        days_to_decision_deadline=breach.evidence.get("days_to_decision_deadline"),
    )


def _checked_version(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)


def record_new_offence(
    session: Session, *, actor: User, case: Case, report: NewOffenceReport, seen_version: int, now: datetime
) -> Breach:
    """A crime recorded with the person as a suspect during the contract: always the supervisor's to
    decide on the evidence. An arrest that ended with no further action is refused."""
    contract = recordable(session, actor=actor, case=case)
    _checked_version(case, seen_version)
    problems: list[FieldError] = []
    reference = report.crime_reference.strip()
    if not reference:
        problems.append(FieldError("crime_reference", "Enter the crime reference of the new offence"))
    elif len(reference) > MAX_REFERENCE:
        problems.append(
            FieldError("crime_reference", f"The crime reference must be {MAX_REFERENCE} characters or fewer")
        )
    elif case.crime_reference and reference.casefold() == case.crime_reference.casefold():
        problems.append(
            FieldError("crime_reference", "That is the crime reference of the offence this case defers, not a new one")
        )
    _occurred(report.occurred_on, contract, now=now, what="of the new offence", problems=problems)
    if report.source not in NEW_OFFENCE_SOURCES:
        problems.append(FieldError("source", "Select who reported the new offence"))
    if report.police_action == NFA:
        problems.append(FieldError("police_action", NFA_REFUSAL))
    elif report.police_action not in POLICE_ACTIONS:
        problems.append(FieldError("police_action", "Select what the police have done about the new offence"))
    written = _written(report, problems, missing="Describe the new offence as reported")
    FieldErrors.raise_any(problems)
    return _record(
        session,
        actor=actor,
        case=case,
        kind=BreachKind.NEW_OFFENCE,
        contract=contract,
        now=now,
        occurred_on=report.occurred_on,
        crime_reference=reference,
        reported_by=report.source,
        **(written | {"summary": f"{POLICE_ACTIONS[report.police_action]}. {written['summary']}"}),
    )


def record_conduct(
    session: Session, *, actor: User, case: Case, report: ConductReport, seen_version: int, now: datetime
) -> Breach:
    """Conduct against a condition of the signed contract, e.g. contact with the victim: it names the
    condition it breaches, and goes straight to the supervisor."""
    contract = recordable(session, actor=actor, case=case)
    _checked_version(case, seen_version)
    problems: list[FieldError] = []
    condition = next((c for c in contract.conditions if c.id == report.condition_id), None)
    if condition is None:
        problems.append(FieldError("condition_id", "Select the condition of the signed contract that was breached"))
    _occurred(report.occurred_on, contract, now=now, what="it happened", problems=problems)
    if report.source not in CONDUCT_SOURCES:
        problems.append(FieldError("source", "Select who reported it"))
    written = _written(report, problems, missing="Describe what happened")
    FieldErrors.raise_any(problems)
    return _record(
        session,
        actor=actor,
        case=case,
        kind=BreachKind.CONDUCT,
        contract=contract,
        condition=condition,
        now=now,
        occurred_on=report.occurred_on,
        reported_by=report.source,
        **written,
    )


def record_withdrawal(
    session: Session, *, actor: User, case: Case, report: WithdrawalReport, seen_version: int, now: datetime
) -> Breach:
    """The person withdraws their consent or refuses to go on. It goes to the supervisor, whose
    decision to terminate ends the case and passes it for a prosecution decision."""
    contract = recordable(session, actor=actor, case=case)
    _checked_version(case, seen_version)
    problems: list[FieldError] = []
    _occurred(report.occurred_on, contract, now=now, what="the person withdrew", problems=problems)
    summary = _text(report.summary, "summary", "Write what the person said, in their words where you can", problems)
    explanation = _text(report.explanation, "explanation", None, problems)
    FieldErrors.raise_any(problems)
    return _record(
        session,
        actor=actor,
        case=case,
        kind=BreachKind.WITHDRAWAL,
        contract=contract,
        now=now,
        occurred_on=report.occurred_on,
        summary=summary,
        reported_by="navigator",
        explanation=explanation,
    )


# ---- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    breach: Breach
    warnings: list[BreachWarning]


def for_case(session: Session, *, actor: User, case: Case) -> list[Entry]:
    """The case's breaches, newest first, each with its warnings."""
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    breaches = session.scalars(
        select(Breach)
        .where(Breach.case_id == case.id)
        .order_by(Breach.raised_at.desc(), Breach.id.desc())
        .options(*(_by_name(who) for who in (Breach.raised_by, Breach.decided_by)))
    ).all()
    warnings: dict[int, list[BreachWarning]] = {}
    for warning in session.scalars(
        select(BreachWarning)
        .where(BreachWarning.case_id == case.id)
        .order_by(BreachWarning.issued_at)
        .options(_by_name(BreachWarning.issued_by))
    ):
        warnings.setdefault(warning.breach_id, []).append(warning)
    return [Entry(breach, warnings.get(breach.id, [])) for breach in breaches]


def _by_name(who):
    # The people are shown by name: their roles would cost a statement each.
    return joinedload(who).lazyload(User.role_grants)


def awaiting_review(session: Session, *, case: Case) -> int:
    """How many of the case's breaches wait for the supervisor: the live breach banner shows while any do."""
    return session.scalar(
        select(func.count())
        .select_from(Breach)
        .where(Breach.case_id == case.id, Breach.status == BreachStatus.REVIEW.value)
    )


def get(session: Session, *, actor: User, case: Case, breach_id: int, action: Action) -> Breach:
    access.require(actor, action, team_id=case.team_id)
    breach = session.get(Breach, breach_id)
    if breach is None or breach.case_id != case.id:
        raise NotFound("There is no such breach on this case.")
    return breach


def conditions(session: Session, *, case: Case) -> list[Condition]:
    """The conditions of the signed contract in force, which a conduct breach can name."""
    contract = contracts.in_force(session, case=case)
    return list(contract.conditions) if contract else []
