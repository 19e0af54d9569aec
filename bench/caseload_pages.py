"""The pages bench/caseload.py times, the two floors it compares them with, and the timing itself.

Imports `casework` when first imported, so bench/caseload.py imports it only after putting the
checkout under test (`--app-root`) first on the path.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from datetime import date

from flask import Flask, render_template
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import event, text

from casework.domain.roles import Action
from casework.web.access import collect_rules, public, requires
from casework.web.database import db

# The product's own layout around one small GOV.UK table: what any signed-in page costs at least.
FLOOR_TEMPLATE = """{% extends "base.html" %}
{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}
{% set title = "Case " ~ row.reference %}
{% block page %}
  <h1 class="govuk-heading-l">Case {{ row.reference }}</h1>
  {{ govukTable({"head": [{"text": "Reference"}, {"text": "State"}, {"text": "Deadline"}],
                 "rows": [[{"text": row.reference}, {"text": row.state}, {"text": row.decision_deadline_on or ""}]]}) }}
{% endblock %}
"""

SIGNED_IN_FLOOR, BARE_FLOOR = "signed-in floor", "bare floor"


def add_floors(app: Flask) -> None:
    """The signed-in floor needs what the caseload needs (VIEW_CASE) and runs one query by primary
    key in the request's own session; the bare floor has no session, sign-in or layout at all."""
    app.jinja_loader = ChoiceLoader([DictLoader({"bench/floor.html": FLOOR_TEMPLATE}), app.jinja_loader])
    case_by_id = text("SELECT id, reference, state, decision_deadline_on FROM cases WHERE id = :id")

    @app.get("/bench-floor/signed-in/<int:case_id>")
    @requires(Action.VIEW_CASE)
    def signed_in_floor(case_id: int):
        return render_template("bench/floor.html", row=db().execute(case_by_id, {"id": case_id}).one())

    @app.get("/bench-floor/<int:case_id>")
    @public
    def bare_floor(case_id: int):
        with app.extensions["casework.engine"].connect() as connection:
            connection.execute(case_by_id, {"id": case_id}).one()
            # Ended as the app ends a read (casework.db.close): a rollback would make psycopg forget
            # the prepared statements of the pages timed after it.
            connection.commit()
        return "ok"

    collect_rules(app)


@dataclass(frozen=True)
class Targets:
    """Who signs in and what they look for, chosen from the data so a reused database works too."""

    navigator_id: int
    username: str
    case_id: int
    surname_prefix: str
    reference: str
    pnc_id: str
    date_of_birth: str
    # Each search must find its case: the references the PNC ID and date of birth belong to.
    pnc_case: str
    born_case: str


def choose_targets(connection) -> Targets:
    """The navigator with the most open cases; a case of their team with a signed contract; a search
    by the first four letters of the commonest surname among the team's open cases; one open team case each to find by
    reference, PNC ID and date of birth as typed (dd/mm/yyyy)."""
    open_states = "('referred', 'assessment', 'contract_draft', 'active')"
    navigator_id, username, team_id = connection.execute(
        text(
            f"SELECT u.id, u.username, u.team_id FROM users u JOIN cases c ON c.navigator_id = u.id "
            f"WHERE c.state IN {open_states} GROUP BY u.id, u.username, u.team_id ORDER BY count(*) DESC, u.id LIMIT 1"
        )
    ).one()
    case_id = connection.scalar(
        text(
            "SELECT c.id FROM cases c JOIN contracts k ON k.case_id = c.id AND k.status = 'signed' "
            "WHERE c.team_id = :team AND c.state = 'active' ORDER BY c.id LIMIT 1"
        ),
        {"team": team_id},
    ) or connection.scalar(
        text(f"SELECT id FROM cases WHERE team_id = :team AND state IN {open_states} ORDER BY id LIMIT 1"),
        {"team": team_id},
    )
    surname = connection.scalar(
        text(
            f"SELECT p.family_name_folded FROM cases c JOIN people p ON p.id = c.person_id "
            f"WHERE c.team_id = :team AND c.state IN {open_states} "
            f"GROUP BY p.family_name_folded ORDER BY count(*) DESC, p.family_name_folded LIMIT 1"
        ),
        {"team": team_id},
    )
    found = connection.execute(
        text(
            f"SELECT c.reference, p.pnc_id, p.date_of_birth FROM cases c JOIN people p ON p.id = c.person_id "
            f"WHERE c.team_id = :team AND c.state IN {open_states} AND c.id > :after ORDER BY c.id LIMIT 3"
        ),
        {"team": team_id, "after": case_id},
    ).all()
    born = found[2][2]
    born = date.fromisoformat(born) if isinstance(born, str) else born  # a raw SQLite date is text
    return Targets(
        navigator_id=navigator_id,
        username=username,
        case_id=case_id,
        surname_prefix=surname[:4],
        reference=found[0][0],
        pnc_id=found[1][1],
        date_of_birth=f"{born:%d/%m/%Y}",
        pnc_case=found[1][0],
        born_case=found[2][0],
    )


