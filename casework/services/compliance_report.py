"""The compliance and change report (DOMAIN.md §8.2): services.compliance's counts as the tables a
supervisor or performance lead reads and downloads, every count of people suppressed (§8.3).

Which cases each table counts is set out in services/compliance.py. In short: how contracts
ended and warnings per case count the cases with a signed contract; breaches, check-ins,
conditions and referrals count those recorded on the scope's cases; need scores count cases with
both an entry and an exit assessment completed. A count of breaches or check-ins is hidden
whenever the number of people behind it is, since it says as much about them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.domain.breaches import BREACH_KIND_LABELS, BreachKind
from casework.domain.check_ins import OUTCOME_LABELS, Outcome
from casework.domain.contract_status import CONDITION_STATUS_LABELS
from casework.domain.contract_terms import CONDITION_LABELS, ConditionStatus, ConditionType
from casework.domain.needs import NEED_DOMAINS, NEED_LEVELS
from casework.domain.referrals import ReferralStatus
from casework.domain.report_tables import (
    NOTHING,
    SUPPRESSED,
    SUPPRESSED_NOTE,
    Cell,
    Report,
    Table,
    counts_table,
    share_or_suppressed,
)
from casework.services import compliance
from casework.services.report_scope import ReportScope

STANDING_LABELS = {"completed": "Completed", "terminated": "Terminated", "running": "Contract still running"}
WARNING_BANDS = ("No warnings", "1 warning", "2 warnings", f"{compliance.MOST_WARNINGS} or more warnings")
SETTLED_LABELS = {
    "met": CONDITION_STATUS_LABELS[ConditionStatus.MET],
    "not_met": CONDITION_STATUS_LABELS[ConditionStatus.NOT_MET],
    "waived": CONDITION_STATUS_LABELS[ConditionStatus.WAIVED],
    "open": "Still open",
}
SETTLED_ORDER = ("met", "not_met", "waived", "open")
SETTLED_NOTES = (
    "A person with several such conditions counts once, by the worst of them: not met, then "
    "still open, then waived, then met.",
    "Still open: not started, in progress or at risk. A contract that was terminated may leave "
    "conditions open. A condition kept for the whole term, such as no further offending, counts "
    "as met once the case is completed.",
)


def build(session: Session, scope: ReportScope) -> Report:
    """The report over a scope's cases (services/compliance.py says which cases each table counts)."""
    figures = compliance.compliance(session, scope)
    completion = _completion(figures, scope.threshold)
    # The "All" row: every signed case, the base of the shares of signed cases.
    signed = completion.rows[-1][1]
    return Report(
        key="compliance",
        title="Compliance and change",
        summary=(
            "Cases whose custody gate was started in the range, each counted as one person. Breaches, "
            "warnings, check-ins, conditions and referrals are counted whenever they were recorded.",
        ),
        tables=(
            completion,
            _warnings(figures, signed, scope.threshold),
            _breaches(figures, signed, scope.threshold),
            _check_ins(figures, scope.threshold),
            _conditions_by_type(figures, scope.threshold),
            _conditions_by_partner(figures, scope.threshold),
            _needs(figures, scope.threshold),
            _referrals(figures, scope.threshold),
        ),
    )


def _completion(figures: compliance.Compliance, threshold: int) -> Table:
    table = counts_table(
        "completion",
        "Signed contracts: completed, terminated or still running",
        label_header="Contract",
        labels=tuple(STANDING_LABELS[standing] for standing in compliance.STANDINGS),
        headers=("People",),
        counts=tuple((figures.standing(standing),) for standing in compliance.STANDINGS),
        threshold=threshold,
        column_totals=True,
        chart="bars",
    )
    completed, terminated = table.rows[0][1], table.rows[1][1]
    ended: Cell = SUPPRESSED if SUPPRESSED in (completed, terminated) else completed + terminated
    shares = (share_or_suppressed(completed, ended), share_or_suppressed(terminated, ended), None, None)
    return _with_columns(
        table,
        ("Share of ended contracts",),
        [(share,) for share in shares],
        notes=(
            "The completion rate is the completed share of ended contracts (completed or terminated). "
            "A case that ended before its contract was signed is not counted.",
        ),
        threshold=threshold,
    )


