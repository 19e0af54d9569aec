"""Report pages (DOMAIN.md §8): the dashboard, each report, and each table as CSV. Who may see which
team is decided once, in services.report_scope; every page view is audited as a consultation and
every download as a disclosure to the signed-in user."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from casework.domain import report_tables
from casework.domain.roles import Action
from casework.services import audit, report_scope, reports
from casework.services.report_scope import RangeError, ReportScope
from casework.web import clock
from casework.web.access import requires
from casework.web.charts import chart_for
from casework.web.database import db, write_from_here
from casework.web.forms.report_range import ReportRangeForm, chosen_offence_group, chosen_team, range_form
from casework.web.report_csv import table_csv

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
@requires(Action.VIEW_REPORTS)
def index():
    form, scope = _scope()
    figures = None
    if scope is not None:
        figures = reports.DASHBOARD.build(db(), scope)
        _audit("report.viewed", scope, report="dashboard")
    return render_template(
        "reports/index.html",
        form=form,
        scope=scope,
        kind=reports.DASHBOARD,
        figures=figures,
        reports=reports.REPORTS,
        **_helpers(),
    )


@bp.get("/<key>")
@requires(Action.VIEW_REPORTS)
def report(key: str):
    kind = reports.BY_KEY.get(key) or abort(404)
    form, scope = _scope()
    built = None
    if scope is not None:
        built = kind.build(db(), scope)
        _audit("report.viewed", scope, report=kind.key)
    return render_template("reports/report.html", form=form, scope=scope, kind=kind, report=built, **_helpers())


@bp.get("/<key>/<table>.csv")
@requires(Action.VIEW_REPORTS)
def download(key: str, table: str):
    kind = reports.WITH_TABLES.get(key) or abort(404)
    _form, scope = _scope()
    if scope is None:
        abort(404)
    found = kind.build(db(), scope).table(table) or abort(404)
    _audit(
        "report.downloaded",
        scope,
        report=kind.key,
        table=found.key,
        recipient="the signed-in user",
        purpose="report table download",
    )
    team = "every-team" if scope.team_id is None else f"team-{scope.team_id}"
    group = "" if scope.offence_group is None else f"-{scope.offence_group.replace('_', '-')}"
    name = f"casework-{kind.key}-{found.key}-{team}{group}-{scope.first_day}-to-{scope.last_day}.csv"
    return Response(
        table_csv(found),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _scope() -> tuple[ReportRangeForm, ReportScope | None]:
    """The form as asked, and the scope it gives; None with the errors on the form when it gives none.
    A team the user may not see is a 404, as if it did not exist."""
    every_team = report_scope.sees_every_team(current_user)
    teams = report_scope.visible_teams(db(), current_user)
    form, asked = range_form(request.args, teams=teams, every_team=every_team, today=clock.today())
    if asked and not form.validate():
        return form, None
    return form, scope_or_errors(form, offence_group=chosen_offence_group(form))


def scope_or_errors(form, *, offence_group: str | None = None) -> ReportScope | None:
    """The scope a checked range form asks for, or None with the reason by its field; a team the
    user may not see is a 404, as if it did not exist. The report pages' and the export's rule."""
    try:
        return report_scope.scope(
            db(),
            actor=current_user,
            first_day=form.first_day.data,
            last_day=form.last_day.data,
            team_id=chosen_team(form),
            today=clock.today(),
            offence_group=offence_group,
        )
    except RangeError as problem:
        getattr(form, problem.field).errors = [problem.message]
        return None
    except report_scope.NotFound:
        abort(404)


def _audit(action: str, scope: ReportScope, **detail: str) -> None:
    audit.record(
        write_from_here(),
        actor=current_user,
        action=action,
        now=clock.now(),
        team_id=scope.team_id,
        **scope.audit_detail,
        **detail,
    )
    db().commit()


def _helpers() -> dict:
    return {
        "display": report_tables.display,
        "chart_for": chart_for,
        "query": {
            key: value
            for key, value in request.args.items()
            if key in ("first_day", "last_day", "team", "offence_group")
        },
    }
