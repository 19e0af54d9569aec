"""Scrutiny panel samples (DOMAIN.md §8.3): a supervisor or performance lead draws a random sample of
closed cases for the panel, and records the panel's rating of each.

The draw is reproducible: the closed cases in scope are put in case-number order and sampled with
`random.Random(seed)`, and the seed is always kept (made with `secrets` when none is given), so the
same seed over the same closed cases gives the same cases in the same order. Who may draw for which
team is services.report_scope's rule; a sample of a team the actor may not see does not exist for them.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound
from casework.domain.lifecycle import TERMINAL_STATES, CaseState
from casework.domain.panel_scrutiny import MAX_COMMENTS, MAX_PANEL_MEMBER, MAX_SAMPLE, MAX_SEED, Rating
from casework.domain.roles import Action
from casework.models import Case, PanelRating, PanelSample, PanelSampleCase, User
from casework.services import access, audit, report_scope
from casework.services.report_scope import ReportScope

# Closed, and a decision about someone: a case withdrawn in error never was one.
SAMPLED_STATES = sorted(state.value for state in TERMINAL_STATES - {CaseState.WITHDRAWN_IN_ERROR})


@dataclass(frozen=True)
class SampledCase:
    """A line of the sample's page: the pseudonym, never the case."""

    position: int
    pseudonym: str
    rating: PanelRating | None


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def closed_case_ids(session: Session, scope: ReportScope) -> list[int]:
    """The cases a sample is drawn from, in a fixed order: closed on a London date in the range."""
    conditions = [Case.closed_at >= scope.begins, Case.closed_at < scope.ends, Case.state.in_(SAMPLED_STATES)]
    if scope.team_id is not None:
        conditions.append(Case.team_id == scope.team_id)
    return list(session.scalars(select(Case.id).where(*conditions).order_by(Case.id)))


def draw_from(case_ids: list[int], *, size: int, seed: int) -> list[int]:
    """The sample, in drawn order. `case_ids` must come in a fixed order for the draw to repeat."""
    return random.Random(seed).sample(case_ids, min(size, len(case_ids)))


def draw(
    session: Session,
    *,
    actor: User,
    first_day: date,
    last_day: date,
    team_id: int | None,
    size: int,
    seed: int | None = None,
    now: datetime,
) -> PanelSample:
    """Draw and record a sample of the cases closed in the range. NotFound for a team the actor may not
    see; RangeError for the dates; FieldError for the size or seed, or when nothing was closed."""
    access.require(actor, Action.DRAW_PANEL_SAMPLE)
    scope = report_scope.scope(
        session, actor=actor, first_day=first_day, last_day=last_day, team_id=team_id, today=local_today(now)
    )
    problems = []
    if not 1 <= size <= MAX_SAMPLE:
        problems.append(FieldError("size", f"The sample must be between 1 and {MAX_SAMPLE} cases"))
    if seed is not None and not 1 <= seed <= MAX_SEED:
        problems.append(FieldError("seed", f"The seed must be a whole number from 1 to {MAX_SEED:,}"))
    FieldErrors.raise_any(problems)
    seed = new_seed() if seed is None else seed
    case_ids = closed_case_ids(session, scope)
    if not case_ids:
        where = "every team" if scope.team_id is None else scope.team_name
        raise FieldError(
            "first_day",
            f"No cases in {where} were closed from {scope.first_day:%-d %B %Y} to {scope.last_day:%-d %B %Y}. "
            "Choose a longer range",
        )
    chosen = draw_from(case_ids, size=size, seed=seed)
    sample = PanelSample(
        team_id=scope.team_id,
        first_day=scope.first_day,
        last_day=scope.last_day,
        size_asked=size,
        seed=seed,
        closed_cases=len(case_ids),
        drawn_count=len(chosen),
        drawn_by_id=actor.id,
        drawn_at=now,
    )
    session.add(sample)
    session.flush()
    session.add_all(
        PanelSampleCase(sample_id=sample.id, case_id=case_id, position=position)
        for position, case_id in enumerate(chosen, start=1)
    )
    audit.record(
        session,
        actor=actor,
        action="panel_sample.drawn",
        now=now,
        team_id=scope.team_id,
        sample=sample.id,
        size=size,
        drawn=len(chosen),
        closed_cases=len(case_ids),
        seed=str(seed),
        **scope.audit_detail,
    )
    session.flush()
    return sample


def samples(session: Session, *, actor: User) -> list[PanelSample]:
    """The samples an actor may see, newest first: a supervisor's team's; a performance lead's, all."""
    access.require(actor, Action.DRAW_PANEL_SAMPLE)
    query = select(PanelSample).order_by(PanelSample.drawn_at.desc(), PanelSample.id.desc())
    if not report_scope.sees_every_team(actor):
        query = query.where(PanelSample.team_id == actor.team_id)
    return list(session.scalars(query))


