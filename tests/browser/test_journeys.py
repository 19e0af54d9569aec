"""Journeys through the real pages in Chromium, with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest

from casework.domain.roles import Role
from tests.browser.conftest import DESKTOP, MOBILE
from tests.conftest import TEST_PASSPHRASE

pytestmark = pytest.mark.browser

HOMES = {
    Role.CUSTODY_SERGEANT: ("/custody", "Custody"),
    Role.NAVIGATOR: ("/navigator", "My caseload"),
    Role.SUPERVISOR: ("/supervisor", "Team overview"),
    Role.ADMINISTRATOR: ("/administrator", "Administration"),
    Role.PERFORMANCE_LEAD: ("/reports/", "Reports"),
}


def _sign_in(page, username: str, passphrase: str = TEST_PASSPHRASE) -> None:
    page.visit("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase").fill(passphrase)
    page.submit("Sign in")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_to_its_own_home(make_page, live_server, role):
    page = make_page()
    _sign_in(page, live_server.users[role])
    path, heading = HOMES[role]
    assert page.url.endswith(path)
    assert page.locator("h1").inner_text() == heading
    assert role.label in page.locator(".app-header__context").inner_text()
    for link in page.locator(".moj-primary-navigation__link").all():
        href = link.get_attribute("href")
        page.visit(href)  # every page the navigation offers opens, and passes axe


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_sign_out_ends_the_session(make_page, live_server, viewport):
    page = make_page(viewport)
    _sign_in(page, live_server.users[Role.NAVIGATOR])
    page.submit("Sign out")
    assert page.url.endswith("/sign-in")
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()
    page.visit("/navigator")
    assert "/sign-in" in page.url


def test_a_failed_sign_in_explains_itself_and_keeps_the_username(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.SUPERVISOR], passphrase="not the right passphrase")
    assert page.title().startswith("Error: ")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert "Enter a correct username and passphrase" in page.locator("#username-error").inner_text()
    assert page.get_by_label("Username").input_value() == live_server.users[Role.SUPERVISOR]
    assert page.get_by_label("Passphrase").input_value() == ""
    # The summary links to the field, as the GOV.UK pattern requires.
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "username"


def test_administrator_creates_a_user_who_then_sets_a_passphrase_and_signs_in(make_page, live_server):
    admin = make_page()
    _sign_in(admin, live_server.users[Role.ADMINISTRATOR])
    admin.get_by_role("link", name="Create a user").click()
    admin.check()

    admin.get_by_label("Username").fill("new.supervisor")
    admin.get_by_label("Full name").fill("Priya Shah")
    admin.get_by_label("Work email address").fill("not an email")
    admin.get_by_label("Organisation").fill("Demonstration Constabulary")
    admin.get_by_label("Team").select_option(label=live_server.team_name)
    admin.get_by_label("Supervisor").check()
    admin.submit("Create user")
    # Bad input: the error is by the field and nothing typed is lost.
    assert admin.title().startswith("Error: ")
    assert "correct format" in admin.locator("#email-error").inner_text()
    assert admin.get_by_label("Full name").input_value() == "Priya Shah"
    assert admin.get_by_label("Supervisor").is_checked()

    admin.get_by_label("Work email address").fill("priya.shah@example.police.uk")
    admin.submit("Create user")
    assert "Account created" in admin.locator(".govuk-panel").inner_text()
    link = admin.locator("#passphrase-link").inner_text().strip()

    newcomer = make_page(MOBILE)
    path = re.sub(r"^https?://[^/]+", "", link)
    newcomer.visit(path)
    newcomer.get_by_label("New passphrase").fill("too short")
    newcomer.get_by_label("Type the passphrase again").fill("too short")
    newcomer.submit("Save passphrase")
    assert "12 characters or more" in newcomer.locator("#passphrase-error").inner_text()

    newcomer.get_by_label("New passphrase").fill("amber thistle causeway")
    newcomer.get_by_label("Type the passphrase again").fill("amber thistle causeway")
    newcomer.submit("Save passphrase")
    assert "Your passphrase has been saved" in newcomer.locator(".govuk-notification-banner").inner_text()
    _sign_in(newcomer, "new.supervisor", "amber thistle causeway")
    assert newcomer.url.endswith("/supervisor")

    admin.visit("/admin/users")
    row = admin.locator("tbody tr", has_text="Priya Shah")
    assert "Active" in row.inner_text()


def test_administrator_browses_the_audit_trail_and_an_event(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.ADMINISTRATOR])
    page.visit("/audit/")
    page.get_by_label("Action").select_option(label="Signed in")
    page.submit("Apply filters")
    assert "sign_in.succeeded" not in page.locator("tbody").inner_text()  # labels, not codes
    assert "Signed in" in page.locator("tbody").inner_text()
    page.get_by_role("link", name=re.compile("Details")).first.click()
    page.check()
    assert page.locator("h1").inner_text() == "Signed in"


def test_the_accessibility_check_fails_on_an_inaccessible_page(make_page):
    """Guards the guard: an unlabelled field and an image without alt text must be reported."""
    page = make_page()
    page.set_content('<html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="label"):
        page.check()
