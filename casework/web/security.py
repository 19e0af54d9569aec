"""Sign-in state, CSRF and the security headers every response carries (DESIGN.md §6)."""

from __future__ import annotations

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from casework.domain.session_timeouts import ABSOLUTE, IDLE, TIMED_OUT
from casework.services import signed_in_sessions, unsaved_forms
from casework.web import access, clock
from casework.web.database import db

SESSION_TOKEN_KEY = "sid"
# The token of a session that has just timed out, kept in the cookie (it opens nothing now) so a
# form posted with it can be kept for its author to save after signing in again.
ENDED_TOKEN_KEY = "ended_sid"
# The ended session whose kept form this browser may be offered after signing in (an id, never the form).
KEPT_FORM_KEY = "kept_form"
TIMED_OUT_MESSAGES = {
    IDLE: "You were signed out because you had not done anything for 30 minutes. Sign in again to continue.",
    ABSOLUTE: "You were signed out because you had been signed in for 12 hours. Sign in again to continue.",
}
KEPT_MESSAGE = "You were signed out before this was saved. Sign in again to save it: what you entered has been kept."
# Posts that are about the session itself, with nothing typed in them to keep.
NEVER_KEPT = frozenset({"auth.sign_out", "signed_in_session.extend"})

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "information"
csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(_resolve_signed_in_user)
    app.before_request(_after_a_time_out)
    app.before_request(access.enforce)
    app.after_request(_security_headers)


def not_activity(view):
    """Marks a route a page calls in the background (how long is left): it does not count as the
    person doing something, so it never moves the idle timeout on."""
    view.casework_not_activity = True
    return view


def signed_in_session():
    """This request's live server-side session, once the user is loaded."""
    return g.get("casework_sign_in")


@login_manager.user_loader
def _load_user(user_id: str):
    """Flask-Login's id is trusted only if the server-side session behind the cookie is live."""
    token = session.get(SESSION_TOKEN_KEY)
    view = current_app.view_functions.get(request.endpoint or "")
    activity = not getattr(view, "casework_not_activity", False)
    record = signed_in_sessions.resolve(db(), token=token, now=clock.now(), activity=activity)
    if record is None or str(record.user_id) != user_id:
        ended = signed_in_sessions.find(db(), token=token)
        session.clear()
        if ended is not None and ended.end_reason in TIMED_OUT and str(ended.user_id) == user_id:
            session[ENDED_TOKEN_KEY] = token
            g.casework_timed_out = ended.end_reason
        return None
    g.casework_sign_in = record
    return record.user


def _resolve_signed_in_user() -> None:
    """Load the user before the view runs, and commit the session row's touch or end on its own,
    so the view's transaction can never roll it back (nor mix it up with its own changes)."""
    if request.endpoint == "static":
        return
    session.permanent = True
    _ = current_user.is_authenticated
    db().commit()


def _after_a_time_out():
    """A form posted with a session that timed out is kept for its author (services/unsaved_forms.py)
    rather than lost, and they are sent to sign in; the CSRF check has already passed by now."""
    if request.endpoint == "static":
        return None
    token = session.get(ENDED_TOKEN_KEY)
    if token and request.method == "POST" and not current_user.is_authenticated and _may_keep(request.endpoint):
        fields = [(name, value) for name, values in request.form.lists() for value in values]
        kept = unsaved_forms.keep(db(), token=token, path=request.full_path.rstrip("?"), fields=fields, now=clock.now())
        if kept is not None:
            db().commit()
            session[KEPT_FORM_KEY] = kept
            flash(KEPT_MESSAGE, "information")
            return redirect(url_for("auth.sign_in"))
    if g.get("casework_timed_out"):
        flash(TIMED_OUT_MESSAGES[g.casework_timed_out], "information")
    return None


def _may_keep(endpoint: str | None) -> bool:
    rule = current_app.extensions["casework.route_rules"].get(endpoint or "")
    return rule is not None and not rule.public and endpoint not in NEVER_KEPT


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        # Personal data must not linger in shared browser caches; static assets may be cached.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response
