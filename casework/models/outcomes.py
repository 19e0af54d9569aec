"""How a case ended: the outcome code table (data with effective dates, DOMAIN.md §3.5) and each
closed case's recorded outcome, with the date to enter on force systems and the confirmation that
someone did (the product never writes to Niche, Athena or the PNC)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.outcome_codes import Route
from casework.models.base import Base, UTCDateTime
from casework.models.users import User


def _routes() -> str:
    return ", ".join(f"'{route.value}'" for route in Route)


class OutcomeCode(Base):
    __tablename__ = "outcome_codes"
    __table_args__ = (
        CheckConstraint(f"route IN ({_routes()})", name="known_route"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="dates_ordered"),
    )

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(200))
    route: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)

    @property
    def outcome_route(self) -> Route:
        return Route(self.route)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class CaseOutcome(Base):
    """One per closed case that reached an outcome: a completion or a prosecution decision."""

    __tablename__ = "case_outcomes"
    __table_args__ = (
        CheckConstraint(f"route IN ({_routes()})", name="known_route"),
        CheckConstraint("length(rationale) > 0", name="has_rationale"),
        CheckConstraint("route <> 'charged' OR charge_wording IS NOT NULL", name="charge_has_wording"),
        CheckConstraint("(force_recorded_at IS NULL) = (force_recorded_by_id IS NULL)", name="force_record_has_author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    route: Mapped[str] = mapped_column(String(20))
    code: Mapped[int] = mapped_column(ForeignKey("outcome_codes.code"))
    rationale: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The date to enter on the force's systems (a London date).
    effective_on: Mapped[date] = mapped_column(Date)

    # Charged / postal requisition
    charge_wording: Mapped[str | None] = mapped_column(Text)
    charged_on: Mapped[date | None] = mapped_column(Date)
    court_date: Mapped[date | None] = mapped_column(Date)

    # "Recorded on force system": who confirmed it, when, and the force's own reference.
    force_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    force_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    force_reference: Mapped[str | None] = mapped_column(String(60))

    outcome_code: Mapped[OutcomeCode] = relationship(lazy="joined")
    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id], lazy="joined")
    force_recorded_by: Mapped[User | None] = relationship(foreign_keys=[force_recorded_by_id], lazy="joined")

    @property
    def outcome_route(self) -> Route:
        return Route(self.route)
