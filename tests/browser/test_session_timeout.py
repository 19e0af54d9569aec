"""The idle-timeout warning in a real browser: it appears two minutes before the end, is a modal
dialog that takes focus and passes axe, "Stay signed in" extends the session on the server, and
when the time runs out the page goes to sign in and comes back after it.

The page's timers run on Playwright's clock and the live server's on its own; both are moved
forward together, and the server's is put back afterwards for the tests that follow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.domain.roles import Role
from casework.models import SignInSession, User
from tests.browser.test_journeys import _sign_in
from tests.conftest import TEST_PASSPHRASE

pytestmark = pytest.mark.browser


@pytest.fixture
def move_time(live_server):
    moved = timedelta()

    def move(page, minutes: float) -> None:
        nonlocal moved
        delta = timedelta(minutes=minutes)
        live_server.clock.start += delta
        moved += delta
        page.clock.fast_forward(int(delta.total_seconds() * 1000))

    yield move
    live_server.clock.start -= moved


def _session_row(live_server, username: str) -> SignInSession:
    with live_server.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        return session.scalars(
            select(SignInSession).where(SignInSession.user_id == user.id).order_by(SignInSession.id.desc())
        ).first()


def test_the_warning_comes_before_the_end_and_staying_signed_in_extends_the_session(make_page, live_server, move_time):
    username = live_server.users[Role.NAVIGATOR]
    page = make_page()
    page.clock.install()
    _sign_in(page, username)
    home = page.url
    dialog = page.locator("dialog#session-timeout")
    expect(dialog).to_be_hidden()

    move_time(page, 27)  # 3 minutes left: no warning yet
    page.wait_for_timeout(500)
    expect(dialog).to_be_hidden()

    move_time(page, 1.5)  # 90 seconds left
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(re.compile(r"you will be signed out\s+in 1 minute \d+ seconds"))
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert page.evaluate("document.querySelector('dialog#session-timeout').matches(':modal')")
    page.check()  # axe, with the dialog open

    before = _session_row(live_server, username).last_seen_at
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    extended = _session_row(live_server, username)
    assert extended.ended_at is None and extended.last_seen_at - before >= timedelta(minutes=28)

    move_time(page, 27)  # 27 minutes after staying signed in: still signed in, no warning
    page.wait_for_timeout(500)
    expect(dialog).to_be_hidden()
    assert page.url == home

    move_time(page, 4)  # past the end with nothing done: to sign in, and back here afterwards
    page.wait_for_url(re.compile(r"/sign-in\?next="))
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("had not done anything for 30 minutes")
    assert _session_row(live_server, username).end_reason == "idle timeout"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase").fill(TEST_PASSPHRASE)
    page.submit("Sign in")
    assert page.url == home
