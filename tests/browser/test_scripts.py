"""GOV.UK and MoJ Frontend's scripts run: components start, and a script error fails any test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import User
from tests.browser.test_journeys import _sign_in
from tests.conftest import make_case

pytestmark = pytest.mark.browser

FOCUSED_ERROR_SUMMARY = "document.activeElement.classList.contains('govuk-error-summary')"


def case_for_navigator(live_server) -> int:
    """A referred case on the live server's navigator's caseload."""
    with live_server.sessions() as session:
        navigator = session.scalar(select(User).where(User.username == live_server.users[Role.NAVIGATOR]))
        case = make_case(session, team=navigator.team, state=CaseState.REFERRED, navigator_id=navigator.id)
        session.commit()
        return case.id


def test_a_script_error_fails_the_check(make_page):
    """Guards the guard: an uncaught exception on a page is reported, as axe violations are."""
    page = make_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><h1>t</h1><script>throw new Error("boom")</script></main></html>'
    )
    with pytest.raises(AssertionError, match="boom"):
        page.check()


def test_the_frameworks_start_components(make_page):
    page = make_page()
    page.visit("/sign-in")
    assert {"js-enabled", "govuk-frontend-supported"} <= set(page.evaluate("[...document.body.classList]"))
    # The passphrase's Show button is hidden until GOV.UK Frontend's password input starts.
    page.get_by_role("button", name="Show password").click()
    assert page.get_by_label("Passphrase", exact=True).get_attribute("type") == "text"
    assert page.get_by_role("button", name="Hide password").is_visible()


def test_the_error_summary_takes_focus_after_a_refused_form(make_page, live_server):
    page = make_page()
    page.visit("/sign-in")
    page.submit("Sign in")  # nothing typed
    assert page.title().startswith("Error: ")
    assert page.evaluate(FOCUSED_ERROR_SUMMARY)

    _sign_in(page, live_server.users[Role.NAVIGATOR])
    page.visit(f"/cases/{case_for_navigator(live_server)}/notes")
    page.submit("Save note")  # an empty note is refused
    assert "Enter the note" in page.locator(".govuk-error-summary").inner_text()
    assert page.evaluate(FOCUSED_ERROR_SUMMARY)


def test_the_case_note_counts_its_characters(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.NAVIGATOR])
    page.visit(f"/cases/{case_for_navigator(live_server)}/notes")
    status = page.locator(".govuk-character-count__status")
    assert status.inner_text() == "You have 12,000 characters remaining"
    page.get_by_label("Add a case note").press_sequentially("Rang twice")
    page.wait_for_function(
        "() => document.querySelector('.govuk-character-count__status').innerText.includes('11,990')"
    )
    assert status.inner_text() == "You have 11,990 characters remaining"
