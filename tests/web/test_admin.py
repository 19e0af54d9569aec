"""The administrator's account pages, as the administrator sees them."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from casework.domain.roles import Role
from casework.models import User
from tests.conftest import csrf_token, make_user, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _error_by(soup: BeautifulSoup, field: str) -> str:
    found = soup.select_one(f"#{field}-error")
    return found.get_text(" ", strip=True).removeprefix("Error:").strip() if found else ""


def _admin_client(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    return admin


def _new_user_form(team, **overrides):
    data = {
        "username": "alex.navigator",
        "full_name": "Alex Morgan",
        "email": "alex.morgan@example.police.uk",
        "organisation": "Pathways",
        "team_id": str(team.id),
        "roles": ["navigator"],
    }
    data.update(overrides)
    return data


def test_creating_a_user_shows_a_one_time_link_that_sets_their_passphrase(app, client, session, team):
    _admin_client(client, session, team)
    token = csrf_token(client, "/admin/users/new")
    page = client.post("/admin/users/new", data={"csrf_token": token, **_new_user_form(team)})
    assert page.status_code == 200
    link = _soup(page).select_one("#passphrase-link").get_text(strip=True)
    assert "Account created" in page.text

    newcomer = app.test_client()
    path = re.sub(r"^https?://[^/]+", "", link)
    form_token = csrf_token(newcomer, path)
    saved = newcomer.post(
        path,
        data={
            "csrf_token": form_token,
            "passphrase": "velvet kettle mountain",
            "confirmation": "velvet kettle mountain",
        },
    )
    assert saved.headers["Location"] == "/sign-in"
    signed = newcomer.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(newcomer, "/sign-in"),
            "username": "alex.navigator",
            "passphrase": "velvet kettle mountain",
        },
    )
    assert signed.headers["Location"] == "/navigator"
    again = newcomer.get(path)
    assert again.status_code == 404 and "cannot be used" in again.text


def test_bad_input_is_shown_by_each_field_and_nothing_typed_is_lost(client, session, team):
    _admin_client(client, session, team)
    token = csrf_token(client, "/admin/users/new")
    page = client.post(
        "/admin/users/new",
        data={"csrf_token": token, **_new_user_form(team, full_name="", email="not-an-email", team_id="0", roles=[])},
    )
    soup = _soup(page)
    assert soup.title.get_text().startswith("Error: ")
    assert _error_by(soup, "full_name") == "Enter the person's full name"
    assert _error_by(soup, "email").startswith("Enter an email address in the correct format")
    assert _error_by(soup, "roles") == "Select at least one role"
    assert soup.select_one("input#username")["value"] == "alex.navigator"
    assert soup.select_one("input#email")["value"] == "not-an-email"
    summary_links = [a["href"] for a in soup.select(".govuk-error-summary a")]
    assert "#full_name" in summary_links and "#email" in summary_links


def test_a_rule_broken_in_the_service_is_shown_by_its_field(client, session, team):
    _admin_client(client, session, team)
    make_user(session, team=team, username="taken.name")
    session.commit()
    token = csrf_token(client, "/admin/users/new")
    page = client.post("/admin/users/new", data={"csrf_token": token, **_new_user_form(team, username="Taken.Name")})
    assert _error_by(_soup(page), "username").startswith("That username is already taken")
    page = client.post("/admin/users/new", data={"csrf_token": token, **_new_user_form(team, team_id="0")})
    assert _error_by(_soup(page), "team_id") == "Select a team"


def test_two_administrators_editing_one_account_do_not_overwrite_each_other(app, client, session, team, other_team):
    _admin_client(client, session, team)
    subject = make_user(session, team=team, full_name="Original Name")
    session.commit()
    other_admin = app.test_client()
    _admin_client(other_admin, session, team)

    path = f"/admin/users/{subject.id}/edit"
    first_page, second_page = _soup(client.get(path)), _soup(other_admin.get(path))

    def submit(browser, page, **changes):
        data = {field["name"]: field.get("value", "") for field in page.select("form input[type!=checkbox]")}
        data.update({"team_id": str(team.id), "roles": ["navigator"], **changes})
        return browser.post(path, data=data)

    assert submit(client, first_page, full_name="First Change").status_code == 302
    refused = submit(other_admin, second_page, team_id=str(other_team.id))
    assert "Someone else changed" in refused.text
    session.expire_all()
    stored = session.get(User, subject.id)
    assert stored.full_name == "First Change" and stored.team_id == team.id


def test_deactivate_and_reactivate_from_the_account_page(client, session, team):
    _admin_client(client, session, team)
    subject = make_user(session, team=team)
    session.commit()
    page = _soup(client.get(f"/admin/users/{subject.id}"))
    assert page.find("button", string="Deactivate account")
    token = page.select_one("input[name=csrf_token]")["value"]
    client.post(f"/admin/users/{subject.id}/deactivate", data={"csrf_token": token, "version": subject.version})
    page = _soup(client.get(f"/admin/users/{subject.id}"))
    assert page.select_one("h1 .govuk-tag").get_text(strip=True) == "Deactivated"
    assert page.find("button", string="Reactivate account")
    assert not page.find("button", string="Deactivate account")


def test_an_administrator_is_not_offered_deactivating_themself(client, session, team):
    admin = _admin_client(client, session, team)
    page = _soup(client.get(f"/admin/users/{admin.id}"))
    assert not page.find("button", string="Deactivate account")
    token = page.select_one("input[name=csrf_token]")["value"]
    refused = client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token, "version": admin.version})
    assert refused.status_code == 409
    assert "You cannot deactivate your own account." in refused.text


def test_users_list_shows_status_and_every_user(client, session, team, other_team):
    _admin_client(client, session, team)
    waiting = make_user(session, team=other_team, passphrase=None)
    session.commit()
    soup = _soup(client.get("/admin/users"))
    row = next(tr for tr in soup.select("tbody tr") if waiting.username in tr.get_text())
    assert "Passphrase not set" in row.get_text()
    assert len(soup.select("tbody tr")) == session.scalar(select(func.count()).select_from(User))
