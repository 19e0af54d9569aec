"""The idle timeout through the pages: it slides with activity, it ends and is recorded, the page
can ask how long is left without extending it, "Stay signed in" extends it, and nothing typed is
lost: a page asked for after the end comes back after signing in, and a form sent after the end is
offered back to its author (and no one else) to save."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, select

from casework.domain.roles import Role
from casework.models import AuditEvent, Case, CaseNote, SignInSession
from tests.conftest import csrf_token, hidden_fields, make_case, make_user, sign_in, sign_in_quickly
from tests.form_posts import shown_fields


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _row(session, user) -> SignInSession:
    session.expire_all()
    return session.scalars(
        select(SignInSession).where(SignInSession.user_id == user.id).order_by(SignInSession.id)
    ).all()[-1]


@pytest.fixture
def navigator(session, team):
    user = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    return user


@pytest.fixture
def case(session, team, navigator):
    record = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    return record


def test_activity_at_minute_20_keeps_the_session_alive_at_minute_45(client, session, clock, navigator):
    sign_in_quickly(client, session, navigator)
    clock.advance(timedelta(minutes=20))
    assert client.get("/navigator").status_code == 200
    clock.advance(timedelta(minutes=25))  # minute 45: 25 minutes after the last activity
    assert client.get("/navigator").status_code == 200
    assert _row(session, navigator).last_seen_at == clock.now()


def test_with_no_activity_the_person_is_signed_out_at_minute_30_and_the_row_shows_it(client, session, clock, navigator):
    sign_in_quickly(client, session, navigator)
    assert client.get("/navigator").status_code == 200
    clock.advance(timedelta(minutes=30))
    response = client.get("/navigator")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/sign-in"
    row = _row(session, navigator)
    assert (row.ended_at, row.end_reason) == (clock.now(), "idle timeout")
    ended = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.session_expired")).all()
    assert [(e.subject_user_id, e.detail["reason"]) for e in ended] == [(navigator.id, "idle timeout")]
    page = _soup(client.get(response.headers["Location"]))
    assert "you had not done anything for 30 minutes" in page.select_one(".govuk-notification-banner").get_text()


def test_last_seen_is_written_at_most_once_a_minute(client, session, connection, clock, navigator):
    sign_in_quickly(client, session, navigator)
    writes = []

    def count(_conn, _cursor, statement, *_):
        if statement.startswith("UPDATE sign_in_sessions"):
            writes.append(clock.now())

    event.listen(connection, "before_cursor_execute", count)
    try:
        for _ in range(12):  # a page every 10 seconds for two minutes
            clock.advance(timedelta(seconds=10))
            assert client.get("/navigator").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", count)
    start = clock.now() - timedelta(minutes=2)
    assert writes == [start + timedelta(minutes=1), start + timedelta(minutes=2)]


def test_the_page_says_how_long_is_left_and_asking_does_not_keep_an_idle_session_alive(
    client, session, clock, navigator
):
    sign_in_quickly(client, session, navigator)
    clock.advance(timedelta(minutes=5))
    page = _soup(client.get("/navigator"))
    dialog = page.select_one("dialog#session-timeout")
    assert dialog["data-seconds-left"] == str(30 * 60)
    assert dialog["aria-labelledby"] == "session-timeout-heading"
    for _ in range(29):  # the page's script asking every minute until the end
        clock.advance(timedelta(minutes=1))
        status = client.get("/session/status").get_json()
        assert status["signed_in"] is True
    assert status["seconds_left"] == 60
    clock.advance(timedelta(minutes=1))
    assert client.get("/session/status").get_json() == {"signed_in": False}
    assert _row(session, navigator).end_reason == "idle timeout"
    assert client.get("/session/status").get_json() == {"signed_in": False}


def test_stay_signed_in_extends_the_session_from_the_script_and_as_a_plain_form(client, session, clock, navigator):
    sign_in_quickly(client, session, navigator)
    token = csrf_token(client, "/navigator")
    clock.advance(timedelta(minutes=28, seconds=30))
    extended = client.post(
        "/session/extend", data={"csrf_token": token}, headers={"Accept": "application/json"}
    ).get_json()
    assert extended["signed_in"] is True and extended["seconds_left"] == 30 * 60
    assert _row(session, navigator).last_seen_at == clock.now()
    clock.advance(timedelta(minutes=29, seconds=30))
    plain = client.post("/session/extend", data={"csrf_token": token, "next": "/cases/search?q=smith"})
    assert plain.status_code == 302 and plain.headers["Location"] == "/cases/search?q=smith"
    assert (
        client.post("/session/extend", data={"csrf_token": token, "next": "//evil.example"}).headers["Location"] == "/"
    )
    clock.advance(timedelta(minutes=29, seconds=59))
    assert client.get("/session/status").get_json()["seconds_left"] == 1
    # Without a CSRF token it is refused (another site cannot keep someone signed in).
    assert client.post("/session/extend", data={}).status_code == 400


def test_a_page_asked_for_after_the_end_comes_back_after_signing_in(client, session, clock, navigator, case):
    sign_in_quickly(client, session, navigator)
    clock.advance(timedelta(minutes=31))
    response = client.get(f"/cases/{case.id}/notes?tab=all")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert parse_qs(urlsplit(location).query)["next"] == [f"/cases/{case.id}/notes?tab=all"]
    back = client.post(
        location,
        data={
            "csrf_token": csrf_token(client, location),
            "username": navigator.username,
            "passphrase": "tangerine harbour bicycle",
        },
    )
    assert back.headers["Location"] == f"/cases/{case.id}/notes?tab=all"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_is_only_ever_a_path_on_this_site(client, navigator, target):
    location = "/sign-in?next=" + target
    response = client.post(
        location,
        data={
            "csrf_token": csrf_token(client, "/sign-in"),
            "username": navigator.username,
            "passphrase": "tangerine harbour bicycle",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/navigator"


def _type_a_note_then_time_out(client, session, clock, navigator, case, body: str):
    sign_in_quickly(client, session, navigator)
    form = hidden_fields(client, f"/cases/{case.id}/notes", "/notes")
    clock.advance(timedelta(minutes=35))  # a long note
    return client.post(f"/cases/{case.id}/notes", data={**form, "body": body})


def _notes(session, case) -> list[str]:
    session.expire_all()
    return [note.body for note in session.scalars(select(CaseNote).where(CaseNote.case_id == case.id))]


def test_choices_are_sent_back_unseen_rather_than_shown_as_codes(client, session, clock, navigator):
    """The notification settings are all radios: their codes ("digest") would mean nothing shown back."""
    sign_in_quickly(client, session, navigator)
    settings = "/account/notifications"
    radios = _soup(client.get(settings)).select("main input[type=radio][value=digest]")
    choices = {radio["name"]: "digest" for radio in radios}
    assert choices
    form = {**shown_fields(client, settings), **choices}
    clock.advance(timedelta(minutes=35))
    assert client.post(settings, data=form).status_code == 302
    sign_in(client, navigator)
    offer = _soup(client.get("/session/unsaved"))
    assert offer.select(".app-kept-value") == []
    assert "It holds the choices you made on that page" in offer.get_text()
    sent_back = offer.select(f"form[action='{settings}'] input[type=hidden]")
    assert {field["name"]: field["value"] for field in sent_back if field["name"] in choices} == choices


def test_a_note_sent_after_the_end_is_kept_and_offered_back_to_its_author_to_save(
    client, session, clock, navigator, case
):
    body = "Rang twice; no answer.\nLeft a message about the hub appointment on Thursday."
    sent = _type_a_note_then_time_out(client, session, clock, navigator, case, body)
    assert sent.status_code == 302 and urlsplit(sent.headers["Location"]).path == "/sign-in"
    assert _notes(session, case) == []
    row = _row(session, navigator)
    assert row.kept_path == f"/cases/{case.id}/notes" and ["body", body] in row.kept_fields
    assert "csrf_token" not in client.get_cookie("casework_session").value  # the cookie holds no form
    sign_in_page = client.get("/sign-in")
    assert "Sign in again to save it" in sign_in_page.text

    clock.advance(timedelta(minutes=10))
    signed_in = sign_in(client, navigator)
    assert signed_in.headers["Location"] == "/session/unsaved"
    offer = _soup(client.get("/session/unsaved"))
    assert offer.h1.get_text(strip=True) == "You were signed out before this was saved"
    assert body in offer.select_one(".app-kept-value").get_text()
    form = offer.select_one(f"form[action='/cases/{case.id}/notes']")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert fields["body"] == body and fields["csrf_token"] and "submission_token" in fields
    session.expire_all()
    assert session.get(SignInSession, row.id).kept_fields is None  # deleted once offered
    assert client.get("/session/unsaved").headers["Location"] == "/navigator"  # and offered only once

    saved = client.post(form["action"], data=fields)
    assert saved.status_code == 302
    assert _notes(session, case) == [body]


def test_someone_else_signing_in_on_that_browser_never_sees_it(client, session, clock, team, navigator, case):
    _type_a_note_then_time_out(client, session, clock, navigator, case, "Private note")
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    assert sign_in(client, colleague).headers["Location"] == "/navigator"
    assert client.get("/session/unsaved").headers["Location"] == "/navigator"
    assert "Private note" not in client.get("/navigator").text
    session.expire_all()
    kept = session.scalars(select(SignInSession).where(SignInSession.user_id == navigator.id)).one()
    assert kept.kept_fields is not None  # still there for its author until it expires


def test_a_kept_form_is_gone_after_two_hours(client, session, clock, navigator, case):
    _type_a_note_then_time_out(client, session, clock, navigator, case, "Too late")
    clock.advance(timedelta(hours=2))
    assert sign_in(client, navigator).headers["Location"] == "/navigator"
    from casework.services import unsaved_forms

    assert unsaved_forms.forget_expired(session, now=clock.now()) == 1
    session.expire_all()
    assert all(row.kept_fields is None for row in session.scalars(select(SignInSession)))


def test_a_form_sent_after_signing_out_is_not_kept(client, session, clock, navigator, case):
    sign_in_quickly(client, session, navigator)
    form = hidden_fields(client, f"/cases/{case.id}/notes", "/notes")
    client.post("/sign-out", data={"csrf_token": form["csrf_token"]})
    response = client.post(f"/cases/{case.id}/notes", data={**form, "body": "After signing out"})
    assert response.status_code in (302, 400)
    assert _row(session, navigator).kept_fields is None


def test_a_kept_edit_is_still_checked_against_changes_made_in_the_meantime(app, client, session, clock, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team)
    first, second = (make_user(session, roles=[Role.NAVIGATOR], team=team) for _ in range(2))
    session.commit()
    sign_in_quickly(client, session, supervisor)
    form = hidden_fields(client, f"/cases/{case.id}/allocate")
    clock.advance(timedelta(minutes=40))
    client.post(f"/cases/{case.id}/allocate", data={**form, "navigator_id": first.id})
    other = app.test_client()
    sign_in_quickly(other, session, make_user(session, roles=[Role.SUPERVISOR], team=team))
    other_form = hidden_fields(other, f"/cases/{case.id}/allocate")
    assert other.post(f"/cases/{case.id}/allocate", data={**other_form, "navigator_id": second.id}).status_code == 302

    assert sign_in(client, supervisor).headers["Location"] == "/session/unsaved"
    offer = _soup(client.get("/session/unsaved")).select_one(f"form[action='/cases/{case.id}/allocate']")
    refused = client.post(offer["action"], data={f["name"]: f["value"] for f in offer.select("input[type=hidden]")})
    assert refused.status_code != 302
    assert re.search(f"allocated to {second.full_name}", refused.text)
    session.expire_all()
    assert session.get(Case, case.id).navigator_id == second.id


def test_however_busy_the_session_ends_after_12_hours_and_says_so(client, session, clock, navigator):
    sign_in_quickly(client, session, navigator)
    for _ in range(35):  # a page every 20 minutes, all day
        clock.advance(timedelta(minutes=20))
        assert client.get("/navigator").status_code == 200
    clock.advance(timedelta(minutes=20))  # 12 hours after signing in
    response = client.get("/navigator")
    assert urlsplit(response.headers["Location"]).path == "/sign-in"
    assert _row(session, navigator).end_reason == "absolute timeout"
    banner = _soup(client.get("/sign-in")).select_one(".govuk-notification-banner").get_text()
    assert "signed in for 12 hours" in banner
