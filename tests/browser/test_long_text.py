"""Long words and references: text wraps inside the page, and references stay whole."""

from __future__ import annotations

import pytest

from casework.domain.roles import Role
from tests.browser.conftest import DESKTOP
from tests.browser.test_journeys import _sign_in
from tests.browser.test_reflow import NARROW
from tests.browser.test_scripts import case_for_navigator

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_a_note_without_spaces_wraps_inside_the_page(make_page, live_server, viewport):
    page = make_page(viewport)
    _sign_in(page, live_server.users[Role.NAVIGATOR])
    page.visit(f"/cases/{case_for_navigator(live_server)}")
    page.get_by_label("Add a case note").fill("x" * 10_000)
    page.submit("Save note")
    assert "Note saved." in page.locator(".govuk-notification-banner").inner_text()
    note = page.locator(".app-note").first
    assert len(note.inner_text()) == 10_000
    assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [
        viewport["width"],
        viewport["width"],
    ]
    assert note.bounding_box()["width"] < viewport["width"]
