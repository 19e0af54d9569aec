"""Staff notifications: each user's choice per event, one notification per event, an email now or
one digest a day."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.clock import LONDON
from casework.domain.errors import FieldError, NotPermitted
from casework.domain.notifications import DEFAULT_CHOICES, Choice, Event
from casework.domain.roles import Role
from casework.models import AuditEvent, OutboxMessage, StaffNotification
from casework.services import staff_notifications
from tests.conftest import NOW, make_case, make_user

EMAIL_ON = frozenset({"email"})


def _choices(**chosen) -> dict[str, str]:
    return {event.value: chosen.get(event.value, DEFAULT_CHOICES[event].value) for event in Event}


def _outbox(session, purpose: str) -> list[OutboxMessage]:
    return list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id))
    )


def test_a_user_who_chose_email_gets_one_at_once_and_only_once(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    staff_notifications.set_choices(
        session, actor=navigator, user=navigator, choices=_choices(check_in_missed="email"), now=NOW
    )
    case = make_case(session, team=team)
    for _ in range(2):
        staff_notifications.notify(
            session,
            user=navigator,
            event=Event.CHECK_IN_MISSED,
            case=case,
            text="Sam missed the check-in at 10:00.",
            now=NOW,
            key="check_in_missed:7",
            channels=EMAIL_ON,
        )
    [email] = _outbox(session, "staff_notification")
    assert email.recipient == navigator.email and case.reference in email.body
    assert session.scalar(select(func.count()).select_from(StaffNotification)) == 1


def test_off_keeps_the_notification_but_sends_nothing(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    staff_notifications.set_choices(
        session, actor=navigator, user=navigator, choices=_choices(first_contact_overdue="off"), now=NOW
    )
    note = staff_notifications.notify(
        session, user=navigator, event="first_contact_overdue", case=None, text="x", now=NOW, key="k", channels=EMAIL_ON
    )
    assert note.choice == "off" and _outbox(session, "staff_notification") == []
    assert staff_notifications.send_digests(session, now=NOW, channels=EMAIL_ON) == 0


def test_the_digest_bundles_a_days_notifications_into_one_email_per_day(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    other = make_user(session, roles=[Role.SUPERVISOR], team=team)
    for n, event in enumerate([Event.CHECK_IN_MISSED, Event.EXPLANATION_OVERDUE, Event.REMINDER_FAILED]):
        staff_notifications.notify(
            session,
            user=navigator,
            event=event,
            case=None,
            text=f"Item {n}",
            now=NOW + timedelta(minutes=n),
            key=f"e{n}",
            channels=EMAIL_ON,
        )
    staff_notifications.notify(
        session, user=other, event=Event.CHECK_IN_MISSED, case=None, text="Theirs", now=NOW, key="e0", channels=EMAIL_ON
    )
    later = NOW + timedelta(hours=7)
    assert staff_notifications.send_digests(session, now=later, channels=EMAIL_ON) == 2
    assert staff_notifications.send_digests(session, now=later + timedelta(hours=1), channels=EMAIL_ON) == 0
    mine = next(d for d in _outbox(session, "digest") if d.recipient == navigator.email)
    assert "3 notifications" in mine.subject and "24 November 2026" in mine.subject
    assert all(f"Item {n}" in mine.body for n in range(3)) and "Theirs" not in mine.body
    # One the same evening waits for tomorrow's digest rather than sending a second one today.
    staff_notifications.notify(
        session,
        user=navigator,
        event=Event.CHECK_IN_MISSED,
        case=None,
        text="Evening",
        now=later,
        key="e9",
        channels=EMAIL_ON,
    )
    assert staff_notifications.send_digests(session, now=later + timedelta(hours=2), channels=EMAIL_ON) == 0
    # Tomorrow's goes out when the working day starts, not when the overnight sweeps run.
    tomorrow = datetime(2026, 11, 25, tzinfo=LONDON)
    assert staff_notifications.send_digests(session, now=tomorrow.replace(hour=0, minute=5), channels=EMAIL_ON) == 0
    assert staff_notifications.send_digests(session, now=tomorrow.replace(hour=6, minute=59), channels=EMAIL_ON) == 0
    assert staff_notifications.send_digests(session, now=tomorrow.replace(hour=7), channels=EMAIL_ON) == 1
    assert "Evening" in _outbox(session, "digest")[-1].body


def test_nobody_changes_another_users_settings(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    with pytest.raises(NotPermitted):
        staff_notifications.set_choices(
            session, actor=supervisor, user=navigator, choices=_choices(check_in_missed="off"), now=NOW
        )
    assert staff_notifications.choices_for(session, user=navigator)[Event.CHECK_IN_MISSED] is Choice.DIGEST


def test_a_change_is_audited_and_an_unknown_choice_refused(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    with pytest.raises(FieldError):
        staff_notifications.set_choices(
            session, actor=navigator, user=navigator, choices=_choices(check_in_missed="pigeon"), now=NOW
        )
    changed = staff_notifications.set_choices(
        session, actor=navigator, user=navigator, choices=_choices(reminder_failed="email"), now=NOW
    )
    assert changed == [Event.REMINDER_FAILED]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "notifications.choices_changed"))
    assert event.detail["events"] == ["reminder_failed"] and event.actor_id == navigator.id
