"""The needs assessment as a journey a navigator saves as they go (DOMAIN.md §4).

Starting an assessment makes a draft for its stage. Each domain, and the safeguarding flags, is a
page saved on its own, so nothing is lost when a session ends or one answer is wrong. Completing
the draft (once every page is done) freezes it, and only then does it reach the case page and the
contract (services/assessment.py: summary). Every save names the draft version the navigator saw,
so two navigators working on one draft cannot overwrite each other. The audit trail names the
pages saved, never what was said on them: that is special-category data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from casework.domain import needs
from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.needs import DomainInput, SafeguardingInput, Stage
from casework.domain.roles import Action
from casework.models import Assessment, AssessmentDomain, Case, SafeguardingFlag, User
from casework.models.assessments import COMPLETED, DRAFT
from casework.services import access, audit, case_views, consultation_queue
from casework.services.assessment import STAGE_STATES, stage_refusal
from casework.services.concurrency import flush_or_stale, stale_message


@dataclass(frozen=True)
class Journey:
    """Where one stage's assessment stands: what the task list and every page of it show."""

    case: Case
    stage: Stage
    assessment: Assessment | None

    @property
    def refusal(self) -> str | None:
        """Why this stage cannot be recorded in the case's current state; None when it can."""
        return _state_refusal(self.case, self.stage)

    @property
    def started(self) -> bool:
        return self.assessment is not None

    @property
    def completed(self) -> bool:
        return self.assessment is not None and not self.assessment.is_draft

    @property
    def editable(self) -> bool:
        return self.assessment is not None and self.assessment.is_draft and self.refusal is None

    @property
    def done(self) -> set[str]:
        if self.assessment is None:
            return set()
        done = {row.domain for row in self.assessment.domains}
        if self.assessment.flags_reviewed_at is not None:
            done.add(needs.SAFEGUARDING_SECTION)
        return done

    @property
    def missing(self) -> list[str]:
        return needs.missing_sections(self.done)

    @property
    def resume(self) -> str | None:
        """The page to continue with: the first not done after the one saved last."""
        last = self.assessment.last_section if self.assessment else None
        return needs.next_section(self.done, after=last)

    def answers(self, domain: str) -> AssessmentDomain | None:
        rows = self.assessment.domains if self.assessment else []
        return next((row for row in rows if row.domain == domain), None)

    def priorities_taken(self, domain: str) -> dict[int, str]:
        """The person's priority numbers already given to the other domains."""
        rows = self.assessment.domains if self.assessment else []
        return {row.person_priority: row.domain for row in rows if row.domain != domain and row.person_priority}


