"""Check-ins in calendar apps: one case's schedule as a file, and a navigator's subscription feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.errors import NotFound
from casework.domain.roles import Action
from casework.services import calendar, cases
from casework.web import clock
from casework.web.access import public, requires
from casework.web.check_in_links import check_in_url
from casework.web.database import db, write_from_here
from casework.web.forms.calendar import FeedForm

bp = Blueprint("calendar", __name__)


def _link(check_in) -> str:
    return check_in_url(check_in.case_id, check_in.id, external=True)


def _ics(body: bytes, *, filename: str | None = None):
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["X-Robots-Tag"] = "noindex"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/cases/<int:case_id>/check-ins.ics")
@requires(Action.VIEW_CASE, team_scoped=True)
def case_file(case_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.VIEW_CASE)
    body = calendar.case_file(write_from_here(), actor=current_user, case=case, now=clock.now(), link=_link)
    db().commit()
    return _ics(body, filename=f"check-ins-{case.reference}.ics")


@bp.get("/calendar/<token>.ics")
@public
def feed(token: str):
    """Fetched by calendar apps, which cannot sign in: the token in the address is the key."""
    try:
        body = calendar.feed_file(write_from_here(), token=token, now=clock.now(), link=_link)
    except calendar.FeedRevoked:
        db().rollback()
        abort(410)
    except NotFound:
        db().rollback()
        abort(404)
    db().commit()
    return _ics(body)


def _page(*, address: str | None = None):
    feed = calendar.active_feed(db(), actor=current_user)
    return render_template("calendar/feed.html", feed=feed, address=address, form=FeedForm())


@bp.get("/calendar-feed")
@requires(Action.WORK_CASELOAD)
def feed_page():
    return _page()


@bp.post("/calendar-feed/new")
@requires(Action.WORK_CASELOAD)
def new_feed():
    if not FeedForm().validate_on_submit():
        return redirect(url_for("calendar.feed_page"))
    token = calendar.create_feed(db(), actor=current_user, now=clock.now())
    db().commit()
    # Shown on this response only: the address is not stored, so it cannot be shown again.
    return _page(address=url_for("calendar.feed", token=token, _external=True))


@bp.post("/calendar-feed/revoke")
@requires(Action.WORK_CASELOAD)
def revoke_feed():
    if FeedForm().validate_on_submit() and calendar.revoke_feed(db(), actor=current_user, now=clock.now()):
        db().commit()
        flash("Your calendar feed is turned off. Calendars using its address get no more check-ins.", "success")
    return redirect(url_for("calendar.feed_page"))
