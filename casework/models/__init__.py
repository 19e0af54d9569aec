"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from casework.models.audit import AuditChainHead, AuditEvent
from casework.models.base import Base
from casework.models.teams import Team
from casework.models.users import PassphraseLink, SignInSession, SignInThrottle, User, UserRole

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "PassphraseLink",
    "SignInSession",
    "SignInThrottle",
    "Team",
    "User",
    "UserRole",
]
