"""A live server on its own throw-away database, and Debian's Chromium driven by Playwright,
with axe-core run on every page a test visits."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from casework import create_app
from casework.domain.clock import RunningClock
from casework.domain.roles import Role
from tests.conftest import ThrowawayDatabase, make_team, make_user

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 740}

pytestmark = pytest.mark.browser


# The live server's clock starts here and runs at real speed: journeys see a known date, far from
# midnight and the daylight-saving changes, whenever the suite runs.
BROWSER_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class LiveServer:
    url: str
    users: dict[Role, str]
    team_name: str
    clock: RunningClock
    sessions: Callable[[], Session]  # the server's own database, for a journey that needs a setting


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    database = ThrowawayDatabase(tmp_path_factory.mktemp("browser-db"))
    clock = RunningClock(BROWSER_START)
    app = create_app(
        {
            "database_url": database.url,
            "migrate_on_start": True,
            "secure_cookies": False,
            "secret_key": "browser-tests",
        },
        clock=clock,
    )
    with app.extensions["casework.sessions"]() as session:
        team = make_team(session, name="Durham")
        make_team(session, name="Darlington")
        users = {role: make_user(session, roles=[role], team=team).username for role in Role}
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(
        url=f"http://127.0.0.1:{server.server_port}",
        users=users,
        team_name="Durham",
        clock=clock,
        sessions=app.extensions["casework.sessions"],
    )
    server.shutdown()
    app.extensions["casework.engine"].dispose()
    database.drop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


class CheckedPage:
    """A page whose every visited URL is checked with axe; violations fail the test at once."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        page.on("load", lambda _page: self._mark_loaded())
        self._pending = False

    def _mark_loaded(self) -> None:
        self._pending = True

    def visit(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def submit(self, button_text: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_text).click()
        self.check()

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]
        ]
        self.checked.append(self.page.url)
        self._pending = False
        assert not violations, f"axe found WCAG 2.2 AA problems on {self.page.url}:\n" + "\n".join(violations)

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def make_page(browser, live_server):
    """New browser contexts (separate cookies) on demand; each must end with every load checked."""
    contexts, pages = [], []

    def new_page(viewport=DESKTOP) -> CheckedPage:
        # The app forbids inline script; axe is injected by the test, so the context bypasses CSP.
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        contexts.append(context)
        checked = CheckedPage(context.new_page(), live_server.url)
        pages.append(checked)
        return checked

    yield new_page
    unchecked = [p.page.url for p in pages if p._pending]
    for context in contexts:
        context.close()
    assert not unchecked, f"pages loaded but never checked with axe: {json.dumps(unchecked)}"
