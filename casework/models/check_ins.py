"""Check-ins: the appointments of a running contract, their outcomes, and how they were moved."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.check_ins import Mode, Outcome
from casework.models.base import Base, UTCDateTime
from casework.models.users import User


def _sql_list(values) -> str:
    return ", ".join(f"'{value.value}'" for value in values)


# Still to happen, or happened with nothing recorded: what the sweeps and "today" read. The partial
# index keeps them fast however many past check-ins the table holds.
OPEN_CHECK_IN = "outcome IS NULL AND cancelled_at IS NULL"


class CheckIn(Base):
    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint(f"mode IN ({_sql_list(Mode)})", name="known_mode"),
        CheckConstraint(f"outcome IS NULL OR outcome IN ({_sql_list(Outcome)})", name="known_outcome"),
        CheckConstraint("engagement IS NULL OR engagement BETWEEN 1 AND 5", name="engagement_in_range"),
        CheckConstraint("outcome IS NULL OR cancelled_at IS NULL", name="cancelled_has_no_outcome"),
        CheckConstraint(
            "cancelled_at IS NULL OR (cancel_reason IS NOT NULL AND requested_by IS NOT NULL)",
            name="cancelled_has_reason",
        ),
        CheckConstraint(
            "outcome IS NULL OR (outcome_recorded_at IS NOT NULL)",
            name="outcome_has_time",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome <> 'late' OR (late_minutes > 0 AND late_reason IS NOT NULL)",
            name="late_has_minutes_and_reason",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome <> 'acceptable_absence' OR absence_reason IS NOT NULL",
            name="acceptable_absence_has_reason",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome <> 'pending_explanation' OR explanation_due_on IS NOT NULL",
            name="awaiting_explanation_has_due_date",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome <> 'not_held_service_reason' OR service_reason IS NOT NULL",
            name="not_held_has_reason",
        ),
        Index("ix_check_ins_case_time", "case_id", "scheduled_at"),
        Index(
            "ix_check_ins_open_time",
            "scheduled_at",
            sqlite_where=text(OPEN_CHECK_IN),
            postgresql_where=text(OPEN_CHECK_IN),
        ),
        Index(
            "ix_check_ins_awaiting_explanation",
            "explanation_due_on",
            sqlite_where=text("outcome = 'pending_explanation'"),
            postgresql_where=text("outcome = 'pending_explanation'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    # The contract version in force when it was planned; None for one added before a contract.
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(10))
    place: Mapped[str] = mapped_column(String(300))
    # "pattern" when generated from the scheme's rhythm at signing; "added" by a navigator.
    source: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system

    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    late_minutes: Mapped[int | None] = mapped_column(Integer)
    late_reason: Mapped[str | None] = mapped_column(Text)
    absence_reason: Mapped[str | None] = mapped_column(String(30))
    absence_detail: Mapped[str | None] = mapped_column(Text)
    evidence_seen: Mapped[bool | None] = mapped_column(Boolean)
    service_reason: Mapped[str | None] = mapped_column(Text)
    engagement: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    safeguarding_concerns: Mapped[str | None] = mapped_column(Text)
    # An absence waits for the person's explanation until this London date (DOMAIN.md §6).
    explanation_due_on: Mapped[date | None] = mapped_column(Date)
    missed_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(String(10))

    version: Mapped[int] = mapped_column(Integer, default=1)

    changes: Mapped[list[CheckInChange]] = relationship(
        lazy="selectin", order_by="CheckInChange.id", back_populates="check_in"
    )
    condition_notes: Mapped[list[CheckInConditionNote]] = relationship(
        lazy="selectin", order_by="CheckInConditionNote.id", cascade="all, delete-orphan"
    )
    outcome_recorded_by: Mapped[User | None] = relationship(foreign_keys=[outcome_recorded_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def check_in_mode(self) -> Mode:
        return Mode(self.mode)

    @property
    def check_in_outcome(self) -> Outcome | None:
        return Outcome(self.outcome) if self.outcome else None

    @property
    def is_open(self) -> bool:
        return self.outcome is None and self.cancelled_at is None


class CheckInChange(Base):
    """A move or a cancellation: who asked (the person or the service), why, and what it was before."""

    __tablename__ = "check_in_changes"
    __table_args__ = (
        CheckConstraint("kind IN ('rescheduled', 'cancelled')", name="known_kind"),
        CheckConstraint("requested_by IN ('person', 'service')", name="known_requester"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    requested_by: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    previous_at: Mapped[datetime] = mapped_column(UTCDateTime)
    previous_mode: Mapped[str] = mapped_column(String(10))
    previous_place: Mapped[str] = mapped_column(String(300))
    new_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    check_in: Mapped[CheckIn] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship(lazy="joined")


class CheckInConditionNote(Base):
    """What the check-in found about one condition of the contract."""

    __tablename__ = "check_in_condition_notes"
    __table_args__ = (UniqueConstraint("check_in_id", "condition_id", name="one_note_per_condition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"), index=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("contract_conditions.id"))
    note: Mapped[str] = mapped_column(Text)
