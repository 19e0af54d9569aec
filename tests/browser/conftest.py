"""A live server on its own throw-away database, and Debian's Chromium driven by Playwright,
with axe-core run on every page a test visits and any script error failing the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    # Opens a session on the server's database, for tests that build the records a page shows.
    sessions: Callable[[], Session]


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


@dataclass(frozen=True)
class BusyTeam:
    """A team of its own on the live server, with long names and full tables, for layout tests."""

    name: str
    users: dict[str, str]  # "navigator", "supervisor", "custody", "administrator", "navigator+supervisor"
    case_id: int  # the navigator's case with a signed contract
    reference: str
    crime_reference: str


@pytest.fixture(scope="session")
def busy_team(live_server) -> BusyTeam:
    from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
    from casework.domain.lifecycle import CaseState
    from casework.services import contracts, referrals
    from casework.services.referrals import ServiceDetails
    from tests.conftest import NOW, make_case, make_person
    from tests.services.test_contract_signing import _agree_and_sign, _draft

    with live_server.sessions() as session:
        team = make_team(session, name="County Durham and Darlington Out of Court Resolutions")
        people = {
            "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
            "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team, organisation="Durham Constabulary"),
            "custody": make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
            "administrator": make_user(session, roles=[Role.ADMINISTRATOR], team=team),
            "navigator+supervisor": make_user(session, roles=[Role.NAVIGATOR, Role.SUPERVISOR], team=team),
            "every role": make_user(session, roles=list(Role), team=team),
        }
        navigator, supervisor = people["navigator"], people["supervisor"]
        make_user(
            session,
            roles=[Role.NAVIGATOR],
            team=team,
            full_name="Aurelia Featherstonehaugh-Cholmondeley",
            organisation="North East Pathways and Recovery Partnership (Community Interest Company)",
        )
        referrals.add_service(
            session,
            actor=supervisor,
            now=NOW,
            details=ServiceDetails(
                name="Tees, Esk and Wear Valleys Recovery and Wellbeing Hub",
                pathway="drugs",
                phone="0191 555 0100",
                email="recovery.referrals.durham-and-darlington@example.nhs.uk",
                data_accepted="Name, date of birth, phone number, the need the referral is for and consent",
            ),
        )
        for _ in range(3):
            make_case(
                session,
                team=team,
                state=CaseState.REFERRED,
                navigator_id=navigator.id,
                opened_by=people["custody"],
                person=make_person(session, creator=people["custody"], family_name="Featherstonehaugh-Wolstenholme"),
            )
        case, contract = _draft(
            session,
            team,
            navigator,
            crime_reference="DHM/26/CR-004512-B",
            person=make_person(session, creator=people["custody"], given_names="Maximilian Alexander"),
        )
        contracts.add_condition(
            session,
            actor=navigator,
            case=case,
            seen_version=contract.version,
            now=NOW,
            condition=DraftCondition(
                ConditionType.COMMUNITY,
                "Volunteer at the community garden on Saturdays",
                CompletionRule.HOURS,
                24,
                NOW.date() + timedelta(days=60),
            ),
        )
        _agree_and_sign(session, navigator, case, contract)
        session.commit()
        usernames = {key: user.username for key, user in people.items()}
        return BusyTeam(team.name, usernames, case.id, case.reference, case.crime_reference)


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
    """A page whose every visited URL is checked with axe; violations fail the test at once, and so
    does any console error or uncaught exception (a script that fails to load, parse or run)."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        self.errors: list[str] = []
        self._documents: set[str] = set()
        page.on("load", lambda _page: self._mark_loaded())
        page.on("request", self._note_document)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught {error.name}: {error.message} on {page.url}"))
        self._pending = False

    def _mark_loaded(self) -> None:
        self._pending = True

    def _note_document(self, request) -> None:
        if request.is_navigation_request():
            self._documents.add(request.url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url") or self.page.url
        # Chromium logs a page's own 4xx status (a refused form answers 400) as a console error; the
        # test asserts that status itself. A script, stylesheet or image that fails still counts.
        if message.text.startswith("Failed to load resource") and source in self._documents:
            return
        self.errors.append(f"console error: {message.text} on {source}")

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
        # Only violations fail a test, so axe is asked to work out only those (its own advice for speed):
        # the same rules run and report the same violations in about a third of the time.
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_22_AA,
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]
        ]
        self.checked.append(self.page.url)
        self._pending = False
        assert not violations, f"axe found WCAG 2.2 AA problems on {self.page.url}:\n" + "\n".join(violations)
        self.assert_no_script_errors()

    def assert_no_script_errors(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "the browser reported errors:\n" + "\n".join(errors)

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def make_page(browser, live_server):
    """New browser contexts (separate cookies) on demand; each must end with every load checked."""
    contexts, pages = [], []

    def new_page(viewport=DESKTOP) -> CheckedPage:
        # The app's Content-Security-Policy stays in force, so a blocked script is reported as an
        # error; axe arrives as an init script, which the page's policy does not govern.
        context = browser.new_context(viewport=viewport)
        context.add_init_script(path=str(AXE))
        contexts.append(context)
        checked = CheckedPage(context.new_page(), live_server.url)
        pages.append(checked)
        return checked

    yield new_page
    unchecked = [p.page.url for p in pages if p._pending]
    late_errors = [error for p in pages for error in p.errors]  # raised after the last check
    for context in contexts:
        context.close()
    assert not unchecked, f"pages loaded but never checked with axe: {json.dumps(unchecked)}"
    assert not late_errors, "the browser reported errors:\n" + "\n".join(late_errors)