def found_on_page(targets: Targets) -> dict[str, str]:
    """What each search page must show, checked once before timing, so no page is timed empty."""
    return {
        f"search by surname prefix ({targets.surname_prefix})": targets.surname_prefix.upper(),
        "search by case reference": targets.reference,
        "search by PNC ID": targets.pnc_case,
        "search by date of birth": targets.born_case,
    }


def pages(targets: Targets) -> dict[str, str]:
    return {
        SIGNED_IN_FLOOR: f"/bench-floor/signed-in/{targets.case_id}",
        BARE_FLOOR: f"/bench-floor/{targets.case_id}",
        "my caseload (/navigator)": "/navigator",
        "team tab by deadline": "/cases/?tab=team&sort=deadline",
        f"search by surname prefix ({targets.surname_prefix})": f"/cases/?tab=team&search={targets.surname_prefix}",
        "search by case reference": f"/cases/?tab=team&search={targets.reference}",
        "search by PNC ID": f"/cases/?tab=team&search={targets.pnc_id}",
        "search by date of birth": f"/cases/?tab=team&search={targets.date_of_birth}",
        "case page": f"/cases/{targets.case_id}",
    }


def sign_in(app: Flask, username: str, passphrase: str):
    """A test client signed in through the real sign-in form, as a person would be."""
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/sign-in").text).group(1)
    response = client.post("/sign-in", data={"csrf_token": token, "username": username, "passphrase": passphrase})
    assert response.status_code == 302, ("sign-in refused", response.status_code)
    return client


def statements(app: Flask, client, path: str) -> int:
    """SQL statements one request runs, counted on the app's engine."""
    counted = []

    def count(*_args):
        counted.append(1)

    engine = app.extensions["casework.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        _get(client, path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def _get(client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


@dataclass(frozen=True)
class Timing:
    median: float
    p95: float
    statements: int


def time_pages(
    app: Flask, client, paths: dict[str, str], *, rounds: int, shows: dict[str, str], warm_up: int = 3
) -> dict[str, Timing]:
    """Each page warmed up, then all pages in turn, round after round, so noise falls on all alike.
    The bare floor is asked for by a browser that has not signed in: no cookie, no session to check."""
    clients = {name: app.test_client() if name == BARE_FLOOR else client for name in paths}
    for name, expected in shows.items():
        assert expected in clients[name].get(paths[name]).text, (name, "does not show", expected)
    for name, path in paths.items():
        for _ in range(warm_up):
            _get(clients[name], path)
    counts = {name: statements(app, clients[name], path) for name, path in paths.items()}
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            samples[name].append(_get(clients[name], path))
    return {name: Timing(*_summary(samples[name]), counts[name]) for name in paths}


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def table(results: dict[str, Timing]) -> list[str]:
    floor, bare = results[SIGNED_IN_FLOOR], results[BARE_FLOOR]
    lines = [
        "| page | median | p95 | median ÷ signed-in floor | median ÷ bare floor | p95 ÷ signed-in floor p95 "
        "| statements |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, timing in results.items():
        lines.append(
            f"| {name} | {timing.median:.1f} ms | {timing.p95:.1f} ms | {timing.median / floor.median:.1f}x "
            f"| {timing.median / bare.median:.1f}x | {timing.p95 / floor.p95:.1f}x | {timing.statements} |"
        )
    return lines
