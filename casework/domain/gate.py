"""The custody sergeant's eligibility checklist, E1-E20 (DOMAIN.md §2), evaluated without a database.

Answers are kept as given (a dict of question key -> "yes" / "no" / choice / number), so the
record shows exactly what the sergeant said; `evaluate` turns them into every failing reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from casework.domain.gate_questions import QUESTIONS, REASON_TEXT, Question, Reason, Section
from casework.domain.people import age_on
from casework.domain.time_limits import add_months, offence_age_months_exceeded


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


@dataclass(frozen=True)
class OffenceFacts:
    title: str
    mode_of_trial: str
    gravity_base: int
    inclusion: str  # included / included_with_terms / excluded, on the offer date
    flags: frozenset[str] = field(default_factory=frozenset)


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

    @property
    def reason_codes(self) -> list[str]:
        return [finding.reason.value for finding in self.findings]


def unanswered(answers: dict[str, str], section: Section | None = None) -> list[str]:
    questions = section.questions if section else QUESTIONS.values()
    return [q.key for q in questions if not q.optional and str(answers.get(q.key, "")).strip() == ""]


def gravity_score(base: int, *, aggravating: bool, mitigating: bool) -> int:
    """Factors move the base score one level up or down, within 1-4 (DOMAIN.md §2.3)."""
    return max(1, min(4, base + int(aggravating) - int(mitigating)))


def evaluate(
    rules: SchemeRules,
    answers: dict[str, str],
    *,
    offences: list[OffenceFacts],
    date_of_birth: date,
    offence_last_on: date | None,
    offer_date: date,
) -> GateResult:
    """Every failing reason, not just the first: the record must show the whole picture."""
    findings: list[Finding] = []

    def fail(reason: Reason, criterion: str, **facts) -> None:
        findings.append(Finding(reason, criterion, REASON_TEXT[reason].format(**facts)))

    age = age_on(date_of_birth, offer_date)
    if age < rules.min_age:
        fail(Reason.UNDER_18, "E1", age=age, min_age=rules.min_age)
    # A continuing offence is as old as its last day: that is when it was last committed.
    if offence_last_on and offence_age_months_exceeded(offence_last_on, offer_date, rules.max_offence_age_months):
        too_old_from = add_months(offence_last_on, rules.max_offence_age_months)
        fail(Reason.OFFENCE_TOO_OLD, "E4", offence_last=_day(offence_last_on), too_old_from=_day(too_old_from))
    for question in QUESTIONS.values():
        if question.failing is not None and answers.get(question.key) == question.failing:
            fail(question.reason, question.criterion)
    stance = answers.get("admission_stance")
    if stance and stance not in ACCEPTED_STANCES[rules.admission_rule]:
        fail(Reason.DENIES_OFFENCE, "E6")
    for offence in offences:
        if offence.inclusion == "excluded" or {"sexual", "driving"} & offence.flags:
            fail(Reason.EXCLUDED_OFFENCE_TYPE, "E8", offence=offence.title)
        if rules.exclude_indictable_only and offence.mode_of_trial == "indictable_only":
            fail(Reason.INDICTABLE_ONLY, "E9", offence=offence.title)
    gravity = None
    if offences:
        gravity = gravity_score(
            max(o.gravity_base for o in offences),
            aggravating=answers.get("aggravating_factors") == "yes",
            mitigating=answers.get("mitigating_factors") == "yes",
        )
        if gravity > rules.max_gravity_without_override:
            fail(Reason.GRAVITY_TOO_HIGH, "E10", gravity=gravity, max_gravity=rules.max_gravity_without_override)
    count = _number(answers.get("previous_convictions"))
    if rules.previous_conviction_limit is not None and count is not None and count > rules.previous_conviction_limit:
        fail(Reason.PREVIOUS_CONVICTIONS, "E15", count=count, limit=rules.previous_conviction_limit)
    if rules.victim_consent_required and answers.get("victim_view") in {"objects", "not_sought"}:
        fail(Reason.VICTIM_OBJECTS, "E18")
    missing = tuple(unanswered(answers)) + (() if offences else ("offences",))
    return GateResult(
        eligible=not findings and not missing, findings=tuple(findings), unanswered=missing, gravity=gravity
    )


def answer_problem(question: Question, value: str) -> str | None:
    """Why an answer cannot be stored, or None."""
    value = value.strip()
    if not value:
        return None if question.optional else f"Answer: {question.text}"
    if question.number:
        if not value.isdigit() or int(value) > 999:
            return "Enter a whole number, like 0 or 3"
        return None
    if value not in {choice for choice, _ in question.choices}:
        return "Select one of the answers"
    return None


def _number(value: str | None) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
