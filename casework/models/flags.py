"""Flags raised on a case by the scheduler's sweeps: overdue first contact, a contract that has
reached its end date, the charge deadline warnings. One row per case, kind and subject, so a
rerun, a race or a catch-up after downtime raises each flag once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime


class CaseFlag(Base):
    __tablename__ = "case_flags"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "subject", name="once_per_case_kind_subject"),
        # The open flags are few whatever the size of the table: readers and the resolving sweep
        # find them through this partial index.
        Index(
            "ix_case_flags_open",
            "case_id",
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(40), default="")
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
