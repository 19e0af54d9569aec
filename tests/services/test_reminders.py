"""Reminders before check-ins: due at the right instant, queued once, only where the person agreed,
in their language; and delivered by the outbox to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.config import Messaging
from casework.domain import reminders as rules
from casework.domain.clock import FixedClock, from_local
from casework.models import AuditEvent, OutboxMessage, Reminder, StaffNotification
from casework.services import check_ins, outbox, reminders
from casework.services.transports import NotifySms, SmtpEmail, transports_for
from tests.conftest import NOW
from tests.messaging import FakeNotifyClient, case_with_consent, check_in, savepoint_sessions, smtp_server

EMAIL_ONLY = frozenset({"email"})
BOTH = frozenset({"email", "sms"})


def _reminders(session, booked) -> list[tuple[int, str, str]]:
    rows = session.scalars(select(Reminder).where(Reminder.check_in_id == booked.id).order_by(Reminder.id))
    return [(r.hours_before, r.channel, r.status) for r in rows]


def _sweep_every(session, start: datetime, end: datetime, step: timedelta, channels=EMAIL_ONLY) -> int:
    queued, now = 0, start
    while now <= end:
        queued += reminders.queue_due(session, now=now, channels=channels)
        now += step
    return queued


def test_48_and_2_hour_reminders_are_queued_once_however_often_the_sweep_runs(session, team):
    case = case_with_consent(session, team=team)
    booked = check_in(session, case, NOW + timedelta(days=3))
    # Every 10 minutes for three days, twice over (two schedulers, or a rerun).
    for _ in range(2):
        _sweep_every(session, NOW, NOW + timedelta(days=3), timedelta(minutes=10))
    assert _reminders(session, booked) == [(48, "email", "queued"), (2, "email", "queued")]
    due = session.scalars(select(Reminder.due_at).where(Reminder.check_in_id == booked.id).order_by(Reminder.id))
    assert list(due) == [booked.scheduled_at - timedelta(hours=48), booked.scheduled_at - timedelta(hours=2)]


def test_the_48_hour_reminder_crosses_the_clock_change_as_48_real_hours(session, team):
    """10:00 on Monday 30 March 2026 is 09:00 UTC (BST began on the Sunday): its 48 h reminder is due at
    09:00 UTC on Saturday 28 March, which was 09:00 in London then (GMT)."""
    case = case_with_consent(session, team=team)
    monday = from_local(datetime(2026, 3, 30).date(), datetime(2026, 3, 30, 10).time())
    assert monday == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    booked = check_in(session, case, monday)
    early = datetime(2026, 3, 28, 8, 59, tzinfo=UTC)
    assert reminders.queue_due(session, now=early, channels=EMAIL_ONLY) == 0
    assert reminders.queue_due(session, now=early + timedelta(minutes=1), channels=EMAIL_ONLY) == 1
    reminder = session.scalar(select(Reminder).where(Reminder.check_in_id == booked.id))
    assert reminder.due_at == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    message = session.get(OutboxMessage, reminder.outbox_message_id)
    assert "Monday 30 March 2026 at 10:00am" in message.body  # London time, not UTC


def test_a_check_in_booked_3_hours_ahead_gets_only_its_2_hour_reminder(session, team):
    case = case_with_consent(session, team=team)
    booked = check_in(session, case, NOW + timedelta(hours=3))
    _sweep_every(session, NOW, NOW + timedelta(hours=3), timedelta(minutes=5))
    assert _reminders(session, booked) == [(2, "email", "queued")]


def test_a_catch_up_after_downtime_sends_a_late_reminder_but_not_a_useless_one(session, team):
    case = case_with_consent(session, team=team)
    soon, later = check_in(session, case, NOW + timedelta(hours=40)), check_in(session, case, NOW + timedelta(hours=30))
    reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY)
    assert _reminders(session, soon) == [(48, "email", "queued")]  # 8 hours late: still useful
    assert _reminders(session, later) == []  # 18 hours late: not sent as a "48 hour" reminder


def test_reminders_go_only_on_channels_the_person_agreed_to(session, team):
    sms_only = case_with_consent(session, team=team, by_email=False, by_sms=True)
    nothing = case_with_consent(session, team=team, by_email=False, by_sms=False)
    first, second = (
        check_in(session, sms_only, NOW + timedelta(hours=2)),
        check_in(session, nothing, NOW + timedelta(hours=2)),
    )
    assert reminders.queue_due(session, now=NOW, channels=BOTH) == 1
    assert _reminders(session, first) == [(2, "sms", "queued")]
    assert _reminders(session, second) == []
    assert reminders.why_none(nothing.person, BOTH) == [
        f"{nothing.person.full_name} has not agreed to any reminders, so none will be sent."
    ]


def test_without_a_notify_key_no_sms_is_queued_and_the_reminder_says_why(session, team):
    case = case_with_consent(session, team=team, by_email=True, by_sms=True)
    booked = check_in(session, case, NOW + timedelta(hours=2))
    assert reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY) == 2  # the email queued, the SMS skipped
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.channel == "sms")) == 0
    [email, sms] = session.scalars(select(Reminder).where(Reminder.check_in_id == booked.id).order_by(Reminder.channel))
    assert (email.status, sms.status) == ("queued", "skipped")
    assert reminders.describe(sms) == f"Reminder by text message not sent: {reminders.SMS_OFF}"


def test_no_reminder_for_a_cancelled_check_in_or_one_with_an_outcome(session, team):
    case = case_with_consent(session, team=team)
    cancelled = check_in(session, case, NOW + timedelta(hours=2))
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Ill", "person"
    session.flush()
    assert reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY) == 0


def test_a_moved_check_in_is_reminded_at_its_new_time_and_the_old_reminder_is_not_sent(session, team, connection):
    case = case_with_consent(session, team=team)
    booked = check_in(session, case, NOW + timedelta(hours=2))
    reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY)
    booked.scheduled_at = NOW + timedelta(hours=2, minutes=30)
    session.flush()
    reminders.queue_due(session, now=NOW + timedelta(minutes=30), channels=EMAIL_ONLY)
    with smtp_server() as (inbox, port):
        transports = {"email": SmtpEmail(host="127.0.0.1", port=port, sender="casework@example.police.uk")}
        outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW + timedelta(minutes=31)), transports)
    assert len(inbox.received) == 1
    statuses = session.scalars(select(Reminder.status).where(Reminder.check_in_id == booked.id).order_by(Reminder.id))
    assert list(statuses) == ["skipped", "sent"]


@pytest.mark.parametrize(
    ("language", "subject", "phrases"),
    [
        ("en", "Reminder: your appointment on Thursday 26 November 2026 at 10:00am", ["Hello Sam,", "When: Thursday"]),
        (
            "cy",
            "Nodyn atgoffa: eich apwyntiad ddydd Iau 26 Tachwedd 2026 am 10:00yb",
            ["Helo Siân,", "Pryd: dydd Iau 26 Tachwedd 2026 am 10:00yb", "cysylltwch â ni", "Ffôn: 0191 555 0100"],
        ),
    ],
)
def test_the_person_receives_the_reminder_by_email_in_their_language(
    session, team, connection, language, subject, phrases
):
    case = case_with_consent(session, team=team, language=language)
    check_in(session, case, NOW + timedelta(hours=48))  # 10:00 GMT on Thursday 26 November
    reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY)
    with smtp_server() as (inbox, port):
        transports = {"email": SmtpEmail(host="127.0.0.1", port=port, sender="casework@example.police.uk")}
        assert outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW), transports) == 1
    [(recipients, email)] = inbox.received
    assert recipients == ["sam@example.org"]
    assert email["Subject"] == subject
    body = email.get_content()
    assert all(phrase in body for phrase in phrases), body
    reminder = session.scalar(select(Reminder))
    session.refresh(reminder)
    assert reminder.status == "sent"
    assert reminders.describe(reminder) == "Reminder sent by email 24 November 10:00"
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reminder.sent")) == 1


def test_sms_goes_through_notify_with_the_welsh_text(session, team, connection):
    case = case_with_consent(session, team=team, language="cy", by_email=False, by_sms=True)
    check_in(session, case, NOW + timedelta(hours=2), mode="phone", place="07700 900123")
    reminders.queue_due(session, now=NOW, channels=BOTH)
    client = FakeNotifyClient()
    sent = outbox.deliver_due(
        savepoint_sessions(connection), FixedClock(NOW), {"sms": NotifySms(client, "sms-template")}
    )
    assert sent == 1
    [call] = client.sms
    assert call["phone_number"] == "07700 900123" and call["template_id"] == "sms-template"
    assert call["personalisation"]["body"].startswith("Checkpoint: nodyn atgoffa am eich apwyntiad ddydd Mawrth")
    assert "Dros y ffôn. Byddwn ni'n eich ffonio chi ar 07700 900123" in call["personalisation"]["body"]
    message = session.scalar(select(OutboxMessage))
    session.refresh(message)
    assert message.provider_reference == "notify-sms-1"


def test_a_failed_reminder_shows_on_the_check_in_and_tells_the_navigator(session, team, connection):
    from notifications_python_client.errors import HTTPError

    case = case_with_consent(session, team=team, by_email=False, by_sms=True)
    booked = check_in(session, case, NOW + timedelta(hours=2))
    reminders.queue_due(session, now=NOW, channels=BOTH)

    class BadNumber:
        status_code = 400

        def json(self):
            return {"errors": [{"message": "phone_number Not a UK mobile number"}]}

    client = FakeNotifyClient(fail_with=HTTPError(BadNumber()))
    outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW), {"sms": NotifySms(client, "t")})
    reminder = session.scalar(select(Reminder).where(Reminder.check_in_id == booked.id))
    session.refresh(reminder)
    assert reminder.status == "failed"
    assert reminders.describe(reminder).startswith("Reminder by text message failed: GOV.UK Notify said 400")
    notification = session.scalar(select(StaffNotification).where(StaffNotification.user_id == case.navigator_id))
    assert notification.event == "reminder_failed" and "could not be sent" in notification.text


def test_the_preview_shows_each_channel_as_the_person_will_get_it(session, team):
    case = case_with_consent(session, team=team, language="cy", by_sms=False)
    booked = check_in(session, case, NOW + timedelta(days=2))
    email, sms = reminders.preview(session, case=case, check_in=booked, channels=EMAIL_ONLY, now=NOW)
    assert (email.channel, email.consented, email.enabled) == ("email", True, True)
    assert email.wording.subject.startswith("Nodyn atgoffa")
    assert (sms.consented, sms.enabled) == (False, False)


def test_the_sweep_reads_only_check_ins_whose_reminder_is_due():
    """The range the sweep asks the index for is as wide as the lateness allowed, not the window."""
    earliest, latest = rules.scheduled_range(48, NOW)
    assert latest - earliest == timedelta(hours=12)
    earliest, latest = rules.scheduled_range(2, NOW)
    assert latest - earliest == timedelta(hours=1)


def test_check_ins_service_still_sees_the_reminded_check_in(session, team):
    case = case_with_consent(session, team=team)
    booked = check_in(session, case, NOW + timedelta(hours=2))
    reminders.queue_due(session, now=NOW, channels=EMAIL_ONLY)
    assert check_ins.next_for_case(session, case=case, now=NOW).id == booked.id


def test_email_goes_through_notify_when_the_service_has_a_notify_email_template(session, team, connection):
    case = case_with_consent(session, team=team, by_email=True)
    check_in(session, case, NOW + timedelta(hours=2))
    reminders.queue_due(session, now=NOW, channels=BOTH)
    client = FakeNotifyClient()
    transports = transports_for(
        Messaging(notify_api_key="key", notify_email_template_id="email-template"), notify_client=client
    )
    assert outbox.deliver_due(savepoint_sessions(connection), FixedClock(NOW), transports) == 1
    [call] = client.emails
    assert call["email_address"] == "sam@example.org" and call["template_id"] == "email-template"
    assert call["personalisation"]["subject"].startswith("Reminder: your appointment on Tuesday 24 November 2026")
    assert "Navigator office, 1 Court Lane" in call["personalisation"]["body"]