def open_journey(session: Session, *, actor: User, case: Case, stage: Stage) -> Journey:
    access.require(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    return Journey(case=case, stage=stage, assessment=_find(session, case, stage))


def record_consultation(
    session: Session,
    *,
    actor: User,
    case: Case,
    stage: Stage,
    page: str,
    view: str,
    now: datetime,
    domain: str | None = None,
) -> None:
    """A page of the assessment was shown to the actor (DPA 2018 s.62): which page (its endpoint, as
    every case page records) and what it showed of the journey, never the content. Queued for the
    chain like every case view (case_views.record_consultation)."""
    access.require(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    where = {"domain": domain} if domain else {}
    consultation_queue.queue(
        session,
        actor=actor,
        action=case_views.VIEWED,
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        scope="full",
        page=page,
        view=view,
        stage=stage.value,
        **where,
    )


def start(session: Session, *, actor: User, case: Case, stage: Stage, now: datetime) -> Assessment:
    """A draft for this stage; starting twice (a double click) finds the draft already there."""
    access.require(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    existing = _find(session, case, stage)
    if existing is not None and existing.is_draft:
        return existing
    if existing is not None:
        raise IllegalTransition(f"The {stage.value} assessment has already been recorded.")
    # The state, the entry first, and for the midpoint and exit the point reached in the contract.
    if (refusal := stage_refusal(session, case=case, stage=stage, today=local_today(now))) is not None:
        raise IllegalTransition(refusal)
    draft = Assessment(case_id=case.id, stage=stage.value, status=DRAFT, started_at=now, started_by_id=actor.id)
    session.add(draft)
    flush_or_stale(session, _stale(stage), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.assessment_started",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        stage=stage.value,
    )
    return draft


def save_domain(
    session: Session,
    *,
    actor: User,
    case: Case,
    stage: Stage,
    answers: DomainInput,
    seen_version: int,
    now: datetime,
) -> Assessment:
    """One domain's page, checked whole: every problem is reported at once, and nothing is saved
    until all are put right."""
    if answers.domain not in needs.DOMAIN_LABELS:
        raise NotFound("There is no such need domain.")
    draft = _draft_to_change(session, actor=actor, case=case, stage=stage, seen_version=seen_version)
    journey = Journey(case=case, stage=stage, assessment=draft)
    problems = needs.domain_problems(answers, taken=journey.priorities_taken(answers.domain))
    FieldErrors.raise_any([FieldError(field, message) for field, message in problems])
    row = journey.answers(answers.domain)
    if row is None:
        row = AssessmentDomain(domain=answers.domain)
        draft.domains.append(row)
    row.need_level = answers.need_level
    row.linked_to_offending = answers.linked_to_offending
    row.person_priority = answers.person_priority
    row.strengths = answers.strengths.strip() or None
    row.notes = answers.notes.strip() or None
    row.consent_to_refer = answers.consent_to_refer
    _saved(session, draft, case=case, stage=stage, section=answers.domain)
    audit.record(
        session,
        actor=actor,
        action="case.assessment_domain_saved",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        stage=stage.value,
        domain=answers.domain,
        complete=True,  # a domain page is saved only when every required answer is given
        sections_left=len(journey.missing),
    )
    return draft


def save_safeguarding(
    session: Session,
    *,
    actor: User,
    case: Case,
    stage: Stage,
    answers: SafeguardingInput,
    seen_version: int,
    now: datetime,
) -> Assessment:
    """The flags page: each flag ticked with the action taken, or "no concerns". A flag whose
    action is unchanged keeps who recorded it and when."""
    draft = _draft_to_change(session, actor=actor, case=case, stage=stage, seen_version=seen_version)
    problems = needs.safeguarding_problems(answers)
    FieldErrors.raise_any([FieldError(field, message) for field, message in problems])
    recorded = {row.flag: row for row in draft.flags}
    for flag in needs.Safeguarding:
        row, action = recorded.get(flag.value), answers.actions.get(flag, "").strip()
        if flag not in answers.ticked:
            if row is not None:
                draft.flags.remove(row)
        elif row is None:
            draft.flags.append(
                SafeguardingFlag(
                    case_id=case.id, flag=flag.value, action_taken=action, recorded_at=now, recorded_by_id=actor.id
                )
            )
        elif row.action_taken != action:
            row.action_taken, row.recorded_at, row.recorded_by_id = action, now, actor.id
    draft.flags_reviewed_at = now
    _saved(session, draft, case=case, stage=stage, section=needs.SAFEGUARDING_SECTION)
    audit.record(
        session,
        actor=actor,
        action="case.assessment_safeguarding_saved",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        stage=stage.value,
        complete=True,
        safeguarding_flags=len(answers.ticked),
        sections_left=len(Journey(case=case, stage=stage, assessment=draft).missing),
    )
    return draft


def complete(
    session: Session, *, actor: User, case: Case, stage: Stage, seen_version: int, now: datetime
) -> Assessment:
    """Freeze the draft once every page is done; from now on it is what the case and the contract
    use, with priorities derived from it (domain/needs.py: priorities)."""
    draft = _draft_to_change(session, actor=actor, case=case, stage=stage, seen_version=seen_version)
    missing = Journey(case=case, stage=stage, assessment=draft).missing
    if missing:
        names = [needs.SECTION_LABELS[section] for section in missing]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        raise IllegalTransition(f"Finish every section before you complete the assessment. Not done yet: {listed}.")
    draft.status, draft.assessed_at, draft.assessed_by_id = COMPLETED, now, actor.id
    flush_or_stale(session, _stale(stage), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.assessment_completed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        stage=stage.value,
        safeguarding_flags=len(draft.flags),
    )
    return draft


def _find(session: Session, case: Case, stage: Stage) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(Assessment.case_id == case.id, Assessment.stage == stage.value)
    ).one_or_none()


def _state_refusal(case: Case, stage: Stage) -> str | None:
    if case.case_state in STAGE_STATES[stage]:
        return None
    article = "An" if stage.value[0] in "aeiou" else "A"
    return f"{article} {stage.value} assessment cannot be recorded while the case is '{case.case_state.label}'."


def _stale(stage: Stage) -> str:
    return stale_message(f"the {stage.value} assessment")


def _draft_to_change(session: Session, *, actor: User, case: Case, stage: Stage, seen_version: int) -> Assessment:
    access.require(actor, Action.ASSESS_NEEDS, team_id=case.team_id)
    draft = _find(session, case, stage)
    if draft is None:
        raise IllegalTransition(f"Start the {stage.value} assessment first.")
    if not draft.is_draft:
        raise IllegalTransition(f"The {stage.value} assessment has been completed and can no longer be changed.")
    if (refusal := _state_refusal(case, stage)) is not None:
        raise IllegalTransition(refusal)
    if draft.version != seen_version:
        raise StaleRecord(_stale(stage), case_id=case.id)
    return draft


def _saved(session: Session, draft: Assessment, *, case: Case, stage: Stage, section: str) -> None:
    """Every save updates the draft's own row, even when only a domain row changed, so its version
    moves on and a save based on an older version is refused by the database as well."""
    draft.last_section = section
    flag_modified(draft, "last_section")
    flush_or_stale(session, _stale(stage), case_id=case.id)
