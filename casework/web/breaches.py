"""Breaches on the case record: the section listing them, the forms recording a new offence, conduct
or a withdrawal, the navigator's formal warning or referral, the warning letter download, and the
live breach banner shown on every section while a breach awaits the supervisor
(its count comes with the case record, services/case_record.py)."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.breaches import BreachStatus, Decision, Delivery, ReviewReason
from casework.domain.errors import DomainError
from casework.domain.roles import Action
from casework.services import access, breach_warnings, breaches, cases, contracts
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.case_sections import _section, case_record_for
from casework.web.database import db, write_from_here
from casework.web.forms.breaches import ConductForm, NewOffenceForm, ReferForm, WarningForm, WithdrawalForm
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("breaches", __name__, url_prefix="/cases")

LABELS = {
    "reasons": {reason.value: reason.label for reason in ReviewReason},
    "decisions": {decision.value: decision.label for decision in Decision},
    "deliveries": {delivery.value: delivery.label for delivery in Delivery},
}


def _refusal(case, signed) -> str | None:
    """Why no breach can be recorded on this case now, given the version in force, or None."""
    try:
        breaches.recordable_given(actor=current_user, case=case, signed=signed)
    except DomainError as refused:
        return refused.message
    return None


@bp.get("/<int:case_id>/breaches")
@requires(Action.VIEW_CASE, team_scoped=True)
def section(case_id: int):
    record = case_record_for(case_id, Action.VIEW_CASE)
    case = record.case
    entries = breaches.for_case(db(), actor=current_user, case=case)
    may_record = access.can(current_user, Action.RECORD_BREACH, team_id=case.team_id)
    return _section(
        "breaches/section.html",
        record,
        entries=entries,
        refusal=_refusal(case, record.signed) if may_record else None,
        may_record=may_record,
        may_warn=access.can(current_user, Action.ISSUE_WARNING, team_id=case.team_id),
        open_status=BreachStatus.OPEN,
        labels=LABELS,
    )


def _report_page(case_id: int, form, template: str, record_with, success: str, **context):
    case = displayed_case(case_id, Action.RECORD_BREACH)
    refusal = _refusal(case, contracts.in_force(db(), case=case))
    if form.version.data is None:
        form.version.data = case.version
    if not refusal and form.validate_on_submit():
        done = attempt(
            form,
            lambda: record_with(case, submitted_version(form.version.data)),
            success=success,
            once=lambda _breach: url_for("breaches.section", case_id=case.id),
        )
        if done:
            return redirect(url_for("breaches.section", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(template, case=case, form=form, refusal=refusal, **context), status


@bp.route("/<int:case_id>/breaches/new-offence", methods=["GET", "POST"])
@requires(Action.RECORD_BREACH, team_scoped=True)
def new_offence(case_id: int):
    form = NewOffenceForm()

    def record(case, seen_version):
        report = breaches.NewOffenceReport(
            crime_reference=form.crime_reference.data or "",
            occurred_on=form.occurred_on.data,
            source=form.source.data or "",
            police_action=form.police_action.data or "",
            summary=form.summary.data or "",
            explanation=form.explanation.data or "",
            evidence_note=form.evidence_note.data or "",
        )
        return breaches.record_new_offence(
            db(), actor=current_user, case=case, report=report, seen_version=seen_version, now=clock.now()
        )

    return _report_page(
        case_id,
        form,
        "breaches/new_offence.html",
        record,
        "The new offence is recorded. It waits for the supervisor's decision.",
    )


@bp.route("/<int:case_id>/breaches/conduct", methods=["GET", "POST"])
@requires(Action.RECORD_BREACH, team_scoped=True)
def conduct(case_id: int):
    form = ConductForm()
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.RECORD_BREACH)
    form.condition_id.choices = [
        (c.id, f"Condition {c.position}: {c.wording}") for c in breaches.conditions(db(), case=case)
    ]

    def record(case, seen_version):
        report = breaches.ConductReport(
            condition_id=form.condition_id.data,
            occurred_on=form.occurred_on.data,
            source=form.source.data or "",
            summary=form.summary.data or "",
            explanation=form.explanation.data or "",
            evidence_note=form.evidence_note.data or "",
        )
        return breaches.record_conduct(
            db(), actor=current_user, case=case, report=report, seen_version=seen_version, now=clock.now()
        )

    return _report_page(
        case_id,
        form,
        "breaches/conduct.html",
        record,
        "The conduct breach is recorded. It waits for the supervisor's decision.",
    )


@bp.route("/<int:case_id>/breaches/withdrawal", methods=["GET", "POST"])
@requires(Action.RECORD_BREACH, team_scoped=True)
def withdrawal(case_id: int):
    form = WithdrawalForm()

    def record(case, seen_version):
        report = breaches.WithdrawalReport(
            occurred_on=form.occurred_on.data,
            summary=form.summary.data or "",
            explanation=form.explanation.data or "",
        )
        return breaches.record_withdrawal(
            db(), actor=current_user, case=case, report=report, seen_version=seen_version, now=clock.now()
        )

    return _report_page(
        case_id,
        form,
        "breaches/withdrawal.html",
        record,
        "The withdrawal is recorded. The supervisor decides what happens next.",
    )


def _answer_page(case_id: int, breach_id: int, action: Action, form, template: str, answer, success: str):
    case = displayed_case(case_id, action)
    breach = breaches.get(db(), actor=current_user, case=case, breach_id=breach_id, action=action)
    refusal = None
    try:
        breach_warnings.answerable(breach, case=case)
    except DomainError as refused:
        refusal = refused.message
    if form.version.data is None:
        form.version.data = breach.version
    if (
        not refusal
        and form.validate_on_submit()
        and attempt(form, lambda: answer(case, breach, submitted_version(form.version.data)), success=success)
    ):
        return redirect(url_for("breaches.section", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(template, case=case, breach=breach, form=form, refusal=refusal), status


@bp.route("/<int:case_id>/breaches/<int:breach_id>/warning", methods=["GET", "POST"])
@requires(Action.ISSUE_WARNING, team_scoped=True)
def warning(case_id: int, breach_id: int):
    form = WarningForm()

    def give(case, breach, seen_version):
        return breach_warnings.give_warning(
            db(),
            actor=current_user,
            case=case,
            breach=breach,
            reason=form.reason.data or "",
            delivery=form.delivery.data or "",
            seen_version=seen_version,
            now=clock.now(),
        )

    return _answer_page(
        case_id,
        breach_id,
        Action.ISSUE_WARNING,
        form,
        "breaches/warning.html",
        give,
        "The formal warning is recorded. Download the letter from the breach and give it to the person.",
    )


@bp.route("/<int:case_id>/breaches/<int:breach_id>/refer", methods=["GET", "POST"])
@requires(Action.RECORD_BREACH, team_scoped=True)
def refer(case_id: int, breach_id: int):
    form = ReferForm()

    def send(case, breach, seen_version):
        return breach_warnings.refer_to_supervisor(
            db(),
            actor=current_user,
            case=case,
            breach=breach,
            reason=form.reason.data or "",
            seen_version=seen_version,
            now=clock.now(),
        )

    return _answer_page(
        case_id,
        breach_id,
        Action.RECORD_BREACH,
        form,
        "breaches/refer.html",
        send,
        "The breach is referred. It waits for the supervisor's decision.",
    )


@bp.get("/<int:case_id>/warnings/<int:warning_id>.pdf")
@requires(Action.ISSUE_WARNING, team_scoped=True)
def letter(case_id: int, warning_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.ISSUE_WARNING)
    issued = breach_warnings.warning_letter(
        write_from_here(), actor=current_user, case=case, warning_id=warning_id, now=clock.now()
    )
    db().commit()
    response = make_response(issued.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{issued.kind.replace("_", "-")}-{case.reference}-{issued.language}.pdf"'
    )
    return response
