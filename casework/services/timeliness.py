"""How long each step took for the cases in a report's scope (DOMAIN.md §3.3, §3.4, §7, §8.2).

The cohort is `ReportScope.cases()`: cases whose custody gate was started (`cases.opened_at`) on a
London date in the range, in the team, not withdrawn in error. Every interval runs between London
dates (domain.timeliness). Each measure counts these cases, from these recorded times:

- arrest to offer: cases with an arrest time and a consent, from `cases.arrested_at` to
  `cases.consent_at` (the time the person accepted the offer, as the sergeant recorded it). A declined
  offer keeps no time of the offer, so only accepted offers are measured;
- offer to first contact: referred cases (`cases.referred_at` set), from `cases.consent_at` to
  `cases.first_contact_at`, in working days. On time means contact by the scheme's
  `first_contact_working_days` in force on the day of the consent, by the overdue flag's rule but
  counted from the consent, not the referral: where a supervisor must accept a referral first, that
  wait is the person's wait too. A referred case that ended (terminated, awaiting or given a
  prosecution decision) without first contact counts as never contacted. Referred cases still waiting
  are left out: the report has no clock to tell which of them are already late (the flags do);
- first contact to signature: from `cases.first_contact_at` to the first `contracts.signed_at`
  (a variation is signed again later; the term ran from the first signature);
- breach reported to decision: the cohort's breaches a supervisor has decided, from
  `breaches.raised_at` to `breaches.decided_at`. Breaches the navigator dealt with by a formal warning
  have no supervisor's decision, and breaches still awaiting one are left out. One person may have
  several breaches: each breach is a value, and the people are counted once each;
- decision to charge: charged cases (outcome route "charged") whose contract a supervisor terminated on
  a breach, from that decision (`breaches.decided_at`, decision "terminate") to the charge date
  (`case_outcomes.charged_on`). The prosecution decision itself is recorded on or after the charge
  date (services.prosecution), so the days from it to the charge would say nothing. A case ended
  without a breach decision (no first contact, refused to sign) has no recorded time of the decision
  to end it and is left out;
- margin at the prosecution decision: cases with a prosecution decision (a `case_outcomes` row other
  than a completion) and a latest charge date (s.127 applies), from the London date of
  `case_outcomes.decided_at` to `cases.latest_charge_on`, split by `cases.decision_deadline_on`;
- became time-barred: cases whose prosecution decision came after their latest charge date: those
  closed as time-barred (route "time_barred", Outcome 17, state CLOSED_TIME_BARRED; the decision form
  allows that route only once the date has passed) and those closed another way (no further action,
  evidential difficulties) after it. A case found already time-barred at the gate was never in the
  scheme's hands (the funnel lists it under "not offered") and is not counted; a completed case whose
  limit passed during the contract needed no prosecution and is not counted; a case still awaiting
  its decision past the date is not counted, for want of a clock (the supervisor's queue shows it).

Three queries however large the cohort: the cases' recorded times (one row per accepted case), the
decided breaches, and the scheme's first-contact targets. Medians, percentiles and working days are
worked out here, not in SQL: SQLite has no percentile function, PostgreSQL's would differ from it, and
working days need the bank holiday list. The London date of each recorded time is worked out in SQL.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from casework.domain import flags, time_limits
from casework.domain.breaches import BreachStatus, Decision
from casework.domain.lifecycle import ENDED_EARLY_STATES, CaseState
from casework.domain.outcome_codes import Route
from casework.models import Breach, Case, CaseOutcome, Contract, SchemeSettings
from casework.services import funnel
from casework.services.report_scope import ReportScope

# The medians the trend follows, month by month (the London month the gate was started).
TREND = ("arrest_to_offer", "offer_to_first_contact", "contact_to_signature")

# A scheme not yet configured: the design default (DOMAIN.md §3.3, §10).
DEFAULT_FIRST_CONTACT_DAYS = 5

# Where a referral that never made contact ends: terminated, then the prosecution decision and its closings.
_ENDED_WITHOUT_CONTACT = {
    *(state.value for state in ENDED_EARLY_STATES),
    CaseState.CLOSED_CHARGED.value,
    CaseState.CLOSED_ALTERNATIVE.value,
    CaseState.CLOSED_TIME_BARRED.value,
    CaseState.CLOSED_EVIDENTIAL.value,
}


@dataclass(frozen=True)
class Measure:
    """Day counts (one per person, or per breach) and how many people they came from."""

    values: tuple[int, ...]
    people: int


@dataclass(frozen=True)
class FirstContact:
    within: int
    later: int
    never: int  # ended without first contact
    working_days: tuple[int, ...]  # of those contacted
    targets: tuple[int, ...]  # the targets in force over the cohort's offers, smallest first


@dataclass(frozen=True)
class Margins:
    by_deadline: int  # decided on or before the decision deadline
    after_deadline: int  # after the deadline, on or before the latest charge date
    after_limit: int  # after the latest charge date
    days_left: tuple[int, ...]  # latest charge date minus the decision's date, negative once past


@dataclass(frozen=True)
class TimeBarred:
    reference: str
    latest_charge_on: date
    decided_on: date
    route: Route


@dataclass(frozen=True)
class Timeliness:
    time_barred: tuple[TimeBarred, ...]  # by decision date, then reference
    arrest_to_offer: Measure
    first_contact: FirstContact
    contact_to_signature: Measure
    breach_to_decision: Measure
    decision_to_charge: Measure
    margins: Margins
    # London month ("2026-10") to each TREND measure's values; months with no cases left out.
    by_month: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)


def timeliness(session: Session, scope: ReportScope) -> Timeliness:
    # London dates are worked out in SQL, one per recorded time, so that Python only subtracts dates
    # (at a million cases, converting each time here took seconds). The cohort's times run from the
    # arrest, shortly before the gate, to the day the report is made.
    years = range(scope.first_day.year - 1, max(scope.last_day, scope.today).year + 1)

    def day(column):
        return funnel.london_date(session, column, years)

    # The first signature is the first version's: a variation is signed only once the case is active.
    first_contract = aliased(Contract, name="first_contract")
    terminated = (
        select(Breach.case_id, func.max(Breach.decided_at).label("decided_at"))
        .where(Breach.decision == Decision.TERMINATE.value)
        .group_by(Breach.case_id)
        .subquery("terminated")
    )
    # Read through the connection: ORM rows for a hundred thousand cases cost about a third of a second more.
    connection = session.connection()
    # Query 1: every accepted case's recorded times (nothing is measured without a consent).
    rows = connection.execute(
        select(
            Case.reference,
            Case.state,
            funnel.london_month(session, Case.opened_at, years),
            day(Case.arrested_at).label("arrested_on"),
            day(Case.consent_at).label("consent_on"),
            Case.referred_at.is_not(None).label("referred"),
            day(Case.first_contact_at).label("first_contact_on"),
            Case.latest_charge_on,
            Case.decision_deadline_on,
            day(first_contract.signed_at).label("signed_on"),
            day(terminated.c.decided_at).label("terminated_on"),
            CaseOutcome.route,
            day(CaseOutcome.decided_at).label("decided_on"),
            CaseOutcome.charged_on,
        )
        .outerjoin(first_contract, and_(first_contract.case_id == Case.id, first_contract.version_number == 1))
        .outerjoin(terminated, terminated.c.case_id == Case.id)
        .outerjoin(CaseOutcome, CaseOutcome.case_id == Case.id)
        .where(*scope.cases(), Case.consent_at.is_not(None))
    ).all()
    # Query 2: the supervisors' decisions on the cohort's breaches.
    breaches = connection.execute(
        select(Breach.case_id, day(Breach.raised_at), day(Breach.decided_at))
        .join(Case, Case.id == Breach.case_id)
        .where(*scope.cases(), Breach.status == BreachStatus.DECIDED.value)
    ).all()
    # Query 3: the first-contact target of every version of the settings, to take the one in force on each offer.
    targets = session.execute(
        select(SchemeSettings.effective_from, SchemeSettings.first_contact_working_days)
        .where(SchemeSettings.superseded_at.is_(None))
        .order_by(SchemeSettings.effective_from)
    ).all()
    return _measured(rows, breaches, targets)


def _measured(rows, breaches, targets) -> Timeliness:
    values: dict[str, list[int]] = defaultdict(list)
    by_month: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    contact = {"within": 0, "later": 0, "never": 0}
    margin = {"by_deadline": 0, "after_deadline": 0, "after_limit": 0}
    targets_used, time_barred = set(), []
    target_on = _target_finder(targets)
    # Offers and contacts fall on a few hundred days: each pair of days is counted once.
    working_days = cache(time_limits.working_days_between)
    due_on = cache(flags.first_contact_due_on)

    def add(key: str, month: str, value: int) -> None:
        values[key].append(value)
        if key in TREND:
            by_month[month][key].append(value)

    # Unpacked, not read by name: a row's attributes cost more than the day counting, row by row.
    for (
        reference,
        state,
        month,
        arrested_on,
        consent_on,
        referred,
        first_contact_on,
        latest_charge_on,
        decision_deadline_on,
        signed_on,
        terminated_on,
        route,
        decided_on,
        charged_on,
    ) in rows:
        if arrested_on is not None:
            add("arrest_to_offer", month, (consent_on - arrested_on).days)
        if referred and first_contact_on is not None:
            target = target_on(consent_on)
            targets_used.add(target)
            # By the overdue flag's rule (domain.timeliness.first_contact_on_time), on London dates.
            contact["within" if first_contact_on <= due_on(consent_on, target) else "later"] += 1
            add("offer_to_first_contact", month, working_days(consent_on, first_contact_on))
        elif referred and state in _ENDED_WITHOUT_CONTACT:
            contact["never"] += 1
        if first_contact_on is not None and signed_on is not None:
            add("contact_to_signature", month, (signed_on - first_contact_on).days)
        if route is None or route == Route.COMPLETION.value:
            continue
        if route == Route.CHARGED.value and terminated_on is not None and charged_on is not None:
            add("decision_to_charge", month, (charged_on - terminated_on).days)
        if latest_charge_on is None:
            continue
        add("margin", month, (latest_charge_on - decided_on).days)
        if decided_on > latest_charge_on:
            margin["after_limit"] += 1
            time_barred.append(TimeBarred(reference, latest_charge_on, decided_on, Route(route)))
        elif decision_deadline_on is not None and decided_on > decision_deadline_on:
            margin["after_deadline"] += 1
        else:
            margin["by_deadline"] += 1

    for _case_id, raised_on, decided_on in breaches:
        values["breach_to_decision"].append((decided_on - raised_on).days)

    def measure(key: str) -> Measure:
        return Measure(tuple(values[key]), len(values[key]))

    return Timeliness(
        time_barred=tuple(sorted(time_barred, key=lambda barred: (barred.decided_on, barred.reference))),
        arrest_to_offer=measure("arrest_to_offer"),
        first_contact=FirstContact(
            **contact, working_days=tuple(values["offer_to_first_contact"]), targets=tuple(sorted(targets_used))
        ),
        contact_to_signature=measure("contact_to_signature"),
        breach_to_decision=Measure(tuple(values["breach_to_decision"]), len({case_id for case_id, *_ in breaches})),
        decision_to_charge=measure("decision_to_charge"),
        margins=Margins(**margin, days_left=tuple(values["margin"])),
        by_month={
            month: {key: tuple(found) for key, found in measures.items()} for month, measures in by_month.items()
        },
    )


def _target_finder(targets):
    """The first-contact target in force on a day, as schemes.settings_on would find it, without a
    query per case. Before the first version, the first version's."""
    days = [effective_from for effective_from, _ in targets]

    def target_on(day: date) -> int:
        if not targets:
            return DEFAULT_FIRST_CONTACT_DAYS
        index = bisect.bisect_right(days, day) - 1
        return targets[max(index, 0)][1]

    return target_on
