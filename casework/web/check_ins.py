"""A case's check-ins: adding one, its own page, moving and cancelling it, recording what happened
and settling an absence. The schedule itself is a section of the case record (case_sections.py).

Each page opens only when its action would be accepted now; otherwise the page says why
(services.check_in_actions.require), and the check-in's page offers only what services.check_in_actions.offered says.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.clock import local
from casework.domain.roles import Action
from casework.services import check_in_actions, check_in_outcomes, check_ins, contracts, reminders
from casework.web import check_in_page, clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.check_ins import CancelForm, CheckInForm, ClassifyForm, MoveForm, outcome_form
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("check_ins", __name__, url_prefix="/cases/<int:case_id>/check-ins")

NEXT_CONTACT = {"date": "next_date", "mode": "next_mode", "place": "next_place"}


def _load(case_id: int, check_in_id: int, action: Action):
    case = displayed_case(case_id, action)
    return case, check_ins.get(db(), actor=current_user, case=case, check_in_id=check_in_id)


def _page(case_id: int, check_in_id: int) -> str:
    return url_for("check_ins.check_in", case_id=case_id, check_in_id=check_in_id)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def new(case_id: int):
    case = displayed_case(case_id, Action.RECORD_CONTACT)
    check_ins.require_plannable(current_user, case)
    form = CheckInForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: check_ins.add(
            db(),
            actor=current_user,
            case=case,
            slot=check_in_page.slot(form.date, form.time, form.mode, form.place),
            now=clock.now(),
        ),
        refusal_field="date",
        success="Check-in added.",
        once=lambda added: _page(case_id, added.id),
    ):
        return redirect(url_for("cases.check_ins", case_id=case_id))
    return render_template("check_ins/new.html", case=case, form=form)


@bp.get("/<int:check_in_id>")
@requires(Action.VIEW_CASE, team_scoped=True)
def check_in(case_id: int, check_in_id: int):
    case, chosen = _load(case_id, check_in_id, Action.VIEW_CASE)
    return render_template(
        "check_ins/check_in.html",
        case=case,
        check_in=chosen,
        offered=check_in_actions.offered(actor=current_user, case=case, check_in=chosen, now=clock.now()),
        conditions=check_ins.noted_conditions(db(), check_in=chosen),
        sent=reminders.for_check_ins(db(), [chosen.id]),
        describe=reminders.describe,
        now=clock.now(),
        today=clock.today(),
    )


@bp.route("/<int:check_in_id>/move", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def move(case_id: int, check_in_id: int):
    case, chosen = _load(case_id, check_in_id, Action.RECORD_CONTACT)
    check_in_actions.require("move", actor=current_user, case=case, check_in=chosen, now=clock.now())
    form = MoveForm(
        version=chosen.version,
        date=local(chosen.scheduled_at).date(),
        time=local(chosen.scheduled_at).time(),
        mode=chosen.mode,
        place=chosen.place,
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: check_ins.reschedule(
            db(),
            actor=current_user,
            case=case,
            check_in=chosen,
            slot=check_in_page.slot(form.date, form.time, form.mode, form.place),
            requested_by=form.requested_by.data or "",
            reason=form.reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="date",
        success="Check-in moved.",
    ):
        return redirect(_page(case_id, check_in_id))
    form.version.data = str(chosen.version)
    return render_template("check_ins/move.html", case=case, check_in=chosen, form=form)


@bp.route("/<int:check_in_id>/cancel", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def cancel(case_id: int, check_in_id: int):
    case, chosen = _load(case_id, check_in_id, Action.RECORD_CONTACT)
    check_in_actions.require("cancel", actor=current_user, case=case, check_in=chosen, now=clock.now())
    form = CancelForm(version=chosen.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: check_ins.cancel(
            db(),
            actor=current_user,
            case=case,
            check_in=chosen,
            requested_by=form.requested_by.data or "",
            reason=form.reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="requested_by",
        success="Check-in cancelled.",
    ):
        return redirect(_page(case_id, check_in_id))
    form.version.data = str(chosen.version)
    return render_template("check_ins/cancel.html", case=case, check_in=chosen, form=form)


@bp.route("/<int:check_in_id>/outcome", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def outcome(case_id: int, check_in_id: int):
    case, chosen = _load(case_id, check_in_id, Action.RECORD_CONTACT)
    check_in_actions.require("record", actor=current_user, case=case, check_in=chosen, now=clock.now())
    contract = contracts.in_force(db(), case=case)
    conditions = list(contract.conditions) if contract else []
    form = outcome_form(conditions, version=chosen.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: _record_and_book(form, case, chosen, conditions),
        refusal_field="outcome",
        success="Outcome recorded.",
    ):
        return redirect(_page(case_id, check_in_id))
    form.version.data = str(chosen.version)
    return render_template("check_ins/outcome.html", case=case, check_in=chosen, form=form, conditions=conditions)


def _record_and_book(form, case, chosen, conditions) -> None:
    """What happened, and the next contact booked with it: both saved, or neither."""
    now = clock.now()
    check_in_outcomes.record_outcome(
        db(),
        actor=current_user,
        case=case,
        check_in=chosen,
        record=check_in_page.outcome_record(form, conditions),
        seen_version=submitted_version(form.version.data),
        now=now,
    )
    if form.next_date.data is not None:
        with check_in_page.fields_named(NEXT_CONTACT):
            check_ins.add(
                db(),
                actor=current_user,
                case=case,
                slot=check_in_page.slot(form.next_date, form.next_time, form.next_mode, form.next_place),
                now=now,
            )


@bp.route("/<int:check_in_id>/classify", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def classify(case_id: int, check_in_id: int):
    case, chosen = _load(case_id, check_in_id, Action.RECORD_CONTACT)
    check_in_actions.require("classify", actor=current_user, case=case, check_in=chosen, now=clock.now())
    form = ClassifyForm(version=chosen.version)
    unacceptable = form.outcome.data == "unacceptable_absence"
    if form.validate_on_submit():
        with_names = {"absence_detail": "unacceptable_reason"} if unacceptable else {}

        def decide():
            with check_in_page.fields_named(with_names):
                return check_in_outcomes.classify_absence(
                    db(),
                    actor=current_user,
                    case=case,
                    check_in=chosen,
                    record=check_in_page.classification(form),
                    seen_version=submitted_version(form.version.data),
                    now=clock.now(),
                )

        if attempt(form, decide, refusal_field="outcome", success="Absence classified."):
            return redirect(_page(case_id, check_in_id))
    form.version.data = str(chosen.version)
    return render_template("check_ins/classify.html", case=case, check_in=chosen, form=form, today=clock.today())