def _warnings(figures: compliance.Compliance, signed: Cell, threshold: int) -> Table:
    bands = range(len(WARNING_BANDS))
    people = [sum(figures.warnings.get((s, band), _NONE).people for s in compliance.STANDINGS) for band in bands]
    given = sum(counted.things for counted in figures.warnings.values())
    table = counts_table(
        "warnings",
        "Warnings per signed case",
        label_header="Warnings given",
        labels=WARNING_BANDS,
        headers=("People",),
        counts=tuple((count,) for count in people),
        threshold=threshold,
        column_totals=True,
        chart="bars",
    )
    shares = [(share_or_suppressed(row[1], signed),) for row in table.rows]
    # The mean and the bands together could give a hidden band away: shown only beside them all.
    shown = all(isinstance(row[1], int) for row in table.rows) and sum(people) >= threshold
    mean = _mean(given, sum(people)) if shown else SUPPRESSED
    return _with_columns(
        table,
        ("Share of signed cases",),
        shares,
        notes=(f"Mean warnings per signed case, formal and final alike: {mean or NOTHING}.",),
        threshold=threshold,
    )


def _breaches(figures: compliance.Compliance, signed: Cell, threshold: int) -> Table:
    table = _people_and(
        "breaches",
        "Breaches by type",
        label_header="Breach type",
        rows={BREACH_KIND_LABELS[kind]: figures.breaches.get(kind.value, _NONE) for kind in BreachKind},
        things="Breaches",
        threshold=threshold,
        notes=(
            "People: cases with at least one breach of the type; a case counts under each type it had. "
            "Every recorded breach counts, whatever the supervisor decided on it.",
        ),
    )
    shares = [(share_or_suppressed(row[1], signed),) for row in table.rows]
    return _with_columns(table, ("Share of signed cases",), shares, threshold=threshold)


def _check_ins(figures: compliance.Compliance, threshold: int) -> Table:
    return _people_and(
        "check-ins",
        "Check-in outcomes, including acceptable and unacceptable absences",
        label_header="Outcome",
        rows={OUTCOME_LABELS[outcome]: figures.check_ins.get(outcome.value, _NONE) for outcome in Outcome},
        things="Check-ins",
        threshold=threshold,
        notes=(
            "People: cases with at least one check-in with this outcome. An absence is awaiting an "
            "explanation until the navigator classifies it as acceptable or unacceptable.",
        ),
    )


def _conditions_by_type(figures: compliance.Compliance, threshold: int) -> Table:
    return _settled_table(
        "conditions",
        "Conditions by type: met, not met, waived or still open",
        label_header="Condition type",
        keys={kind.value: CONDITION_LABELS[kind] for kind in ConditionType},
        counts=figures.conditions_by_type,
        threshold=threshold,
    )


def _conditions_by_partner(figures: compliance.Compliance, threshold: int) -> Table:
    names = figures.partner_names
    return _settled_table(
        "conditions-by-partner",
        "Conditions delivered by a partner service: met, not met, waived or still open",
        label_header="Partner service",
        keys={partner: names[partner] for partner in sorted(names, key=lambda partner: (names[partner], partner))},
        counts=figures.conditions_by_partner,
        threshold=threshold,
    )


def _settled_table(key, caption, *, label_header, keys: dict, counts: dict, threshold: int) -> Table:
    table = counts_table(
        key,
        caption,
        label_header=label_header,
        labels=tuple(keys.values()),
        headers=tuple(SETTLED_LABELS[settled] for settled in SETTLED_ORDER),
        counts=tuple(tuple(counts.get((value, settled), 0) for settled in SETTLED_ORDER) for value in keys),
        threshold=threshold,
        row_totals=True,
        notes=SETTLED_NOTES,
    )
    shares = [(share_or_suppressed(row[1], row[-1]),) for row in table.rows]
    return _with_columns(table, ("Share met",), shares, threshold=threshold)


