"""Completion: the page that says what is still needed, the navigator's request for review, a
supervisor's waiver of a condition, the sign-off (or a condition found not met), and the letter."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import completion, completion_letters, completion_panel, completion_sign_off, condition_waivers
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db, write_from_here
from casework.web.forms.completion import ConditionUnmetForm, RequestReviewForm, SignOffForm, WaiverForm
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("completion", __name__, url_prefix="/cases")


def _page(case, *, status: int = 200, **forms):
    panel = completion_panel.panel(db(), actor=current_user, case=case, today=clock.today())
    unmet_form = forms.get("unmet_form") or ConditionUnmetForm(formdata=None, version=case.version)
    unmet_form.condition_id.choices = [
        (str(c.id), f"Condition {c.position}: {c.wording}") for c in (panel.unmet_choices if panel else [])
    ]
    context = dict(
        request_form=forms.get("request_form") or RequestReviewForm(formdata=None, version=case.version),
        sign_off_form=forms.get("sign_off_form") or SignOffForm(formdata=None, version=case.version),
        unmet_form=unmet_form,
    )
    return render_template("completion/page.html", case=case, panel=panel, **context), status


@bp.get("/<int:case_id>/completion")
@requires(Action.VIEW_CASE, team_scoped=True)
def page(case_id: int):
    return _page(displayed_case(case_id, Action.VIEW_CASE))


@bp.post("/<int:case_id>/completion/request")
@requires(Action.RECORD_CONTACT, team_scoped=True)
def request_review(case_id: int):
    case = displayed_case(case_id, Action.RECORD_CONTACT)
    form = RequestReviewForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: completion.request_review(
            db(), actor=current_user, case=case, seen_version=submitted_version(form.version.data), now=clock.now()
        ),
        success="The case is now in completion review. A supervisor other than the navigator signs it off.",
    ):
        return redirect(url_for("completion.page", case_id=case.id))
    return _page(case, status=400, request_form=form)


@bp.post("/<int:case_id>/completion/sign-off")
@requires(Action.SIGN_OFF_COMPLETION, team_scoped=True)
def sign_off(case_id: int):
    case = displayed_case(case_id, Action.SIGN_OFF_COMPLETION)
    form = SignOffForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: completion_sign_off.sign_off(
            db(),
            actor=current_user,
            case=case,
            rationale=form.rationale.data or "",
            exit_not_done_reason=form.exit_not_done_reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"Case {case.reference} is completed. Enter the outcome on the force's systems.",
    ):
        return redirect(url_for("completion.page", case_id=case.id))
    return _page(case, status=400, sign_off_form=form)


@bp.post("/<int:case_id>/completion/condition-not-met")
@requires(Action.SIGN_OFF_COMPLETION, team_scoped=True)
def condition_not_met(case_id: int):
    case = displayed_case(case_id, Action.SIGN_OFF_COMPLETION)
    form = ConditionUnmetForm()
    form.condition_id.choices = [(str(c.id), "") for c in completion_sign_off.unmet_choices(db(), case=case)]
    if form.validate_on_submit() and attempt(
        form,
        lambda: completion_sign_off.find_condition_unmet(
            db(),
            actor=current_user,
            case=case,
            condition_id=int(form.condition_id.data),
            reason=form.reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="The condition is recorded as not met. The case is back in breach review for a supervisor's decision.",
    ):
        return redirect(url_for("cases.case", case_id=case.id))
    return _page(case, status=400, unmet_form=form)


@bp.route("/<int:case_id>/completion/conditions/<int:condition_id>/waive", methods=["GET", "POST"])
@requires(Action.WAIVE_CONDITION, team_scoped=True)
def waive(case_id: int, condition_id: int):
    case = displayed_case(case_id, Action.WAIVE_CONDITION)
    condition = condition_waivers.waivable(db(), actor=current_user, case=case, condition_id=condition_id)
    form = WaiverForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: condition_waivers.waive_condition(
            db(), actor=current_user, case=case, condition_id=condition_id, reason=form.reason.data, now=clock.now()
        ),
        success=f"Condition {condition.position} has been waived.",
    ):
        return redirect(url_for("completion.page", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("completion/waive.html", case=case, condition=condition, form=form), status


@bp.get("/<int:case_id>/completion/letter.pdf")
@requires(Action.VIEW_CASE, team_scoped=True)
def letter(case_id: int):
    case = displayed_case(case_id, Action.VIEW_CASE)
    language = request.args.get("language", case.person.preferred_language)
    issued = completion_letters.download(
        write_from_here(), actor=current_user, case=case, language=language, now=clock.now()
    )
    db().commit()
    response = make_response(issued.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="completion-{case.reference}-{language}.pdf"'
    return response
