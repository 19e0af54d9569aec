"""Breaches of a contract, the warnings given for them, and the supervisor's decision (DOMAIN.md §7).

A breach keeps the evidence as it stood when it was recorded (`evidence`: the breached condition's
wording in the signed version, the check-ins and reminders, earlier warnings, the days left to the
decision deadline), so the prosecution file shows what the supervisor decided on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.breaches import BreachKind, BreachStatus, Decision, Delivery, WarningLevel
from casework.models.base import Base, UTCDateTime
from casework.models.users import User


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class Breach(Base):
    __tablename__ = "breaches"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(BreachKind)})", name="known_kind"),
        CheckConstraint(f"status IN ({_values(BreachStatus)})", name="known_status"),
        CheckConstraint(f"decision IS NULL OR decision IN ({_values(Decision)})", name="known_decision"),
        # A decided breach has its decision, rationale, decider and time; an undecided one has none.
        CheckConstraint(
            "(status = 'decided') = (decision IS NOT NULL AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL "
            "AND decision_rationale IS NOT NULL)",
            name="decided_has_decision",
        ),
        CheckConstraint("status <> 'review' OR review_requested_at IS NOT NULL", name="review_has_time"),
        # Nobody decides a breach they raised (DOMAIN.md §1, separation of duties).
        CheckConstraint(
            "decided_by_id IS NULL OR raised_by_id IS NULL OR decided_by_id <> raised_by_id", name="not_own"
        ),
        # Exactly once: one breach per missed check-in, one per condition not met by its due date.
        # A conduct breach names a condition too, and the same condition can be breached again.
        UniqueConstraint("check_in_id", name="once_per_check_in"),
        Index(
            "once_per_unmet_condition",
            "condition_id",
            unique=True,
            sqlite_where=text("kind = 'condition_not_met'"),
            postgresql_where=text("kind = 'condition_not_met'"),
        ),
        Index("ix_breaches_case_status", "case_id", "status"),
        # The supervisor's queue: the breaches awaiting a decision are few whatever the history.
        Index(
            "ix_breaches_awaiting_review",
            "review_requested_at",
            sqlite_where=text("status = 'review'"),
            postgresql_where=text("status = 'review'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=BreachStatus.OPEN.value)
    version: Mapped[int] = mapped_column(Integer, default=1)

    occurred_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    # None when the service raised it (a missed check-in's rule, a condition past its due date).
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # What it is about, where that applies
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("contract_conditions.id"))
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_ins.id"))
    crime_reference: Mapped[str | None] = mapped_column(String(40))
    reported_by: Mapped[str | None] = mapped_column(String(40))  # navigator, OIC, force system, victim
    explanation: Mapped[str | None] = mapped_column(Text)
    evidence_note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # The supervisor's review
    review_reason: Mapped[str | None] = mapped_column(String(30))
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_rationale: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")

    # Two supervisors deciding at once: the second flush finds the version moved and is refused.
    __mapper_args__ = {"version_id_col": version}

    @property
    def breach_kind(self) -> BreachKind:
        return BreachKind(self.kind)

    @property
    def breach_status(self) -> BreachStatus:
        return BreachStatus(self.status)


class BreachWarning(Base):
    """A formal warning (the navigator's) or a final warning (the supervisor's decision), with the
    letter sent to the person."""

    __tablename__ = "breach_warnings"
    __table_args__ = (
        CheckConstraint(f"level IN ({_values(WarningLevel)})", name="known_level"),
        UniqueConstraint("breach_id", "level", name="one_per_breach_and_level"),
        CheckConstraint(f"delivery IS NULL OR delivery IN ({_values(Delivery)})", name="known_delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breaches.id"))
    level: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(2))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("case_letters.id"))
    # How the letter reached the person: by post, by email or by hand.
    delivery: Mapped[str | None] = mapped_column(String(10))

    issued_by: Mapped[User] = relationship(lazy="joined")

    @property
    def warning_level(self) -> WarningLevel:
        return WarningLevel(self.level)
