"""Needs assessments (entry, optional midpoint, exit) and safeguarding flags with their actions.

This is special-category data (health, drugs, abuse): only navigators and supervisors of the
case's team can read it, and it never appears in audit detail or printed documents.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("case_id", "stage", name="one_per_stage"),
        CheckConstraint("stage IN ('entry', 'midpoint', 'exit')", name="known_stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    assessed_by: Mapped[User] = relationship(lazy="joined")
    domains: Mapped[list[AssessmentDomain]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin", order_by="AssessmentDomain.id"
    )

    __mapper_args__ = {"version_id_col": version}


class AssessmentDomain(Base):
    __tablename__ = "assessment_domains"
    __table_args__ = (
        UniqueConstraint("assessment_id", "domain", name="domain_once_per_assessment"),
        CheckConstraint("need_level BETWEEN 0 AND 3", name="need_level_range"),
        CheckConstraint("person_priority IS NULL OR person_priority BETWEEN 1 AND 15", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(40))
    need_level: Mapped[int] = mapped_column(Integer)
    linked_to_offending: Mapped[bool] = mapped_column(Boolean)
    person_priority: Mapped[int | None] = mapped_column(Integer)
    strengths: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    consent_to_refer: Mapped[bool] = mapped_column(Boolean, default=False)

    assessment: Mapped[Assessment] = relationship(back_populates="domains")


class SafeguardingFlag(Base):
    """Sits outside the need scores; each flag must record the action taken."""

    __tablename__ = "safeguarding_flags"
    __table_args__ = (CheckConstraint("length(action_taken) > 0", name="action_recorded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    flag: Mapped[str] = mapped_column(String(30))
    action_taken: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User] = relationship(lazy="joined")
