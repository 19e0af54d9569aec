"""The custody sergeant's eligibility checklist, E1-E20 (DOMAIN.md §2), evaluated without a database.

Answers are kept as given (a dict of question key -> "yes" / "no" / choice / number), so the
record shows exactly what the sergeant said; `evaluate` turns them into every failing reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from typing import Any

from casework.domain import gravity as gravity_module
from casework.domain.gate_questions import QUESTIONS, TEXT_LIMITS, Kind, Question, Section
from casework.domain.gate_reasons import DEADLINE_PASSED_TEXT, REASON_TEXT, RECENT_CONVICTION_TEXT, Reason
from casework.domain.gravity import gravity_score
from casework.domain.people import age_on
from casework.domain.time_limits import add_months, decision_deadline, latest_charge_date, offence_age_months_exceeded


class AdmissionRule(StrEnum):
    FULL_ADMISSION = "full_admission"
    ADMISSION_OR_NO_REPLY = "admission_or_no_reply"
    NO_DENIAL = "no_denial"
    NONE = "none"


# Which interview stances each admission rule accepts (DOMAIN.md §2.1 E6, §10).
ACCEPTED_STANCES = {
    AdmissionRule.FULL_ADMISSION: {"full_admission"},
    AdmissionRule.ADMISSION_OR_NO_REPLY: {"full_admission", "accepts_responsibility", "no_reply_with_evidence"},
    AdmissionRule.NO_DENIAL: {"full_admission", "accepts_responsibility", "no_reply_with_evidence", "no_comment"},
    AdmissionRule.NONE: {"full_admission", "accepts_responsibility", "no_reply_with_evidence", "no_comment", "denial"},
}


@dataclass(frozen=True)
class SchemeRules:
    min_age: int
    max_offence_age_months: int
    admission_rule: AdmissionRule
    exclude_indictable_only: bool
    max_gravity_without_override: int
    previous_conviction_limit: int | None  # None: no limit
    victim_consent_required: bool
    time_limit_margin_days: int
    previous_conviction_years: int | None = None  # none within this many years; None: no such rule


@dataclass(frozen=True)
class OffenceFacts:
    title: str
    mode_of_trial: str
    gravity_base: int
    inclusion: str  # included / included_with_terms / excluded, on the offer date
    flags: frozenset[str] = field(default_factory=frozenset)
    s127_applies: bool = False  # only these have a latest charge date (DOMAIN.md §3.4)


@dataclass(frozen=True)
class Finding:
    reason: Reason
    criterion: str
    explanation: str


@dataclass(frozen=True)
class GateResult:
    eligible: bool
    findings: tuple[Finding, ...]
    unanswered: tuple[str, ...]
    gravity: int | None
    gravity_base: int | None = None

    @property
    def reason_codes(self) -> list[str]:
        return [finding.reason.value for finding in self.findings]


def unanswered(answers: Mapping[str, Any], section: Section | None = None) -> list[str]:
    questions = section.questions if section else QUESTIONS.values()
    return [q.key for q in questions if q.needed(answers) and _blank(answers.get(q.key))]


def evaluate(
    rules: SchemeRules,
    answers: Mapping[str, Any],
    *,
    offences: list[OffenceFacts],
    date_of_birth: date,
    offence_last_on: date | None,
    offer_date: date,
) -> GateResult:
    """Every failing reason, not just the first: the record must show the whole picture."""
    findings: list[Finding] = []

    def fail(reason: Reason, criterion: str, text: str | None = None, **facts) -> None:
        findings.append(Finding(reason, criterion, (text or REASON_TEXT[reason]).format(**facts)))

    age = age_on(date_of_birth, offer_date)
    if age < rules.min_age:
        fail(Reason.UNDER_18, "E1", age=age, min_age=rules.min_age)
    # A continuing offence is as old as its last day: that is when it was last committed.
    if offence_last_on and offence_age_months_exceeded(offence_last_on, offer_date, rules.max_offence_age_months):
        too_old_from = add_months(offence_last_on, rules.max_offence_age_months)
        fail(Reason.OFFENCE_TOO_OLD, "E4", offence_last=_day(offence_last_on), too_old_from=_day(too_old_from))
    _time_bar(rules, offences, offence_last_on, offer_date, fail)
    for question in QUESTIONS.values():
        if question.failing is not None and answers.get(question.key) == question.failing:
            if question.reason is Reason.LOCAL_EXCLUSION:
                fail(question.reason, question.criterion, which=_which_exclusion(answers))
            else:
                fail(question.reason, question.criterion)
    stance = answers.get("admission_stance")
    if stance and stance not in ACCEPTED_STANCES[rules.admission_rule]:
        fail(Reason.DENIES_OFFENCE, "E6")
    for offence in offences:
        if offence.inclusion == "excluded" or {"sexual", "driving"} & offence.flags:
            fail(Reason.EXCLUDED_OFFENCE_TYPE, "E8", offence=offence.title)
        if rules.exclude_indictable_only and offence.mode_of_trial == "indictable_only":
            fail(Reason.INDICTABLE_ONLY, "E9", offence=offence.title)
    gravity, base = None, None
    if offences:
        base = max(o.gravity_base for o in offences)
        gravity = gravity_score(
            base,
            aggravating=gravity_module.applies(answers.get("aggravating")),
            mitigating=gravity_module.applies(answers.get("mitigating")),
        )
        if gravity > rules.max_gravity_without_override:
            fail(Reason.GRAVITY_TOO_HIGH, "E10", gravity=gravity, max_gravity=rules.max_gravity_without_override)
    _previous_convictions(rules, answers, offer_date, fail)
    if rules.victim_consent_required and answers.get("victim_view") in {"objects", "not_sought"}:
        fail(Reason.VICTIM_OBJECTS, "E18")
    missing = tuple(unanswered(answers)) + (() if offences else ("offences",))
    return GateResult(
        eligible=not findings and not missing,
        findings=tuple(findings),
        unanswered=missing,
        gravity=gravity,
        gravity_base=base,
    )


def _which_exclusion(answers: Mapping[str, Any]) -> str:
    which = answers.get("local_exclusion_detail") or shown(
        QUESTIONS["local_exclusion_which"], answers.get("local_exclusion_which")
    )
    return f": {which}" if which else ""


def _time_bar(rules: SchemeRules, offences: list[OffenceFacts], offence_last_on, offer_date: date, fail) -> None:
    """An offence past its statutory limit, or past the deadline that leaves time to prepare the
    file, can never be prosecuted after a failed contract (DOMAIN.md §3.4). Only s.127 offences
    have a limit; for continuing offences it runs from the last day."""
    barred = [o.title for o in offences if o.s127_applies]
    if not barred or offence_last_on is None:
        return
    latest = latest_charge_date(offence_last_on, s127_applies=True)
    deadline = decision_deadline(latest, margin_days=rules.time_limit_margin_days)
    facts = dict(offences=", ".join(barred), latest_charge=_day(latest), offence_last=_day(offence_last_on))
    if latest < offer_date:
        fail(Reason.TIME_BARRED, "E4", **facts)
    elif deadline < offer_date:
        fail(
            Reason.TIME_BARRED,
            "E4",
            DEADLINE_PASSED_TEXT,
            deadline=_day(deadline),
            margin=rules.time_limit_margin_days,
            **facts,
        )


def _previous_convictions(rules: SchemeRules, answers: Mapping[str, Any], offer_date: date, fail) -> None:
    count = _number(answers.get("previous_convictions"))
    if rules.previous_conviction_limit is not None and count is not None and count > rules.previous_conviction_limit:
        fail(Reason.PREVIOUS_CONVICTIONS, "E15", count=count, limit=rules.previous_conviction_limit)
    last = _date(answers.get("last_conviction_on"))
    if rules.previous_conviction_years and count and last:
        since = add_months(offer_date, -12 * rules.previous_conviction_years)
        if last > since:
            fail(
                Reason.PREVIOUS_CONVICTIONS,
                "E15",
                RECENT_CONVICTION_TEXT,
                last=_day(last),
                years=rules.previous_conviction_years,
                since=_day(since),
            )


@dataclass(frozen=True)
class AnswerContext:
    """What an answer is checked against: the London date and time now, and the case's facts."""

    today: date
    time_now: time
    date_of_birth: date
    offence_first_on: date | None = None


