"""/healthz for load balancers: database, migrations, scheduler. No personal data."""

from __future__ import annotations

from flask import Blueprint, jsonify

from casework.services import health
from casework.web.access import public
from casework.web.database import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    report = health.check(db())
    return jsonify(report.as_dict()), 200 if report.ok else 503
