"""The funnel report (DOMAIN.md §8.2): services.funnel's counts as the tables a supervisor or
performance lead reads, downloads and sees charted, with small counts suppressed (§8.3)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.report_tables import Report, Table, counts_table, months_in, share_or_suppressed
from casework.models import OutcomeCode
from casework.services import funnel
from casework.services.cases import DECLINE_REASONS, NOT_OFFERED_REASONS
from casework.services.report_scope import ReportScope

# The stages the trend follows: where people enter, commit and finish.
TREND_STAGES = ("gate_started", "eligible", "signed", "completed")


def build(session: Session, scope: ReportScope) -> Report:
    result = funnel.funnel(session, scope)
    labels = dict(session.execute(select(OutcomeCode.code, OutcomeCode.label)).all())
    return Report(
        key="funnel",
        title="Funnel",
        summary=(
            "Cases whose custody gate was started in the range, counted at every step they reached. "
            "Each share is of the step before; completed and terminated are shares of those who signed, "
            "and an outcome is a share of those who completed or were terminated.",
        ),
        tables=(
            stages_table(result.stages, scope.threshold),
            _trend(result, scope),
            _reasons(
                "ineligible",
                "Why people were not eligible",
                {_reason_label(code): count for code, count in result.ineligible_reasons.items()},
                scope.threshold,
                note="A person found ineligible for several reasons is counted under each.",
            ),
            _reasons(
                "not-offered",
                "Why eligible people were not offered a contract",
                {NOT_OFFERED_REASONS.get(code, code): n for code, n in result.not_offered_reasons.items()},
                scope.threshold,
            ),
            _reasons(
                "declined",
                "Why people declined the offer",
                {DECLINE_REASONS.get(code, code): n for code, n in result.declined_reasons.items()},
                scope.threshold,
            ),
            _reasons(
                "outcomes",
                "Outcome codes recorded",
                {f"{code}: {labels.get(code, 'Unknown code')}": n for code, n in result.outcome_codes.items()},
                scope.threshold,
            ),
        ),
    )


def stages_table(stages: tuple[funnel.Stage, ...], threshold: int) -> Table:
    """The funnel's steps with the share of the step before: the funnel report's first table, and
    the dashboard's."""
    counts = counts_table(
        "stages",
        "People at each step",
        label_header="Step",
        labels=tuple(stage.label for stage in stages),
        headers=("People",),
        counts=tuple((stage.count,) for stage in stages),
        threshold=threshold,
        chart="bars",
    )
    shown = {stage.key: row[1] for stage, row in zip(stages, counts.rows, strict=True)}
    keys = [stage.key for stage in stages]
    rows = []
    for stage, row in zip(stages, counts.rows, strict=True):
        if stage.previous is None:
            share = None
        else:
            # The base is a stage's count (or two stages' sum): hidden if any part of it is.
            bases = funnel.PREVIOUS.get(stage.key) or (keys[keys.index(stage.key) - 1],)
            base = next((shown[key] for key in bases if not isinstance(shown[key], int)), stage.previous)
            share = share_or_suppressed(row[1], base)
        rows.append((*row, share))
    return counts.widened(("Share of the step before",), rows)


def _trend(result: funnel.Funnel, scope: ReportScope) -> Table:
    indexes = [index for index, (key, _) in enumerate(funnel.STAGES) if key in TREND_STAGES]
    months = months_in(scope.first_day, scope.last_day)
    empty = (0,) * len(funnel.STAGES)
    return counts_table(
        "by-month",
        "Each month: gates started, eligible, signed and completed",
        label_header="Month gate started",
        labels=months,
        headers=tuple(funnel.STAGES[index][1] for index in indexes),
        counts=tuple(tuple(result.by_month.get(month, empty)[index] for index in indexes) for month in months),
        threshold=scope.threshold,
        chart="trend",
    )


def _reasons(key: str, caption: str, counts: dict[str, int], threshold: int, note: str | None = None) -> Table:
    labels = tuple(sorted(counts, key=lambda label: (-counts[label], label)))
    return counts_table(
        key,
        caption,
        label_header="Reason" if key != "outcomes" else "Outcome",
        labels=labels,
        headers=("People",),
        counts=tuple((counts[label],) for label in labels),
        threshold=threshold,
        notes=(note,) if note else (),
    )


def _reason_label(code: str) -> str:
    """ "PREVIOUS_CONVICTIONS" as "Previous convictions": the gate's full reason texts are sentences
    about one person (with their age or offence), not headings."""
    return code.replace("_", " ").capitalize()
