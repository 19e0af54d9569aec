"""An administrator changes the scheme settings: a new effective-dated version, audited."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.roles import Role
from casework.models import AuditEvent, SchemeSettings
from casework.services import schemes
from tests.conftest import NOW, make_user, sign_in_quickly


def _form(client):
    return _form_at(client, "/admin/scheme/change")


def test_a_change_takes_effect_from_its_date_and_keeps_the_old_version(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    data = _form(client)
    assert data["min_age"] == "18" and data["time_limit_margin_days"] == "21"
    tomorrow = local(NOW).date() + timedelta(days=1)
    data.update(min_age="21", effective_from=tomorrow.strftime("%d/%m/%Y"), change_reason="Pilot for young adults")
    assert client.post("/admin/scheme/change", data=data).status_code == 302
    today = local(NOW).date()
    assert schemes.settings_on(session, today).min_age == 18
    assert schemes.settings_on(session, tomorrow).min_age == 21
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "scheme.settings_changed")).one()
    assert event.detail["fields"] == ["min_age"]


def test_bad_settings_are_refused_by_the_field_and_nothing_is_saved(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)
    before = len(session.scalars(select(SchemeSettings)).all())
    yesterday = (local(NOW).date() - timedelta(days=1)).strftime("%d/%m/%Y")
    cases = [
        ({"effective_from": yesterday}, "effective_from", "today or later"),
        ({"community_hours_min": "40", "community_hours_max": "30"}, "community_hours_max", "at least the fewest"),
        (
            {"max_gravity_without_override": "7"},
            "max_gravity_without_override",
            "Highest gravity score must be 4 or less",
        ),
        ({"languages": []}, "languages", "Select at least one language"),
    ]
    for changes, field, message in cases:
        data = _form(client)
        data.update({"effective_from": local(NOW).strftime("%d/%m/%Y"), "change_reason": "Testing"}, **changes)
        page = BeautifulSoup(client.post("/admin/scheme/change", data=data).text, "html.parser")
        assert message in page.select_one(f"#{field}-error").get_text(), field
    assert len(session.scalars(select(SchemeSettings)).all()) == before


def test_only_administrators_change_the_scheme(client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    assert client.get("/admin/scheme/change").status_code == 403


def test_the_history_says_who_changed_the_settings_and_when_in_separate_columns(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team, full_name="Morgan Ellery")
    session.commit()
    sign_in_quickly(client, session, admin)
    data = _form(client)
    tomorrow = local(NOW).date() + timedelta(days=1)
    data.update(min_age="19", effective_from=tomorrow.strftime("%d/%m/%Y"), change_reason="Pilot for young adults")
    before = NOW
    assert client.post("/admin/scheme/change", data=data).status_code == 302

    page = BeautifulSoup(client.get("/admin/scheme").text, "html.parser")
    headers = [th.get_text(strip=True) for th in page.select("table thead th")]
    assert headers[:3] == ["Takes effect", "Changed by", "Changed on"]
    row = page.select_one("table tbody tr")
    cells = {header: cell.get_text(" ", strip=True) for header, cell in zip(headers, row.select("td"), strict=True)}
    assert cells["Changed by"] == "Morgan Ellery"
    assert cells["Changed on"].startswith(f"{local(before).day} {local(before):%b %Y} at ")
    assert cells["Reason"] == "Pilot for young adults"
    installed = page.select("table tbody tr")[-1].select("td")[headers.index("Changed by")].get_text(strip=True)
    assert installed == "Set when the system was installed"


def test_a_version_taking_effect_today_is_corrected_from_the_history_and_the_first_stays(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team, full_name="Morgan Ellery")
    session.commit()
    sign_in_quickly(client, session, admin)
    today = local(NOW).date()
    data = _form(client)
    data.update(min_age="19", effective_from=today.strftime("%d/%m/%Y"), change_reason="Pilot for young adults")
    assert client.post("/admin/scheme/change", data=data).status_code == 302

    history = BeautifulSoup(client.get("/admin/scheme").text, "html.parser")
    rows = history.select("table tbody tr")
    corrections = [a["href"] for a in history.select("table tbody a") if "Correct" in a.get_text()]
    assert len(corrections) == 1 and rows[0].find("a", href=corrections[0])  # never the installed version
    form = _form_at(client, corrections[0])
    assert form["min_age"] == "19" and form["effective_from"] == today.strftime("%d/%m/%Y")
    form.update(min_age="20", change_reason="The board agreed 20, not 19")
    assert client.post(corrections[0], data=form).status_code == 302

    assert schemes.settings_on(session, today).min_age == 20
    history = BeautifulSoup(client.get("/admin/scheme").text, "html.parser")
    newest, replaced = (row.get_text(" ", strip=True) for row in history.select("table tbody tr")[:2])
    assert "Morgan Ellery" in newest and "Minimum age: from 19 to 20" in newest and "Corrects the version" in newest
    assert "Replaced" in replaced and "Minimum age: from 18 to 19" in replaced and "Pilot for young adults" in replaced
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "scheme.settings_corrected")).one()
    assert event.detail["fields"] == ["min_age"] and event.actor_id == admin.id


def _form_at(client, path: str) -> dict:
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    data = {field["name"]: field.get("value", "") for field in soup.select("form input[type=text], input[type=hidden]")}
    for select_tag in soup.select("form select"):
        chosen = select_tag.select_one("option[selected]") or select_tag.select_one("option")
        data[select_tag["name"]] = chosen["value"]
    for radio in soup.select("form input[type=radio][checked]"):
        data[radio["name"]] = radio["value"]
    data["languages"] = [box["value"] for box in soup.select("input[name=languages][checked]")]
    return data
