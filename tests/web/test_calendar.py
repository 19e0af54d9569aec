"""The calendar feed page, the feed a calendar app fetches without signing in, and a case's
check-ins downloaded as a calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.clock import LONDON, from_local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from tests.check_ins import make_check_in
from tests.conftest import NOW, hidden_fields, make_case, make_person, make_user, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _active(session, team, navigator, **person):
    return make_case(
        session,
        team=team,
        state=CaseState.ACTIVE,
        navigator_id=navigator.id,
        first_contact_at=NOW,
        person=make_person(session, creator=navigator, **person),
    )


def _create(client) -> str:
    fields = hidden_fields(client, "/calendar-feed", "/calendar-feed/new")
    page = _soup(client.post("/calendar-feed/new", data=fields))
    return urlsplit(page.select_one("#feed-address").get_text(strip=True)).path


def test_a_navigator_creates_a_feed_a_calendar_app_reads_without_signing_in(
    app, client, session, clock, team, navigator
):
    clock.set(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))  # before both clock changes of 2026
    case = _active(session, team, navigator, given_names="Rhys", family_name="Pryce")
    for day in (date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 24), date(2026, 10, 26)):
        make_check_in(session, case=case, at=from_local(day, time(10, 0)), place="12 Stryd Fawr, Bangor")
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert "You have no calendar feed" in client.get("/calendar-feed").text

    path = _create(client)
    calendar_app = app.test_client()  # no session cookie
    response = calendar_app.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert [e.decoded("DTSTART").astimezone(LONDON).time() for e in events] == [time(10, 0)] * 4
    assert [e.decoded("DTSTART").astimezone(UTC).hour for e in events] == [10, 9, 9, 10]
    assert str(events[0]["SUMMARY"]) == f"Check-in: R. P. ({case.reference})"
    assert str(events[0]["URL"]).startswith("http://localhost/cases/")
    assert b"Pryce" not in response.data and b"Stryd Fawr" not in response.data

    # The address is shown once: coming back shows when it was made and last read, not the address.
    page = _soup(client.get("/calendar-feed"))
    assert page.select_one("#feed-address") is None and path not in page.get_text()
    assert "Last read by a calendar" in page.select_one("#feed-status").get_text()


def test_revoking_or_replacing_the_address_stops_the_old_one_at_once(app, client, session, team, navigator):
    sign_in_quickly(client, session, navigator)
    calendar_app = app.test_client()
    first = _create(client)
    second = _create(client)
    assert calendar_app.get(first).status_code == 410
    assert calendar_app.get(second).status_code == 200

    fields = hidden_fields(client, "/calendar-feed", "/calendar-feed/revoke")
    page = _soup(client.post("/calendar-feed/revoke", data=fields, follow_redirects=True))
    assert "Your calendar feed is turned off" in page.select_one(".govuk-notification-banner").get_text()
    assert calendar_app.get(second).status_code == 410
    assert calendar_app.get("/calendar/not-a-real-token.ics").status_code == 404


def test_another_navigators_cases_never_appear_in_my_feed(app, client, session, team, other_team, navigator):
    mine = _active(session, team, navigator)
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    theirs = _active(session, team, colleague)
    elsewhere = _active(session, other_team, make_user(session, roles=[Role.NAVIGATOR], team=other_team))
    for case in (mine, theirs, elsewhere):
        make_check_in(session, case=case, at=NOW + timedelta(days=1))
    session.commit()
    sign_in_quickly(client, session, navigator)

    body = app.test_client().get(_create(client)).data

    assert mine.reference.encode() in body
    assert theirs.reference.encode() not in body and elsewhere.reference.encode() not in body


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR])
def test_only_navigators_have_a_feed_page(client, session, team, role):
    sign_in_quickly(client, session, make_user(session, roles=[role], team=team))
    assert client.get("/calendar-feed").status_code == 403


def test_a_cases_check_ins_download_as_a_calendar_file_recorded_as_a_disclosure(client, session, team, navigator):
    case = _active(session, team, navigator)
    make_check_in(session, case=case, at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), place="Hub, Room 2; ask at desk")
    session.commit()
    sign_in_quickly(client, session, navigator)

    response = client.get(f"/cases/{case.id}/check-ins.ics")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="check-ins-{case.reference}.ics"'
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["LOCATION"]) == "Hub, Room 2; ask at desk"
    downloads = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "case.calendar_downloaded")
    ).all()
    assert [(e.actor_id, e.detail["check_ins"]) for e in downloads] == [(navigator.id, 1)]


def test_a_cases_calendar_file_is_refused_outside_the_team_and_the_role(client, session, team, other_team, navigator):
    case = _active(session, team, navigator)
    session.commit()
    path = f"/cases/{case.id}/check-ins.ics"
    assert "/sign-in" in client.get(path).headers["Location"]
    sign_in_quickly(client, session, make_user(session, roles=[Role.NAVIGATOR], team=other_team))
    assert client.get(path).status_code == 404
    sign_in_quickly(client, session, make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team))
    assert client.get(path).status_code == 403
    assert client.get("/cases/999999/check-ins.ics").status_code == 403  # the role is refused first
