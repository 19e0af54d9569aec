"""Answering the eligibility checklist, evaluating it under the scheme's rules, and overriding it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from casework.domain import gate
from casework.domain.clock import local, local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, StaleRecord
from casework.domain.gate_questions import Reason, Section
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.models import Case, SchemeSettings, User
from casework.services import access, audit, schemes
from casework.services.concurrency import flush_or_stale, stale_message

TIME_BAR_REFUSAL = (
    "The statutory time limit for charging cannot be overridden: a prosecution could not follow a "
    "failed contract. Record the case as not offered."
)


def rules_from(settings: SchemeSettings) -> gate.SchemeRules:
    limit = settings.previous_conviction_limit if settings.previous_conviction_rule == "max_count" else None
    if settings.previous_conviction_rule == "none_allowed":
        limit = 0
    within = settings.previous_conviction_rule == "none_within_years"
    return gate.SchemeRules(
        min_age=settings.min_age,
        max_offence_age_months=settings.max_offence_age_months,
        admission_rule=gate.AdmissionRule(settings.admission_rule),
        exclude_indictable_only=settings.exclude_indictable_only,
        max_gravity_without_override=settings.max_gravity_without_override,
        previous_conviction_limit=limit,
        victim_consent_required=settings.victim_views_rule == "consent_required",
        time_limit_margin_days=settings.time_limit_margin_days,
        previous_conviction_years=settings.previous_conviction_years if within else None,
    )


def _require_draft(actor: User, case: Case, seen_version: int) -> None:
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    if case.version != seen_version:
        raise StaleRecord(stale_message(f"case {case.reference}"), case_id=case.id)
    if case.case_state is not CaseState.ELIGIBILITY_DRAFT:
        raise IllegalTransition("The checklist can only be changed while the eligibility check is in progress.")


def answer_section(
    session: Session,
    *,
    actor: User,
    case: Case,
    section: Section,
    answers: dict[str, Any],
    seen_version: int,
    now: datetime,
) -> gate.GateResult:
    """Answers are stored as given; a follow-up question that no longer applies (the date of the
    last conviction, once the count is 0) is cleared rather than kept out of date."""
    _require_draft(actor, case, seen_version)
    given = {q.key: _cleaned(answers.get(q.key)) for q in section.questions}
    merged = {**case.gate_answers, **given}
    shown_now = local(now)
    context = gate.AnswerContext(
        today=shown_now.date(),
        time_now=shown_now.time().replace(tzinfo=None),
        date_of_birth=case.person.date_of_birth,
        offence_first_on=case.offence_first_on,
    )
    FieldErrors.raise_any([FieldError(key, message) for key, message in gate.answer_problems(section, merged, context)])
    for question in section.questions:
        if not question.asked(merged):
            given[question.key] = ""
    case.gate_answers = {**case.gate_answers, **given}
    return _evaluate(session, actor=actor, case=case, now=now, section=section.slug)


def _cleaned(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return "" if value is None else str(value).strip()


def evaluation(session: Session, *, case: Case, now: datetime) -> gate.GateResult:
    """The checklist's verdict as things stand, without storing anything (for showing)."""
    settings = schemes.settings_on(session, local_today(now))
    offences = [_facts(session, link.offence, now) for link in case.offences]
    return gate.evaluate(
        rules_from(settings),
        case.gate_answers,
        offences=offences,
        date_of_birth=case.person.date_of_birth,
        offence_last_on=case.offence_last_on,
        offer_date=local_today(now),
    )


def _evaluate(session: Session, *, actor: User, case: Case, now: datetime, section: str) -> gate.GateResult:
    # No autoflush while reading the rules: the case is written once, below, where a lost race is caught.
    with session.no_autoflush:
        result = evaluation(session, case=case, now=now)
        settings_id = schemes.settings_on(session, local_today(now)).id
    complete = not result.unanswered
    case.provisional_eligible = result.eligible if complete else None
    case.reason_codes = result.reason_codes
    case.gravity_score = result.gravity
    case.evaluated_at = now if complete else None
    case.scheme_settings_id = settings_id
    case.override_rationale, case.overridden_by_id = None, None  # new answers need a fresh decision
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.checklist_answered",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        section=section,
        complete=complete,
        reason_codes=result.reason_codes,
    )
    return result


def _facts(session: Session, offence, now: datetime) -> gate.OffenceFacts:
    inclusion = schemes.inclusion_on(session, offence, local_today(now))
    flags = {name for name in ("domestic_abuse", "hate", "sexual", "driving", "weapon") if getattr(offence, name)}
    return gate.OffenceFacts(
        title=offence.title,
        mode_of_trial=offence.mode_of_trial,
        gravity_base=offence.gravity_base,
        inclusion=inclusion.inclusion if inclusion else "excluded",
        flags=frozenset(flags),
        s127_applies=offence.s127_applies,
    )


def override(session: Session, *, actor: User, case: Case, rationale: str, seen_version: int, now: datetime) -> Case:
    """The sergeant may depart from the checklist, but only in writing (gravity matrices allow it)."""
    _require_draft(actor, case, seen_version)
    if case.provisional_eligible is not False:
        raise IllegalTransition("Only a completed checklist that found the person ineligible can be overridden.")
    if Reason.TIME_BARRED.value in case.reason_codes:
        raise IllegalTransition(TIME_BAR_REFUSAL)
    if len(rationale.strip()) < 20:
        raise FieldError("rationale", "Write the rationale for overriding the checklist, at least 20 characters")
    case.override_rationale, case.overridden_by_id = rationale.strip(), actor.id
    flush_or_stale(session, stale_message(f"case {case.reference}"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.eligibility_overridden",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        reason_codes=list(case.reason_codes),
    )
    return case


def gravity_base(case: Case) -> tuple[int, list[str]] | None:
    """The catalogue's base score the factors start from: the most serious offence's, and which
    offences carry it."""
    if not case.offences:
        return None
    base = max(link.offence.gravity_base for link in case.offences)
    return base, [link.offence.title for link in case.offences if link.offence.gravity_base == base]
