"""The sign-in page under attack, and what the audit pages show of failed sign-ins."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select, text

from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import audit
from tests.conftest import NOW, TEST_PASSPHRASE, csrf_token, make_user, sign_in_quickly

OFFICE = "198.51.100.7"
ATTACKER = "192.0.2.66"


def _browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _post_sign_in(client, username: str, passphrase: str):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"csrf_token": token, "username": username, "passphrase": passphrase})


def test_a_guesser_sees_the_wait_while_the_owner_signs_in_at_once_from_their_office(app, session):
    owner = make_user(session, roles=[Role.NAVIGATOR])
    session.commit()
    assert _post_sign_in(_browser(app, OFFICE), owner.username, TEST_PASSPHRASE).status_code == 302

    attacker = _browser(app, ATTACKER)
    for _ in range(5):
        assert "Enter a correct username" in _post_sign_in(attacker, owner.username, "guess guess guess").text
    page = _post_sign_in(attacker, owner.username, "guess guess guess")
    soup = BeautifulSoup(page.text, "html.parser")
    assert page.status_code == 200 and soup.title.get_text().startswith("Error: ")
    summary = soup.select_one(".govuk-error-summary a[href='#username']")
    assert summary.get_text(strip=True) == "Too many failed attempts. Wait 1 minute and try again"
    assert "Too many failed attempts" in soup.select_one("#username-error").get_text()
    assert soup.select_one("input#username")["value"] == owner.username
    assert not soup.select_one("input#passphrase").get("value")

    back_at_work = _post_sign_in(_browser(app, OFFICE), owner.username, TEST_PASSPHRASE)
    assert back_at_work.status_code == 302 and back_at_work.headers["Location"] == "/navigator"


def test_a_passphrase_typed_as_a_username_never_reaches_the_audit_trail_or_its_pages(app, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    mistaken = "Plum Orchard Lighthouse"  # the passphrase, typed into the username box
    _post_sign_in(_browser(app, OFFICE), mistaken, admin.username)
    stored = session.execute(text("SELECT * FROM audit_events")).all()
    assert "orchard" not in str(stored).lower()

    # An event written before usernames were digested still holds what was typed; the pages do not
    # show it, but its reference, which matches the new events' for the same name.
    audit.record(session, actor=None, action="sign_in.failed", now=NOW, username=mistaken.lower(), failures=1)
    session.commit()
    new, old = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sign_in.failed").order_by(AuditEvent.sequence)
    ).all()

    viewer = app.test_client()
    sign_in_quickly(viewer, session, admin)
    listing = viewer.get("/audit/?action=sign_in.failed").text
    assert "orchard" not in listing.lower()
    reference = new.detail["username_ref"]
    assert listing.count(f"an unknown username (ref {reference})") == 2
    for event in (new, old):
        page = viewer.get(f"/audit/{event.sequence}").text
        assert "orchard" not in page.lower() and f"An unknown username (ref {reference})" in page


def test_behind_a_declared_proxy_each_client_is_counted_at_its_own_address(database, connection, clock, session):
    from casework import create_app
    from tests.conftest import _savepoint_session

    app = create_app(
        {
            "database_url": database.url,
            "migrate_on_start": False,
            "secure_cookies": False,
            "secret_key": "test-key",
            "trusted_proxies": 1,
        },
        clock=clock,
    )
    app.extensions["casework.sessions"] = lambda: _savepoint_session(connection)
    newcomer = make_user(session, roles=[Role.NAVIGATOR])
    session.commit()
    proxy = "10.0.0.1"  # every request reaches the app from the proxy

    guesser = _browser(app, proxy)
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = ATTACKER
    for attempt in range(21):
        last = _post_sign_in(guesser, f"guess.{attempt}", "guess guess guess")
    assert "Too many failed attempts" in last.text  # that address tried too many usernames

    colleague = _browser(app, proxy)
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = OFFICE
    assert _post_sign_in(colleague, newcomer.username, TEST_PASSPHRASE).status_code == 302
