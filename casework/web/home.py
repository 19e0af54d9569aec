"""Each role's landing page, and the supervisor's view of their team."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.roles import Action, home_endpoint
from casework.jobs.registry import LABELS as JOB_LABELS
from casework.services import accounts, approvals, custody_desk, flags, heartbeats, oversight, supervisor_home, today
from casework.web import clock
from casework.web.access import requires, signed_in
from casework.web.cases import render_caseload
from casework.web.database import db

bp = Blueprint("home", __name__)


@bp.get("/")
@signed_in
def index():
    return redirect(url_for(home_endpoint(current_user.primary_role)))


@bp.get("/custody")
@requires(Action.WORK_IN_CUSTODY)
def custody():
    recent = custody_desk.recent_cases(db(), actor=current_user)
    return render_template("home/custody.html", recent=recent)


@bp.get("/navigator")
@requires(Action.WORK_CASELOAD)
def navigator():
    to_record = today.outcomes_to_record_count(db(), actor=current_user, now=clock.now())
    return render_caseload(heading="My caseload", outcomes_to_record=to_record)


@bp.get("/supervisor")
@requires(Action.VIEW_TEAM)
def supervisor():
    members = accounts.team_members(db(), actor=current_user)
    signed_in = accounts.last_signed_in(db(), members)
    return render_template(
        "home/supervisor.html",
        members=members,
        signed_in=signed_in,
        unassigned=custody_desk.unassigned_count(db(), actor=current_user),
        approvals=approvals.waiting_for(db(), actor=current_user),
        kinds=approvals.Kind,
        figures=custody_desk.gate_figures(db(), actor=current_user, since=clock.now() - timedelta(days=30)),
        flags=flags.open_for_team(db(), actor=current_user, today=clock.today()),
        scheduler=heartbeats.status(db(), now=clock.now()),
        job_labels=JOB_LABELS,
        breaches=supervisor_home.breaches_awaiting(db(), actor=current_user, on=clock.today()),
        near_deadline=supervisor_home.near_deadline(db(), actor=current_user, on=clock.today()),
        sign_off=supervisor_home.awaiting_sign_off(db(), actor=current_user),
        caseloads=supervisor_home.caseloads(db(), actor=current_user, now=clock.now()),
    )


@bp.get("/administrator")
@requires(Action.MANAGE_USERS)
def administrator():
    summary = oversight.account_summary(db(), actor=current_user, since=clock.now() - timedelta(hours=24))
    return render_template("home/administrator.html", summary=summary)
