"""CSRF, cookie replay after sign-out, sign-in throttling, security headers and error pages."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework import create_app
from casework.domain.roles import Role
from casework.models import AuditEvent, User
from tests.conftest import TEST_PASSPHRASE, csrf_token, make_user, sign_in, sign_in_quickly

SESSION_COOKIE = "casework_session"


def _field_error(html: str, field: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    message = soup.select_one(f"#{field}-error")
    return message.get_text(" ", strip=True) if message else ""


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    victim = make_user(session, team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    response = client.post(f"/admin/users/{victim.id}/deactivate", data={"version": victim.version})
    assert response.status_code == 400
    assert "Your form could not be sent" in response.text
    session.expire_all()
    assert session.get(User, victim.id).is_active


def test_sign_in_form_needs_its_csrf_token(client, session):
    user = make_user(session)
    session.commit()
    response = client.post("/sign-in", data={"username": user.username, "passphrase": TEST_PASSPHRASE})
    assert response.status_code == 400


def test_a_cookie_copied_before_sign_out_stops_working(app, client, session):
    user = make_user(session, roles=[Role.NAVIGATOR])
    session.commit()
    assert sign_in(client, user).headers["Location"] == "/navigator"
    copied = client.get_cookie(SESSION_COOKIE).value
    assert client.get("/navigator").status_code == 200

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/navigator")})
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, copied)
    response = thief.get("/navigator")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_deactivation_signs_the_person_out_at_once(app, client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    sign_in(client, navigator)
    assert client.get("/navigator").status_code == 200

    admin_client = app.test_client()
    sign_in_quickly(admin_client, session, admin)
    token = csrf_token(admin_client, f"/admin/users/{navigator.id}")
    done = admin_client.post(
        f"/admin/users/{navigator.id}/deactivate", data={"csrf_token": token, "version": navigator.version}
    )
    assert done.status_code == 302
    assert client.get("/navigator").headers["Location"].startswith("/sign-in")


def test_sign_in_slows_down_after_five_failures_and_says_so(client, session):
    user = make_user(session)
    session.commit()
    for _ in range(5):
        failed = sign_in(client, user, passphrase="not my passphrase")
        assert _field_error(failed.text, "username") == "Error: Enter a correct username and passphrase"
    blocked = sign_in(client, user)  # the right passphrase, during the back-off
    assert blocked.status_code == 200
    assert "Too many failed attempts" in _field_error(blocked.text, "username")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_user_id == user.id).order_by(AuditEvent.sequence)
    ).all()
    assert actions[-6:] == ["sign_in.failed"] * 5 + ["sign_in.throttled"]


def test_failed_sign_in_keeps_the_username_and_marks_the_title(client, session):
    user = make_user(session)
    session.commit()
    page = sign_in(client, user, passphrase="wrong wrong wrong")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.title.get_text().startswith("Error: ")
    assert soup.select_one(".govuk-error-summary a[href='#username']")
    assert soup.select_one("input#username")["value"] == user.username
    assert not soup.select_one("input#passphrase").get("value")


def test_only_local_paths_are_followed_after_sign_in(client, session):
    user = make_user(session, roles=[Role.SUPERVISOR])
    session.commit()
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in?next=https://evil.example/phish",
        data={"csrf_token": token, "username": user.username, "passphrase": TEST_PASSPHRASE},
    )
    assert response.headers["Location"] == "/supervisor"


def _all_get_paths(app):
    return sorted(
        re.sub(r"<[^>]+>", "1", rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_every_route(app, client, session, signed_in):
    if signed_in:
        sign_in_quickly(client, session, make_user(session, roles=list(Role)))
    for path in [*_all_get_paths(app), "/no-such-page"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["Cache-Control"] == "no-store", path


def test_session_cookie_flags(database, session):
    app = create_app(
        {"database_url": database.url, "migrate_on_start": False, "secure_cookies": True, "secret_key": "k"}
    )
    client = app.test_client()
    response = client.get("/sign-in", base_url="https://casework.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unexpected_errors_show_a_govuk_page_without_a_traceback(database):
    app = create_app(
        {"database_url": database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"}
    )
    from casework.web.access import collect_rules, public

    @app.get("/explode")
    @public
    def explode():
        raise RuntimeError("secret internal detail")

    collect_rules(app)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert "govuk-template" in response.text


def test_not_found_page(client):
    response = client.get("/no-such-page/999999")
    assert response.status_code == 404
    assert "Page not found" in BeautifulSoup(response.text, "html.parser").h1.get_text()


def test_healthz_reports_database_and_migrations(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["database"] is True and body["migrations_at_head"] is True
    assert body["scheduler_heartbeat_age_seconds"] is None
