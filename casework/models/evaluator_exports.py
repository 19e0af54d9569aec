"""Keys for evaluators' pseudonymised exports (DOMAIN.md §8.2): one per evaluation, so that every
export made with a key gives each person and case the same pseudonym, and exports made with
different keys cannot be linked. The secret never leaves the database: not on a page, not in an
export, not in the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User


class EvaluatorExportKey(Base):
    __tablename__ = "evaluator_export_keys"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="has_name"),
        # 32 random bytes as hex (secrets.token_hex): a shorter secret would be a bug, not a choice.
        CheckConstraint("length(secret) = 64", name="full_length_secret"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The evaluation it is for, as people will name it in the audit trail ("Checkpoint follow-up 2027").
    name: Mapped[str] = mapped_column(String(120), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        # Never the secret, even in a traceback or a log line.
        return f"<EvaluatorExportKey {self.id} {self.name!r}>"
