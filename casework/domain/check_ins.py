"""Check-ins (DOMAIN.md §6): how they are held, what can happen at one, and the scheme's pattern.

An absence is not judged on the day. Recording that the person did not come leaves the check-in
awaiting an explanation for two working days; the navigator then classifies it as acceptable or
not, and only that classification can count towards a breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from casework.domain.bank_holidays import next_working_day, previous_working_day
from casework.domain.time_limits import add_working_days

# Someone who has not arrived, or not answered, this long after the start has missed it (DOMAIN.md §6).
MISSED_AFTER_MINUTES = 15
EXPLANATION_WORKING_DAYS = 2


class Mode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"

    @property
    def label(self) -> str:
        return {Mode.IN_PERSON: "In person", Mode.PHONE: "Phone call", Mode.VIDEO: "Video call"}[self]

    @property
    def place_label(self) -> str:
        """What the place means for this mode, for forms and the printed schedule."""
        return {
            Mode.IN_PERSON: "Where",
            Mode.PHONE: "Number the navigator will call",
            Mode.VIDEO: "How to join",
        }[self]

    @property
    def place_missing(self) -> str:
        return {
            Mode.IN_PERSON: "Enter where the check-in will be held",
            Mode.PHONE: "Enter the number the navigator will call",
            Mode.VIDEO: "Enter how the person joins the video call",
        }[self]


class Outcome(StrEnum):
    ATTENDED_COMPLIED = "attended_complied"
    ATTENDED_NOT_COMPLIED = "attended_not_complied"
    LATE = "late"
    AWAITING_EXPLANATION = "pending_explanation"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"
    NOT_HELD_SERVICE_REASON = "not_held_service_reason"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def attended(self) -> bool:
        return self in ATTENDED


OUTCOME_LABELS = {
    Outcome.ATTENDED_COMPLIED: "Attended and complied",
    Outcome.ATTENDED_NOT_COMPLIED: "Attended but did not comply",
    Outcome.LATE: "Attended late",
    Outcome.AWAITING_EXPLANATION: "Did not attend: awaiting an explanation",
    Outcome.ACCEPTABLE_ABSENCE: "Acceptable absence",
    Outcome.UNACCEPTABLE_ABSENCE: "Unacceptable absence",
    Outcome.NOT_HELD_SERVICE_REASON: "Not held for a service reason",
}
ATTENDED = frozenset({Outcome.ATTENDED_COMPLIED, Outcome.ATTENDED_NOT_COMPLIED, Outcome.LATE})
# What a navigator records on the day. An unacceptable absence is never recorded directly: the
# person first has the chance to explain (DOMAIN.md §6).
RECORDABLE = (
    Outcome.ATTENDED_COMPLIED,
    Outcome.ATTENDED_NOT_COMPLIED,
    Outcome.LATE,
    Outcome.AWAITING_EXPLANATION,
    Outcome.ACCEPTABLE_ABSENCE,
    Outcome.NOT_HELD_SERVICE_REASON,
)
# How an absence awaiting an explanation is settled.
CLASSIFICATIONS = (Outcome.ACCEPTABLE_ABSENCE, Outcome.UNACCEPTABLE_ABSENCE)

ABSENCE_REASONS = {
    "medical": "Illness or a medical appointment",
    "work": "Work",
    "caring": "Caring emergency",
    "court": "Court or another statutory appointment",
    "transport": "Transport failure",
    "religious": "Religious observance",
    "custody_or_hospital": "In custody or in hospital",
    "other": "Other",
}

ENGAGEMENT = {
    1: "1: Not engaged",
    2: "2: Reluctant",
    3: "3: Going through the motions",
    4: "4: Engaged",
    5: "5: Fully engaged, leading their own plan",
}


class RequestedBy(StrEnum):
    PERSON = "person"
    SERVICE = "service"

    @property
    def label(self) -> str:
        return {RequestedBy.PERSON: "The person", RequestedBy.SERVICE: "The service"}[self]


@dataclass(frozen=True)
class Pattern:
    """The scheme's rhythm: `weekly` weekly check-ins from the start, then one every `then_every_days`."""

    weekly: int
    then_every_days: int


def pattern_dates(starts_on: date, ends_on: date, pattern: Pattern) -> list[date]:
    """The check-in days for a term: weekly from a week after the start, then every n days, up to the
    end. A day that is not a working day moves to the next working day; one pushed past the end
    moves back to the last working day before it. A day never appears twice."""
    offsets = [7 * week for week in range(1, pattern.weekly + 1)]
    offset = offsets[-1] if offsets else 0
    while True:
        offset += pattern.then_every_days
        if starts_on + timedelta(days=offset) > ends_on:
            break
        offsets.append(offset)
    days: list[date] = []
    for offset in offsets:
        day = starts_on + timedelta(days=offset)
        if day > ends_on:
            break
        moved = next_working_day(day)
        if moved > ends_on:
            moved = previous_working_day(ends_on)
        if moved > starts_on and (not days or moved > days[-1]):
            days.append(moved)
    return days


def explanation_due_on(check_in_day: date) -> date:
    """The last day the person can explain a missed check-in: two working days after it."""
    return add_working_days(check_in_day, EXPLANATION_WORKING_DAYS)
