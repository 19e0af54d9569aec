"""Ending a case early: a supervisor ends a referral that never made contact; a sergeant or a
supervisor withdraws a case opened in error."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.services import case_endings
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.case_endings import NoContactForm, WithdrawForm
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("case_endings", __name__, url_prefix="/cases")


@bp.route("/<int:case_id>/withdraw", methods=["GET", "POST"])
@requires(Action.WITHDRAW_CASE, team_scoped=True)
def withdraw(case_id: int):
    case = displayed_case(case_id, Action.WITHDRAW_CASE)
    refusal = case_endings.withdrawal_refusal(db(), actor=current_user, case=case)
    form = WithdrawForm(version=case.version)
    if not refusal and form.validate_on_submit():
        done = attempt(
            form,
            lambda: case_endings.withdraw_in_error(
                db(),
                actor=current_user,
                case=case,
                reason=form.reason.data,
                detail=form.detail.data or "",
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            success=f"Case {case.reference} has been withdrawn in error. It is kept for audit.",
        )
        if done:
            return redirect(url_for("cases.case", case_id=case.id))
    return render_template("cases/withdraw.html", case=case, form=form, refusal=refusal, back=_back(case))


@bp.route("/<int:case_id>/end-no-contact", methods=["GET", "POST"])
@requires(Action.TERMINATE_CASE, team_scoped=True)
def end_no_contact(case_id: int):
    case = displayed_case(case_id, Action.TERMINATE_CASE)
    form = NoContactForm(version=case.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: case_endings.end_for_no_contact(
            db(),
            actor=current_user,
            case=case,
            reason=form.reason.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"Case {case.reference} has ended for no contact. It now waits for a prosecution decision.",
    ):
        return redirect(url_for("cases.case", case_id=case.id))
    return render_template("cases/end_no_contact.html", case=case, form=form)


def _back(case) -> str:
    if case.case_state is CaseState.ELIGIBILITY_DRAFT:
        return url_for("custody.check_answers", case_id=case.id)
    return url_for("cases.case", case_id=case.id)
