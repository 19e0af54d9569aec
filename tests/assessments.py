"""A whole needs assessment recorded through the journey's own services, for tests about what
comes after it (the case page, the contract): start, every domain, the flags, complete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain import needs
from casework.domain.needs import DomainInput, SafeguardingInput
from casework.models import Assessment, Case, User
from casework.services import assessment_journey


def record_whole_assessment(
    session: Session,
    *,
    actor: User,
    case: Case,
    stage: needs.Stage,
    scores: list[DomainInput],
    flags: dict[needs.Safeguarding, str] | None = None,
    now: datetime,
) -> Assessment:
    """`scores` may name only some domains: the rest are saved as no need, not linked."""
    given = {score.domain: score for score in scores}
    draft = assessment_journey.start(session, actor=actor, case=case, stage=stage, now=now)
    for domain, _label in needs.NEED_DOMAINS:
        answers = given.get(domain, DomainInput(domain, 0, False))
        assessment_journey.save_domain(
            session, actor=actor, case=case, stage=stage, answers=answers, seen_version=draft.version, now=now
        )
    flags = flags or {}
    assessment_journey.save_safeguarding(
        session,
        actor=actor,
        case=case,
        stage=stage,
        answers=SafeguardingInput(ticked=frozenset(flags), actions=dict(flags), no_concerns=not flags),
        seen_version=draft.version,
        now=now,
    )
    return assessment_journey.complete(
        session, actor=actor, case=case, stage=stage, seen_version=draft.version, now=now
    )
