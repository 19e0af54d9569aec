"""What a supervisor puts on a case outside the contract itself: a suspension of the term
(DOMAIN.md §3.1), and a follow-up for the navigator.

A suspension pauses the term. The signed contract is never changed: the paused days are kept here
and added to the contract's end when the term resumes (services.suspensions.term_end), so the
signed version stays reproducible byte for byte and the legal dates on the case never move."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User


class Suspension(Base):
    __tablename__ = "case_suspensions"
    __table_args__ = (
        CheckConstraint(
            "(resumed_on IS NULL) = (paused_days IS NULL AND resumed_at IS NULL AND resumed_by_id IS NULL)",
            name="resumed_has_days_and_who",
        ),
        CheckConstraint("resumed_on IS NULL OR resumed_on >= starts_on", name="resumes_after_start"),
        CheckConstraint("paused_days IS NULL OR paused_days >= 0", name="paused_days_not_negative"),
        # A case is paused once at a time.
        Index(
            "one_open_suspension_per_case",
            "case_id",
            unique=True,
            sqlite_where=text("resumed_on IS NULL"),
            postgresql_where=text("resumed_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breaches.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    suspended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    suspended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    paused_days: Mapped[int | None] = mapped_column(Integer)
    resumed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    suspended_by: Mapped[User] = relationship(foreign_keys=[suspended_by_id], lazy="joined")
    resumed_by: Mapped[User | None] = relationship(foreign_keys=[resumed_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.resumed_on is None


class FollowUp(Base):
    """A supervisor asks the case's navigator to follow something up by a date; the navigator (or a
    supervisor) marks it done with a note."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL AND done_note IS NULL)", name="done_has_who_and_note"),
        CheckConstraint("length(what) BETWEEN 1 AND 500", name="what_length"),
        # The open follow-ups are few whatever the history: the case page and Today read them here.
        Index(
            "ix_follow_ups_open",
            "navigator_id",
            "due_on",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    navigator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    what: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date] = mapped_column(Date)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    navigator: Mapped[User] = relationship(foreign_keys=[navigator_id], lazy="joined")
    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id], lazy="joined")
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}
