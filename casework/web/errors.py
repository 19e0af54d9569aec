"""GOV.UK-styled error pages; no stack trace ever reaches a user."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from casework.domain.errors import IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.services import concurrency
from casework.web.database import db

PAGES = {
    400: ("There is a problem with your request", "Go back and try again."),
    403: (
        "You do not have permission to view this page",
        "If you think you should, ask your supervisor or your force administrator.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("There is a problem with your request", "Go back and try again."),
    413: ("The file or form you sent is too large", "Go back and try again with less."),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotPermitted, lambda _e: _page(403))
    app.register_error_handler(NotFound, lambda _e: _page(404))
    app.register_error_handler(StaleRecord, _stale)
    app.register_error_handler(IllegalTransition, _refused)
    app.register_error_handler(StaleDataError, _lost_race)
    app.register_error_handler(IntegrityError, _lost_race)
    app.register_error_handler(Exception, _unexpected)


def _rollback() -> None:
    """A failed flush leaves the request's session unusable until it is rolled back, and the error
    page itself reads the signed-in user through it."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _page(status: int, heading: str | None = None, body: str | None = None):
    _rollback()
    default_heading, default_body = PAGES.get(status, PAGES[400])
    html = render_template("errors/error.html", heading=heading or default_heading, body=body or default_body)
    return html, status


def _csrf_failed(_error: CSRFError):
    return _page(
        400,
        "Your form could not be sent",
        "The page had been open too long, or was sent from another site. Go back, reload the page "
        "and try again. Nothing you sent was saved.",
    )


def _stale(refusal: StaleRecord):
    _rollback()
    return _page(409, "Someone else changed this", concurrency.naming_who(db(), refusal))


def _refused(refusal: IllegalTransition):
    return _page(409, "That cannot be done now", refusal.message)


def _lost_race(error: Exception):
    if not concurrency.is_lost_race(error):
        return _unexpected(error)
    return _page(409, "Someone else changed this", concurrency.stale_message("this record"))


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code >= 500:
        return _unexpected(error)
    return _page(error.code)


FALLBACK_500 = (
    '<!DOCTYPE html><html lang="en"><head><title>Sorry, there is a problem with the service</title></head>'
    "<body><h1>Sorry, there is a problem with the service</h1><p>Nothing you sent was saved. Try again later.</p>"
    "</body></html>"
)


def _unexpected(error: Exception):
    current_app.logger.exception("Unhandled error", exc_info=error)
    try:
        _rollback()
        html = render_template(
            "errors/error.html",
            heading="Sorry, there is a problem with the service",
            body="Nothing you sent was saved. Try again later. If it keeps happening, contact your force IT "
            "service desk.",
        )
    except Exception:  # the page itself failed: still no stack trace for the user
        current_app.logger.exception("Error page failed to render")
        html = FALLBACK_500
    return html, 500
