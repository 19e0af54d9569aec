"""The scheme settings and offence catalogue in force on a given day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.errors import DomainError
from casework.models import Offence, OffenceInclusion, SchemeSettings


def settings_on(session: Session, day: date) -> SchemeSettings:
    settings = session.scalar(
        select(SchemeSettings)
        .where(SchemeSettings.effective_from <= day)
        .order_by(SchemeSettings.effective_from.desc())
        .limit(1)
    )
    if settings is None:
        raise DomainError("No scheme settings are in force. An administrator must configure the scheme.")
    return settings


def inclusion_on(session: Session, offence: Offence, day: date) -> OffenceInclusion | None:
    return session.scalar(
        select(OffenceInclusion)
        .where(OffenceInclusion.offence_id == offence.id, OffenceInclusion.effective_from <= day)
        .order_by(OffenceInclusion.effective_from.desc())
        .limit(1)
    )


def catalogue(session: Session) -> list[Offence]:
    return list(session.scalars(select(Offence).order_by(Offence.title)))


def offences_by_code(session: Session, codes: list[str]) -> list[Offence]:
    return list(session.scalars(select(Offence).where(Offence.code.in_(codes)).order_by(Offence.title)))
