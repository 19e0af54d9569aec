"""The evaluators' export (DOMAIN.md §8.2): a page to ask for one, with the data dictionary beside the
form, and a page to make an export key. Who may export which team is decided in
services.report_scope, as for every report; the export itself is audited by its service."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import evaluator_export, evaluator_export_keys, report_scope
from casework.services.evaluator_columns import COLUMNS
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db
from casework.web.forms.evaluator_export import EvaluatorExportForm, ExportKeyForm
from casework.web.forms.report_range import default_range, team_choices
from casework.web.reports import scope_or_errors
from casework.web.submission import attempt

bp = Blueprint("evaluator_exports", __name__, url_prefix="/reports/evaluator-export")


@bp.route("/", methods=["GET", "POST"])
@requires(Action.EXPORT_FOR_EVALUATORS)
def index():
    keys = evaluator_export_keys.keys(db(), actor=current_user)
    form = _export_form(keys)
    if form.validate_on_submit():
        made = _export(form)
        if made is not None:
            return Response(
                made.content,
                mimetype="application/zip",
                headers={"Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store"},
            )
    return render_template("evaluator_exports/index.html", form=form, keys=keys, columns=COLUMNS)


@bp.route("/keys/new", methods=["GET", "POST"])
@requires(Action.EXPORT_FOR_EVALUATORS)
def new_key():
    form = ExportKeyForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: evaluator_export_keys.create_key(db(), actor=current_user, name=form.name.data, now=clock.now()),
        success=f"Export key “{' '.join(form.name.data.split())}” created.",
        once=lambda _key: url_for("evaluator_exports.index"),
    ):
        return redirect(url_for("evaluator_exports.index"))
    return render_template("evaluator_exports/new_key.html", form=form)


def _export_form(keys) -> EvaluatorExportForm:
    """As posted; or on first sight, the twelve months to today from the first of a month, as the
    report pages start."""
    teams = report_scope.visible_teams(db(), current_user)
    choices = team_choices(teams, every_team=report_scope.sees_every_team(current_user))
    start, today = default_range(clock.today())
    defaults = {"first_day": start, "last_day": today, "team": choices[0][0] if choices else ""}
    form = EvaluatorExportForm(data=defaults)
    form.team.choices = choices
    form.key.choices = [("", "Select a key")] + [(str(key.id), key.name) for key in keys]
    return form


def _export(form: EvaluatorExportForm):
    """The export, or None with the problems shown by their fields. Another team is a 404."""
    scope = scope_or_errors(form)
    if scope is None:
        return None
    made = []
    exported = attempt(
        form,
        lambda: made.append(
            evaluator_export.export(
                db(),
                actor=current_user,
                scope=scope,
                key_id=int(form.key.data),
                recipient=form.recipient.data,
                purpose=form.purpose.data,
                now=clock.now(),
            )
        ),
    )
    return made[0] if exported else None
