"""Service status: /healthz as JSON for load balancers, /status as a page for people. Both
public, and neither shows personal data."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from casework.services import health
from casework.web import clock
from casework.web.access import public
from casework.web.database import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    report = health.check(db(), now=clock.now())
    return jsonify(report.as_dict()), 200 if report.ok else 503


@bp.get("/status")
@public
def status():
    report = health.check(db(), now=clock.now())
    # 503 when failing, as /healthz answers, so an uptime check pointed at this page sees it too.
    return render_template("health/status.html", report=report, checked_at=clock.now()), 200 if report.ok else 503
