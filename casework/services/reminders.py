"""Reminders before check-ins (DOMAIN.md §6): the sweep that queues them, what happens when the
outbox has sent or given one up, and what the case shows about them.

Only on channels the person consented to and the service can send on, in the person's language.
The sweep reads only the check-ins whose reminder is due now (a range on the start-time index),
and each reminder is keyed by check-in, time, lead time and channel, so a rerun, a second
scheduler or a catch-up after downtime queues each one once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain import reminders as rules
from casework.domain.clock import local, local_today
from casework.domain.notifications import Event
from casework.models import Case, CheckIn, OutboxMessage, Person, Reminder, SchemeSettings, Team
from casework.services import audit, messages, schemes, staff_notifications

SMS_OFF = "Text message reminders are switched off: this service has no GOV.UK Notify key"
EMAIL_OFF = "Email reminders are switched off: this service has no mail server or GOV.UK Notify key"
CONTACT = {"email": ("email", "No email address is recorded"), "sms": ("phone", "No phone number is recorded")}
CONSENT = {"email": "reminder_by_email", "sms": "reminder_by_sms"}
SETTLED = ("sent", "failed", "skipped")


def hours_in_force(session: Session, *, now: datetime) -> tuple[int, ...]:
    return rules.parse_hours(schemes.settings_on(session, local_today(now)).reminder_hours)


def queue_due(
    session: Session, *, now: datetime, channels: frozenset[str] | None = None, limit: int | None = None
) -> int:
    """Record every reminder due now that is not recorded yet: queued to send, or skipped with the
    reason (a channel switched off, no address). Returns how many were recorded; `limit` takes at
    most that many check-ins per reminder time, for the scheduler's batches."""
    channels = messages.enabled_channels(channels)
    settings = schemes.settings_on(session, local_today(now))
    queued = 0
    for hours_before in rules.parse_hours(settings.reminder_hours):
        due = _due(session, hours_before, now, limit)
        recorded = _recorded(session, [row[0] for row in due], hours_before)
        for check_in, case, person, team in due:
            for channel in ("email", "sms"):
                missing = (check_in.id, check_in.scheduled_at, channel) not in recorded
                if getattr(person, CONSENT[channel]) and missing:
                    facts = _facts(check_in, person, team, settings)
                    queued += _create(session, check_in, case, person, facts, hours_before, channel, channels, now)
    return queued


def _due(session: Session, hours_before: int, now: datetime, limit: int | None):
    earliest, latest = rules.scheduled_range(hours_before, now)

    def not_yet(channel: str):
        return ~exists().where(
            Reminder.check_in_id == CheckIn.id,
            Reminder.scheduled_for == CheckIn.scheduled_at,
            Reminder.hours_before == hours_before,
            Reminder.channel == channel,
        )

    return session.execute(
        select(CheckIn, Case, Person, Team)
        .join(Case, Case.id == CheckIn.case_id)
        .join(Person, Person.id == Case.person_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            CheckIn.scheduled_at >= earliest,
            CheckIn.scheduled_at <= latest,
            CheckIn.scheduled_at > now,
            CheckIn.outcome.is_(None),
            CheckIn.cancelled_at.is_(None),
        )
        .where(
            or_(
                and_(Person.reminder_by_email.is_(True), not_yet("email")),
                and_(Person.reminder_by_sms.is_(True), not_yet("sms")),
            )
        )
        .order_by(CheckIn.scheduled_at, CheckIn.id)
        .limit(limit)
    ).all()


def _recorded(session: Session, check_ins: list[CheckIn], hours_before: int) -> set[tuple[int, datetime, str]]:
    """The reminders of this lead time already recorded for these check-ins, in one query:
    (check-in, the time it was reminded for, channel)."""
    if not check_ins:
        return set()
    rows = session.execute(
        select(Reminder.check_in_id, Reminder.scheduled_for, Reminder.channel).where(
            Reminder.check_in_id.in_([check_in.id for check_in in check_ins]),
            Reminder.hours_before == hours_before,
        )
    )
    return {tuple(row) for row in rows}