def _needs(figures: compliance.Compliance, threshold: int) -> Table:
    domains = tuple(domain for domain, _ in NEED_DOMAINS)
    changes = [figures.needs.get(domain, _NO_CHANGE) for domain in domains]
    labels = tuple(label for _, label in NEED_DOMAINS)
    table = counts_table(
        "needs",
        "Need at entry against exit, by domain",
        label_header="Need",
        labels=labels,
        headers=("Lower at exit", "Same at exit", "Higher at exit"),
        counts=tuple((change.lower, change.same, change.higher) for change in changes),
        threshold=threshold,
        row_totals=True,
    )
    entry_only = counts_table(
        "entry-only",
        "",
        label_header="Need",
        labels=labels,
        headers=("Entry only",),
        counts=tuple((change.entry_only,) for change in changes),
        threshold=threshold,
    )
    columns = []
    for change, row, only in zip(changes, table.rows, entry_only.rows, strict=True):
        # A mean beside a hidden count could give it away, as for warnings.
        if all(isinstance(cell, int) for cell in row[1:]):
            means = (_mean(change.entry_total, change.paired), _mean(change.exit_total, change.paired))
        else:
            means = (SUPPRESSED, SUPPRESSED)
        columns.append((*means, only[1]))
    levels = ", ".join(f"{level} {label.lower()}" for level, label in NEED_LEVELS)
    return _with_columns(
        table,
        ("Mean level at entry", "Mean level at exit", "Assessed at entry, no exit yet"),
        columns,
        notes=(
            "People whose entry and exit needs assessments are both completed, by whether the level of "
            f"need fell, stayed the same or rose. Levels: {levels}.",
            "Assessed at entry, no exit yet: people with a completed entry assessment and no completed "
            "exit assessment; they are not in the comparison.",
        ),
        threshold=threshold,
    )


def _referrals(figures: compliance.Compliance, threshold: int) -> Table:
    uptake = sorted(figures.referrals.values(), key=lambda u: u.partner)
    fields = ("referred", "taken_up", "attended", "did_not_attend", "completed", "declined")
    headers = (
        "People referred",
        ReferralStatus.ACKNOWLEDGED.label,
        ReferralStatus.ATTENDED.label,
        ReferralStatus.DID_NOT_ATTEND.label,
        ReferralStatus.COMPLETED.label,
        ReferralStatus.DECLINED.label,
    )
    table = counts_table(
        "referrals",
        "Referral uptake by partner service",
        label_header="Partner service",
        labels=tuple(u.partner for u in uptake),
        headers=headers,
        counts=tuple(tuple(getattr(u, field) for field in fields) for u in uptake),
        threshold=threshold,
        chart="bars",
    )
    shares = [(share_or_suppressed(row[3], row[1]),) for row in table.rows]
    return _with_columns(
        table,
        ("Share attended",),
        shares,
        notes=(
            "People whose referral to the service was acknowledged, waitlisted or offered an appointment "
            "count as acknowledged; attended and did not attend count anyone recorded so at least once; "
            "completed and declined are where the referral stands now.",
        ),
        threshold=threshold,
    )


def _people_and(key, caption, *, label_header, rows: dict, things: str, threshold: int, notes) -> Table:
    """People with a count of what they had beside it (breaches, check-ins), hidden with the people."""
    table = counts_table(
        key,
        caption,
        label_header=label_header,
        labels=tuple(rows),
        headers=("People",),
        counts=tuple((counted.people,) for counted in rows.values()),
        threshold=threshold,
        notes=notes,
        chart="bars",
    )
    columns = [
        (SUPPRESSED if row[1] is SUPPRESSED else counted.things,)
        for row, counted in zip(table.rows, rows.values(), strict=True)
    ]
    return _with_columns(table, (things,), columns, threshold=threshold)


def _with_columns(table: Table, headers: tuple[str, ...], columns, *, notes=(), threshold: int) -> Table:
    """The table with more columns, one tuple of cells per row, and the suppression note if a new
    cell is hidden where no count was."""
    rows = tuple((*row, *extra) for row, extra in zip(table.rows, columns, strict=True))
    all_notes = (*table.notes, *notes)
    note = SUPPRESSED_NOTE.format(threshold=threshold)
    if any(cell is SUPPRESSED for row in rows for cell in row) and note not in all_notes:
        all_notes = (*all_notes, note)
    elif note in all_notes:
        # Keep the suppression note last, after any added here.
        all_notes = (*(n for n in all_notes if n != note), note)
    return Table(table.key, table.caption, (*table.headers, *headers), rows, all_notes, table.chart)


def _mean(total: int, people: int) -> Cell:
    return f"{total / people:.1f}" if people else None


_NONE = compliance.Counted(0, 0)
_NO_CHANGE = compliance.NeedChange(0, 0, 0, 0, 0, 0)
