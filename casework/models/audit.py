"""The append-only audit trail (DPA 2018 s.62): who did what, to which case, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_occurred", "case_id", "occurred_at"),
        Index("ix_audit_events_actor_occurred", "actor_id", "occurred_at"),
        Index("ix_audit_events_team_occurred", "team_id", "occurred_at"),
        Index("ix_audit_events_action", "action"),
        # Partial: only sealed consultations carry one, so the index stays small.
        Index(
            "uq_audit_events_consultation_id",
            "consultation_id",
            unique=True,
            postgresql_where=text("consultation_id IS NOT NULL"),
            sqlite_where=text("consultation_id IS NOT NULL"),
        ),
    )

    # The sequence is the chain order; it is assigned under a lock, never by the database.
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    # The team whose records the event concerns: scopes a supervisor's view of the trail.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    # Deliberately no foreign key: the trail must outlive a case erased under the retention
    # schedule (DOMAIN.md §9: the audit log is excluded from ordinary deletion).
    case_id: Mapped[int | None] = mapped_column(Integer)
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Which audit key signed the hash (an id, never the key); None for events from before the chain
    # was keyed, which verify as plain SHA-256.
    key_id: Mapped[str | None] = mapped_column(String(16))
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The queued consultation this event is the sealed copy of (services/consultation_queue.py). Not
    # hashed: it only lets the queue's trigger see that a row was chained before it is deleted; what
    # the consultation was (who, when, which case and page) is in the hashed columns like any event's.
    consultation_id: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id], lazy="joined")


class AuditChainHead(Base):
    """One row holding the last sequence and hash. Writers lock it (SELECT ... FOR UPDATE on
    PostgreSQL, BEGIN IMMEDIATE on SQLite), so concurrent transactions cannot fork the chain.
    The database lets it move only forward, one event at a time, onto the stored event's hash."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class PendingConsultation(Base):
    """A consultation (a case page shown, DPA 2018 s.62) waiting to be chained. Recording a view is
    one INSERT here, so case views never wait on the chain's head; sealing copies each row onto the
    chain as an ordinary `case.viewed` event and deletes it, under the head's lock.

    The database refuses an UPDATE, a TRUNCATE, and the DELETE of a row whose exact copy is not yet
    on the chain (migration 0034). AUTOINCREMENT: SQLite must never hand a sealed row's id out again.
    """

    __tablename__ = "pending_consultations"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    case_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key, as on the trail itself
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
