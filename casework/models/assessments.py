"""Needs assessments (entry, optional midpoint, exit) and safeguarding flags with their actions.

An assessment is a draft while the navigator saves it page by page; once completed it is frozen,
and only completed assessments feed the case's needs summary and the contract. This is
special-category data (health, drugs, abuse): only navigators and supervisors of the case's team
can read it, and it never appears in audit detail or printed documents.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User

DRAFT = "draft"
COMPLETED = "completed"


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("case_id", "stage", name="one_per_stage"),
        CheckConstraint("stage IN ('entry', 'midpoint', 'exit')", name="known_stage"),
        CheckConstraint("status IN ('draft', 'completed')", name="known_status"),
        # A completed assessment says who completed it and when, and its flags page was answered.
        CheckConstraint(
            "status = 'draft' OR (assessed_at IS NOT NULL AND assessed_by_id IS NOT NULL "
            "AND flags_reviewed_at IS NOT NULL)",
            name="completed_is_whole",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The section saved last, so the journey resumes after it.
    last_section: Mapped[str | None] = mapped_column(String(40))
    # When the safeguarding page was last saved: that page is done even when no flag applies.
    flags_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Completion: who completed the assessment and when (None while it is a draft).
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    started_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[started_by_id])
    assessed_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[assessed_by_id])
    domains: Mapped[list[AssessmentDomain]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin", order_by="AssessmentDomain.id"
    )
    flags: Mapped[list[SafeguardingFlag]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin", order_by="SafeguardingFlag.id"
    )

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

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
    __table_args__ = (
        CheckConstraint("length(action_taken) > 0", name="action_recorded"),
        UniqueConstraint("assessment_id", "flag", name="flag_once_per_assessment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    flag: Mapped[str] = mapped_column(String(30))
    action_taken: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User] = relationship(lazy="joined")
    assessment: Mapped[Assessment] = relationship(back_populates="flags")
