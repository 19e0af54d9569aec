"""Accounts, their roles, server-side sign-in sessions and one-time passphrase links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.roles import ROLE_PRECEDENCE, Role
from casework.models.base import Base, UTCDateTime
from casework.models.teams import Team

ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(is_active AND deactivated_at IS NULL) OR (NOT is_active AND deactivated_at IS NOT NULL)",
            name="deactivation_recorded",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    # Null until the person sets a passphrase through their one-time link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every change to this row, so it holds only what an administrator edits:
    # sign-in times live in sign_in_sessions, or every sign-in would invalidate an open edit form.
    version: Mapped[int] = mapped_column(Integer, default=1)

    team: Mapped[Team] = relationship(lazy="joined")
    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login reads these by duck typing, so the model need not import Flask.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(grant.role) for grant in self.role_grants)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> Role:
        return next(role for role in ROLE_PRECEDENCE if role in self.roles)

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in ROLE_PRECEDENCE if role in self.roles]


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role", name="one_grant_per_role"),
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="role_grants")


class SignInSession(Base):
    """A signed-in browser. The cookie holds only this row's random token; ending the row ends
    the session everywhere, so a copied cookie stops working after sign-out or deactivation."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (
        CheckConstraint(
            "(kept_at IS NULL) = (kept_path IS NULL) AND (kept_at IS NULL) = (kept_fields IS NULL)",
            name="kept_form_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # A form posted after the session timed out, kept (briefly, server-side, never in the cookie:
    # it is personal data) so its author can save it after signing in again. [[name, value], ...]
    kept_path: Mapped[str | None] = mapped_column(String(2000))
    kept_fields: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PassphraseLink(Base):
    """A one-time link an administrator hands to a user to set or reset their passphrase."""

    __tablename__ = "passphrase_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
