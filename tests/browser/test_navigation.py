"""Links say where they go: on a page, one name never leads to two places."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys import _sign_in

pytestmark = pytest.mark.browser

# Accessible name (aria-label, else the text, visually hidden parts included) -> every URL.
LINK_TARGETS = """() => {
    const targets = {};
    for (const link of document.querySelectorAll("a[href]")) {
        const name = (link.getAttribute("aria-label") || link.textContent).replace(/\\s+/g, " ").trim();
        (targets[name] ||= new Set()).add(link.href);
    }
    return Object.fromEntries(Object.entries(targets).map(([name, urls]) => [name, [...urls].sort()]));
}"""


CASELOADS = ["/cases/?tab=team", "/cases/?tab=unassigned", "/supervisor"]


@pytest.mark.parametrize(
    ("account", "paths"),
    [("supervisor", CASELOADS), ("navigator+supervisor", [*CASELOADS, "/navigator", "/navigator?tab=team"])],
)
def test_no_two_links_share_a_name_but_not_a_destination(make_page, busy_team, account, paths):
    page = make_page()
    _sign_in(page, busy_team.users[account])
    for path in paths:
        page.visit(path)
        targets = page.evaluate(LINK_TARGETS)
        assert targets, path
        ambiguous = {name: urls for name, urls in targets.items() if len(urls) > 1}
        assert not ambiguous, f"on {path} one link name leads to several places: {ambiguous}"
    assert page.get_by_role("link", name="Team overview").get_attribute("href") == "/supervisor"
