"""Reminders to the person before a check-in (DOMAIN.md §6): when each is due, and what it says in
English and Welsh.

A reminder is a help, never a requirement. One that can no longer arrive in good time is not sent
late: a "48 hours" reminder for a check-in booked 3 hours ahead, or one the scheduler could not send
while it was down for a day, would only confuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from casework.domain.clock import local
from casework.domain.welsh import WELSH_DAYS, WELSH_MONTHS

DEFAULT_HOURS = (48, 2)
HOURS_RANGE = (1, 168)
MOST_REMINDERS = 4
# How late a reminder may still go: half its lead time, and never more than this.
LATEST = timedelta(hours=12)

CHANNEL_LABELS = {"email": "email", "sms": "text message"}


def parse_hours(text: str) -> tuple[int, ...]:
    """ "48, 2" -> (48, 2): hours before the check-in, largest first. Raises ValueError with a message."""
    parts = [part.strip().lower().removesuffix("h").removesuffix("hours").strip() for part in text.split(",")]
    if not [part for part in parts if part]:
        raise ValueError("Enter the hours before a check-in that reminders go, like 48, 2")
    hours = []
    for part in parts:
        if not part.isdigit():
            raise ValueError("Enter whole numbers of hours separated by commas, like 48, 2")
        hours.append(int(part))
    low, high = HOURS_RANGE
    if any(not low <= hour <= high for hour in hours):
        raise ValueError(f"Each reminder must be from {low} to {high} hours before the check-in")
    if len(set(hours)) != len(hours):
        raise ValueError("Enter each number of hours once")
    if len(hours) > MOST_REMINDERS:
        raise ValueError(f"Enter at most {MOST_REMINDERS} reminder times")
    return tuple(sorted(hours, reverse=True))


def format_hours(hours: tuple[int, ...]) -> str:
    return ",".join(str(hour) for hour in hours)


def lateness_allowed(hours_before: int) -> timedelta:
    return min(LATEST, timedelta(hours=hours_before) / 2)


def due_at(scheduled_at: datetime, hours_before: int) -> datetime:
    """An exact number of hours before, as instants: across a clock change 48 hours is still 48 hours."""
    return scheduled_at - timedelta(hours=hours_before)


def sendable(scheduled_at: datetime, hours_before: int, now: datetime) -> bool:
    """Due, not so late that it would mislead, and still before the check-in."""
    due = due_at(scheduled_at, hours_before)
    return due <= now < scheduled_at and now - due <= lateness_allowed(hours_before)


def scheduled_range(hours_before: int, now: datetime) -> tuple[datetime, datetime]:
    """The check-ins (by start, inclusive) whose reminder of this lead time is sendable now: the
    sweep reads only these, through the index on the start time, so it scales with what is due."""
    lead = timedelta(hours=hours_before)
    return now + lead - lateness_allowed(hours_before), now + lead


# ---- wording ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInFacts:
    """What a reminder says, as plain values."""

    given_names: str
    scheduled_at: datetime
    mode: str  # in_person, phone, video
    place: str
    scheme_name: str
    team_name: str
    team_phone: str
    team_email: str


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def when(moment: datetime, language: str, *, adverb: bool = False) -> str:
    """Monday 30 March 2026 at 10:00am, or dydd Llun 30 Mawrth 2026 am 10:00yb, in UK time.

    Welsh mutates "dydd" to "ddydd" when the date says when something happens ("ar" is not used)."""
    shown = local(moment)
    hour = shown.hour % 12 or 12
    if language == "cy":
        suffix = "yb" if shown.hour < 12 else "yh"
        weekday = WELSH_DAYS[shown.weekday()]
        day = f"{'d' + weekday if adverb else weekday} {shown.day} {WELSH_MONTHS[shown.month - 1]} {shown.year}"
        return f"{day} am {hour}:{shown:%M}{suffix}"
    suffix = "am" if shown.hour < 12 else "pm"
    return f"{shown:%A} {shown.day} {shown:%B %Y} at {hour}:{shown:%M}{suffix}"


def _how(facts: CheckInFacts, language: str) -> str:
    place = facts.place.strip()
    if language == "cy":
        return {
            "in_person": f"Wyneb yn wyneb: {place}" if place else "Wyneb yn wyneb",
            "phone": f"Dros y ffôn. Byddwn ni'n eich ffonio chi ar {place}" if place else "Dros y ffôn",
            "video": f"Galwad fideo. Sut i ymuno: {place}" if place else "Galwad fideo",
        }[facts.mode]
    return {
        "in_person": f"In person: {place}" if place else "In person",
        "phone": f"By phone. We will call you on {place}" if place else "By phone",
        "video": f"Video call. How to join: {place}" if place else "Video call",
    }[facts.mode]


def _contact(facts: CheckInFacts, language: str) -> list[str]:
    lines = []
    if facts.team_phone:
        lines.append(f"{'Ffôn' if language == 'cy' else 'Phone'}: {facts.team_phone}")
    if facts.team_email:
        lines.append(f"{'E-bost' if language == 'cy' else 'Email'}: {facts.team_email}")
    return lines


def reminder(facts: CheckInFacts, *, language: str, channel: str) -> Wording:
    """Short and plain: an SMS is one or two text messages, an email a few lines."""
    at = when(facts.scheduled_at, language)
    on = when(facts.scheduled_at, language, adverb=True)
    how = _how(facts, language)
    contact = _contact(facts, language)
    if language == "cy":
        subject = f"Nodyn atgoffa: eich apwyntiad {on}"
        if channel == "sms":
            ways = " neu ".join(line.split(": ", 1)[1] for line in contact)
            change = f" Os oes angen i chi newid yr amser, cysylltwch â ni: {ways}." if ways else ""
            return Wording(subject, f"{facts.scheme_name}: nodyn atgoffa am eich apwyntiad {on}. {how}.{change}")
        body = [
            f"Helo {facts.given_names},",
            "",
            f"Dyma nodyn i'ch atgoffa am eich apwyntiad gyda thîm {facts.scheme_name}.",
            "",
            f"Pryd: {at}",
            f"Sut: {how}",
            "",
            "Os na allwch chi ddod, neu os oes angen i chi newid yr amser, cysylltwch â ni cyn gynted â phosibl:",
            *contact,
            "",
            facts.team_name,
        ]
        return Wording(subject, "\n".join(body))
    subject = f"Reminder: your appointment on {at}"
    if channel == "sms":
        ways = " or ".join(line.split(": ", 1)[1] for line in contact)
        change = f" If you need to change it, contact us: {ways}." if ways else ""
        return Wording(subject, f"{facts.scheme_name}: a reminder of your appointment on {at}. {how}.{change}")
    body = [
        f"Hello {facts.given_names},",
        "",
        f"This is a reminder of your appointment with the {facts.scheme_name} team.",
        "",
        f"When: {at}",
        f"How: {how}",
        "",
        "If you cannot come, or need to change the time, contact us as soon as you can:",
        *contact,
        "",
        facts.team_name,
    ]
    return Wording(subject, "\n".join(body))
