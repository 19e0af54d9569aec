"""The offence catalogue: inclusion rules change from a date, and the old rule is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.roles import Role
from casework.models import Offence
from casework.services import schemes
from tests.conftest import NOW, csrf_token, make_user, sign_in_quickly


def _admin(client, session, team):
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, admin)


def test_excluding_an_offence_from_a_date_keeps_it_included_until_then(client, session, team):
    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    next_week = local(NOW).date() + timedelta(days=7)
    response = client.post(
        f"/admin/offences/{offence.id}",
        data={
            "csrf_token": csrf_token(client, f"/admin/offences/{offence.id}"),
            "inclusion": "excluded",
            "terms": "",
            "effective_from": next_week.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert schemes.inclusion_on(session, offence, local(NOW).date()).inclusion == "included"
    assert schemes.inclusion_on(session, offence, next_week).inclusion == "excluded"


def test_terms_are_needed_and_shown_by_the_field(client, session, team):
    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    page = client.post(
        f"/admin/offences/{offence.id}",
        data={
            "csrf_token": csrf_token(client, f"/admin/offences/{offence.id}"),
            "inclusion": "included_with_terms",
            "terms": "",
            "effective_from": local(NOW).strftime("%d/%m/%Y"),
        },
    )
    assert "Describe the terms" in BeautifulSoup(page.text, "html.parser").select_one("#terms-error").get_text()


def test_adding_an_offence_checks_the_time_limit_rule(client, session, team):
    _admin(client, session, team)
    data = {
        "csrf_token": csrf_token(client, "/admin/offences/new"),
        "code": "CRUELTY-ANIMAL",
        "title": "Causing unnecessary suffering to an animal",
        "title_cy": "Achosi dioddefaint diangen i anifail",
        "legislation": "section 4 of the Animal Welfare Act 2006",
        "legislation_cy": "adran 4 o Ddeddf Lles Anifeiliaid 2006",
        "mode_of_trial": "either_way",
        "s127_applies": "yes",
        "gravity_base": "3",
        "offence_group": "other",
        "inclusion": "excluded",
        "terms": "",
        "effective_from": local(NOW).strftime("%d/%m/%Y"),
    }
    page = client.post("/admin/offences/new", data=data)
    assert (
        "only to summary-only" in BeautifulSoup(page.text, "html.parser").select_one("#s127_applies-error").get_text()
    )
    data["s127_applies"] = "no"
    assert client.post("/admin/offences/new", data=data).status_code == 302
    assert session.scalar(select(Offence).where(Offence.code == "CRUELTY-ANIMAL")).gravity_base == 3


def test_an_offences_facts_can_be_corrected_and_the_change_is_audited(client, session, team):
    from casework.models import AuditEvent

    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "PO-S5"))
    path = f"/admin/offences/{offence.id}/facts"
    data = {
        "csrf_token": csrf_token(client, path),
        "title": offence.title,
        "title_cy": offence.title_cy or "",
        "legislation": offence.legislation,
        "legislation_cy": offence.legislation_cy or "",
        "mode_of_trial": "either_way",
        "s127_applies": "yes",
        "gravity_base": "2",
        "offence_group": offence.offence_group,
    }
    refused = BeautifulSoup(client.post(path, data=data).text, "html.parser")
    assert "only to summary-only" in refused.select_one("#s127_applies-error").get_text()
    assert client.post(path, data={**data, "mode_of_trial": "summary_only"}).status_code == 302
    session.expire_all()
    assert session.get(Offence, offence.id).gravity_base == 2
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "offence.changed")).one()
    assert event.detail["fields"] == ["gravity_base"]


def test_a_rule_taking_effect_today_is_corrected_and_the_first_rule_stays_listed(client, session, team):
    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    path = f"/admin/offences/{offence.id}"
    today = local(NOW).strftime("%d/%m/%Y")
    data = {"csrf_token": csrf_token(client, path), "inclusion": "excluded", "terms": "", "effective_from": today}
    assert client.post(path, data=data).status_code == 302
    corrected = {
        **data,
        "inclusion": "included_with_terms",
        "terms": "Goods under £100 only",
        "requirements": ["sergeant_confirms"],
    }
    assert client.post(path, data=corrected).status_code == 302

    assert schemes.inclusion_on(session, offence, local(NOW).date()).inclusion == "included_with_terms"
    rules = [li.get_text(" ", strip=True) for li in BeautifulSoup(client.get(path).text, "html.parser").select("ul li")]
    rules = [rule for rule in rules if rule.startswith("From ")]
    assert "included with terms (Goods under £100 only)" in rules[0] and "Corrects the rule saved" in rules[0]
    assert "excluded" in rules[1] and "Replaced by a correction" in rules[1]
    assert "Set when the system was installed" in rules[2]
    unchanged = client.post(path, data=corrected)
    errors = BeautifulSoup(unchanged.text, "html.parser").select_one("#inclusion-error").get_text()
    assert "Nothing has changed" in errors


def test_the_administrator_gives_every_offence_its_welsh_title_and_legislation(client, session, team):
    from casework.models import AuditEvent

    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    path = f"/admin/offences/{offence.id}/facts"
    form = BeautifulSoup(client.get(path).text, "html.parser")
    assert form.select_one("input#title_cy")["value"] == "Dwyn o siop"
    assert form.select_one("input#legislation")["value"] == "section 1 of the Theft Act 1968"
    data = {
        "csrf_token": csrf_token(client, path),
        "title": offence.title,
        "title_cy": "",
        "legislation": offence.legislation,
        "legislation_cy": offence.legislation_cy,
        "mode_of_trial": offence.mode_of_trial,
        "s127_applies": "no",
        "gravity_base": str(offence.gravity_base),
        "offence_group": offence.offence_group,
    }
    refused = BeautifulSoup(client.post(path, data=data).text, "html.parser")
    assert "title in Welsh" in refused.select_one("#title_cy-error").get_text()
    assert client.post(path, data={**data, "title_cy": "Dwyn o siop fach"}).status_code == 302
    session.expire_all()
    assert session.get(Offence, offence.id).title_cy == "Dwyn o siop fach"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "offence.changed")).one()
    assert event.detail["fields"] == ["title_cy"]
    shown = BeautifulSoup(client.get(f"/admin/offences/{offence.id}").text, "html.parser")
    assert shown.select_one("span[lang=cy]").get_text() == "Dwyn o siop fach"


def _new_offence(client, **changes) -> dict:
    return {
        "csrf_token": csrf_token(client, "/admin/offences/new"),
        "code": "CRUELTY-ANIMAL",
        "title": "Causing unnecessary suffering to an animal",
        "title_cy": "Achosi dioddefaint diangen i anifail",
        "legislation": "section 4 of the Animal Welfare Act 2006",
        "legislation_cy": "adran 4 o Ddeddf Lles Anifeiliaid 2006",
        "mode_of_trial": "either_way",
        "s127_applies": "no",
        "gravity_base": "3",
        "inclusion": "excluded",
        "terms": "",
        "effective_from": local(NOW).strftime("%d/%m/%Y"),
        **changes,
    }


@pytest.mark.parametrize("group", ["", "shoplifting"])
def test_a_new_offence_needs_a_group_from_the_list_shown_by_the_field(client, session, team, group):
    _admin(client, session, team)
    page = BeautifulSoup(
        client.post("/admin/offences/new", data=_new_offence(client, offence_group=group)).text, "html.parser"
    )
    assert "Select the offence group" in page.select_one("#offence_group-error").get_text()
    assert page.select_one(".govuk-error-summary a[href='#offence_group']") is not None
    assert page.select_one("input#title")["value"] == "Causing unnecessary suffering to an animal"  # kept
    assert session.scalar(select(Offence).where(Offence.code == "CRUELTY-ANIMAL")) is None


def test_a_new_offence_is_saved_in_the_group_chosen_and_listed_under_it(client, session, team):
    _admin(client, session, team)
    form = BeautifulSoup(client.get("/admin/offences/new").text, "html.parser")
    offered = [option["value"] for option in form.select("select#offence_group option")]
    assert offered[0] == "" and "violence" in offered and offered[-1] == "other"
    assert client.post("/admin/offences/new", data=_new_offence(client, offence_group="violence")).status_code == 302
    assert session.scalar(select(Offence).where(Offence.code == "CRUELTY-ANIMAL")).offence_group == "violence"
    listed = BeautifulSoup(client.get("/admin/offences/").text, "html.parser")
    row = next(tr for tr in listed.select("tbody tr") if "CRUELTY-ANIMAL" in tr.get_text())
    assert "Violence against the person" in row.get_text()


def test_moving_an_offence_to_another_group_shows_the_group_chosen_and_is_audited(client, session, team):
    from casework.models import AuditEvent

    _admin(client, session, team)
    offence = session.scalar(select(Offence).where(Offence.code == "ASSAULT-COMMON-DA"))
    path = f"/admin/offences/{offence.id}/facts"
    form = BeautifulSoup(client.get(path).text, "html.parser")
    assert form.select_one("select#offence_group option[selected]")["value"] == "domestic"
    data = {
        "csrf_token": csrf_token(client, path),
        "title": offence.title,
        "title_cy": offence.title_cy,
        "legislation": offence.legislation,
        "legislation_cy": offence.legislation_cy,
        "mode_of_trial": offence.mode_of_trial,
        "s127_applies": "yes",
        "gravity_base": str(offence.gravity_base),
        "flags": ["domestic_abuse"],
        "offence_group": "assault",
    }
    refused = BeautifulSoup(client.post(path, data=data).text, "html.parser")
    assert "Select the offence group" in refused.select_one("#offence_group-error").get_text()
    assert client.post(path, data={**data, "offence_group": "violence"}).status_code == 302
    session.expire_all()
    assert session.get(Offence, offence.id).offence_group == "violence"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "offence.changed")).one()
    assert event.detail["fields"] == ["offence_group"]
    shown = BeautifulSoup(client.get(f"/admin/offences/{offence.id}").text, "html.parser")
    assert "offence group: Violence against the person" in shown.get_text()
