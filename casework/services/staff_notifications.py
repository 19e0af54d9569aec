"""Telling staff what needs them: each notification is written once per event and user, then sent
as an email now, gathered into the user's daily digest, or only kept, as the user chose."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain.clock import local, local_today
from casework.domain.errors import FieldError, NotPermitted
from casework.domain.notifications import DEFAULT_CHOICES, DIGEST_FROM, Choice, Event
from casework.models import Case, NotificationPreference, StaffNotification, User
from casework.services import audit, messages

RECENT = 20


def choices_for(session: Session, *, user: User) -> dict[Event, Choice]:
    chosen = {
        Event(row.event): Choice(row.choice)
        for row in session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    return {event: chosen.get(event, DEFAULT_CHOICES[event]) for event in Event}


def set_choices(session: Session, *, actor: User, user: User, choices: Mapping[str, str], now: datetime) -> list[Event]:
    """Everyone sets their own, and only their own; returns the events whose choice changed."""
    if actor is None or not actor.is_active or actor.id != user.id:
        raise NotPermitted("You can only change your own notification settings.")
    current = choices_for(session, user=user)
    changed = []
    for event in Event:
        value = choices.get(event.value)
        if value not in Choice._value2member_map_:
            raise FieldError(event.value, f"Select how you want to hear when {event.label[0].lower()}{event.label[1:]}")
        if Choice(value) is current[event]:
            continue
        changed.append(event)
        row = session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.event == event.value
            )
        )
        if row is None:
            session.add(NotificationPreference(user_id=user.id, event=event.value, choice=value, changed_at=now))
        else:
            row.choice, row.changed_at = value, now
    if changed:
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="notifications.choices_changed",
            now=now,
            events=[event.value for event in changed],
            choices=[choices[event.value] for event in changed],
        )
    return changed


def notify(
    session: Session,
    *,
    user: User,
    event: Event | str,
    case: Case | None,
    text: str,
    now: datetime,
    key: str,
    channels: frozenset[str] | None = None,
) -> StaffNotification | None:
    """Write the notification (None if this key already notified this user) and, if the user wants
    an email each time, queue it in the same transaction."""
    event = Event(event)
    choice = choices_for(session, user=user)[event]
    notification = StaffNotification(
        user_id=user.id,
        event=event.value,
        case_id=case.id if case else None,
        text=text[:500],
        created_at=now,
        dedupe_key=key[:200],
        choice=choice.value,
    )
    if session.scalar(
        select(StaffNotification.id).where(
            StaffNotification.user_id == user.id, StaffNotification.dedupe_key == notification.dedupe_key
        )
    ):
        return None
    try:
        with session.begin_nested():
            session.add(notification)
    except IntegrityError:  # another process notified first
        return None
    if choice is Choice.EMAIL and user.is_active and "email" in messages.enabled_channels(channels):
        reference = f"case {case.reference}: " if case else ""
        sent = messages.queue(
            session,
            channel="email",
            recipient=user.email,
            subject=f"{event.label} ({reference.removesuffix(': ') or 'casework'})",
            body=f"{reference}{text}\n\nYou chose to get an email each time this happens. "
            "Change this in Notification settings.",
            language="en",
            purpose="staff_notification",
            dedupe_key=f"staff:{user.id}:{notification.dedupe_key}",
            now=now,
            case_id=case.id if case else None,
            user_id=user.id,
        )
        notification.emailed_message_id = sent.id if sent else None
    session.flush()
    return notification


def send_digests(session: Session, *, now: datetime, channels: frozenset[str] | None = None) -> int:
    """One email per user per London day with every digest notification not yet sent; a second run
    the same day leaves newer ones for tomorrow's. Returns the number of digests queued."""
    if "email" not in messages.enabled_channels(channels) or local(now).time() < DIGEST_FROM:
        return 0
    day = local_today(now)
    waiting = session.execute(
        select(StaffNotification, User)
        .join(User, User.id == StaffNotification.user_id)
        .where(
            StaffNotification.choice == Choice.DIGEST.value,
            StaffNotification.digest_message_id.is_(None),
            StaffNotification.created_at <= now,
            User.is_active.is_(True),
        )
        .order_by(StaffNotification.user_id, StaffNotification.created_at, StaffNotification.id)
    ).all()
    queued = 0
    for _user_id, rows in groupby(waiting, key=lambda row: row[1].id):
        rows = list(rows)
        user = rows[0][1]
        notes = [row[0] for row in rows]
        lines = [f"- {_at(note.created_at)}, {Event(note.event).label}: {note.text}" for note in notes]
        count = f"{len(notes)} notification{'s' if len(notes) != 1 else ''}"
        digest = messages.queue(
            session,
            channel="email",
            recipient=user.email,
            subject=f"Your casework digest for {day.day} {day:%B %Y}: {count}",
            body=f"Hello {user.full_name},\n\n{count} since your last digest:\n\n"
            + "\n".join(lines)
            + "\n\nChange what you get by email in Notification settings.",
            language="en",
            purpose="digest",
            dedupe_key=f"digest:{user.id}:{day.isoformat()}",
            now=now,
            user_id=user.id,
        )
        if digest is None:
            continue
        for note in notes:
            note.digest_message_id = digest.id
        queued += 1
    session.flush()
    return queued


def recent_for(session: Session, *, user: User, limit: int = RECENT) -> list[StaffNotification]:
    return list(
        session.scalars(
            select(StaffNotification)
            .where(StaffNotification.user_id == user.id)
            .order_by(StaffNotification.created_at.desc(), StaffNotification.id.desc())
            .limit(limit)
        )
    )


def _at(moment: datetime) -> str:
    shown = local(moment)
    return f"{shown.day} {shown:%B} {shown:%H:%M}"
