"""The public service status page, in words, beside the JSON /healthz that load balancers read."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.migrate import head_revision
from casework.services import health
from casework.services.health import HealthReport
from tests.conftest import make_case, make_user, sign_in_quickly


def _rows(response) -> dict[str, str]:
    page = BeautifulSoup(response.text, "html.parser")
    return {
        row.select_one("dt").get_text(strip=True): " ".join(row.select_one("dd").get_text(" ").split())
        for row in page.select(".govuk-summary-list__row")
    }


@pytest.fixture
def report(monkeypatch):
    """Make health.check answer with the report a test sets."""
    answer: list[HealthReport] = []
    monkeypatch.setattr(health, "check", lambda session, **_: answer[-1])
    return answer.append


def test_the_status_page_says_in_words_that_every_check_passes(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.commit()
    response = client.get("/status")  # nobody signed in
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text() == "Service status"
    assert "is working" in page.select_one("main").get_text()
    rows = _rows(response)
    assert rows["Database"] == "Working Reachable"
    assert rows["Database migrations"] == f"Working At the latest revision ({head_revision()})"
    assert rows["Scheduler heartbeat"] == "Not running yet"
    text = page.get_text(" ")
    for personal in (navigator.full_name, navigator.username, case.reference, case.person.family_name):
        assert personal not in text


def test_the_status_page_names_the_failing_check(client, report):
    report(HealthReport(database=True, migrations_at_head=False, schema_revision="0001", expected_revision="0012"))
    response = client.get("/status")
    assert response.status_code == 503
    assert "There is a problem" in BeautifulSoup(response.text, "html.parser").select_one(".govuk-warning-text").text
    rows = _rows(response)
    assert rows["Database"] == "Working Reachable"
    assert rows["Database migrations"] == (
        "Failing Not at the latest revision: the database is at 0001, this version needs 0012"
    )

    report(HealthReport(database=False, migrations_at_head=False, schema_revision=None, expected_revision="0012"))
    rows = _rows(client.get("/status"))
    assert rows["Database"] == "Failing Not reachable"
    assert rows["Database migrations"] == "Failing Unknown while the database cannot be reached"


def test_the_status_page_shows_the_scheduler_heartbeat_age(client, report):
    report(HealthReport(True, True, "0012", "0012", scheduler_heartbeat_age_seconds=45.2))
    assert _rows(client.get("/status"))["Scheduler heartbeat"] == "Last heartbeat 45 seconds ago"
    report(HealthReport(True, True, "0012", "0012", scheduler_heartbeat_age_seconds=630))
    assert _rows(client.get("/status"))["Scheduler heartbeat"] == "Last heartbeat 10 minutes ago"


def test_the_footer_links_to_the_status_page_and_healthz_stays_json(client, session, team):
    for response in (client.get("/sign-in"), client.get("/healthz")):
        assert response.status_code == 200
    footer = BeautifulSoup(client.get("/sign-in").text, "html.parser").select_one("footer")
    assert footer.find("a", string="Service status")["href"] == "/status"
    sign_in_quickly(client, session, make_user(session, roles=[Role.SUPERVISOR], team=team))
    footer = BeautifulSoup(client.get("/supervisor").text, "html.parser").select_one("footer")
    assert footer.find("a", string="Service status")["href"] == "/status"
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert client.get("/healthz").content_type == "application/json"