def _create(session, check_in, case, person, facts, hours_before, channel, channels, now) -> int:
    field, no_contact = CONTACT[channel]
    recipient = getattr(person, field)
    message, note = None, None
    if channel not in channels:
        note = SMS_OFF if channel == "sms" else EMAIL_OFF
    elif not recipient:
        note = no_contact
    else:
        wording = rules.reminder(facts, language=person.preferred_language, channel=channel)
        message = OutboxMessage(
            channel=channel,
            recipient=recipient,
            subject=wording.subject,
            body=wording.body,
            language=person.preferred_language,
            purpose="reminder",
            status="pending",
            attempts=0,
            next_attempt_at=now,
            expires_at=check_in.scheduled_at,
            created_at=now,
            case_id=case.id,
            check_in_id=check_in.id,
            dedupe_key=f"reminder:{check_in.id}:{check_in.scheduled_at.isoformat()}:{hours_before}:{channel}",
        )
    reminder = Reminder(
        check_in_id=check_in.id,
        scheduled_for=check_in.scheduled_at,
        hours_before=hours_before,
        channel=channel,
        due_at=rules.due_at(check_in.scheduled_at, hours_before),
        status="queued" if message else "skipped",
        note=note,
        message=message,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(reminder)
    except IntegrityError:  # another scheduler queued it first
        return 0
    return 1


def _facts(check_in: CheckIn, person: Person, team: Team, settings: SchemeSettings) -> rules.CheckInFacts:
    return rules.CheckInFacts(
        given_names=person.given_names,
        scheduled_at=check_in.scheduled_at,
        mode=check_in.mode,
        place=check_in.place,
        scheme_name=settings.scheme_name,
        team_name=team.name,
        team_phone=team.phone or "",
        team_email=team.email or "",
    )


# ---- after delivery ---------------------------------------------------------------------------


def withdrawn(session: Session, *, message: OutboxMessage, now: datetime) -> str | None:
    """Before sending: the reason a reminder is no longer wanted (its check-in moved, was cancelled
    or already has an outcome), marking it skipped; None if it should go."""
    if message.purpose != "reminder":
        return None
    reminder = session.scalar(select(Reminder).where(Reminder.outbox_message_id == message.id))
    check_in = session.get(CheckIn, reminder.check_in_id) if reminder else None
    if reminder is None or check_in is None:
        return None
    if check_in.cancelled_at is not None:
        reason = "Not sent: the check-in was cancelled"
    elif check_in.outcome is not None:
        reason = "Not sent: the check-in already has an outcome"
    elif check_in.scheduled_at != reminder.scheduled_for:
        reason = "Not sent: the check-in was moved"
    else:
        return None
    _settle(session, reminder, "skipped", reason, now)
    return reason


def settled(session: Session, *, message: OutboxMessage, now: datetime) -> None:
    """The outbox sent or gave up a message: a reminder records it, and a failure tells the navigator."""
    if message.purpose != "reminder":
        return
    reminder = session.scalar(select(Reminder).where(Reminder.outbox_message_id == message.id))
    if reminder is None or reminder.status != "queued":
        return
    _settle(session, reminder, message.status, message.last_error if message.status == "failed" else None, now)
    audit.record(
        session,
        actor=None,
        action=f"reminder.{message.status}",
        now=now,
        case_id=message.case_id,
        check_in_id=reminder.check_in_id,
        channel=reminder.channel,
        hours_before=reminder.hours_before,
    )
    if message.status == "failed":
        case = session.get(Case, message.case_id)
        if case is not None and case.navigator is not None:
            staff_notifications.notify(
                session,
                user=case.navigator,
                event=Event.REMINDER_FAILED,
                case=case,
                text=f"The {rules.CHANNEL_LABELS[reminder.channel]} reminder to {case.person.full_name} for the "
                f"check-in on {rules.when(reminder.scheduled_for, 'en')} could not be sent: {reminder.note}",
                now=now,
                key=f"reminder_failed:{reminder.id}",
            )


def _settle(session: Session, reminder: Reminder, status: str, note: str | None, now: datetime) -> None:
    """A reminder's one step: from queued to sent, failed or skipped, never back."""
    if reminder.status != "queued" or status not in SETTLED:
        raise ValueError(f"a reminder cannot go from {reminder.status} to {status}")
    reminder.status, reminder.note, reminder.settled_at = status, note, now
    session.flush()


# ---- on the case ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    channel: str
    recipient: str | None
    consented: bool
    enabled: bool
    wording: rules.Wording


def preview(
    session: Session, *, case: Case, check_in: CheckIn, channels: frozenset[str], now: datetime
) -> list[Preview]:
    """The reminder as the person would get it on each channel, whether or not it will be sent."""
    settings = schemes.settings_on(session, local_today(now))
    person, team = case.person, case.team
    facts = _facts(check_in, person, team, settings)
    return [
        Preview(
            channel=channel,
            recipient=getattr(person, CONTACT[channel][0]),
            consented=getattr(person, CONSENT[channel]),
            enabled=channel in channels,
            wording=rules.reminder(facts, language=person.preferred_language, channel=channel),
        )
        for channel in ("email", "sms")
    ]


def for_check_ins(session: Session, check_in_ids: list[int]) -> dict[int, list[Reminder]]:
    found: dict[int, list[Reminder]] = defaultdict(list)
    if not check_in_ids:
        return found
    rows = session.scalars(
        select(Reminder)
        .where(Reminder.check_in_id.in_(check_in_ids))
        .order_by(Reminder.due_at, Reminder.channel, Reminder.id)
    )
    for reminder in rows:
        found[reminder.check_in_id].append(reminder)
    return found


def describe(reminder: Reminder) -> str:
    """One line a navigator reads beside the check-in."""
    by = f"by {rules.CHANNEL_LABELS[reminder.channel]}"
    if reminder.status == "sent":
        return f"Reminder sent {by} {_short(reminder.settled_at)}"
    if reminder.status == "failed":
        return f"Reminder {by} failed: {reminder.note}"
    if reminder.status == "skipped":
        return f"Reminder {by} not sent: {reminder.note}"
    message = reminder.message
    if message is not None and message.attempts and message.last_error:
        return f"Reminder {by} not sent yet, trying again {_short(message.next_attempt_at)}: {message.last_error}"
    return f"Reminder {by} waiting to be sent"


def why_none(person: Person, channels: frozenset[str]) -> list[str]:
    """What stops reminders reaching this person, in plain words; empty when nothing does."""
    reasons = []
    if not person.reminder_by_email and not person.reminder_by_sms:
        reasons.append(f"{person.full_name} has not agreed to any reminders, so none will be sent.")
    if person.reminder_by_email and not person.email:
        reasons.append("Email reminders are agreed but no email address is recorded.")
    if person.reminder_by_sms and not person.phone:
        reasons.append("Text message reminders are agreed but no phone number is recorded.")
    if person.reminder_by_email and "email" not in channels:
        reasons.append(f"{EMAIL_OFF}.")
    if person.reminder_by_sms and "sms" not in channels:
        reasons.append(f"{SMS_OFF}.")
    return reasons


def _short(moment: datetime | None) -> str:
    if moment is None:
        return ""
    shown = local(moment)
    return f"{shown.day} {shown:%B} {shown:%H:%M}"
