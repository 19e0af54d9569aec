"""Browsing the audit trail: supervisors see their team's events, administrators everyone's."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from casework.domain import audit_actions
from casework.domain.roles import Action
from casework.services import access, audit, consultation_queue
from casework.services.audit import AuditFilter
from casework.web.access import requires
from casework.web.addresses import record_number
from casework.web.database import db, write_from_here
from casework.web.forms.audit import AuditFilterForm

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@requires(Action.READ_AUDIT)
def events():
    # Case views are queued for the chain (consultation_queue.py): chain them, so none is missed here.
    consultation_queue.seal(write_from_here())
    db().commit()
    scope = access.audit_team_scope(current_user)
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "Any action")] + [(a, audit_actions.label(a)) for a in audit.known_actions(db())]
    filters = AuditFilter()
    if request.args and form.validate():
        case = (form.case_id.data or "").strip()
        filters = AuditFilter(
            username=(form.username.data or "").strip() or None,
            action=form.action.data or None,
            case_id=int(case) if case.isdigit() else None,
            case_reference=case if case and not case.isdigit() else None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    page = audit.browse(db(), team_scope=scope, filters=filters, page=request.args.get("page", 1, type=record_number))
    return render_template("audit/events.html", form=form, page=page, scoped=scope is not None)


@bp.get("/<int:sequence>")
@requires(Action.READ_AUDIT, team_scoped=True)
def event(sequence: int):
    found = audit.get_event(db(), sequence=sequence, team_scope=access.audit_team_scope(current_user))
    if found is None:
        abort(404)
    return render_template("audit/event.html", event=found)
