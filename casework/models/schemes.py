"""Scheme configuration (DOMAIN.md §10): effective-dated, so a case is judged by the rules that
applied on its offer date, and every change is a new row rather than an overwrite.

A version not yet in force before today may be corrected: the correction is a new row naming
the one it corrects, which is marked superseded and kept. Only live (not superseded) rows are
unique per day, and only they are ever "in force".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.offence_groups import GROUP_CODES
from casework.models.base import Base, UTCDateTime
from casework.models.users import User

# A partial unique index: superseded versions stay on record beside their correction.
LIVE_ONLY = {"sqlite_where": text("superseded_at IS NULL"), "postgresql_where": text("superseded_at IS NULL")}


class SchemeSettings(Base):
    __tablename__ = "scheme_settings"
    __table_args__ = (
        Index("one_version_per_day", "effective_from", unique=True, **LIVE_ONLY),
        CheckConstraint("min_age >= 10", name="sane_min_age"),
        CheckConstraint("max_gravity_without_override BETWEEN 1 AND 4", name="gravity_in_range"),
        CheckConstraint("community_hours_min <= community_hours_max", name="hours_range_ordered"),
        CheckConstraint("acceptance_step IN ('none', 'supervisor')", name="known_acceptance_step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    change_reason: Mapped[str] = mapped_column(String(500))
    # None for the version installed with the system.
    changed_by: Mapped[User | None] = relationship(lazy="joined")
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("scheme_settings.id"))
    corrects: Mapped[SchemeSettings | None] = relationship(remote_side=[id])

    scheme_name: Mapped[str] = mapped_column(String(120))
    force_name: Mapped[str] = mapped_column(String(120))
    areas_served: Mapped[str] = mapped_column(String(300))
    min_age: Mapped[int] = mapped_column(Integer)
    max_offence_age_months: Mapped[int] = mapped_column(Integer)
    admission_rule: Mapped[str] = mapped_column(String(40))
    exclude_indictable_only: Mapped[bool] = mapped_column(Boolean)
    max_gravity_without_override: Mapped[int] = mapped_column(Integer)
    previous_conviction_rule: Mapped[str] = mapped_column(String(30))
    previous_conviction_limit: Mapped[int | None] = mapped_column(Integer)
    previous_conviction_years: Mapped[int | None] = mapped_column(Integer)
    acceptance_step: Mapped[str] = mapped_column(String(20))
    victim_views_rule: Mapped[str] = mapped_column(String(30))
    contract_length_months: Mapped[int] = mapped_column(Integer)
    max_conditions: Mapped[int] = mapped_column(Integer)
    community_hours_min: Mapped[int] = mapped_column(Integer)
    community_hours_max: Mapped[int] = mapped_column(Integer)
    contract_approval_required: Mapped[bool] = mapped_column(Boolean)
    weekly_check_ins: Mapped[int] = mapped_column(Integer)
    then_check_in_every_days: Mapped[int] = mapped_column(Integer)
    first_contact_working_days: Mapped[int] = mapped_column(Integer)
    warnings_before_review: Mapped[int] = mapped_column(Integer)
    time_limit_margin_days: Mapped[int] = mapped_column(Integer)
    completion_outcome_code: Mapped[int] = mapped_column(Integer)
    failure_route: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON)
    retention_years: Mapped[int] = mapped_column(Integer)
    # Hours before each check-in that reminders go, largest first: "48,2".
    reminder_hours: Mapped[str] = mapped_column(String(40), default="48,2", server_default="48,2")
    # Report cells counting fewer people than this are hidden (DOMAIN.md §8.3).
    suppression_threshold: Mapped[int] = mapped_column(Integer, default=5, server_default="5")


class Offence(Base):
    __tablename__ = "offences"
    __table_args__ = (
        CheckConstraint("gravity_base BETWEEN 1 AND 4", name="gravity_in_range"),
        CheckConstraint(
            "mode_of_trial IN ('summary_only', 'either_way', 'indictable_only')", name="known_mode_of_trial"
        ),
        CheckConstraint(
            "offence_group IN (" + ", ".join(f"'{code}'" for code in GROUP_CODES) + ")", name="known_offence_group"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # For Welsh documents; offences added before Welsh titles were kept may lack one.
    title_cy: Mapped[str | None] = mapped_column(String(200))
    # The statutory provision, as it follows "contrary to" / "yn groes i" on the contract.
    legislation: Mapped[str | None] = mapped_column(String(200))
    legislation_cy: Mapped[str | None] = mapped_column(String(200))
    mode_of_trial: Mapped[str] = mapped_column(String(20))
    s127_applies: Mapped[bool] = mapped_column(Boolean)
    gravity_base: Mapped[int] = mapped_column(Integer)
    # The heading reports count it under (domain.offence_groups).
    offence_group: Mapped[str] = mapped_column(String(30))
    domestic_abuse: Mapped[bool] = mapped_column(Boolean, default=False)
    hate: Mapped[bool] = mapped_column(Boolean, default=False)
    sexual: Mapped[bool] = mapped_column(Boolean, default=False)
    driving: Mapped[bool] = mapped_column(Boolean, default=False)
    weapon: Mapped[bool] = mapped_column(Boolean, default=False)


class OffenceInclusion(Base):
    """Whether the scheme takes an offence, from a date: Durham's domestic abuse rule changed."""

    __tablename__ = "offence_inclusions"
    __table_args__ = (
        Index("one_rule_per_offence_per_day", "offence_id", "effective_from", unique=True, **LIVE_ONLY),
        CheckConstraint("inclusion IN ('included', 'included_with_terms', 'excluded')", name="known_inclusion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offence_id: Mapped[int] = mapped_column(ForeignKey("offences.id"), index=True)
    inclusion: Mapped[str] = mapped_column(String(30))
    terms: Mapped[str | None] = mapped_column(String(500))
    # What the terms ask before a referral, as domain.offence_terms.TermRequirement values.
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    effective_from: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("offence_inclusions.id"))

    changed_by: Mapped[User | None] = relationship(lazy="joined")
    corrects: Mapped[OffenceInclusion | None] = relationship(remote_side=[id])
