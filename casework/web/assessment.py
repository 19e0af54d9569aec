"""The needs assessment journey (DOMAIN.md §4), on the cases blueprint: a task list, one page per
domain, the safeguarding flags, and check your answers. `cases.assess` stays the way in, so links
from other pages keep working. Every page that shows the assessment records the consultation."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.needs import (
    DOMAIN_LABELS,
    NEED_DOMAINS,
    NEED_LEVELS,
    SAFEGUARDING_LABELS,
    SAFEGUARDING_SECTION,
    SECTION_LABELS,
    Safeguarding,
    Stage,
)
from casework.domain.roles import Action
from casework.services import assessment_journey, cases
from casework.services.assessment_journey import Journey
from casework.web import clock
from casework.web.access import requires
from casework.web.cases import bp
from casework.web.database import db, write_from_here
from casework.web.forms.assessment import CompleteAssessmentForm, StartAssessmentForm, domain_form, safeguarding_form
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt


@bp.route("/<int:case_id>/assessment/<stage>", methods=["GET", "POST"])
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def assess(case_id: int, stage: str):
    """The way in: a start button, then the task list; once completed, the frozen answers."""
    journey = _journey(case_id, stage)
    form = StartAssessmentForm()
    if form.validate_on_submit():
        if attempt(
            form,
            lambda: assessment_journey.start(
                db(), actor=current_user, case=journey.case, stage=journey.stage, now=clock.now()
            ),
        ):
            return redirect(url_for("cases.assess", case_id=case_id, stage=stage))
        journey = _journey(case_id, stage)  # a refused start may mean someone else has just started it
    if journey.completed:
        return _show(journey, "cases/assessment_answers.html", page="assessment_completed", form=None)
    if journey.started:
        return _show(journey, "cases/assessment_tasks.html", page="assessment_tasks")
    return _show(journey, "cases/assessment_start.html", page="assessment_start", form=form)


@bp.route("/<int:case_id>/assessment/<stage>/needs/<domain>", methods=["GET", "POST"])
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def assessment_domain(case_id: int, stage: str, domain: str):
    journey = _journey(case_id, stage)
    if domain not in DOMAIN_LABELS:
        abort(404)
    if request.method == "GET" and not journey.editable:
        return redirect(url_for("cases.assess", case_id=case_id, stage=stage))
    form = domain_form(
        domain, saved=journey.answers(domain), taken=journey.priorities_taken(domain), version=_version(journey)
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: assessment_journey.save_domain(
            db(),
            actor=current_user,
            case=journey.case,
            stage=journey.stage,
            answers=form.answers(),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"{DOMAIN_LABELS[domain]} saved.",
    ):
        return redirect(_section_url(journey, journey.resume))
    form.version.data = str(_version(journey))
    return _show(
        journey, "cases/assessment_domain.html", page="assessment_domain", domain=domain, form=form, levels=NEED_LEVELS
    )


@bp.route("/<int:case_id>/assessment/<stage>/safeguarding", methods=["GET", "POST"])
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def assessment_safeguarding(case_id: int, stage: str):
    journey = _journey(case_id, stage)
    if request.method == "GET" and not journey.editable:
        return redirect(url_for("cases.assess", case_id=case_id, stage=stage))
    draft = journey.assessment
    form = safeguarding_form(
        recorded={flag.flag: flag.action_taken for flag in (draft.flags if draft else [])},
        reviewed=bool(draft and draft.flags_reviewed_at),
        version=_version(journey),
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: assessment_journey.save_safeguarding(
            db(),
            actor=current_user,
            case=journey.case,
            stage=journey.stage,
            answers=form.answers(),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Safeguarding and risk saved.",
    ):
        return redirect(_section_url(journey, journey.resume))
    form.version.data = str(_version(journey))
    return _show(
        journey, "cases/assessment_safeguarding.html", page="assessment_safeguarding", form=form, flags=Safeguarding
    )


@bp.route("/<int:case_id>/assessment/<stage>/check-answers", methods=["GET", "POST"])
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def assessment_check(case_id: int, stage: str):
    journey = _journey(case_id, stage)
    if request.method == "GET" and not journey.editable:
        return redirect(url_for("cases.assess", case_id=case_id, stage=stage))
    form = CompleteAssessmentForm(version=_version(journey))
    if form.validate_on_submit() and attempt(
        form,
        lambda: assessment_journey.complete(
            db(),
            actor=current_user,
            case=journey.case,
            stage=journey.stage,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"The {stage} assessment is complete.",
    ):
        return redirect(url_for("cases.needs", case_id=case_id))
    form.version.data = str(_version(journey))
    return _show(journey, "cases/assessment_answers.html", page="assessment_check_answers", form=form)


def _journey(case_id: int, stage: str) -> Journey:
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.ASSESS_NEEDS)
    if stage not in Stage._value2member_map_:
        abort(404)
    return assessment_journey.open_journey(db(), actor=current_user, case=record, stage=Stage(stage))


def _version(journey: Journey) -> int:
    return journey.assessment.version if journey.assessment else 0


def _section_url(journey: Journey, section: str | None) -> str:
    """A page of the journey; None (every page done) is check your answers."""
    where = {"case_id": journey.case.id, "stage": journey.stage.value}
    if section is None:
        return url_for("cases.assessment_check", **where)
    if section == SAFEGUARDING_SECTION:
        return url_for("cases.assessment_safeguarding", **where)
    return url_for("cases.assessment_domain", domain=section, **where)


def _show(journey: Journey, template: str, *, page: str, domain: str | None = None, **context):
    """Record that this page of the assessment was shown, then show it."""
    assessment_journey.record_consultation(
        write_from_here(),
        actor=current_user,
        case=journey.case,
        stage=journey.stage,
        page=request.endpoint,
        view=page,
        now=clock.now(),
        domain=domain,
    )
    db().commit()
    return render_template(
        template,
        case=journey.case,
        journey=journey,
        stage=journey.stage.value,
        domain=domain,
        domains=NEED_DOMAINS,
        labels=SECTION_LABELS,
        flag_labels=SAFEGUARDING_LABELS,
        section_url=lambda section: _section_url(journey, section),
        **context,
    )
