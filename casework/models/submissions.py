"""One-time tokens of create forms (services/submissions.py): each is claimed once, in the same
transaction as the record its form creates, so a form sent twice creates one record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime


class FormSubmission(Base):
    __tablename__ = "form_submissions"

    # The primary key is the one-time guarantee: a second claim of a token is a unique-key clash.
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Where what the form created can be seen, for the copy that arrives second.
    link: Mapped[str | None] = mapped_column(String(300))
