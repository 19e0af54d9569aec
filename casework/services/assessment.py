"""First contact with the person, and what the completed needs assessments say (DOMAIN.md §4).

The assessment itself is recorded page by page in services/assessment_journey.py; only completed
assessments count here, so a draft never reaches the case page or the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, lazyload

from casework.domain import needs
from casework.domain.errors import FieldError, StaleRecord
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.needs import DomainInput as DomainInput  # the answers for one domain
from casework.domain.roles import Action
from casework.models import Assessment, Case, Contract, SafeguardingFlag, User
from casework.models.assessments import COMPLETED

# contracts imports this module too; only its functions are used, at call time.
from casework.services import access, contracts, transitions
from casework.services.concurrency import stale_message

CONTACT_METHODS = {"in_person": "In person", "phone": "By phone", "video": "By video call"}
# Which case states each assessment stage may be recorded in.
STAGE_STATES = {
    needs.Stage.ENTRY: {CaseState.ASSESSMENT, CaseState.CONTRACT_DRAFT},
    needs.Stage.MIDPOINT: {CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED},
    needs.Stage.EXIT: {CaseState.ACTIVE, CaseState.COMPLETION_REVIEW},
}


def record_first_contact(
    session: Session,
    *,
    actor: User,
    case: Case,
    contact_at: datetime,
    method: str,
    seen_version: int,
    now: datetime,
) -> Case:
    """The navigator has met the person: the case moves from referral to assessment."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    transitions.require_allowed(case, CaseEvent.RECORD_FIRST_CONTACT)
    if method not in CONTACT_METHODS:
        raise FieldError("method", "Select how you made contact")
    if contact_at > now:
        raise FieldError("contact_date", "First contact must be in the past")
    # Times are typed to the minute, so a contact in the referral's own minute is allowed.
    if case.referred_at and contact_at < case.referred_at.replace(second=0, microsecond=0):
        raise FieldError("contact_date", "First contact must be after the referral")
    case.first_contact_at = contact_at
    transitions.move(session, case, CaseEvent.RECORD_FIRST_CONTACT, actor=actor, now=now, method=method)
    return case


def recorded_stages(session: Session, *, case: Case) -> frozenset[str]:
    """Stages whose assessment is complete (a draft is still being recorded)."""
    return frozenset(
        session.scalars(select(Assessment.stage).where(Assessment.case_id == case.id, Assessment.status == COMPLETED))
    )


def stage_refusal(session: Session, *, case: Case, stage: needs.Stage, today: date) -> str | None:
    """Why this stage cannot be recorded today, or None when it can."""
    return stage_refusal_given(
        case,
        stage,
        recorded=recorded_stages(session, case=case),
        signed=contracts.in_force(session, case=case),
        today=today,
    )


def stage_refusal_given(
    case: Case, stage: needs.Stage, *, recorded: frozenset[str], signed: Contract | None, today: date
) -> str | None:
    """The one rule for when each stage may be recorded: the service refuses with it and the case page
    offers a stage only when it gives None (services/case_actions.py)."""
    if case.case_state not in STAGE_STATES[stage]:
        return (
            f"A{'n' if stage.value[0] in 'aeiou' else ''} {stage.value} assessment cannot be "
            f"recorded while the case is '{case.case_state.label}'."
        )
    if stage.value in recorded:
        return f"The {stage.value} assessment has already been recorded."
    if stage is needs.Stage.ENTRY:
        return None
    if needs.Stage.ENTRY.value not in recorded:
        return "Record the entry assessment first."
    if stage is needs.Stage.MIDPOINT and needs.Stage.EXIT.value in recorded:
        return "The exit assessment has been recorded, so the midpoint can no longer be."
    if signed is None or signed.starts_on is None or signed.ends_on is None:
        return f"The {stage.value} assessment is measured against the signed contract, and there is none."
    opens_on = needs.stage_opens_on(stage, starts_on=signed.starts_on, ends_on=signed.ends_on)
    if opens_on is not None and today < opens_on:
        when = "halfway through the contract" if stage is needs.Stage.MIDPOINT else "in its last four weeks"
        return f"The {stage.value} assessment can be recorded from {opens_on.day} {opens_on:%B %Y}, {when}."
    return None


@dataclass(frozen=True)
class AssessmentSummary:
    by_stage: dict[str, Assessment]
    priorities: list[needs.DomainScore]
    change: dict[str, int]
    flags: list[SafeguardingFlag]


def summary(session: Session, *, actor: User, case: Case) -> AssessmentSummary:
    """Scores from completed assessments only (the case page's needs and the contract's suggested
    pathways); safeguarding flags from drafts too, because a risk must be seen the moment it is recorded."""
    access.require(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    found = {
        a.stage: a
        for a in session.scalars(
            select(Assessment)
            .where(Assessment.case_id == case.id, Assessment.status == COMPLETED)
            .order_by(Assessment.id)
            # The flags are read below with the drafts'; the people are shown by name, without roles.
            .options(
                lazyload(Assessment.flags),
                *(joinedload(by).lazyload(User.role_grants) for by in (Assessment.started_by, Assessment.assessed_by)),
            )
        )
    }

    def scores(stage: str) -> list[needs.DomainScore]:
        assessment = found.get(stage)
        return [
            needs.DomainScore(d.domain, d.need_level, d.linked_to_offending, d.person_priority)
            for d in (assessment.domains if assessment else [])
        ]

    latest = "exit" if "exit" in found else ("midpoint" if "midpoint" in found else "entry")
    change = needs.change_by_domain(scores("entry"), scores(latest)) if latest != "entry" else {}
    flags = list(
        session.scalars(
            select(SafeguardingFlag)
            .where(SafeguardingFlag.case_id == case.id)
            .order_by(SafeguardingFlag.id)
            .options(joinedload(SafeguardingFlag.recorded_by).lazyload(User.role_grants))
        )
    )
    return AssessmentSummary(by_stage=found, priorities=needs.priorities(scores(latest)), change=change, flags=flags)
