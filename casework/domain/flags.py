"""Flags the scheduler raises on a case when something is overdue or close to a deadline, and the
dates that decide when each is due (DOMAIN.md §3.4 for the charge deadline warnings).

A flag is raised once per case, kind and subject: the subject tells apart the occasions of one kind
(the "28", "14" and "7" day warnings; the end date of the contract that ended).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from casework.domain import time_limits


class FlagKind(StrEnum):
    FIRST_CONTACT_OVERDUE = "first_contact_overdue"
    COMPLETION_REVIEW = "completion_review"
    DEADLINE = "deadline"
    # Raised by the check-in sweep: an absence still unclassified after the person's two working days.
    EXPLANATION_OVERDUE = "explanation_overdue"


# Warnings before the decision deadline, most distant first (the caseload's bands use the same days).
DEADLINE_THRESHOLDS = (28, 14, 7)


def first_contact_due_on(referred_on: date, working_days: int) -> date:
    """The last day on which first contact is on time: the scheme's target in working days."""
    return time_limits.add_working_days(referred_on, working_days)


def first_contact_overdue(referred_on: date, today: date, working_days: int) -> bool:
    return today > first_contact_due_on(referred_on, working_days)


def latest_overdue_referral_day(today: date, working_days: int) -> date:
    """The latest referral date whose first contact is overdue today, so a sweep can ask the database
    for cases referred on or before it (an indexed range) instead of testing every case.

    `first_contact_due_on` never decreases as the referral date moves later, so walking back from
    yesterday the first day that is overdue is the latest one; the walk is at most the target in
    working days plus the weekends and bank holidays between."""
    day = today - timedelta(days=1)
    while not first_contact_overdue(day, today, working_days):
        day -= timedelta(days=1)
    return day


def deadline_band(threshold: int, today: date) -> tuple[date | None, date]:
    """The decision deadlines that fall in a threshold's band today, as (after, up to and including):
    a case gets the most urgent warning it has reached, so 10 days before its deadline it has the
    14-day warning and not the 28-day one. The 7-day band has no lower end: a deadline that has
    passed while the case is open stays under the most urgent warning."""
    position = DEADLINE_THRESHOLDS.index(threshold)
    closer = DEADLINE_THRESHOLDS[position + 1] if position + 1 < len(DEADLINE_THRESHOLDS) else None
    return (today + timedelta(days=closer) if closer is not None else None), today + timedelta(days=threshold)


def describe(kind: str, subject: str) -> str:
    """The flag in words, for the case page and the supervisor's home."""
    if kind == FlagKind.FIRST_CONTACT_OVERDUE:
        return "First contact is overdue"
    if kind == FlagKind.COMPLETION_REVIEW:
        ended = date.fromisoformat(subject)
        return f"The contract ended on {ended.day} {ended:%B %Y}: start the completion review"
    if kind == FlagKind.DEADLINE:
        return f"{subject} days or fewer to the decision deadline"
    if kind == FlagKind.EXPLANATION_OVERDUE:
        return "A missed check-in's time to explain has passed: classify the absence"
    return kind.replace("_", " ").capitalize()
