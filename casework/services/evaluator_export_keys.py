"""Export keys for evaluators (DOMAIN.md §8.2): made by a supervisor or performance lead, one per
evaluation, and named so the audit trail says which evaluation each export went to. Keys are
force-wide: one evaluation may take every team's cases, or one team's now and another's later, and
its pseudonyms must agree across them. The secret is made here and never shown."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError
from casework.domain.roles import Action
from casework.models import EvaluatorExportKey, User
from casework.services import access, audit

NAME_LIMIT = 120


def create_key(session: Session, *, actor: User, name: str, now: datetime) -> EvaluatorExportKey:
    access.require(actor, Action.EXPORT_FOR_EVALUATORS)
    name = " ".join(name.split())
    if not name:
        raise FieldError("name", "Enter a name for the export key, such as the evaluation it is for")
    if len(name) > NAME_LIMIT:
        raise FieldError("name", f"The key's name must be {NAME_LIMIT} characters or fewer")
    taken = session.scalar(select(EvaluatorExportKey.id).where(func.lower(EvaluatorExportKey.name) == name.lower()))
    if taken is not None:
        raise FieldError("name", "There is already an export key with that name: choose another")
    key = EvaluatorExportKey(name=name, secret=secrets.token_hex(32), created_by_id=actor.id, created_at=now)
    session.add(key)
    session.flush()
    audit.record(session, actor=actor, action="evaluator_export_key.created", now=now, key=key.name)
    session.flush()
    return key


def keys(session: Session, *, actor: User) -> list[EvaluatorExportKey]:
    """Every key, newest first."""
    access.require(actor, Action.EXPORT_FOR_EVALUATORS)
    return list(
        session.scalars(
            select(EvaluatorExportKey).order_by(EvaluatorExportKey.created_at.desc(), EvaluatorExportKey.id.desc())
        )
    )


def key_for_export(session: Session, *, actor: User, key_id: int | None) -> EvaluatorExportKey:
    access.require(actor, Action.EXPORT_FOR_EVALUATORS)
    key = session.get(EvaluatorExportKey, key_id) if key_id is not None else None
    if key is None:
        raise FieldError("key", "Select an export key from the list")
    return key
