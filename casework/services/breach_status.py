"""The one place a breach's status changes, by the steps domain.breaches allows. A new breach is
created open or already in review (breach_escalation.review_fields); every later step comes here."""

from __future__ import annotations

from datetime import datetime

from casework.domain.breaches import BreachStatus, ReviewReason, require_step
from casework.models import Breach, User


def step(breach: Breach, to: BreachStatus) -> None:
    require_step(breach.breach_status, to)
    breach.status = to.value


def to_review(breach: Breach, *, reason: ReviewReason, actor: User | None, now: datetime) -> None:
    step(breach, BreachStatus.REVIEW)
    breach.review_reason, breach.review_requested_at = reason.value, now
    breach.review_requested_by_id = actor.id if actor else None
