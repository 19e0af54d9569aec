"""Failed sign-in counters and the places each account usually signs in from.

Both hold keyed digests (HMAC-SHA256 under a key derived from the app's secret key, which never
enters the database), never what was typed or the client's address: a passphrase typed into the
username box cannot be read back from here, and a digest cannot be reversed by guessing without
the key. Counters are transient: rows a day old are deleted (casework/services/sign_in_throttle.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.domain.throttling import Scope
from casework.models.base import Base, UTCDateTime

SCOPE_VALUES = ", ".join(f"'{scope.value}'" for scope in Scope)


class SignInThrottle(Base):
    """One failure counter, in the database so every web worker sees it."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (CheckConstraint(f"scope IN ({SCOPE_VALUES})", name="known_scope"),)

    # The digest of scope, username and/or address: the scope is part of what is digested.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(24))
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Attempts refused while this counter kept sign-in closed, not yet reported in the audit trail.
    refused: Mapped[int] = mapped_column(Integer, default=0)


class UsualSignInPlace(Base):
    """An address (as a digest) the account last signed in from successfully."""

    __tablename__ = "usual_sign_in_places"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    place_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
