"""Sign-in state, CSRF and the security headers every response carries (DESIGN.md §6)."""

from __future__ import annotations

from flask import Flask, request, session
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from casework.services import authentication
from casework.web import access, clock
from casework.web.database import db

SESSION_TOKEN_KEY = "sid"

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
    app.before_request(access.enforce)
    app.after_request(_security_headers)


@login_manager.user_loader
def _load_user(user_id: str):
    """Flask-Login's id is trusted only if the server-side session behind the cookie is live."""
    user = authentication.resolve_session(db(), token=session.get(SESSION_TOKEN_KEY), now=clock.now())
    if user is None or str(user.id) != user_id:
        session.clear()
        return None
    return user


def _resolve_signed_in_user() -> None:
    """Load the user before the view runs, and commit the session row's touch or expiry on its
    own, so it can never be mixed up with (or rolled back by) the view's transaction."""
    if request.endpoint == "static":
        return
    session.permanent = True
    _ = current_user.is_authenticated
    database = db()
    if database.new or database.dirty or database.deleted:
        database.commit()
    else:
        database.rollback()


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
