"""Pages the journeys do not reach, opened once each so axe checks them too."""

from __future__ import annotations

import re

import pytest

from casework.domain.roles import Role
from tests.browser.test_journeys import _sign_in

pytestmark = pytest.mark.browser


def test_administrator_pages(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.ADMINISTRATOR])
    for path in [
        "/admin/scheme",
        "/admin/scheme/change",
        "/admin/offences/",
        "/admin/offences/new",
        "/admin/users",
        "/admin/users/new",
        "/audit/?action=sign_in.succeeded",
    ]:
        assert page.visit(path).status == 200, path
    page.visit("/admin/offences/")
    page.locator("tbody a").first.click()
    page.check()
    assert "Rules over time" in page.content()
    page.submit("Save")  # nothing chosen: errors by the fields, still accessible
    assert page.title().startswith("Error: ")


def test_supervisor_and_custody_pages(make_page, live_server):
    supervisor = make_page()
    _sign_in(supervisor, live_server.users[Role.SUPERVISOR])
    for path in ["/directory/", "/directory/new", "/cases/?tab=closed", "/cases/?tab=unassigned&search=nobody"]:
        assert supervisor.visit(path).status == 200, path

    sergeant = make_page()
    _sign_in(sergeant, live_server.users[Role.CUSTODY_SERGEANT])
    sergeant.visit("/custody/people/new")
    sergeant.submit("Save and continue")  # every field missing: the error summary lists them
    assert sergeant.locator(".govuk-error-summary li").count() >= 8
    sergeant.get_by_label("First names").fill("Rhys")
    sergeant.get_by_label("Last name").fill("Pryce")
    sergeant.get_by_label("Date of birth").fill("1/1/1990")
    sergeant.get_by_label("Address line 1").fill("3 Stryd Fawr")
    sergeant.get_by_label("Town or city").fill("Durham")
    sergeant.get_by_label("Postcode").fill("DH1 1AA")
    sergeant.get_by_label("Welsh (Cymraeg)").check()
    for name in ("interpreter_needed", "appropriate_adult_needed"):
        sergeant.locator(f"input[name={name}][value=no]").check()
    sergeant.get_by_label("Ethnicity (self-defined)").select_option(label="Not stated")
    sergeant.locator("input[name=sex][value=not_stated]").check()
    sergeant.locator("input[name=disability][value=not_stated]").check()
    sergeant.submit("Save and continue")
    case_id = re.search(r"/cases/(\d+)/", sergeant.url).group(1)
    for path in [
        f"/custody/cases/{case_id}/offer/declined",
        f"/custody/cases/{case_id}/offer/not-offered",
        f"/custody/cases/{case_id}/checklist/gravity",
        f"/custody/cases/{case_id}/check-answers",
        f"/cases/{case_id}",
        "/custody",
    ]:
        assert sergeant.visit(path).status == 200, path
    sergeant.visit(f"/custody/cases/{case_id}/checklist/gravity")
    sergeant.submit("Save and continue")  # nothing chosen: errors by the factor checkboxes
    assert sergeant.title().startswith("Error: ")
    sergeant.visit(f"/cases/{case_id}/withdraw")
    sergeant.submit("Withdraw the case")
    assert sergeant.title().startswith("Error: ")
    assert supervisor.visit(f"/cases/{case_id}/end-no-contact").status == 200

    # The case record's sections, and the decision pages with the facts of the case, as a supervisor.
    for suffix in ["", "/needs", "/contract-summary", "/notes", "/timeline", "/timeline?system=off"]:
        assert supervisor.visit(f"/cases/{case_id}{suffix}").status == 200, suffix
    for suffix in ["/acceptance", "/allocate"]:
        assert supervisor.visit(f"/cases/{case_id}{suffix}").status == 200, suffix
    assert "Rhys Pryce" in supervisor.locator("main").inner_text()


def test_the_service_status_page_opens_from_the_footer(make_page):
    page = make_page()
    page.visit("/sign-in")
    page.get_by_role("link", name="Service status").click()
    page.check()
    assert page.locator("h1").inner_text() == "Service status"
    assert "Not running yet" in page.locator("main").inner_text()


def test_today_and_calendar_pages(make_page, live_server):
    """The Today page with a row in every list, the team's summary, and the calendar feed page
    before and after its address is made."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from casework.domain.lifecycle import CaseState
    from casework.models import User
    from tests.check_ins import make_check_in, marked_missed
    from tests.conftest import make_case

    now = live_server.clock.now()
    with live_server.sessions() as session:
        navigator = session.scalar(select(User).where(User.username == live_server.users[Role.NAVIGATOR]))
        team = navigator.team
        case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=now)
        make_check_in(session, case=case, at=now - timedelta(minutes=30), place="Hub, Room 2, 1 Court Lane")
        make_check_in(session, case=case, at=now + timedelta(hours=3), mode="phone", place="07700 900123")
        marked_missed(make_check_in(session, case=case, at=now - timedelta(days=8)), due=date(2026, 11, 18))
        make_case(session, team=team, navigator_id=navigator.id, referred_at=now - timedelta(days=14))
        session.commit()

    page = make_page()
    _sign_in(page, live_server.users[Role.NAVIGATOR])
    assert "You need to record an outcome for" in page.locator("#outcomes-banner").inner_text()
    for path in ["/today/", "/calendar-feed"]:
        assert page.visit(path).status == 200, path
    page.submit("Create a calendar feed address")
    assert "/calendar/" in page.locator("#feed-address").inner_text()
    page.visit("/calendar-feed")
    assert page.locator("#feed-status").is_visible()

    supervisor = make_page()
    _sign_in(supervisor, live_server.users[Role.SUPERVISOR])
    assert supervisor.visit("/today/team").status == 200
    supervisor.locator("#team-today tbody a").first.click()
    supervisor.check()
    assert supervisor.locator("h1").inner_text().endswith("\u2019s day")
