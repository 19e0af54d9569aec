"""The people a case is about. Monitoring data (ethnicity, sex, disability) lives in its own
table, read only by fairness reporting, never shown on casework screens (DOMAIN.md §2.4, §9)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_surname_dob", "family_name_folded", "date_of_birth"),
        # The caseload's search by date of birth, as typed: without it, a scan of every person.
        Index("ix_people_date_of_birth", "date_of_birth"),
        CheckConstraint("preferred_language IN ('en', 'cy')", name="known_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_names: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    # Lower-cased copy for searching and duplicate checks, indexed on both databases alike.
    family_name_folded: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date] = mapped_column(Date)
    pnc_id: Mapped[str | None] = mapped_column(String(20), index=True)
    address_line_1: Mapped[str] = mapped_column(String(120))
    address_line_2: Mapped[str | None] = mapped_column(String(120))
    town: Mapped[str] = mapped_column(String(80))
    postcode: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(60))
    appropriate_adult_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Consent to reminders before check-ins, channel by channel (DOMAIN.md §6): none until asked.
    reminder_by_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminder_by_sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"


class PersonMonitoring(Base):
    __tablename__ = "person_monitoring"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    ethnicity: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(20))
    disability: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
