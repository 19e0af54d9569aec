"""The pages around messages: a person's reminder choices on the case (with the notice when text
messages are switched off), the reminder preview, and each user's notification settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.config import Messaging
from casework.domain.notifications import Choice, Event
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import reminders, staff_notifications
from tests.conftest import NOW, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.messaging import case_with_consent, check_in

SMS_NOTICE = "Text message reminders are switched off: this service has no GOV.UK Notify key"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _text(response) -> str:
    return " ".join(_soup(response).get_text(" ").split())


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.fixture
def case(session, team, navigator):
    made = case_with_consent(session, team=team, navigator=navigator, by_email=False, by_sms=False, email=None)
    session.commit()
    return made


def test_the_case_says_no_reminders_are_sent_and_that_sms_is_off(client, session, case, navigator):
    sign_in_quickly(client, session, navigator)
    overview = _text(client.get(f"/cases/{case.id}"))
    assert "Reminders Not agreed: no reminders are sent" in overview and SMS_NOTICE in overview
    page = client.get(f"/cases/{case.id}/reminders")
    assert page.status_code == 200
    text = _text(page)
    assert f"{SMS_NOTICE}." in text
    assert f"{case.person.full_name} has not agreed to any reminders, so none will be sent." in text


def test_a_navigator_records_consent_to_email_reminders(client, session, case, navigator):
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/reminders"
    response = client.post(
        path, data={**shown_fields(client, path), "channels": ["email"], "email": "Sam@Example.org", "phone": ""}
    )
    assert response.status_code == 302
    session.refresh(case.person)
    assert (case.person.reminder_by_email, case.person.reminder_by_sms, case.person.email) == (
        True,
        False,
        "sam@example.org",
    )
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "person.reminder_consent_recorded"))
    assert event.case_id == case.id and event.detail["by_email"] is True
    assert "By email" in _text(client.get(f"/cases/{case.id}"))


def test_email_reminders_need_an_address_and_sms_cannot_be_agreed_while_switched_off(client, session, case, navigator):
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/reminders"
    response = client.post(
        path, data={**shown_fields(client, path), "channels": ["email", "sms"], "phone": "07700 900123"}
    )
    assert response.status_code == 200
    errors = _soup(response).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Enter an email address for email reminders" in errors
    assert "Text message reminders are switched off on this service" in errors
    session.refresh(case.person)
    assert not case.person.reminder_by_email and not case.person.reminder_by_sms


def test_with_a_notify_key_sms_can_be_agreed(app, client, session, case, navigator):
    settings = app.config["CASEWORK"]
    app.config["CASEWORK"] = type(settings)(
        **{**settings.__dict__, "messaging": Messaging(notify_api_key="key", notify_sms_template_id="t")}
    )
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/reminders"
    assert SMS_NOTICE not in _text(client.get(path))
    response = client.post(path, data={**shown_fields(client, path), "channels": ["sms"], "phone": "07700 900123"})
    assert response.status_code == 302
    session.refresh(case.person)
    assert case.person.reminder_by_sms


def test_the_preview_shows_the_reminder_in_welsh_and_the_reminder_status(client, session, team, navigator):
    welsh = case_with_consent(session, team=team, navigator=navigator, language="cy")
    booked = check_in(session, welsh, NOW + timedelta(hours=2))
    reminders.queue_due(session, now=NOW, channels=frozenset({"email"}))
    session.commit()
    sign_in_quickly(client, session, navigator)
    listing = _text(client.get(f"/cases/{welsh.id}/reminders"))
    assert "2 hours before: Reminder by email waiting to be sent" in listing
    response = client.get(f"/cases/{welsh.id}/check-ins/{booked.id}/reminder")
    assert response.status_code == 200
    preview = _soup(response).select(".app-message-preview")
    assert preview[0]["lang"] == "cy"
    assert "Nodyn atgoffa: eich apwyntiad ddydd Mawrth 24 Tachwedd 2026 am 12:00yh" in preview[0].get_text(" ")
    assert f"{reminders.EMAIL_OFF}." in _text(response)  # the test app has no mail server
    assert SMS_NOTICE in _text(response)


def test_other_teams_and_custody_cannot_reach_a_persons_reminders(client, session, case, other_team):
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=case.team)
    session.commit()
    sign_in_quickly(client, session, stranger)
    assert client.get(f"/cases/{case.id}/reminders").status_code == 404
    sign_in_quickly(client, session, sergeant)
    assert client.get(f"/cases/{case.id}/reminders").status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_user_changes_their_notification_settings_from_the_header_link(client, session, navigator):
    sign_in_quickly(client, session, navigator)
    home = _soup(client.get("/cases/", follow_redirects=True))
    assert home.find("a", string="Notification settings")["href"] == "/account/notifications"
    path = "/account/notifications"
    choices = {event.value: "digest" for event in Event} | {"check_in_missed": "email"}
    response = client.post(path, data={**shown_fields(client, path), **choices})
    assert response.status_code == 302
    assert staff_notifications.choices_for(session, user=navigator)[Event.CHECK_IN_MISSED] is Choice.EMAIL
    page = _soup(client.get(path))
    assert page.select_one("input[name=check_in_missed][value=email]").has_attr("checked")


def test_a_user_cannot_change_someone_elses_settings(client, session, navigator, team):
    other = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    sign_in_quickly(client, session, navigator)
    path = "/account/notifications"
    choices = {event.value: "off" for event in Event}
    client.post(path, data={**shown_fields(client, path), **choices, "user_id": str(other.id)})
    assert staff_notifications.choices_for(session, user=other)[Event.CHECK_IN_MISSED] is Choice.DIGEST
    assert staff_notifications.choices_for(session, user=navigator)[Event.CHECK_IN_MISSED] is Choice.OFF


def test_a_missing_choice_is_shown_by_its_question(client, session, navigator):
    sign_in_quickly(client, session, navigator)
    path = "/account/notifications"
    response = client.post(path, data=shown_fields(client, path))
    assert response.status_code == 200
    assert "Select how you want to hear when a person misses a check-in" in _text(response)