def answer_problems(section: Section, answers: Mapping[str, Any], context: AnswerContext) -> list[tuple[str, str]]:
    """Every answer on a page that cannot be stored, as (question key, message)."""
    problems = []
    for question in section.questions:
        value = answers.get(question.key)
        if question.needed(answers) and _blank(value):
            problems.append((question.key, _missing(question)))
        elif not _blank(value) and (
            problem := answer_problem(question, value) or _fact_problem(question, answers, context)
        ):
            problems.append((question.key, problem))
    return problems


def answer_problem(question: Question, value: Any) -> str | None:
    """Why an answer cannot be stored, or None."""
    if _blank(value):
        return None if question.optional else _missing(question)
    if question.kind is Kind.FACTORS:
        chosen = list(value) if isinstance(value, list | tuple) else [value]
        if not set(chosen) <= {choice for choice, _ in question.choices}:
            return "Select from the list"
        if gravity_module.NONE in chosen and len(chosen) > 1:
            return "Select the factors that apply, or 'None of these', not both"
        return None
    value = str(value).strip()
    if question.kind is Kind.NUMBER:
        return None if value.isdigit() and int(value) <= 999 else "Enter a whole number, like 0 or 3"
    if question.kind in TEXT_LIMITS:
        limit = TEXT_LIMITS[question.kind]
        return None if len(value) <= limit else f"{question.text} must be {limit} characters or fewer"
    if question.kind is Kind.DATE:
        return None if _date(value) else "Enter a real date, for example 27/3/2026"
    if question.kind is Kind.TIME:
        return None if _time(value) else "Enter a real time, for example 9:30am or 14:30"
    if value not in {choice for choice, _ in question.choices}:
        return "Select one of the answers"
    return None