def get(session: Session, *, actor: User, sample_id: int) -> PanelSample:
    """A sample the actor may see, or NotFound (another team's is as if it did not exist)."""
    access.require(actor, Action.DRAW_PANEL_SAMPLE)
    sample = session.get(PanelSample, sample_id)
    if sample is None or not (report_scope.sees_every_team(actor) or sample.team_id == actor.team_id):
        raise NotFound("There is no such sample.")
    return sample


def sampled_cases(session: Session, sample: PanelSample) -> list[SampledCase]:
    """The sample's cases in drawn order, each with its rating if it has one (one query)."""
    rows = session.execute(
        select(PanelSampleCase.position, PanelRating)
        .outerjoin(PanelRating, PanelRating.sample_case_id == PanelSampleCase.id)
        .where(PanelSampleCase.sample_id == sample.id)
        .order_by(PanelSampleCase.position)
    ).all()
    return [SampledCase(position, f"Case {position}", rating) for position, rating in rows]


def sampled_case(session: Session, sample: PanelSample, position: int) -> PanelSampleCase:
    found = session.scalar(
        select(PanelSampleCase).where(PanelSampleCase.sample_id == sample.id, PanelSampleCase.position == position)
    )
    if found is None:
        raise NotFound("There is no such case in this sample.")
    return found


def rating_of(session: Session, sampled: PanelSampleCase) -> PanelRating | None:
    return session.scalar(select(PanelRating).where(PanelRating.sample_case_id == sampled.id))


def rate(
    session: Session,
    *,
    actor: User,
    sample_id: int,
    position: int,
    rating: str | None,
    comments: str | None,
    panel_member: str | None,
    now: datetime,
) -> PanelRating:
    """Record the panel's rating of a sampled case: one per case. "Appropriate with observations",
    "inappropriate" and "not agreed" say why, so they need comments."""
    sample = get(session, actor=actor, sample_id=sample_id)
    sampled = sampled_case(session, sample, position)
    problems = []
    try:
        chosen = Rating(rating or "")
    except ValueError:
        chosen = None
        problems.append(FieldError("rating", "Select the panel's rating"))
    comments = (comments or "").strip() or None
    panel_member = (panel_member or "").strip()
    if chosen not in (None, Rating.APPROPRIATE) and comments is None:
        problems.append(FieldError("comments", f"Write the panel's comments: a rating of “{chosen.label}” says why"))
    if comments is not None and len(comments) > MAX_COMMENTS:
        problems.append(FieldError("comments", f"Write the comments in {MAX_COMMENTS:,} characters or fewer"))
    if not panel_member:
        problems.append(FieldError("panel_member", "Enter the name or role of the panel member giving the rating"))
    elif len(panel_member) > MAX_PANEL_MEMBER:
        problems.append(FieldError("panel_member", f"Enter the name or role in {MAX_PANEL_MEMBER} characters or fewer"))
    FieldErrors.raise_any(problems)
    earlier = rating_of(session, sampled)
    if earlier is not None:
        raise _already_rated(earlier)
    given = PanelRating(
        sample_case_id=sampled.id,
        rating=chosen.value,
        comments=comments,
        panel_member=panel_member,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    session.add(given)
    # Two people recording the same case at once: the unique key refuses the second, which the view
    # shows as a lost race.
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="panel_sample.case_rated",
        now=now,
        team_id=sample.team_id,
        case_id=sampled.case_id,
        sample=sample.id,
        position=position,
        rating=chosen.value,
    )
    session.flush()
    return given


def _already_rated(earlier: PanelRating) -> IllegalTransition:
    return IllegalTransition(
        f"This case has already been rated “{earlier.panel_rating.label}” by {earlier.panel_member}. "
        "A case has one rating from the panel."
    )


def viewed(
    session: Session, *, actor: User, sample: PanelSample, now: datetime, sampled: PanelSampleCase | None = None
) -> None:
    """A consultation (DPA 2018 s.62): the sample's list, or one case's summary as the panel reads it."""
    detail = {"sample": sample.id}
    if sampled is None:
        audit.record(session, actor=actor, action="panel_sample.viewed", now=now, team_id=sample.team_id, **detail)
        return
    audit.record(
        session,
        actor=actor,
        action="panel_sample.case_viewed",
        now=now,
        team_id=sample.team_id,
        case_id=sampled.case_id,
        position=sampled.position,
        **detail,
    )
