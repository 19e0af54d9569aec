"""HTTP layer: blueprints, forms and the request plumbing around the services."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers

from casework.config import Settings
from casework.domain import audit_actions
from casework.domain.clock import local
from casework.domain.contract_status import CONDITION_STATUS_LABELS
from casework.domain.contract_terms import CONDITION_LABELS, RULE_LABELS
from casework.domain.gate import shown as gate_answer
from casework.domain.gate_questions import QUESTIONS, RETIRED, SECTIONS
from casework.domain.lifecycle import STATE_TAG_COLOURS
from casework.domain.needs import DOMAIN_LABELS
from casework.domain.offence_groups import GROUP_LABELS
from casework.domain.roles import Role
from casework.domain.session_timeouts import ABSOLUTE_TIMEOUT
from casework.services.case_endings import WITHDRAWAL_REASONS
from casework.web import addresses
from casework.web.check_in_links import check_in_url, record_outcome_url
from casework.web.page_errors import page_errors


def register(app: Flask, settings: Settings) -> None:
    from casework import cli
    from casework.web import (
        access,
        admin,
        assessment,  # noqa: F401 -- the assessment journey's routes, on the cases blueprint
        audit,
        auth,
        breach_decisions,
        breaches,
        calendar,
        case_endings,
        case_sections,  # noqa: F401  (adds the case record's sections to the cases blueprint)
        cases,
        catalogue,
        check_in_page,
        check_ins,
        completion,
        contracts,
        custody,
        database,
        directory,
        errors,
        evaluator_exports,
        follow_ups,
        health,
        home,
        notifications,
        panel_samples,
        prosecution,
        reminders,  # noqa: F401 -- the case's reminder pages, on the cases blueprint
        reports,
        request_logs,
        security,
        session_timeout,
        static_files,
        today,
        victims,
    )

    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="casework_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        # The server-side session row enforces the real limits; the cookie never outlives them.
        PERMANENT_SESSION_LIFETIME=ABSOLUTE_TIMEOUT,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the signed-in session
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["page_errors"] = page_errors
    app.jinja_env.filters["local_datetime"] = _local_datetime
    app.jinja_env.filters["local_time"] = _local_time
    app.jinja_env.filters["action_label"] = audit_actions.label
    app.jinja_env.filters["long_date"] = _long_date
    app.jinja_env.filters["time_on_day"] = _time_on_day
    app.jinja_env.globals["state_colours"] = STATE_TAG_COLOURS
    app.jinja_env.globals["need_labels"] = DOMAIN_LABELS
    app.jinja_env.globals["condition_labels"] = CONDITION_LABELS
    app.jinja_env.globals["rule_labels"] = RULE_LABELS
    app.jinja_env.globals["offence_group_labels"] = GROUP_LABELS
    # The checklist as a record, for every page that shows a case's answers (old ones included).
    app.jinja_env.globals["gate_sections"] = SECTIONS
    app.jinja_env.globals["gate_retired"] = RETIRED
    app.jinja_env.globals["gate_answer"] = gate_answer
    app.jinja_env.globals["gate_victim_question"] = QUESTIONS["victim_view"]
    app.jinja_env.globals["withdrawal_reasons"] = WITHDRAWAL_REASONS
    app.jinja_env.globals["condition_status_labels"] = CONDITION_STATUS_LABELS
    app.jinja_env.globals["check_in_url"] = check_in_url
    app.jinja_env.globals["record_outcome_url"] = record_outcome_url
    addresses.install(app)
    check_in_page.register(app)
    database.init_app(app, settings)
    security.init_app(app)
    static_files.init_app(app)
    request_logs.install()
    app.context_processor(session_timeout.page_timer)
    WTFormsHelpers(app)
    errors.init_app(app)
    for blueprint in (
        auth.bp,
        home.bp,
        admin.bp,
        audit.bp,
        health.bp,
        cases.bp,
        custody.bp,
        catalogue.bp,
        directory.bp,
        contracts.bp,
        case_endings.bp,
        breaches.bp,
        notifications.bp,
        today.bp,
        calendar.bp,
        check_ins.bp,
        prosecution.bp,
        completion.bp,
        victims.bp,
        breach_decisions.bp,
        follow_ups.bp,
        reports.bp,
        panel_samples.bp,
        evaluator_exports.bp,
        session_timeout.bp,
    ):
        app.register_blueprint(blueprint)
    access.collect_rules(app)
    cli.init_app(app)


def _local_datetime(moment: datetime) -> str:
    """27 Nov 2026 at 2:05pm, in UK time."""
    shown = local(moment)
    return f"{shown.day} {shown:%b %Y} at {shown.hour % 12 or 12}:{shown:%M}{'am' if shown.hour < 12 else 'pm'}"


def _local_time(moment: datetime) -> str:
    """2:05pm, in UK time."""
    shown = local(moment)
    return f"{shown.hour % 12 or 12}:{shown:%M}{'am' if shown.hour < 12 else 'pm'}"


def _long_date(day: date) -> str:
    """27 November 2026"""
    return f"{day.day} {day:%B %Y}"


def _time_on_day(moment: datetime) -> str:
    """14:05 on 4 December, in UK time."""
    shown = local(moment)
    return f"{shown:%H:%M} on {shown.day} {shown:%B}"
