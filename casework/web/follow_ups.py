"""A supervisor asks the case's navigator to follow something up; the navigator marks it done."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import follow_up_flags
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.fields import submitted_version
from casework.web.forms.supervision import FollowUpDoneForm, FollowUpForm
from casework.web.submission import attempt

bp = Blueprint("follow_ups", __name__, url_prefix="/cases/<int:case_id>/follow-ups")


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.FLAG_FOR_FOLLOW_UP, team_scoped=True)
def ask(case_id: int):
    case = displayed_case(case_id, Action.FLAG_FOR_FOLLOW_UP)
    refusal = follow_up_flags.asking_refusal(actor=current_user, case=case)
    form = FollowUpForm()
    if not refusal and form.validate_on_submit():
        done = attempt(
            form,
            lambda: follow_up_flags.ask(
                db(), actor=current_user, case=case, what=form.what.data, due_on=form.due_on.data, now=clock.now()
            ),
            success=f"Follow-up asked of {case.navigator.full_name if case.navigator else 'the navigator'}.",
            once=lambda _created: url_for("cases.case", case_id=case.id),
        )
        if done:
            return redirect(url_for("cases.case", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("follow_ups/ask.html", case=case, form=form, refusal=refusal), status


@bp.route("/<int:follow_up_id>/done", methods=["GET", "POST"])
@requires(Action.VIEW_CASE, team_scoped=True)
def done(case_id: int, follow_up_id: int):
    case = displayed_case(case_id, Action.VIEW_CASE)
    follow_up = follow_up_flags.get(db(), actor=current_user, case=case, follow_up_id=follow_up_id)
    refusal = follow_up_flags.completion_refusal(actor=current_user, case=case, follow_up=follow_up)
    form = FollowUpDoneForm(version=follow_up.version)
    if not refusal and form.validate_on_submit():
        finished = attempt(
            form,
            lambda: follow_up_flags.complete(
                db(),
                actor=current_user,
                case=case,
                follow_up=follow_up,
                note=form.note.data,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            success="Follow-up marked as done. The supervisor who asked for it has been told.",
        )
        if finished:
            return redirect(url_for("cases.case", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return (
        render_template("follow_ups/done.html", case=case, follow_up=follow_up, form=form, refusal=refusal),
        status,
    )
