"""The Today page, the supervisor's team view of it, the home page's banner and the caseload's
next appointment, as each role sees them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from casework.domain.clock import from_local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from tests.check_ins import make_check_in, marked_missed, recorded
from tests.conftest import NOW, make_case, make_person, make_user, sign_in_quickly

# 00:30 on Thursday 16 July 2026 in London (BST).
JUST_AFTER_MIDNIGHT = datetime(2026, 7, 15, 23, 30, tzinfo=UTC)


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Nia Navigator")


def _active(session, team, navigator, family_name="Blake"):
    person = make_person(session, creator=navigator, given_names="Jordan", family_name=family_name)
    return make_case(
        session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW, person=person
    )


def _rows(page, section: str) -> list[str]:
    heading = page.find(id=section)
    table = heading.find_next_sibling()
    if table.name == "p" and "govuk-body" in table.get("class", []) and not table.find("a"):
        table = table.find_next_sibling()
    return [" ".join(row.get_text(" ").split()) for row in table.select("tbody tr")] if table.select("tbody") else []


def test_the_today_page_just_after_midnight_shows_the_new_london_day(client, session, clock, team, navigator):
    case = _active(session, team, navigator)
    make_check_in(session, case=case, at=from_local(date(2026, 7, 15), time(15, 0)))  # yesterday, nothing recorded
    recorded(make_check_in(session, case=case, at=from_local(date(2026, 7, 15), time(11, 0))), by=navigator)
    make_check_in(session, case=case, at=from_local(date(2026, 7, 16), time(0, 20)), mode="phone", place="07700 900123")
    make_check_in(session, case=case, at=from_local(date(2026, 7, 16), time(14, 30)), place="Hub, Room 2")
    session.commit()
    clock.set(JUST_AFTER_MIDNIGHT)
    sign_in_quickly(client, session, navigator)

    page = _soup(client.get("/today/"))

    assert "16 July 2026" in page.select_one(".govuk-caption-l").get_text()
    todays = _rows(page, "check-ins-today")
    assert len(todays) == 2
    assert todays[0].startswith("12:20am BLAKE, Jordan") and "Phone call" in todays[0] and "Not recorded" in todays[0]
    assert todays[1].startswith("2:30pm") and "Hub, Room 2" in todays[1] and "Later today" in todays[1]
    # Yesterday's 3pm was never recorded; tonight's 12:20am has started.
    to_record = _rows(page, "outcomes-to-record")
    assert [row.split(" BLAKE")[0] for row in to_record] == ["15 Jul 2026 at 3:00pm", "16 Jul 2026 at 12:20am"]
    links = [a["href"] for a in page.select("#outcomes-to-record ~ div a") if "Record the outcome" in a.get_text()]
    assert links and all(str(case.id) in link for link in links)
    nav = page.select_one(".moj-primary-navigation__link[aria-current=page]")
    assert nav.get_text(strip=True) == "Today"


def test_explanations_and_first_contacts_overdue_are_listed(client, session, team, navigator):
    case = _active(session, team, navigator)
    marked_missed(make_check_in(session, case=case, at=NOW - timedelta(days=5)), due=date(2026, 11, 23), by=navigator)
    late = make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=14))
    session.commit()
    sign_in_quickly(client, session, navigator)

    page = _soup(client.get("/today/"))

    (overdue,) = _rows(page, "explanations-overdue")
    assert "23 November 2026" in overdue and "Classify the absence" in overdue
    (first_contact,) = _rows(page, "first-contacts-overdue")
    assert late.reference in first_contact and "Record first contact" in first_contact
    assert "Explanations overdue: 1" in page.select_one("#day-summary").get_text()


def test_the_home_page_banner_counts_outcomes_to_record_and_goes_away(client, session, team, navigator):
    case = _active(session, team, navigator)
    started = [make_check_in(session, case=case, at=NOW - timedelta(days=n, hours=1)) for n in range(3)]
    make_check_in(session, case=case, at=NOW + timedelta(hours=1))
    session.commit()
    sign_in_quickly(client, session, navigator)

    banner = _soup(client.get("/navigator")).select_one("#outcomes-banner")
    assert "You need to record an outcome for 3 check-ins" in " ".join(banner.get_text(" ").split())
    assert banner.select_one("a")["href"] == "/today/#outcomes-to-record"

    for check_in in started[:2]:
        recorded(check_in, by=navigator)
    session.commit()
    banner = _soup(client.get("/navigator")).select_one("#outcomes-banner")
    assert "record an outcome for 1 check-in." in " ".join(banner.get_text(" ").split())

    recorded(started[2], by=navigator)
    session.commit()
    assert _soup(client.get("/navigator")).select_one("#outcomes-banner") is None


def test_a_supervisor_sees_each_navigator_and_opens_their_day(client, session, team, other_team, navigator):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    make_user(session, roles=[Role.NAVIGATOR], team=other_team, full_name="Olly Elsewhere")
    case = _active(session, team, navigator)
    make_check_in(session, case=case, at=NOW - timedelta(hours=1))
    make_check_in(session, case=case, at=NOW + timedelta(hours=2))
    make_case(session, team=team, referred_at=NOW - timedelta(days=14))  # nobody holds it
    session.commit()
    sign_in_quickly(client, session, supervisor)

    page = _soup(client.get("/today/team"))
    rows = [" ".join(r.get_text(" ").split()) for r in page.select("#team-today tbody tr")]
    assert rows == ["Nia Navigator \u2019s day 2 1 0 0"]
    assert "1 referral has no navigator" in page.select_one("#unallocated-overdue").get_text()

    day = _soup(client.get(page.select_one("#team-today tbody a")["href"]))
    assert day.h1.get_text() == "Nia Navigator\u2019s day"
    assert len(_rows(day, "check-ins-today")) == 2 and len(_rows(day, "outcomes-to-record")) == 1
    assert day.select_one(".govuk-breadcrumbs a")["href"] == "/today/team"


@pytest.mark.parametrize("role", [Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR])
def test_custody_and_administrators_have_no_today(client, session, team, navigator, role):
    sign_in_quickly(client, session, make_user(session, roles=[role], team=team))
    for path in ("/today/", "/today/team", f"/today/navigators/{navigator.id}"):
        assert client.get(path).status_code == 403, path


def test_refusals_across_teams_and_roles(client, session, team, other_team, navigator):
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    session.commit()
    assert "/sign-in" in client.get("/today/").headers["Location"]
    sign_in_quickly(client, session, navigator)
    assert client.get("/today/team").status_code == 403
    assert client.get(f"/today/navigators/{navigator.id}").status_code == 403
    sign_in_quickly(client, session, supervisor)
    assert client.get(f"/today/navigators/{stranger.id}").status_code == 404
    assert client.get(f"/today/navigators/{sergeant.id}").status_code == 404
    assert client.get("/today/").status_code == 403


def test_the_caseload_shows_and_sorts_by_the_next_appointment(client, session, team, navigator):
    later = _active(session, team, navigator, family_name="Later")
    sooner = _active(session, team, navigator, family_name="Sooner")
    nothing = _active(session, team, navigator, family_name="Nothing")
    referred = make_case(
        session,
        team=team,
        navigator_id=navigator.id,
        first_appointment_at=NOW + timedelta(days=2),
        person=make_person(session, creator=navigator, family_name="Referred"),
    )
    make_check_in(session, case=later, at=NOW + timedelta(days=5))
    make_check_in(session, case=later, at=NOW - timedelta(days=1))  # already happened
    make_check_in(session, case=sooner, at=NOW + timedelta(days=1, hours=4))
    session.commit()
    sign_in_quickly(client, session, navigator)

    page = _soup(client.get("/navigator?sort=appointment"))

    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    assert [(row[0], row[3]) for row in rows] == [
        (sooner.reference, "25 Nov 2026 at 2:00pm"),
        (referred.reference, "26 Nov 2026 at 10:00am"),
        (later.reference, "29 Nov 2026 at 10:00am"),
        (nothing.reference, "\u2013"),
    ]
    descending = _soup(client.get("/navigator?sort=appointment&order=desc")).select("tbody tr td:first-child")
    assert [cell.get_text(strip=True) for cell in descending] == [
        later.reference,
        referred.reference,
        sooner.reference,
        nothing.reference,
    ]


def _statements(connection, action) -> int:
    counted = []
    listener = lambda *_: counted.append(1)  # noqa: E731
    event.listen(connection, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    return len(counted)


def test_today_and_the_caseload_issue_the_same_statements_for_2_and_20_cases(
    client, session, connection, team, navigator
):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator_client = client.application.test_client()

    def add(count):
        for n in range(count):
            case = _active(session, team, navigator, family_name=f"Person{n}")
            make_check_in(session, case=case, at=NOW - timedelta(minutes=n + 1))
            make_check_in(session, case=case, at=NOW + timedelta(days=n + 1))
            marked_missed(make_check_in(session, case=case, at=NOW - timedelta(days=6)), due=date(2026, 11, 20))
            make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=30))
        session.commit()

    sign_in_quickly(navigator_client, session, navigator)
    sign_in_quickly(client, session, supervisor)
    paths = [(navigator_client, "/today/"), (navigator_client, "/navigator?sort=appointment"), (client, "/today/team")]

    def load():
        for who, path in paths:
            assert who.get(path).status_code == 200, path

    add(2)
    load()  # warm-up: the session touch and caches
    few = _statements(connection, load)
    add(18)
    many = _statements(connection, load)
    assert few == many > 0
