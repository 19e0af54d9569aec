"""Figures for the administrator's home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.roles import Action, Role
from casework.models import AuditEvent, User, UserRole
from casework.services import access


@dataclass(frozen=True)
class AccountSummary:
    active_by_role: dict[Role, int]
    deactivated: int
    awaiting_passphrase: int
    failed_sign_ins: int
    throttled_sign_ins: int


def account_summary(session: Session, *, actor: User, since: datetime) -> AccountSummary:
    access.require(actor, Action.MANAGE_USERS)
    by_role = dict(
        session.execute(
            select(UserRole.role, func.count()).join(User).where(User.is_active).group_by(UserRole.role)
        ).all()
    )
    deactivated = session.scalar(select(func.count()).select_from(User).where(~User.is_active)) or 0
    awaiting = (
        session.scalar(select(func.count()).select_from(User).where(User.is_active, User.password_hash.is_(None))) or 0
    )
    sign_in_problems = dict(
        session.execute(
            select(AuditEvent.action, func.count())
            .where(
                AuditEvent.occurred_at >= since,
                AuditEvent.action.in_(["sign_in.failed", "sign_in.throttled"]),
            )
            .group_by(AuditEvent.action)
        ).all()
    )
    return AccountSummary(
        active_by_role={role: by_role.get(role.value, 0) for role in Role},
        deactivated=deactivated,
        awaiting_passphrase=awaiting,
        failed_sign_ins=sign_in_problems.get("sign_in.failed", 0),
        throttled_sign_ins=sign_in_problems.get("sign_in.throttled", 0),
    )
