"""Scrutiny panel samples (DOMAIN.md §8.3): the list and the draw form, a sample's cases, and a case
as the panel reads it with the rating form. Who may see which team is services.report_scope's rule,
applied by services.panel_samples; every page is audited as a consultation."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import panel_samples, panel_summaries, report_scope
from casework.services.report_scope import RangeError
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db, write_from_here
from casework.web.forms.panel_samples import RatingForm, draw_form
from casework.web.forms.report_range import chosen_team
from casework.web.submission import attempt, show

bp = Blueprint("panel_samples", __name__, url_prefix="/reports/panel-samples")


@bp.route("/", methods=["GET", "POST"])
@requires(Action.DRAW_PANEL_SAMPLE)
def index():
    teams = report_scope.visible_teams(db(), current_user)
    every_team = report_scope.sees_every_team(current_user)
    form = draw_form(
        request.form if request.method == "POST" else None, teams=teams, every_team=every_team, today=clock.today()
    )
    if form.validate_on_submit():
        try:
            done = attempt(
                form,
                lambda: panel_samples.draw(
                    db(),
                    actor=current_user,
                    first_day=form.first_day.data,
                    last_day=form.last_day.data,
                    team_id=chosen_team(form),
                    size=form.size.data,
                    seed=form.seed.data,
                    now=clock.now(),
                ),
                once=lambda sample: url_for("panel_samples.sample", sample_id=sample.id),
            )
        except RangeError as problem:
            db().rollback()
            show(form, problem.field, problem.message)
            done = False
        if done:
            return redirect(form.saved_at)
    status = 400 if form.errors or form.form_errors else 200
    listed = panel_samples.samples(db(), actor=current_user)
    return render_template("panel_samples/index.html", form=form, samples=listed), status


@bp.get("/<int:sample_id>")
@requires(Action.DRAW_PANEL_SAMPLE, team_scoped=True)
def sample(sample_id: int):
    found = panel_samples.get(db(), actor=current_user, sample_id=sample_id)
    cases = panel_samples.sampled_cases(db(), found)
    panel_samples.viewed(write_from_here(), actor=current_user, sample=found, now=clock.now())
    db().commit()
    return render_template("panel_samples/sample.html", sample=found, cases=cases)


@bp.route("/<int:sample_id>/cases/<int:position>", methods=["GET", "POST"])
@requires(Action.DRAW_PANEL_SAMPLE, team_scoped=True)
def case(sample_id: int, position: int):
    found = panel_samples.get(db(), actor=current_user, sample_id=sample_id)
    sampled = panel_samples.sampled_case(db(), found, position)
    form = RatingForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: panel_samples.rate(
                db(),
                actor=current_user,
                sample_id=found.id,
                position=position,
                rating=form.rating.data,
                comments=form.comments.data,
                panel_member=form.panel_member.data,
                now=clock.now(),
            ),
            success=f"Rating of case {position} recorded.",
            once=lambda _rating: url_for("panel_samples.case", sample_id=found.id, position=position),
        )
        if done:
            return redirect(url_for("panel_samples.sample", sample_id=found.id))
    summary = panel_summaries.summary(db(), sampled, team_name=found.team_name)
    rating = panel_samples.rating_of(db(), sampled)
    if request.method == "GET":
        panel_samples.viewed(write_from_here(), actor=current_user, sample=found, sampled=sampled, now=clock.now())
        db().commit()
    status = 400 if form.errors or form.form_errors else 200
    page = render_template("panel_samples/case.html", sample=found, summary=summary, rating=rating, form=form)
    return page, status
