"""The reports dashboard (DOMAIN.md §8.2): the figures a supervisor or performance lead looks at
first — the funnel's steps, how many contracts completed, and the cases that became time-barred —
each worked out by the rule its own report uses, in two small queries, so the dashboard opens
quickly for a whole force's year. The full reports are a link away."""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.outcome_codes import Route
from casework.domain.report_tables import Report, Table, counts_table, share_or_suppressed
from casework.models import Case, CaseOutcome
from casework.services import funnel
from casework.services.funnel_report import stages_table
from casework.services.report_scope import ReportScope


def build(session: Session, scope: ReportScope) -> Report:
    stages = stage_counts(session, scope)
    return Report(
        key="dashboard",
        title="Reports",
        tables=(stages_table(stages, scope.threshold), _headlines(session, scope, stages)),
    )


def stage_counts(session: Session, scope: ReportScope) -> tuple[funnel.Stage, ...]:
    """The funnel's stage counts without its splits: one row, summed over the cohort."""
    flags = funnel.stage_flags()
    totals = session.execute(
        funnel.with_case_facts(
            select(*(func.coalesce(func.sum(cast(flag, Integer)), 0) for flag in flags.values())).select_from(Case),
            flags.values(),
        ).where(*scope.cases())
    ).one()
    return funnel._stages([int(total) for total in totals])


def time_barred_count(session: Session, scope: ReportScope) -> int:
    """Cases whose prosecution decision came after their latest charge date: the timeliness
    report's rule (services.timeliness). SQL finds those decided on or after that UTC date, a
    superset, since a London date is never earlier than the UTC one; London dates decide here."""
    rows = session.execute(
        select(CaseOutcome.decided_at, Case.latest_charge_on)
        .join(Case, Case.id == CaseOutcome.case_id)
        .where(
            *scope.cases(),
            CaseOutcome.route != Route.COMPLETION.value,
            Case.latest_charge_on.is_not(None),
            CaseOutcome.decided_at >= Case.latest_charge_on,
        )
    ).all()
    return sum(1 for decided_at, latest in rows if local_today(decided_at) > latest)


def _headlines(session: Session, scope: ReportScope, stages: tuple[funnel.Stage, ...]) -> Table:
    count = {stage.key: stage.count for stage in stages}
    ended = counts_table(
        "headlines",
        "Headline figures",
        label_header="Figure",
        labels=("Contracts completed", "Contracts terminated"),
        headers=("People",),
        counts=((count["completed"],), (count["terminated"],)),
        threshold=scope.threshold,
        column_totals=True,
    )
    completed, terminated, both = (row[1] for row in ended.rows)
    barred = time_barred_count(session, scope)
    rows = (
        ("Completion rate: completed of the contracts that ended", share_or_suppressed(completed, both)),
        ("Contracts completed", completed),
        ("Contracts terminated", terminated),
        # Never hidden, as in the timeliness report: the service's failures, with none as the target.
        ("Cases that became time-barred (target: none)", barred),
    )
    return Table("headlines", "Headline figures", ("Figure", "Value"), rows, ended.notes)
