"""The navigator's day, and the supervisor's view of each navigator's day."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import follow_up_flags, today
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db

bp = Blueprint("today", __name__, url_prefix="/today")


@bp.get("/")
@requires(Action.WORK_CASELOAD)
def mine():
    day = today.day_for(db(), actor=current_user, navigator=current_user, now=clock.now())
    follow_ups = follow_up_flags.open_for_navigator(db(), actor=current_user, navigator=current_user)
    return render_template("today/day.html", day=day, own=True, now=clock.now(), follow_ups=follow_ups)


@bp.get("/team")
@requires(Action.VIEW_TEAM)
def team():
    return render_template("today/team.html", team=today.team_day(db(), actor=current_user, now=clock.now()))


@bp.get("/navigators/<int:user_id>")
@requires(Action.VIEW_TEAM, team_scoped=True)
def navigator(user_id: int):
    chosen = today.navigator_in_team(db(), actor=current_user, user_id=user_id)
    day = today.day_for(db(), actor=current_user, navigator=chosen, now=clock.now())
    follow_ups = follow_up_flags.open_for_navigator(db(), actor=current_user, navigator=chosen)
    return render_template("today/day.html", day=day, own=False, now=clock.now(), follow_ups=follow_ups)
