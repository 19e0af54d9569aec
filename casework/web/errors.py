"""GOV.UK-styled error pages; no stack trace ever reaches a user."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from casework.domain.errors import IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.failures import log_failure, new_reference
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
    # Flask's own logging of an error no handler caught prints the message; ours never does.
    app.log_exception = lambda exc_info: log_failure(app.logger, "Request failed", exc_info[1])


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
    "<p>If it keeps happening, contact your force IT service desk and give them this reference: {reference}</p>"
    "</body></html>"
)


def _unexpected(error: Exception):
    """Logged as its class and a reference, never its message (casework/failures.py): the person
    is shown the reference to quote."""
    reference = new_reference()
    log_failure(current_app.logger, "Request failed", error, reference)
    try:
        _rollback()
        html = render_template(
            "errors/error.html",
            heading="Sorry, there is a problem with the service",
            body="Nothing you sent was saved. Try again later.",
            reference=reference,
        )
    except Exception as failed:  # the page itself failed: still no stack trace for the user
        log_failure(current_app.logger, "Error page failed to render", failed, reference)
        html = FALLBACK_500.format(reference=escape(reference))
    return html, 500
