"""Completion reviews (DOMAIN.md §3.1, §3.2): each time a case enters completion review, who asked for
it (None when the scheduler moved it at the end date) and, at sign-off, why the exit needs assessment
was not done if it was not. The sign-off itself is the case's CaseOutcome."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User


class CompletionReview(Base):
    __tablename__ = "completion_reviews"
    __table_args__ = (
        CheckConstraint(
            "(exit_not_done_reason IS NULL) = (exit_not_done_by_id IS NULL)", name="exit_reason_has_author"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    # The end date the review was begun for, as the end-date rule gave it then.
    ends_on: Mapped[date] = mapped_column(Date)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exit_not_done_reason: Mapped[str | None] = mapped_column(Text)
    exit_not_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id], lazy="joined")
