"""Disproportionality (DOMAIN.md §8.3, the Lammy concerns): at each stage where the scheme decides
something about a person, how often each ethnic group, sex, age band and disability group reaches
it, and the rate ratio against a reference group with its 95% confidence interval.

The stages are rates of the people at each one's base, read from services.funnel's stage flags, so
every figure agrees with the funnel report:

- eligibility: eligible (by the checklist, or a supervisor's override) of those whose gate was started;
- offer: offered of the eligible;
- acceptance: accepted of those offered;
- completion: completed of those whose signed contract ended (completed or terminated);
- breach: at least one breach, a withdrawal aside, of those who signed;
- prosecution after breach: sent for a prosecution decision of those who breached.

Reference groups are fixed where there is a natural comparison, so that a ratio means the same for
every team and period:

- ethnicity: White, as the ONS and the Lammy Review compare each ethnic group with White people;
- sex: male, as the Ministry of Justice's statistics on women and the criminal justice system
  compare women with men (most people arrested are men, so theirs is also the steadiest rate);
- disability: not disabled, the comparison the Equality Act 2010 draws;
- age band: no band is the natural comparison, so the largest band among the people whose gate was
  started in the range, whose rate is the steadiest and gives the narrowest intervals. The table
  names it.

"Not stated" is a row of its own with its own ratio, never pooled or dropped: people who choose
not to say may be the people who distrust the system most, which is what Lammy asked about.

Counts are suppressed (domain.suppression.suppress_stages) on one table per grouping that holds
every stage, so a group's count of eligible people is hidden alike where it is the offer's base and
where it is eligibility's reached; a small difference between stages (2 eligible people not offered)
is protected as a small count is. A rate or ratio worked out from a hidden count is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import Session

from casework.domain.ethnic_groups import HEADLINE_GROUPS, NOT_STATED, WHITE
from casework.domain.people import SEXES
from casework.domain.rate_ratios import Rate, rate_ratio
from casework.domain.report_tables import (
    SUPPRESSED,
    SUPPRESSED_NOTE,
    Cell,
    Ratio,
    Report,
    Table,
    share_or_suppressed,
)
from casework.domain.suppression import Difference, SuppressedTable, suppress_derived, suppress_stages
from casework.services import funnel
from casework.services.report_scope import ReportScope

# The counts each group's row holds, in this order; `ended` is completed or terminated.
COLUMNS = (
    "gate_started",
    "eligible",
    "offered",
    "accepted",
    "signed",
    "ended",
    "completed",
    "breached",
    "prosecuted_after_breach",
)


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    base: str
    reached: str
    base_label: str
    reached_label: str
    rate: str  # what the rate is, for the caption


STAGES = (
    Stage("eligibility", "Eligibility", "gate_started", "eligible", "Gate started", "Eligible",
          rate="eligible of those whose custody gate was started"),
    Stage("offer", "Offer", "eligible", "offered", "Eligible", "Offered", rate="offered of the eligible"),
    Stage("acceptance", "Acceptance", "offered", "accepted", "Offered", "Accepted", rate="accepted of those offered"),
    Stage("completion", "Completion", "ended", "completed", "Contract ended", "Completed",
          rate="completed of those whose signed contract ended"),
    Stage("breach", "Breach", "signed", "breached", "Signed", "Breached",
          rate="breached at least once of those who signed"),
    Stage("prosecution", "Prosecution after breach", "breached", "prosecuted_after_breach", "Breached",
          "Sent for a prosecution decision", rate="sent for a prosecution decision of those who breached"),
)  # fmt: skip


def _at(column: str) -> int:
    return COLUMNS.index(column)


# What a row's counts give away between its stages: each stage's complement (the eligible people not
# offered), and the steps between the tables' stages (accepted but never signed, still on a contract,
# ended early without a breach: a withdrawal), which no table reads as a rate.
DIFFERENCES = (
    *(Difference(_at(stage.base), (_at(stage.reached),)) for stage in STAGES),
    Difference(_at("accepted"), (_at("signed"),), hide_zero=False),
    Difference(_at("signed"), (_at("ended"),), hide_zero=False),
    Difference(_at("ended"), (_at("completed"), _at("prosecuted_after_breach")), hide_zero=False),
)

AGE_BAND_LABELS = {
    "under_18": "Under 18",
    "18_24": "18 to 24",
    "25_34": "25 to 34",
    "35_44": "35 to 44",
    "45_54": "45 to 54",
    "55_and_over": "55 and over",
}


@dataclass(frozen=True)
class Grouping:
    key: str
    title: str  # for captions: "by ethnic group"
    header: str
    groups: tuple[tuple[str, str], ...]  # every group, shown even when empty: a missing row says "none"
    reference: str | None  # None: the largest group at the gate
    why: str  # the note saying why the reference was chosen; {group} is its label


GROUPINGS = (
    Grouping(
        "ethnicity",
        "ethnic group",
        "Ethnic group (self-defined)",
        HEADLINE_GROUPS,
        WHITE,
        "Rate ratios compare each group with the {group} group, as the ONS and the Lammy Review do.",
    ),
    Grouping(
        "sex",
        "sex",
        "Sex",
        tuple(SEXES),
        "male",
        "Rate ratios compare each group with the {group} group, as the Ministry of Justice's statistics "
        "on women and the criminal justice system compare women with men.",
    ),
    Grouping(
        "age_band",
        "age band",
        "Age on the day the gate was started",
        tuple(AGE_BAND_LABELS.items()),
        None,
        "Rate ratios compare each band with the {group} band, the largest among people whose custody "
        "gate was started in the range: no age band is the natural comparison, and the largest has the "
        "steadiest rate.",
    ),
    Grouping(
        "disability",
        "disability",
        "Disability",
        (("yes", "Disabled"), ("no", "Not disabled"), (NOT_STATED, "Not stated")),
        "no",
        "Rate ratios compare each group with the {group} group, the comparison the Equality Act 2010 draws.",
    ),
)

SUMMARY = (
    "Cases whose custody gate was started in the range. Each table gives, for one stage, how many "
    "people in each group were at its start, how many reached it, the rate, and the rate ratio: the "
    "group's rate divided by the reference group's. A ratio of 1 means the group fares as the "
    "reference group does.",
    "The 95% confidence interval is worked out by the log method (Katz, 1978). An interval that does "
    "not include 1 is a difference unlikely to be chance alone, which the scheme should be able to "
    "explain (the Lammy Review's 'explain or reform').",
    "Ethnicity is the person's own, grouped into the ONS's five headline groups; 'Not stated' keeps its own row.",
)


def build(session: Session, scope: ReportScope) -> Report:
    flags = funnel.stage_flags(with_breaches=True)
    flags["ended"] = or_(flags["completed"], flags["terminated"])
    # One grouped query for every stage and grouping.
    by_group = funnel.by_group(session, scope, {column: flags[column] for column in COLUMNS})
    tables = []
    for grouping in GROUPINGS:
        found = by_group[grouping.key]
        groups = _groups(grouping, found)
        counts = [[found.count(key, column) for column in COLUMNS] for key, _ in groups]
        suppressed = suppress_stages(counts, differences=DIFFERENCES, threshold=scope.threshold)
        reference = grouping.reference or _largest(groups, counts)
        tables += [_table(stage, grouping, groups, reference, suppressed, scope.threshold) for stage in STAGES]
    return Report(key="disproportionality", title="Disproportionality", tables=tuple(tables), summary=SUMMARY)


def _groups(grouping: Grouping, found: funnel.GroupTable) -> tuple[tuple[str, str], ...]:
    """Every group of the grouping in its usual order, then any the data holds that it does not know."""
    known = {key for key, _ in grouping.groups}
    return (*grouping.groups, *((key, key) for key in found.groups if key not in known))


def _largest(groups: tuple[tuple[str, str], ...], counts: list[list[int]]) -> str:
    """The group with the most people at the gate (the first in order when two tie); never not stated."""
    gate = _at("gate_started")
    candidates = [(counts[index][gate], -index, key) for index, (key, _) in enumerate(groups) if key != NOT_STATED]
    return max(candidates)[2]


def _table(
    stage: Stage,
    grouping: Grouping,
    groups: tuple[tuple[str, str], ...],
    reference: str,
    suppressed: SuppressedTable,
    threshold: int,
) -> Table:
    base, reached = _at(stage.base), _at(stage.reached)
    keys = [key for key, _ in groups]
    reference_cells = suppressed.cells[keys.index(reference)]
    reference_label = dict(groups)[reference]
    rows = []
    for (key, label), cells in zip(groups, suppressed.cells, strict=True):
        group_base, group_reached = _shown(cells[base]), _shown(cells[reached])
        if key == reference:
            ratio: Cell = Ratio(1.0)
            label = f"{label} (reference)"
        else:
            worked_out = rate_ratio(
                Rate(cells[reached].count, cells[base].count),
                Rate(reference_cells[reached].count, reference_cells[base].count),
            )
            sources = (cells[base], cells[reached], reference_cells[base], reference_cells[reached])
            shown = suppress_derived(worked_out, *sources)
            ratio = SUPPRESSED if shown is None else _ratio(shown)
        rows.append((label, group_base, group_reached, share_or_suppressed(group_reached, group_base), ratio))
    total_base, total_reached = _shown(suppressed.column_totals[base]), _shown(suppressed.column_totals[reached])
    rows.append(("All", total_base, total_reached, share_or_suppressed(total_reached, total_base), None))
    notes = [grouping.why.format(group=reference_label)]
    if stage.key == "prosecution":
        notes.append(
            "Once a contract is signed, only a supervisor's decision on a breach ends it early; a "
            "withdrawal is not counted as a breach."
        )
    if any(cell is SUPPRESSED for row in rows for cell in row):
        notes.append(SUPPRESSED_NOTE.format(threshold=threshold))
    return Table(
        key=f"{stage.key}-{grouping.key.replace('_', '-')}",
        caption=f"{stage.title} by {grouping.title}: {stage.rate}",
        headers=(
            grouping.header,
            stage.base_label,
            stage.reached_label,
            "Rate",
            f"Rate ratio to {reference_label} (95% CI)",
        ),
        rows=tuple(rows),
        notes=tuple(notes),
    )


def _shown(cell) -> Cell:
    return SUPPRESSED if cell.hidden else cell.count


def _ratio(worked_out) -> Ratio | None:
    if worked_out.ratio is None:
        return None
    interval = worked_out.interval
    return Ratio(worked_out.ratio, interval.lower if interval else None, interval.upper if interval else None)
