"""The breach file for the prosecution file (DOMAIN.md §7.3), rendered on demand and kept.

A file is stored per state of the record: its subject number is the audit sequence of the latest
change recorded on the case (consultations and downloads left out, since they change nothing). Any
recorded change (a check-in outcome, a breach, a warning, a decision, a deadline flag) gives the
next download a new file; downloads in between serve the same bytes, so the copy sent to the CPS can
be proven. The margin left is counted on the day the file was prepared, and the file says so."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain import standard_wordings
from casework.domain.breaches import BreachKind, BreachStatus, Decision, WarningLevel
from casework.domain.check_ins import ABSENCE_REASONS, Mode, Outcome
from casework.domain.clock import local
from casework.domain.contract_status import CONDITION_STATUS_LABELS, ContractStatus
from casework.domain.contract_terms import ConditionStatus
from casework.domain.prosecution import days_left
from casework.domain.reminders import CHANNEL_LABELS
from casework.domain.roles import Action
from casework.models import AuditEvent, Breach, BreachWarning, Case, CheckIn, Contract, User
from casework.models.letters import CaseLetter
from casework.services import access, audit, case_outcomes, check_ins, letters, reminders, schemes
from contracts.breach_file import (
    BreachFile,
    FileBreach,
    FileCheckIn,
    FileCondition,
    FileContract,
    FileOffence,
    FileReminder,
    FileWarning,
    render_breach_file,
)

MODES_OF_TRIAL = {"summary_only": "Summary only", "either_way": "Either way", "indictable_only": "Indictable only"}
# What reading or downloading leaves in the trail: not a change to what the file shows.
NOT_CHANGES = audit.CONSULTATIONS


def record_state(session: Session, *, case: Case) -> int:
    """The audit sequence of the latest change on the case: the subject number of its file."""
    latest = session.scalar(
        select(func.max(AuditEvent.sequence)).where(
            AuditEvent.case_id == case.id, AuditEvent.action.not_in(NOT_CHANGES)
        )
    )
    return latest or 0


def download(session: Session, *, actor: User, case: Case, now: datetime) -> CaseLetter:
    """The file for the record as it stands, rendered the first time it is asked for; audited."""
    access.require(actor, Action.DOWNLOAD_BREACH_FILE, team_id=case.team_id)
    letter = letters.issue(
        session,
        case=case,
        kind="breach_file",
        subject_id=record_state(session, case=case),
        language="en",
        render=lambda: render_breach_file(gather(session, case=case, now=now)),
        actor=actor,
        now=now,
    )
    letters.record_download(
        session, actor=actor, case=case, letter=letter, recipient="the prosecution file", purpose="breach file", now=now
    )
    return letter


def gather(session: Session, *, case: Case, now: datetime) -> BreachFile:
    today = local(now).date()
    settings = schemes.settings_on(session, today)
    offences = [link.offence for link in case.offences]
    return BreachFile(
        scheme_name=settings.scheme_name,
        force_name=settings.force_name,
        case_reference=case.reference,
        crime_reference=case.crime_reference or "",
        person_name=case.person.full_name,
        date_of_birth=case.person.date_of_birth,
        team_name=case.team.name,
        navigator_name=case.navigator.full_name if case.navigator else "",
        state=case.case_state.label,
        offences=tuple(
            FileOffence(
                o.title, o.legislation or "", MODES_OF_TRIAL.get(o.mode_of_trial, o.mode_of_trial), o.s127_applies
            )
            for o in offences
        ),
        offence_first_on=case.offence_first_on,
        offence_last_on=case.offence_last_on,
        offence_place=case.offence_place or "",
        offence_description=case.offence_description or "",
        latest_charge_on=case.latest_charge_on,
        decision_deadline_on=case.decision_deadline_on,
        prepared_at=now,
        prepared_on=today,
        days_left=days_left(case.latest_charge_on, today),
        termination_reason=case.termination_reason or "",
        contracts=_contracts(session, case),
        check_ins=tuple(_check_in(c) for c in check_ins.for_case(session, case=case) if c.scheduled_at <= now),
        reminders=_reminders(session, case),
        breaches=_breaches(session, case),
        warnings=_warnings(session, case),
        prosecution=_prosecution(session, case),
    )


def _contracts(session: Session, case: Case) -> tuple[FileContract, ...]:
    signed = session.scalars(
        select(Contract)
        .where(
            Contract.case_id == case.id,
            Contract.status.in_([ContractStatus.SIGNED.value, ContractStatus.SUPERSEDED.value]),
        )
        .order_by(Contract.version_number)
    )
    return tuple(
        FileContract(
            version_number=c.version_number,
            status=ContractStatus(c.status).label.lower(),
            signed_at=c.signed_at,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            variation_reason=c.variation_reason or "",
            conditions=tuple(
                FileCondition(
                    number=condition.position,
                    wording=standard_wordings.in_language(
                        condition.standard_wording,
                        condition.wording,
                        "en",
                        partner=condition.partner.name if condition.partner else "",
                    ),
                    due=condition.due_on,
                    status=CONDITION_STATUS_LABELS[ConditionStatus(condition.status)],
                )
                for condition in c.conditions
            ),
        )
        for c in signed
    )


def _check_in(check_in: CheckIn) -> FileCheckIn:
    if check_in.cancelled_at is not None:
        outcome, detail = "Cancelled", check_in.cancel_reason or ""
    elif check_in.outcome is None:
        outcome, detail = "Nothing recorded", ""
    else:
        outcome = Outcome(check_in.outcome).label
        detail = "; ".join(
            part
            for part in (
                f"{check_in.late_minutes} minutes late: {check_in.late_reason}" if check_in.late_minutes else "",
                ABSENCE_REASONS.get(check_in.absence_reason or "", ""),
                check_in.absence_detail or "",
                "evidence seen" if check_in.evidence_seen else "",
                check_in.service_reason or "",
            )
            if part
        )
    return FileCheckIn(at=check_in.scheduled_at, mode=Mode(check_in.mode).label, outcome=outcome, detail=detail)


def _reminders(session: Session, case: Case) -> tuple[FileReminder, ...]:
    planned = {c.id: c for c in check_ins.for_case(session, case=case)}
    found = reminders.for_check_ins(session, list(planned))
    return tuple(
        FileReminder(
            check_in_at=planned[check_in_id].scheduled_at,
            channel=CHANNEL_LABELS.get(reminder.channel, reminder.channel),
            due_at=reminder.due_at,
            status=reminder.status if not reminder.note else f"{reminder.status}: {reminder.note}",
        )
        for check_in_id in planned
        for reminder in found.get(check_in_id, [])
        if reminder.status != "queued"
    )


def _breaches(session: Session, case: Case) -> tuple[FileBreach, ...]:
    rows = session.scalars(select(Breach).where(Breach.case_id == case.id).order_by(Breach.occurred_on, Breach.id))
    return tuple(
        FileBreach(
            number=number,
            kind=BreachKind(b.kind).label,
            occurred_on=b.occurred_on,
            raised=f"{b.raised_by.full_name if b.raised_by else 'The system'}, {_at(b.raised_at)}",
            status=BreachStatus(b.status).label,
            summary=b.summary,
            explanation=b.explanation or "",
            evidence=tuple(_evidence(b.evidence or {})),
            decision=(
                f"{Decision(b.decision).label}, by {b.decided_by.full_name}, {_at(b.decided_at)}"
                if b.decision and b.decided_by
                else ""
            ),
            rationale=b.decision_rationale or "",
        )
        for number, b in enumerate(rows, start=1)
    )


def _evidence(snapshot: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """The snapshot as label and text, whatever its shape: nested parts are labelled by their path."""
    shown = []
    for key, value in snapshot.items():
        label = f"{prefix}{str(key).replace('_', ' ').capitalize()}"
        if isinstance(value, dict):
            shown.extend(_evidence(value, prefix=f"{label}: "))
        elif isinstance(value, list):
            items = [
                "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in item.items())
                if isinstance(item, dict)
                else str(item)
                for item in value
            ]
            shown.append((label, " | ".join(items) if items else "None"))
        else:
            shown.append((label, "None" if value in (None, "") else str(value)))
    return shown


def _item(item: Any) -> str:
    if isinstance(item, dict):
        return "; ".join(f"{str(key).replace('_', ' ')}: {value}" for key, value in item.items())
    return str(item)


def _warnings(session: Session, case: Case) -> tuple[FileWarning, ...]:
    rows = session.scalars(
        select(BreachWarning).where(BreachWarning.case_id == case.id).order_by(BreachWarning.issued_at)
    )
    return tuple(
        FileWarning(WarningLevel(w.level).label, f"{w.issued_by.full_name}, {_at(w.issued_at)}", w.reason) for w in rows
    )


def _prosecution(session: Session, case: Case) -> tuple[tuple[str, str], ...]:
    outcome = case_outcomes.outcome_for(session, case=case)
    if outcome is None:
        return ()
    shown = [
        ("Outcome", f"{outcome.code}: {outcome.outcome_code.label}"),
        ("Route", outcome.outcome_route.label),
        ("Decided by", f"{outcome.decided_by.full_name}, {_at(outcome.decided_at)}"),
        ("Rationale", outcome.rationale),
        ("Date for force systems", f"{outcome.effective_on.day} {outcome.effective_on:%B %Y}"),
    ]
    if outcome.charge_wording:
        shown.append(("Charge", outcome.charge_wording))
    if outcome.charged_on:
        shown.append(("Charged on", f"{outcome.charged_on.day} {outcome.charged_on:%B %Y}"))
    if outcome.court_date:
        shown.append(("Court date", f"{outcome.court_date.day} {outcome.court_date:%B %Y}"))
    return tuple(shown)


def _at(moment: datetime) -> str:
    shown = local(moment)
    return f"{shown.day} {shown:%B %Y} at {shown:%H:%M}"
