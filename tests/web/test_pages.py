"""Home pages, navigation and the audit trail as each role sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from casework.domain.clock import local
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import audit
from tests.conftest import NOW, make_case, make_user, sign_in, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _navigation(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".moj-primary-navigation__link")]


# Everyone's own notification settings come last, for every role.
SETTINGS = "Notification settings"


@pytest.mark.parametrize(
    ("role", "home", "heading", "navigation"),
    [
        (Role.CUSTODY_SERGEANT, "/custody", "Custody", ["Custody", SETTINGS]),
        (Role.NAVIGATOR, "/navigator", "My caseload", ["My caseload", "Today", "Partner services", SETTINGS]),
        (
            Role.SUPERVISOR,
            "/supervisor",
            "Team overview",
            [
                "Team overview",
                "Breaches",
                "Team today",
                "Cases",
                "Partner services",
                "Reports",
                "Audit trail",
                SETTINGS,
            ],
        ),
        (
            Role.ADMINISTRATOR,
            "/administrator",
            "Administration",
            ["Administration", "Users", "Scheme", "Audit trail", SETTINGS],
        ),
        (Role.PERFORMANCE_LEAD, "/reports/", "Reports", ["Reports", SETTINGS]),
    ],
)
def test_each_role_lands_on_its_own_home(client, session, team, role, home, heading, navigation):
    user = make_user(session, roles=[role], team=team)
    session.commit()
    assert sign_in(client, user).headers["Location"] == home
    soup = _soup(client.get(home))
    assert soup.h1.get_text(strip=True) == heading
    assert user.full_name in soup.select_one(".app-header__user").get_text()
    assert role.label in soup.select_one(".app-header__context").get_text()
    assert team.name in soup.select_one(".app-header__context").get_text()
    assert _navigation(soup) == navigation


def test_someone_with_several_roles_sees_each_roles_navigation(client, session, team):
    user = make_user(session, roles=[Role.NAVIGATOR, Role.SUPERVISOR], team=team)
    session.commit()
    sign_in_quickly(client, session, user)
    soup = _soup(client.get("/", follow_redirects=True))
    assert soup.h1.get_text(strip=True) == "My caseload"
    assert _navigation(soup) == [
        "My caseload",
        "Today",
        "Team overview",
        "Breaches",
        "Team today",
        "Cases",
        "Partner services",
        "Reports",
        "Audit trail",
        SETTINGS,
    ]


def test_supervisor_sees_their_team_and_when_each_member_last_signed_in(client, session, team, other_team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    session.commit()
    sign_in(client, colleague)
    sign_in_quickly(client, session, supervisor)
    table = _soup(client.get("/supervisor")).select_one("table").get_text(" ")
    assert colleague.full_name in table and stranger.full_name not in table
    row = next(r for r in _soup(client.get("/supervisor")).select("tbody tr") if colleague.full_name in r.get_text())
    assert "Never" not in row.get_text()


def test_supervisor_audit_trail_is_limited_to_their_team(client, session, team, other_team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    ours, theirs = make_user(session, team=team), make_user(session, team=other_team)
    audit.record(session, actor=ours, action="test.viewed", now=NOW)
    audit.record(session, actor=theirs, action="test.viewed", now=NOW)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    page = client.get("/audit/?action=test.viewed")
    who = [row.select("td")[1].get_text(strip=True) for row in _soup(page).select("tbody tr")]
    assert who == [ours.username]


def test_audit_filters_report_bad_dates_by_the_field_and_keep_them(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    soup = _soup(client.get("/audit/?date_from=31/2/2026&case_id=abc&username=someone"))
    assert "Enter a real date" in soup.select_one("#date_from-error").get_text()
    assert "digits only" in soup.select_one("#case_id-error").get_text()
    assert soup.select_one("input#date_from")["value"] == "31/2/2026"
    assert soup.select_one("input#username")["value"] == "someone"


def test_audit_event_page_shows_who_what_when_and_the_chain(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    event = audit.record(session, actor=admin, action="test.viewed", case_id=77, now=NOW, purpose="court")
    session.commit()
    sign_in_quickly(client, session, admin)
    text = _soup(client.get(f"/audit/{event.sequence}")).get_text(" ")
    assert "test.viewed" in text and admin.username in text and "77" in text and "court" in text
    assert event.hash in text and event.previous_hash in text


def test_the_administrators_whole_trail_counts_pages_and_names_cases_by_reference(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    case = make_case(session, team=team)
    for minute in range(1, 61):
        audit.record(session, actor=admin, action="case.viewed", case_id=case.id, now=NOW + timedelta(minutes=minute))
    total = session.scalar(select(func.count()).select_from(AuditEvent))
    session.commit()
    sign_in_quickly(client, session, admin)

    first = _soup(client.get("/audit/"))
    assert first.select_one("caption").get_text(strip=True) == f"{total} events"
    older = first.select_one("a[rel=next]")["href"]
    second = _soup(client.get(older))

    def details(soup):
        return [a["href"] for a in soup.select("tbody tr a[href*='/audit/']") if "case_id" not in a["href"]]

    assert len(details(first)) == 50 and details(second)
    assert not set(details(first)) & set(details(second))
    first_times = [row.select("td")[0].get_text(strip=True) for row in first.select("tbody tr")]
    assert first_times[0] == _shown(NOW + timedelta(minutes=60))
    assert first_times[-1] == _shown(NOW + timedelta(minutes=11))
    assert second.select("tbody tr")[0].select("td")[0].get_text(strip=True) == _shown(NOW + timedelta(minutes=10))

    concerning = first.select("tbody tr")[0].select("td")[3]
    for hidden in concerning.select(".govuk-visually-hidden"):
        hidden.decompose()
    assert concerning.get_text(strip=True) == case.reference
    filtered = _soup(client.get(concerning.select_one("a")["href"]))
    assert filtered.select_one("caption").get_text(strip=True) == "60 events"
    assert filtered.select_one("input#case_id")["value"] == case.reference


def _shown(moment) -> str:
    shown = local(moment)
    return f"{shown.day} {shown:%b %Y} at {shown.hour % 12 or 12}:{shown:%M}{'am' if shown.hour < 12 else 'pm'}"
