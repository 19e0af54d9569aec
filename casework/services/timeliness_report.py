"""The timeliness report (DOMAIN.md §8.2): services.timeliness's day counts as the tables a supervisor
or performance lead reads, downloads and sees charted, with figures from few people suppressed (§8.3).

Cases that became time-barred come first, because the target is none. A median or percentile from
fewer people than the threshold could be one person's own wait, so it is hidden as a count that small
would be; a count of none is hidden too (domain.suppression), and so is any figure drawn from none."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from casework.domain.outcome_codes import Route
from casework.domain.report_tables import (
    SUPPRESSED,
    SUPPRESSED_NOTE,
    Cell,
    Days,
    Report,
    Table,
    counts_table,
    median_days,
    months_in,
    share_or_suppressed,
)
from casework.domain.timeliness import nearest_rank
from casework.services import timeliness
from casework.services.report_scope import ReportScope

TREND_HEADERS = {
    "arrest_to_offer": "Arrest to offer accepted (median days)",
    "offer_to_first_contact": "Offer accepted to first contact (median working days)",
    "contact_to_signature": "First contact to contract signed (median days)",
}
PERCENTILE_NOTE = "The 90th percentile: 9 in 10 waited this many days or fewer."
NOT_FOR_PUBLICATION = (
    "For following up inside the service, not for publication: a case reference points at one person, "
    "and this list shows how many cases there were even where the count above is hidden."
)


def build(session: Session, scope: ReportScope) -> Report:
    result = timeliness.timeliness(session, scope)
    threshold = scope.threshold
    return Report(
        key="timeliness",
        title="Timeliness",
        summary=(
            "Cases whose custody gate was started in the range. Days are counted between dates in London; "
            "working days leave out weekends and bank holidays in England and Wales.",
            "Waits still running are not counted: people still waiting for first contact, breaches awaiting "
            "a decision and cases awaiting a prosecution decision.",
        ),
        tables=(
            _time_barred(result, threshold),
            _time_barred_cases(result),
            _first_contact(result.first_contact, threshold),
            _intervals(result, threshold),
            _margins(result.margins, threshold),
            _trend(result, scope),
        ),
    )


def _days(values: Sequence[int], people: int, threshold: int, percent: int | None = None) -> Cell:
    """A median (or a percentile) of day counts, hidden when it comes from fewer than the threshold."""
    if people < threshold:
        return SUPPRESSED
    if percent is None:
        return median_days(list(values), threshold=threshold)
    return Days(nearest_rank(values, percent))


def _time_barred(result: timeliness.Timeliness, threshold: int) -> Table:
    barred = [case for case in result.time_barred if case.route is Route.TIME_BARRED]
    return counts_table(
        "time-barred",
        "Cases that became time-barred (target: none)",
        label_header="How the case closed",
        labels=("Closed as time-barred (Outcome 17)", "Closed another way after the latest charge date"),
        headers=("Cases",),
        counts=((len(barred),), (len(result.time_barred) - len(barred),)),
        # Not hidden: these count the service's failures, not people's traits, the next table lists
        # them by reference for follow-up anyway, and "none" is the figure the target asks for.
        threshold=1,
        hide_zeros=False,
        column_totals=True,
        notes=(
            "A case became time-barred when its prosecution decision came after its latest charge date "
            "(Magistrates' Courts Act 1980 s.127), so it could no longer be charged. Cases already "
            "time-barred at the custody gate, and cases that completed, are not counted.",
        ),
    )


def _time_barred_cases(result: timeliness.Timeliness) -> Table:
    rows = tuple(
        (case.reference, _date(case.latest_charge_on), _date(case.decided_on), case.route.label)
        for case in result.time_barred
    )
    notes = (NOT_FOR_PUBLICATION,) if rows else ("No case in the range became time-barred.",)
    return Table(
        "time-barred-cases",
        "Which cases became time-barred",
        ("Case reference", "Latest charge date", "Prosecution decision", "Closed as"),
        rows,
        notes,
    )


def _first_contact(contact: timeliness.FirstContact, threshold: int) -> Table:
    if len(contact.targets) == 1:
        within, notes = f"Within {contact.targets[0]} working days", ()
    else:
        within = "Within the target"
        notes = ()
        if contact.targets:
            targets = " and ".join(str(target) for target in contact.targets)
            notes = (
                f"The target changed during the range ({targets} working days): each case is measured against "
                "the target in force on the day the offer was accepted.",
            )
    counts = counts_table(
        "first-contact",
        "Offer accepted to first contact with a navigator, against the scheme's target",
        label_header="Step",
        labels=("Offer accepted to first contact",),
        headers=(within, "Later", "Ended without first contact"),
        counts=((contact.within, contact.later, contact.never),),
        threshold=threshold,
        row_totals=True,
        notes=(
            *notes,
            "Working days from the day the offer was accepted to the day of first contact. People still "
            "waiting for first contact are not counted.",
            PERCENTILE_NOTE,
        ),
    )
    (row,) = counts.rows
    contacted, days = contact.within + contact.later, contact.working_days
    figures = (
        share_or_suppressed(row[1], row[4]),
        _days(days, contacted, threshold),
        _days(days, contacted, threshold, percent=90),
    )
    headers = (*counts.headers, "Share within the target", "Median working days", "90th percentile working days")
    return Table(counts.key, counts.caption, headers, ((*row, *figures),), counts.notes)


def _intervals(result: timeliness.Timeliness, threshold: int) -> Table:
    measures = (
        ("Arrest to offer accepted", result.arrest_to_offer),
        ("First contact to contract signed", result.contact_to_signature),
        ("Breach reported to the supervisor's decision", result.breach_to_decision),
        ("Supervisor's decision to terminate to charge", result.decision_to_charge),
    )
    counts = counts_table(
        "intervals",
        "Days between the steps of a case",
        label_header="Step",
        labels=tuple(label for label, _ in measures),
        headers=("People",),
        counts=tuple((measure.people,) for _, measure in measures),
        threshold=threshold,
        notes=(
            "Breach reported to the supervisor's decision counts every breach a supervisor decided (warnings "
            "a navigator gave are not decisions); People counts each person once.",
            "Decision to charge runs from the supervisor's decision to terminate the contract on a breach to "
            "the date of the charge or postal requisition.",
            PERCENTILE_NOTE,
        ),
    )
    rows = tuple(
        (*row, _days(measure.values, measure.people, threshold), _days(measure.values, measure.people, threshold, 90))
        for row, (_, measure) in zip(counts.rows, measures, strict=True)
    )
    return Table(
        counts.key, counts.caption, (*counts.headers, "Median days", "90th percentile days"), rows, counts.notes
    )


def _margins(margins: timeliness.Margins, threshold: int) -> Table:
    counts = counts_table(
        "margin",
        "Days left before the latest charge date when the prosecution decision was made",
        label_header="Prosecution decisions",
        labels=("Offences with a time limit",),
        headers=(
            "By the decision deadline",
            "After the decision deadline, by the latest charge date",
            "After the latest charge date",
        ),
        counts=((margins.by_deadline, margins.after_deadline, margins.after_limit),),
        threshold=threshold,
        row_totals=True,
        notes=(
            "The decision deadline leaves the scheme's file-preparation margin before the latest charge date "
            "(DOMAIN.md §3.4). Days left are negative once the latest charge date had passed. The lowest tenth: "
            "1 in 10 decisions were made with this many days left or fewer.",
        ),
    )
    (row,) = counts.rows
    days, people = margins.days_left, len(margins.days_left)
    figures = (_days(days, people, threshold), _days(days, people, threshold, percent=10))
    headers = (*counts.headers, "Median days left", "Days left, lowest tenth")
    return Table(counts.key, counts.caption, headers, ((*row, *figures),), counts.notes)


def _trend(result: timeliness.Timeliness, scope: ReportScope) -> Table:
    rows = []
    for month in months_in(scope.first_day, scope.last_day):
        found = result.by_month.get(month, {})
        values = [found.get(key, ()) for key in timeliness.TREND]
        rows.append((month, *(_days(days, len(days), scope.threshold) for days in values)))
    hidden = any(cell is SUPPRESSED for row in rows for cell in row)
    return Table(
        "by-month",
        "Each month: the median days of the first steps",
        ("Month gate started", *(TREND_HEADERS[key] for key in timeliness.TREND)),
        tuple(rows),
        notes=(SUPPRESSED_NOTE.format(threshold=scope.threshold),) if hidden else (),
        chart="trend",
    )


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"
