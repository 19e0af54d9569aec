"""The victim of a case, the Victims' Code updates owed to them, and the reoffending follow-ups of a
closed case (DOMAIN.md §1, §3.3, §5.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.victims import (
    CONTACT_METHODS,
    ENHANCED_GROUNDS,
    REOFFENDING_RESULTS,
    RESULT_SOURCES,
    UPDATE_METHODS,
    FollowUpBasis,
    NotOwed,
    UpdateEvent,
    Views,
)
from casework.models.base import Base, UTCDateTime
from casework.models.cases import Case
from casework.models.users import User


def _values(values) -> str:
    return ", ".join(f"'{getattr(value, 'value', value)}'" for value in values)


class VictimRecord(Base):
    """One per case with an identifiable victim. Only the minimum needed to reach them is kept."""

    __tablename__ = "victim_records"
    __table_args__ = (
        UniqueConstraint("case_id", name="one_victim_record_per_case"),
        CheckConstraint(f"views IN ({_values(Views)})", name="known_views"),
        CheckConstraint("views <> 'not_sought' OR not_sought_reason IS NOT NULL", name="not_sought_has_reason"),
        CheckConstraint(
            f"enhanced_ground IS NULL OR enhanced_ground IN ({_values(ENHANCED_GROUNDS)})", name="known_ground"
        ),
        CheckConstraint(f"contact_method IN ({_values(CONTACT_METHODS)})", name="known_contact_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    views: Mapped[str] = mapped_column(String(20))
    not_sought_reason: Mapped[str | None] = mapped_column(Text)
    views_in_words: Mapped[str | None] = mapped_column(Text)
    wants_restorative: Mapped[bool] = mapped_column(Boolean)
    # None: not entitled to enhanced rights; otherwise the Victims' Code ground.
    enhanced_ground: Mapped[str | None] = mapped_column(String(30))
    wants_updates: Mapped[bool] = mapped_column(Boolean)
    contact_method: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_address: Mapped[str | None] = mapped_column(String(300))

    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], lazy="joined")
    changed_by: Mapped[User] = relationship(foreign_keys=[changed_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def victim_views(self) -> Views:
        return Views(self.views)

    @property
    def enhanced_rights(self) -> bool:
        return self.enhanced_ground is not None


class VictimUpdate(Base):
    """An update owed for one event (or the record that none was owed, and why), and when it was given."""

    __tablename__ = "victim_updates"
    __table_args__ = (
        # Exactly once per event: `subject_id` is the breach for a breach decision, 0 otherwise.
        UniqueConstraint("case_id", "event", "subject_id", name="once_per_event"),
        CheckConstraint(f"event IN ({_values(UpdateEvent)})", name="known_event"),
        CheckConstraint(f"not_owed_reason IS NULL OR not_owed_reason IN ({_values(NotOwed)})", name="known_reason"),
        CheckConstraint(
            "(due_on IS NOT NULL AND not_owed_reason IS NULL) OR (due_on IS NULL AND not_owed_reason IS NOT NULL)",
            name="owed_has_due_date",
        ),
        CheckConstraint(
            "(given_on IS NULL) = (given_by_id IS NULL) AND (given_on IS NULL) = (method IS NULL) "
            "AND (given_on IS NULL) = (summary IS NULL)",
            name="given_has_details",
        ),
        CheckConstraint("given_on IS NULL OR due_on IS NOT NULL", name="given_only_when_owed"),
        CheckConstraint(f"method IS NULL OR method IN ({_values(UPDATE_METHODS)})", name="known_method"),
        # The supervisor's list: owed updates not yet given, by due date.
        Index("ix_victim_updates_due_on_given_on", "due_on", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    event: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer, default=0)
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breaches.id"))
    event_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_owed_reason: Mapped[str | None] = mapped_column(String(20))
    enhanced: Mapped[bool] = mapped_column(Boolean, default=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    given_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(lazy="joined")
    given_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def update_event(self) -> UpdateEvent:
        return UpdateEvent(self.event)

    @property
    def owed(self) -> bool:
        return self.due_on is not None

    @property
    def met(self) -> bool | None:
        """True on time, False late, None not given yet (or not owed)."""
        if self.due_on is None or self.given_on is None:
            return None
        return self.given_on <= self.due_on

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.given_on is None and today > self.due_on


class ReoffendingFollowUp(Base):
    """A check, 12 or 24 months on, of whether the person has reoffended (DOMAIN.md §3.3, §8)."""

    __tablename__ = "reoffending_follow_ups"
    __table_args__ = (
        UniqueConstraint("case_id", "months", name="once_per_case_and_period"),
        CheckConstraint("months IN (12, 24)", name="known_period"),
        CheckConstraint(f"basis IN ({_values(FollowUpBasis)})", name="known_basis"),
        CheckConstraint(f"result IS NULL OR result IN ({_values(REOFFENDING_RESULTS)})", name="known_result"),
        CheckConstraint(f"source IS NULL OR source IN ({_values(RESULT_SOURCES)})", name="known_source"),
        CheckConstraint(
            "(result IS NULL) = (checked_on IS NULL) AND (result IS NULL) = (source IS NULL) "
            "AND (result IS NULL) = (recorded_by_id IS NULL)",
            name="result_has_details",
        ),
        Index("ix_reoffending_follow_ups_due_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    counted_from: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    result: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(20))
    source_detail: Mapped[str | None] = mapped_column(String(200))
    checked_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
