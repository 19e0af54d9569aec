"""The idle timeout as the browser sees it (WCAG 2.2.1): how long is left, "Stay signed in", and
the page that offers back a form that arrived after the session had timed out."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from casework.domain.roles import home_endpoint
from casework.domain.session_timeouts import WARNING_LEAD
from casework.services import signed_in_sessions, unsaved_forms
from casework.web import clock
from casework.web.access import public, signed_in
from casework.web.database import db, write_from_here
from casework.web.forms.auth import SignOutForm
from casework.web.return_paths import safe_next
from casework.web.security import KEPT_FORM_KEY, not_activity, signed_in_session

bp = Blueprint("signed_in_session", __name__, url_prefix="/session")
# Fields the person never typed: shown to no one, sent back unchanged.
UNSEEN_FIELDS = frozenset({"version", "submission_token", "submit"})
CHOSEN_CODE = re.compile(r"[a-z0-9_-]+")


@bp.get("/status")
@public
@not_activity
def status():
    """How long is left, for the page's timer; asking does not count as activity."""
    record = signed_in_session()
    if record is None:
        return jsonify(signed_in=False)
    return jsonify(_expiry(signed_in_sessions.session_ends_at(record)))


@bp.post("/extend")
@signed_in
def extend():
    """ "Stay signed in": from the warning dialog's script (JSON) or as a plain form (a redirect)."""
    form = SignOutForm()  # only the CSRF token
    record = signed_in_session()
    if not form.validate_on_submit() or record is None:
        return jsonify(error="The form had expired. Reload the page."), 400
    ends = signed_in_sessions.extend(db(), record=record, now=clock.now())
    db().commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(_expiry(ends))
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))


@bp.get("/unsaved")
@signed_in
def unsaved():
    """What was posted after the session timed out, offered once to its author to send again."""
    kept = unsaved_forms.take(
        write_from_here(), user=current_user, session_id=session.pop(KEPT_FORM_KEY, None), now=clock.now()
    )
    db().commit()
    if kept is None or safe_next(kept.path) is None:
        return redirect(url_for(home_endpoint(current_user.primary_role)))
    shown = [value for name, value in kept.fields if name not in UNSEEN_FIELDS and _typed(value)]
    title = "You were signed out before this was saved"
    return render_template("auth/unsaved.html", title=title, kept=kept, shown=shown)


def _typed(value: str) -> bool:
    """Words a person typed, worth showing back. A radio, checkbox or select sends a code ("digest",
    "in_person", "4") that would mean nothing on this page: it is sent back unseen."""
    return bool(value.strip()) and not CHOSEN_CODE.fullmatch(value)


def _expiry(ends: datetime) -> dict:
    return {
        "signed_in": True,
        "ends_at": ends.isoformat(),
        "seconds_left": max(0, int((ends - clock.now()).total_seconds())),
    }


def page_timer() -> dict:
    """What every signed-in page's timer starts from: the seconds left as the page was made (the
    browser's own clock may be wrong, so it is told a duration, not an instant)."""
    record = signed_in_session()
    if record is None:
        return {"session_seconds_left": None}
    ends = signed_in_sessions.session_ends_at(record)
    return {
        "session_seconds_left": max(0, int((ends - clock.now()).total_seconds())),
        "session_warn_before": int(WARNING_LEAD.total_seconds()),
    }
