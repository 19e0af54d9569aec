"""Reflow (WCAG 1.4.10): at 320 px wide, and at 640 px (1280 px at 200% zoom), no page scrolls
sideways; a wide table scrolls inside its own labelled, focusable region instead."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys import _sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}


IN_A_SCROLLING_REGION = """tables => tables.map(table => {
    const region = table.parentElement;
    return region.getAttribute("role") === "region" && region.tabIndex === 0
        && !!region.getAttribute("aria-label") && getComputedStyle(region).overflowX === "auto";
})"""


def pages_by_user(busy_team) -> dict[str, list[str]]:
    return {
        "navigator": ["/navigator", f"/cases/{busy_team.case_id}/contract-summary", "/directory/"],
        "supervisor": ["/supervisor", "/cases/?tab=team", "/directory/", "/audit/"],
        "custody": ["/custody"],
        "administrator": ["/admin/users", "/admin/scheme", "/admin/offences/", "/audit/"],
    }


def _page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("viewport", [NARROW, ZOOMED], ids=["320px", "640px"])
def test_no_page_scrolls_sideways(make_page, live_server, busy_team, viewport):
    too_wide, loose_tables = {}, []
    for user, paths in pages_by_user(busy_team).items():
        page = make_page(viewport)
        _sign_in(page, busy_team.users[user])
        for path in paths:
            page.visit(path)
            assert page.locator("table").count(), f"{path} has no table to test"
            scroll_width, width = _page_width(page)
            if scroll_width > width:
                too_wide[path] = scroll_width
            if not all(page.locator("table").evaluate_all(IN_A_SCROLLING_REGION)):
                loose_tables.append(path)
    assert not too_wide, f"pages wider than the {viewport['width']} px window: {too_wide}"
    assert not loose_tables, f"tables outside a labelled, focusable scrolling region on {loose_tables}"
