"""Staff notifications and the outbox's retry rule: what can be notified, how each user may choose
to hear about it, and when a failed message is tried again."""

from __future__ import annotations

from datetime import time, timedelta
from enum import StrEnum

# The daily digest goes out once the working day starts in England and Wales, not just after midnight
# when the overnight sweeps have run.
DIGEST_FROM = time(7, 0)


class Event(StrEnum):
    CHECK_IN_MISSED = "check_in_missed"
    EXPLANATION_OVERDUE = "explanation_overdue"
    FIRST_CONTACT_OVERDUE = "first_contact_overdue"
    COMPLETION_REVIEW_DUE = "completion_review_due"
    CHARGE_DEADLINE_WARNING = "charge_deadline_warning"
    REMINDER_FAILED = "reminder_failed"
    BREACH_REVIEW = "breach_review"
    BREACH_DECIDED = "breach_decided"
    FOLLOW_UP_ASKED = "follow_up_asked"
    FOLLOW_UP_DONE = "follow_up_done"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    Event.CHECK_IN_MISSED: "A person misses a check-in",
    Event.EXPLANATION_OVERDUE: "An explanation for an absence is overdue",
    Event.FIRST_CONTACT_OVERDUE: "First contact with a person is overdue",
    Event.COMPLETION_REVIEW_DUE: "A contract reaches its end and needs a completion review",
    Event.CHARGE_DEADLINE_WARNING: "A charge deadline is getting close (28, 14 and 7 days)",
    Event.REMINDER_FAILED: "A reminder to a person could not be sent",
    Event.BREACH_REVIEW: "A breach goes to a supervisor for a decision",
    Event.BREACH_DECIDED: "A supervisor decides a breach on one of your cases",
    Event.FOLLOW_UP_ASKED: "A supervisor asks you to follow something up on a case",
    Event.FOLLOW_UP_DONE: "A navigator marks done a follow-up you asked for",
}


class Choice(StrEnum):
    EMAIL = "email"
    DIGEST = "digest"
    OFF = "off"

    @property
    def label(self) -> str:
        return CHOICE_LABELS[self]


CHOICE_LABELS = {
    Choice.EMAIL: "An email each time",
    Choice.DIGEST: "In one email a day (daily digest)",
    Choice.OFF: "No email",
}

# A digest by default: notification fatigue is the commonest complaint (LESSONS.md). The statutory
# charge deadline is the one clock that cannot wait for tomorrow's digest.
DEFAULT_CHOICES = {event: Choice.DIGEST for event in Event} | {Event.CHARGE_DEADLINE_WARNING: Choice.EMAIL}


# The wait after each failed attempt; after the last the message is given up as failed.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
    timedelta(hours=4),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# How long a sender may hold a message before another sender assumes it died and takes it back.
SENDING_LEASE = timedelta(minutes=10)


def retry_after(attempts: int) -> timedelta | None:
    """The wait before the next try after `attempts` failed tries, or None once they are used up."""
    if attempts < 1:
        raise ValueError("a retry follows at least one attempt")
    return RETRY_AFTER[attempts - 1] if attempts < MAX_ATTEMPTS else None
