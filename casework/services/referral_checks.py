"""What the custody sergeant must see and settle before recording consent: the terms of offences
"included with terms" (DOMAIN.md §2.2), the statutory time bar, and whether a standard contract
would run past the latest charge date (§3.4)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.domain import time_limits
from casework.domain.contract_terms import passes_time_limit
from casework.domain.errors import FieldError, IllegalTransition
from casework.domain.gate_questions import QUESTIONS, Reason
from casework.domain.offence_terms import OffenceTerms, TermRequirement, known, victim_problem
from casework.models import Case, SchemeSettings
from casework.services import schemes

TERMS_FIELD = "terms_confirmed"
WARNING_FIELD = "time_limit_risk_seen"


def terms_applying(session: Session, case: Case, day: date) -> list[OffenceTerms]:
    """Each of the case's offences that the scheme takes only with terms, as the rule stood on `day`."""
    applying = []
    for link in case.offences:
        rule = schemes.inclusion_on(session, link.offence, day)
        if rule is not None and rule.inclusion == "included_with_terms":
            applying.append(
                OffenceTerms(
                    code=link.offence.code,
                    title=link.offence.title,
                    terms=rule.terms or "",
                    requirements=known(rule.requirements or []),
                )
            )
    return applying


def victim_problems(case: Case, applying: list[OffenceTerms]) -> list[str]:
    label = QUESTIONS["victim_view"].label(case.gate_answers.get("victim_view", ""))
    return [problem for terms in applying if (problem := victim_problem(terms, case.gate_answers, label))]


def require_terms_met(case: Case, applying: list[OffenceTerms], confirmed: Collection[str]) -> None:
    """Refused by the terms on the consent page until each one's requirements are met."""
    problems = victim_problems(case, applying)
    unconfirmed = [
        terms.title
        for terms in applying
        if terms.needs(TermRequirement.SERGEANT_CONFIRMS) and terms.code not in confirmed
    ]
    if unconfirmed:
        problems.append(f"Confirm that the terms for {', '.join(unconfirmed)} are met")
    if problems:
        raise FieldError(TERMS_FIELD, " ".join(problems))


def time_barred(case: Case, settings: SchemeSettings, today: date) -> bool:
    """Found so by the checklist, or become so since: the day may have turned after it was answered."""
    _, deadline = clocks_for(case, margin_days=settings.time_limit_margin_days)
    return Reason.TIME_BARRED.value in case.reason_codes or (deadline is not None and deadline < today)


def require_not_time_barred(case: Case, settings: SchemeSettings, today: date) -> None:
    latest, deadline = clocks_for(case, margin_days=settings.time_limit_margin_days)
    if latest is not None and deadline < today:
        raise IllegalTransition(
            f"The decision deadline, {_day(deadline)}, has passed (the latest charge date is "
            f"{_day(latest)}). A deferred prosecution cannot be offered: record the case as not offered."
        )


def clocks_for(case: Case, *, margin_days: int) -> tuple[date | None, date | None]:
    """Latest charge date (only when s.127 applies to an offence) and the decision deadline."""
    if case.offence_last_on is None or not any(link.offence.s127_applies for link in case.offences):
        return None, None
    latest = time_limits.latest_charge_date(case.offence_last_on, s127_applies=True)
    return latest, time_limits.decision_deadline(latest, margin_days=margin_days)


@dataclass(frozen=True)
class TimeLimitWarning:
    """A standard term started on `first_day` would leave no time to prosecute after it ends."""

    first_day: date
    ends_on: date
    latest_charge: date
    margin_days: int
    months: int

    @property
    def message(self) -> str:
        return (
            f"A standard {self.months}-month contract signed on the first appointment day, "
            f"{_day(self.first_day)}, would end on {_day(self.ends_on)}. With the {self.margin_days} days "
            f"kept for preparing the file, that runs past the latest charge date, {_day(self.latest_charge)}. "
            "A supervisor will have to accept the risk when the contract is signed."
        )


def time_limit_warning(case: Case, settings: SchemeSettings, first_day: date) -> TimeLimitWarning | None:
    latest, _ = clocks_for(case, margin_days=settings.time_limit_margin_days)
    months = settings.contract_length_months
    ends_on = time_limits.contract_end_date(first_day, months=months)
    if passes_time_limit(ends_on, margin_days=settings.time_limit_margin_days, latest_charge=latest):
        return None
    return TimeLimitWarning(first_day, ends_on, latest, settings.time_limit_margin_days, months)


def latest_safe_first_day(case: Case, settings: SchemeSettings) -> date | None:
    """The last first-appointment day that keeps a standard term clear of the latest charge date."""
    latest, _ = clocks_for(case, margin_days=settings.time_limit_margin_days)
    if latest is None:
        return None
    return time_limits.latest_safe_start(
        latest, months=settings.contract_length_months, margin_days=settings.time_limit_margin_days
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class ConsentChecks:
    """Everything the sergeant should know before recording consent, for the pages to show."""

    terms: list[OffenceTerms]
    victim_problems: list[str]
    latest_charge: date | None
    decision_deadline: date | None
    months: int
    margin_days: int
    latest_safe_first_day: date | None
    today: date

    @property
    def to_confirm(self) -> list[OffenceTerms]:
        return [t for t in self.terms if t.needs(TermRequirement.SERGEANT_CONFIRMS)]

    @property
    def needs_supervisor(self) -> bool:
        return any(t.needs(TermRequirement.SUPERVISOR_AGREEMENT) for t in self.terms)

    @property
    def every_day_runs_past(self) -> bool:
        """Even a first appointment tomorrow, the earliest one possible, is too late."""
        return self.latest_safe_first_day is not None and self.latest_safe_first_day <= self.today


def consent_checks(session: Session, *, case: Case, today: date) -> ConsentChecks:
    settings = schemes.settings_on(session, today)
    applying = terms_applying(session, case, today)
    latest, deadline = clocks_for(case, margin_days=settings.time_limit_margin_days)
    return ConsentChecks(
        terms=applying,
        victim_problems=victim_problems(case, applying),
        latest_charge=latest,
        decision_deadline=deadline,
        months=settings.contract_length_months,
        margin_days=settings.time_limit_margin_days,
        latest_safe_first_day=latest_safe_first_day(case, settings),
        today=today,
    )
