"""Long words and references: text wraps inside the page, and references stay whole."""

from __future__ import annotations

import pytest

from casework.domain.roles import Role
from tests.browser.conftest import DESKTOP
from tests.browser.test_journeys import _sign_in
from tests.browser.test_reflow import NARROW
from tests.browser.test_scripts import case_for_navigator

pytestmark = pytest.mark.browser

# For each visible occurrence of a reference in <main>: how many lines it is spread over.
LINES_PER_REFERENCE = """references => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest(".govuk-visually-hidden")) continue;
        for (const reference of references) {
            for (let at = node.data.indexOf(reference); at >= 0; at = node.data.indexOf(reference, at + 1)) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + reference.length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                found.push([reference, node.parentElement.tagName, tops.size]);
            }
        }
    }
    return found;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_a_note_without_spaces_wraps_inside_the_page(make_page, live_server, viewport):
    page = make_page(viewport)
    _sign_in(page, live_server.users[Role.NAVIGATOR])
    page.visit(f"/cases/{case_for_navigator(live_server)}/notes")
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


def test_references_stay_whole_at_every_width_from_320px(make_page, busy_team):
    """Swept across widths, so a break would fall inside a reference at one of them if it could."""
    references = [busy_team.reference, busy_team.crime_reference]
    split, too_wide = [], []
    for user, path in [
        ("navigator", "/navigator"),
        ("navigator", f"/cases/{busy_team.case_id}"),
        ("navigator", f"/cases/{busy_team.case_id}/contract/"),
        ("supervisor", "/cases/?tab=team"),
        ("custody", "/custody"),
    ]:
        page = make_page(NARROW)
        _sign_in(page, busy_team.users[user])
        page.visit(path)
        for width in range(320, 641, 8):
            page.set_viewport_size({"width": width, "height": 640})
            shown = page.evaluate(LINES_PER_REFERENCE, references)
            assert shown, f"no reference shown on {path}"
            split += [(path, width, tag, reference) for reference, tag, lines in shown if lines > 1]
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                too_wide.append((path, width))
    assert not split, f"references broken across lines: {split}"
    assert not too_wide, f"pages wider than the window: {too_wide}"
