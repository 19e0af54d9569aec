"""What people see of the scheduler: its heartbeat on /healthz and /status, a warning on the
supervisor's home when it has stopped or a job fails, and the flags its sweeps raise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services import flags, heartbeats
from tests.conftest import NOW, make_case, make_user, sign_in_quickly

REFERRED = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # first contact overdue at NOW


def _beat(session, job="deadline_warnings", *, ago: timedelta, outcome="ok", error=None) -> None:
    finished = NOW - ago
    heartbeats.record(
        session, job=job, started_at=finished, finished_at=finished, outcome=outcome, handled=0, error=error
    )
    session.commit()


def _text(response, selector: str) -> str:
    found = BeautifulSoup(response.text, "html.parser").select_one(selector)
    return " ".join(found.get_text(" ").split()) if found else ""


@pytest.fixture
def supervisor(client, session, team):
    user = make_user(session, roles=[Role.SUPERVISOR], team=team)
    sign_in_quickly(client, session, user)
    return user


def test_healthz_reports_no_heartbeat_until_the_scheduler_has_run(client):
    assert client.get("/healthz").json["scheduler_heartbeat_age_seconds"] is None


def test_healthz_and_the_status_page_give_the_age_of_the_last_run(client, session):
    _beat(session, "first_contact_overdue", ago=timedelta(minutes=7))
    _beat(session, ago=timedelta(seconds=90))
    response = client.get("/healthz")
    assert response.status_code == 200  # a stopped scheduler does not take the web servers out of service
    assert response.json["scheduler_heartbeat_age_seconds"] == 90
    assert "Last heartbeat 90 seconds ago" in client.get("/status").text


def test_the_supervisor_is_warned_when_the_scheduler_has_never_run(client, supervisor):
    assert _text(client.get("/supervisor"), "#scheduler-warning") == (
        "! Warning Reminders and overdue flags are not being sent: the scheduler has never run. Tell your service desk."
    )


def test_the_supervisor_is_warned_when_the_last_run_is_stale(client, session, supervisor):
    _beat(session, ago=timedelta(minutes=11))
    assert _text(client.get("/supervisor"), "#scheduler-warning") == (
        "! Warning Reminders and overdue flags are not being sent: the scheduler last ran at 09:49 on "
        "24 November. Tell your service desk."
    )


def test_the_warning_gives_the_london_time(client, session, supervisor, clock):
    clock.set(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    heartbeats.record(
        session,
        job="deadline_warnings",
        started_at=datetime(2026, 6, 30, 23, 5, tzinfo=UTC),
        finished_at=datetime(2026, 6, 30, 23, 5, tzinfo=UTC),
        outcome="ok",
    )
    session.commit()
    assert "last ran at 00:05 on 1 July" in _text(client.get("/supervisor"), "#scheduler-warning")


def test_no_warning_while_the_scheduler_runs_but_a_failing_job_is_named(client, session, supervisor):
    _beat(session, "first_contact_overdue", ago=timedelta(minutes=2))
    assert _text(client.get("/supervisor"), "#scheduler-warning") == ""
    _beat(session, ago=timedelta(minutes=2), outcome="failed", error="OperationalError: database is locked")
    assert _text(client.get("/supervisor"), "#scheduler-warning") == (
        "! Warning Some overdue flags may be missing: charge deadline warnings failed at 09:58 on 24 November. "
        "Tell your service desk."
    )


def test_the_supervisor_home_lists_the_teams_flagged_cases(client, session, team, other_team, supervisor):
    ours = make_case(session, team=team, referred_at=REFERRED)
    theirs = make_case(session, team=other_team, referred_at=REFERRED)
    flags.raise_first_contact_overdue(session, now=NOW)
    session.commit()
    page = client.get("/supervisor")
    listed = _text(page, "#team-flags")
    assert ours.reference in listed and "First contact is overdue, since 24 Nov 2026 at 10:00am" in listed
    assert theirs.reference not in page.text
    link = BeautifulSoup(page.text, "html.parser").select_one("#team-flags a")["href"]
    assert link == f"/cases/{ours.id}"


def test_the_case_overview_lists_open_flags_until_the_situation_ends(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, referred_at=REFERRED, navigator_id=navigator.id)
    flags.raise_first_contact_overdue(session, now=NOW)
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert _text(client.get(f"/cases/{case.id}"), "#case-flags") == (
        "First contact is overdue (since 24 Nov 2026 at 10:00am)"
    )
    case.state, case.first_contact_at = CaseState.ASSESSMENT.value, NOW
    session.commit()
    assert _text(client.get(f"/cases/{case.id}"), "#case-flags") == ""


def test_a_failure_long_past_is_not_news(client, session, supervisor):
    _beat(session, "first_contact_overdue", ago=timedelta(minutes=2))
    _beat(session, "a_job_since_removed", ago=timedelta(days=3), outcome="failed", error="RuntimeError: gone")
    assert _text(client.get("/supervisor"), "#scheduler-warning") == ""