def _fact_problem(question: Question, answers: Mapping[str, Any], context: AnswerContext) -> str | None:
    """Dates and times that cannot be true of this case."""
    if question.key == "evidential_decided_on":
        decided = _date(answers[question.key])
        if decided > context.today:
            return "The date of the evidential decision must be today or in the past"
        if context.offence_first_on and decided < context.offence_first_on:
            return "The evidential decision must be on or after the date of the offence"
    decided_today = _date(answers.get("evidential_decided_on")) == context.today
    if question.key == "evidential_decided_time" and decided_today and _time(answers[question.key]) > context.time_now:
        return "The time of the evidential decision must be in the past"
    if question.key == "last_conviction_on":
        last = _date(answers[question.key])
        if last > context.today:
            return "The date of the most recent conviction must be in the past"
        if last <= context.date_of_birth:
            return "The date of the most recent conviction must be after the person's date of birth"
    return None


def shown(question: Question, value: Any) -> str:
    """An answer as the person who gave it would read it back."""
    if _blank(value):
        return ""
    if question.kind is Kind.FACTORS:
        chosen = list(value) if isinstance(value, list | tuple) else [value]
        return "; ".join(question.label(choice) for choice in chosen)
    if question.kind is Kind.DATE and (day := _date(value)):
        return _day(day)
    if question.kind is Kind.TIME and (moment := _time(value)):
        return f"{moment.hour % 12 or 12}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"
    return question.label(str(value))


def _missing(question: Question) -> str:
    return question.missing or f"Answer: {question.text}"


def _blank(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return not value
    return value is None or str(value).strip() == ""


def _number(value: Any) -> int | None:
    return int(value) if value is not None and str(value).strip().isdigit() else None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _time(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
