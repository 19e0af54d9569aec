"""The header: the signed-in person's name and Sign out on one line at desktop width whatever
their roles and team, with roles and team on a smaller line of their own; nothing spills at 320 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.test_journeys import _sign_in
from tests.browser.test_reflow import NARROW

pytestmark = pytest.mark.browser

ACCOUNTS = ["navigator", "supervisor", "navigator+supervisor", "every role"]
# Right edges past the window, of anything in the header.
SPILLS = """() => [...document.querySelectorAll("header *")]
    .filter(e => !e.closest(".govuk-visually-hidden") && e.getBoundingClientRect().right > window.innerWidth)
    .map(e => e.outerHTML.slice(0, 80))"""

LINES = """e => {
    const style = getComputedStyle(e);
    const height = e.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return Math.round(height / parseFloat(style.lineHeight));
}"""


def _signed_in(make_page, busy_team, account, viewport):
    page = make_page(viewport)
    _sign_in(page, busy_team.users[account])
    return page


def test_the_header_is_the_same_height_for_every_role_combination_at_desktop(make_page, busy_team):
    heights = {}
    for account in ACCOUNTS:
        page = _signed_in(make_page, busy_team, account, DESKTOP)
        heights[account] = page.locator("header").bounding_box()["height"]
        name = page.locator(".app-header__user").bounding_box()
        sign_out = page.get_by_role("button", name="Sign out").bounding_box()
        # Side by side: each overlaps the other's vertical extent.
        assert name["y"] < sign_out["y"] + sign_out["height"] and sign_out["y"] < name["y"] + name["height"], account
        assert name["x"] + name["width"] <= sign_out["x"], account
        context = page.locator(".app-header__context")
        assert busy_team.name in context.inner_text()
        assert context.evaluate(LINES) == 1, f"roles and team wrap for {account}"
    assert len(set(heights.values())) == 1, heights


def test_nothing_in_the_header_spills_at_320px(make_page, busy_team):
    for account in ACCOUNTS:
        page = _signed_in(make_page, busy_team, account, NARROW)
        assert page.evaluate(SPILLS) == [], account
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), account
        assert page.get_by_role("button", name="Sign out").is_visible()
