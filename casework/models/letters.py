"""Letters issued to the person (warning, decision, completion) and the breach file for the
prosecution: rendered once and kept, so every later download is the same bytes and can be proven."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime

LETTER_KINDS = ("warning", "final_warning", "breach_file", "decision", "completion")


class CaseLetter(Base):
    __tablename__ = "case_letters"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in LETTER_KINDS)})", name="known_kind"),
        # One copy per subject (the warning, the outcome) and language: a second issue serves the first.
        UniqueConstraint("case_id", "kind", "subject_id", "language", name="one_per_subject_and_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(2))
    template_version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
