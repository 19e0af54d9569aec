"""The supervisor's breach queue, the decision on one breach, and resuming a suspended case."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain import time_limits
from casework.domain.breaches import BreachStatus, Decision, ReviewReason
from casework.domain.roles import Action
from casework.services import access, breach_decisions, breach_queue, contracts, follow_up_flags, suspensions
from casework.services.breach_decisions import Choice
from casework.services.case_record import CaseRecord
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.fields import submitted_version
from casework.web.forms.supervision import DECISION_HINTS, DecisionForm, ResumeForm
from casework.web.submission import attempt

bp = Blueprint("breach_decisions", __name__)

NEXT_STEP = {
    Decision.NO_ACTION: "No action. The breach is decided.",
    Decision.FINAL_WARNING: "Final warning recorded. The letter is ready to download and send from the case.",
    Decision.VARY: "Decision recorded: now start the variation, with the person's consent.",
    Decision.SUSPEND: "The contract is suspended. Resume it from the case when the person can carry on.",
    Decision.TERMINATE: "The contract is terminated. The case now waits for a prosecution decision.",
}


@bp.get("/breaches")
@requires(Action.DECIDE_BREACH)
def queue():
    waiting = breach_queue.queue(db(), actor=current_user, today=clock.today())
    return render_template("breaches/queue.html", waiting=waiting)


@bp.route("/breaches/<int:breach_id>/decide", methods=["GET", "POST"])
@requires(Action.DECIDE_BREACH, team_scoped=True)
def decide(breach_id: int):
    breach = breach_decisions.breach_for(db(), actor=current_user, breach_id=breach_id)
    case = displayed_case(breach.case_id, Action.DECIDE_BREACH)
    refusal = breach_decisions.refusal(db(), actor=current_user, breach=breach)
    form = DecisionForm(version=breach.version)
    if refusal and request.method == "POST":
        # Decided meanwhile by another supervisor, say: the refusal is the answer to this form.
        form.form_errors.append(refusal)
    if not refusal and form.validate_on_submit():
        decision = form.decision.data
        done = attempt(
            form,
            lambda: breach_decisions.decide(
                db(),
                actor=current_user,
                breach=breach,
                choice=Choice(
                    decision=decision,
                    rationale=form.rationale.data or "",
                    suspended_from=form.suspended_from.data,
                    extend_weeks=form.extend_weeks.data if decision == Decision.VARY.value else None,
                    reclassify=bool(form.reclassify.data),
                ),
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            refusal_field="decision",
            success=NEXT_STEP[Decision(decision)],
        )
        if not done and breach_decisions.LOST_RACE in form.decision.errors:
            form.decision.errors = [
                breach_decisions.lost_race_message(db(), breach=breach)
                if error == breach_decisions.LOST_RACE
                else error
                for error in form.decision.errors
            ]
        if done:
            if decision == Decision.VARY.value:
                return redirect(url_for("contract.draft", case_id=case.id))
            return redirect(url_for("cases.case", case_id=case.id))
    status = 409 if refusal and form.form_errors else 400 if form.errors or form.form_errors else 200
    return (
        render_template(
            "breaches/decide.html",
            breach=breach,
            case=case,
            form=form,
            refusal=refusal,
            decision_hints=DECISION_HINTS,
            reason=ReviewReason(breach.review_reason).label if breach.review_reason else None,
            others=breach_decisions.others_in_review(db(), breach=breach),
            signed=contracts.in_force(db(), case=case),
            term_end=suspensions.term_end(db(), case=case),
            days_left=time_limits.days_until(case.decision_deadline_on, clock.today()),
        ),
        status,
    )


@bp.route("/cases/<int:case_id>/resume", methods=["GET", "POST"])
@requires(Action.DECIDE_BREACH, team_scoped=True)
def resume(case_id: int):
    case = displayed_case(case_id, Action.DECIDE_BREACH)
    refusal = suspensions.resume_refusal(db(), actor=current_user, case=case)
    form = ResumeForm(version=case.version, resumed_on=clock.today())
    if not refusal and form.validate_on_submit():
        done = attempt(
            form,
            lambda: suspensions.resume(
                db(),
                actor=current_user,
                case=case,
                resumed_on=form.resumed_on.data,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            success="The contract has resumed. Its end date has moved on by the days paused.",
        )
        if done:
            return redirect(url_for("cases.case", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return (
        render_template(
            "breaches/resume.html",
            case=case,
            form=form,
            refusal=refusal,
            suspension=suspensions.current(db(), case=case),
            term_end=suspensions.term_end(db(), case=case),
        ),
        status,
    )


def case_panel(record: CaseRecord, live: list) -> dict:
    """What the case overview shows of the supervisor's work on it: a suspension and the term's
    extension, breaches awaiting a decision, and follow-ups not yet done. `live` are the case's
    open breaches (completion.open_breaches), which the overview has loaded already."""
    case = record.case
    return {
        "suspension": record.suspension,
        "extension_days": record.paused_days,
        "term_end": record.term_end,
        "in_review": [breach for breach in live if breach.status == BreachStatus.REVIEW.value],
        "follow_ups": follow_up_flags.open_for_case(db(), case=case),
        "may_decide": access.can(current_user, Action.DECIDE_BREACH, team_id=case.team_id),
        "may_ask": follow_up_flags.may_ask(current_user, case),
    }
