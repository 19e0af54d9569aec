"""The victims report (DOMAIN.md §8.2): whether the victim's views were sought before the offer,
restorative work from the victim's request to its completion, and the Victims' Code updates given
on time or late. Small counts are suppressed (§8.3).

Who is counted: the people offered a deferred prosecution (their answer, accepted or declined, is
recorded: the funnel's "Offered" step) whose custody gate was started in the range. What the product
records, and so what each figure means:

- views sought *before the offer*: the custody checklist's question E18, which the sergeant answers
  before putting the offer, recorded the victim's views (supports or objects); *only after the offer*:
  the checklist says they were not sought (or is silent) and the victim's record now holds them;
- restorative work: the product records whether the victim *asked* for it (the victim's record), not
  whether it was offered to them; it is *agreed* when a signed version of the person's contract holds
  a victim or restorative condition, and *completed* when every such condition in the version in
  force is met (a waived one is not completed);
- updates: every update owed to a victim on these cases (contract started, each breach decided, the
  outcome), judged on `today`: given on or before its Victims' Code due date, given after it, not
  given and past it (overdue), or not given and not yet due. Updates owed to nobody (no victim, or a
  victim who asked not to be updated) are left out.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, literal_column, select
from sqlalchemy.orm import Session

from casework.domain.contract_status import ContractStatus
from casework.domain.contract_terms import ConditionStatus, ConditionType
from casework.domain.report_tables import (
    SUPPRESSED,
    Report,
    Table,
    counts_table,
    share_or_suppressed,
    sum_or_suppressed,
)
from casework.domain.victims import UpdateEvent, Views
from casework.models import Case, Condition, Contract, VictimRecord, VictimUpdate
from casework.services.report_scope import ReportScope

# When the victim's views were sought, for a person offered the scheme (the module docstring says how).
VIEW_ROWS = (
    ("before_supports", "Sought before the offer: supports it"),
    ("before_objects", "Sought before the offer: does not support it"),
    ("after", "Sought only after the offer"),
    ("not_sought", "Not sought"),
    ("no_victim", "No identifiable victim"),
    ("not_recorded", "Not recorded"),
)
# The rows that have a victim: the shares are of these together.
WITH_VICTIM = ("before_supports", "before_objects", "after", "not_sought")

RESTORATIVE_STEPS = (
    ("asked", "The victim asked for restorative work"),
    ("agreed", "A restorative condition was signed into the contract"),
    ("completed", "The restorative condition was met"),
)

UPDATE_STATUSES = (
    ("on_time", "Given on time"),
    ("late", "Given late"),
    ("overdue", "Not given, overdue"),
    ("not_yet_due", "Not given, not yet due"),
)
# The updates whose deadline has come (or that were given): the on-time share is of these.
DUE = ("on_time", "late", "overdue")

_OFFERED = ("accepted", "declined")


def build(session: Session, scope: ReportScope) -> Report:
    """The victims report for a scope; `today` (scope.today, a London date) decides which updates are overdue."""
    today = scope.today
    views, restorative = _people(session, scope)
    updates = _updates(session, scope, today)
    return Report(
        key="victims",
        title="Victims",
        summary=(
            "People offered a deferred prosecution whose custody gate was started in the range.",
            f"Updates to victims are judged on {today.day} {today:%B %Y}: an update not yet given is "
            "overdue once its Victims' Code due date has passed.",
        ),
        tables=(
            _views_table(views, scope.threshold),
            _restorative_table(restorative, scope.threshold),
            _updates_table(updates, scope.threshold),
        ),
    )


def views_sought(checklist: str | None, recorded_views: str | None) -> str:
    """When the victim's views were sought (a VIEW_ROWS key), from the custody checklist's answer to
    E18 and the views on the victim's record (None: there is no record)."""
    if checklist in ("supports", "objects"):
        return f"before_{checklist}"
    if recorded_views in (Views.SUPPORTS, Views.DOES_NOT_SUPPORT):
        return "after"
    if recorded_views is None:
        # The checklist's "no identifiable victim" stands unless someone later recorded a victim.
        return {"no_victim": "no_victim", "not_sought": "not_sought"}.get(checklist or "", "not_recorded")
    return "not_sought"


def _people(session: Session, scope: ReportScope) -> tuple[Counter, Counter]:
    """One grouped query: the people offered, by the checklist's answer and the victim's record,
    with how many reached each restorative step. Grouped by the stored values rather than by a
    worked-out category, so PostgreSQL expects few groups and counts them in a hash."""
    checklist = Case.gate_answers["victim_view"].as_string().label("checklist")
    restorative = _restorative_conditions(scope)
    # Each step requires the one before, as the funnel's do, so no share exceeds 100%.
    asked = VictimRecord.wants_restorative.is_(True)
    agreed = and_(asked, restorative.c.case_id.is_not(None))
    completed = and_(agreed, restorative.c.in_force > 0, restorative.c.unmet_in_force == 0)
    rows = session.execute(
        select(
            checklist,
            VictimRecord.views,
            func.count(),
            *(func.sum(cast(step, Integer)) for step in (asked, agreed, completed)),
        )
        .select_from(Case)
        .outerjoin(VictimRecord, VictimRecord.case_id == Case.id)
        .outerjoin(restorative, restorative.c.case_id == Case.id)
        .where(*scope.cases(), Case.offer_outcome.in_(_OFFERED))
        .group_by(checklist, VictimRecord.views)
    ).all()
    by_views, restorative = Counter(), Counter()
    for answer, recorded_views, people, *steps in rows:
        by_views[views_sought(answer, recorded_views)] += people
        for (step, _), count in zip(RESTORATIVE_STEPS, steps, strict=True):
            restorative[step] += int(count or 0)
    return by_views, restorative


def _restorative_conditions(scope: ReportScope):
    """The scope's cases with a victim condition in a signed version of their contract: how many such
    conditions the version in force holds, and how many of those are not met. A derived table joined
    once: a subquery for each case made PostgreSQL expect a cost that switched on its slow JIT."""
    in_force = Contract.status == ContractStatus.SIGNED.value
    return (
        select(
            Contract.case_id.label("case_id"),
            func.sum(cast(in_force, Integer)).label("in_force"),
            func.sum(cast(and_(in_force, Condition.status != ConditionStatus.MET.value), Integer)).label(
                "unmet_in_force"
            ),
        )
        .select_from(Condition)
        .join(Contract, Contract.id == Condition.contract_id)
        .join(Case, Case.id == Contract.case_id)
        .where(
            *scope.cases(),
            Condition.type == ConditionType.VICTIM.value,
            Contract.status.in_((ContractStatus.SIGNED.value, ContractStatus.SUPERSEDED.value)),
        )
        .group_by(Contract.case_id)
        .subquery("restorative")
    )


def _updates(session: Session, scope: ReportScope, today: date) -> Counter:
    """One grouped query: the updates owed on the scope's cases, by event and where each stands."""
    given = VictimUpdate.given_on.is_not(None)
    status = case(
        (and_(given, VictimUpdate.given_on <= VictimUpdate.due_on), literal_column("'on_time'")),
        (given, literal_column("'late'")),
        (VictimUpdate.due_on < today, literal_column("'overdue'")),
        else_=literal_column("'not_yet_due'"),
    ).label("status")
    rows = session.execute(
        select(VictimUpdate.event, status, func.count())
        .join(Case, Case.id == VictimUpdate.case_id)
        .where(*scope.cases(), VictimUpdate.due_on.is_not(None))
        .group_by(VictimUpdate.event, status)
    ).all()
    return Counter({(event, key): count for event, key, count in rows})


def _views_table(views: Counter, threshold: int) -> Table:
    counts = counts_table(
        "views",
        "When the victim's views were sought",
        label_header="Victim's views",
        labels=tuple(label for _, label in VIEW_ROWS),
        headers=("People",),
        counts=tuple((views[key],) for key, _ in VIEW_ROWS),
        threshold=threshold,
        column_totals=True,
        notes=(
            "Before the offer: the custody checklist recorded the victim's views. Only after the offer: "
            "the checklist says they were not sought, and the victim's record now holds them.",
            "Shares are of the people offered whose case has an identifiable victim.",
        ),
    )
    *groups, everyone = counts.rows
    shown = {key: row[1] for (key, _), row in zip(VIEW_ROWS, groups, strict=True)}
    # Everyone offered less those with no victim or none recorded: hidden if any of the three is,
    # since a share of it would let the hidden one be worked out.
    parts = (everyone[1], shown["no_victim"], shown["not_recorded"])
    base = SUPPRESSED if SUPPRESSED in parts else parts[0] - parts[1] - parts[2]
    rows = [
        (*row, share_or_suppressed(row[1], base) if key in WITH_VICTIM else None)
        for (key, _), row in zip(VIEW_ROWS, groups, strict=True)
    ]
    rows.append((*everyone, None))
    return counts.widened(("Share of those with a victim",), rows)


def _restorative_table(restorative: Counter, threshold: int) -> Table:
    counts = counts_table(
        "restorative",
        "Restorative work: asked for, agreed and completed",
        label_header="Step",
        labels=tuple(label for _, label in RESTORATIVE_STEPS),
        headers=("People",),
        counts=tuple((restorative[key],) for key, _ in RESTORATIVE_STEPS),
        threshold=threshold,
        notes=(
            "The product records whether the victim asked for restorative work, not whether it was offered "
            "to them. Agreed: a signed version of the person's contract holds a victim or restorative "
            "condition. Met: every such condition in the version in force is met (a waived one is not).",
        ),
        chart="bars",
    )
    rows, before = [], None
    for row in counts.rows:
        rows.append((*row, None if before is None else share_or_suppressed(row[1], before)))
        before = row[1]
    return counts.widened(("Share of the step before",), rows)


def _updates_table(updates: Counter, threshold: int) -> Table:
    events = tuple(UpdateEvent)
    counts = counts_table(
        "updates",
        "Updates owed to victims: given on time, late, or not yet",
        label_header="Update owed for",
        labels=tuple(event.label for event in events),
        headers=tuple(label for _, label in UPDATE_STATUSES),
        counts=tuple(tuple(updates[(event.value, key)] for key, _ in UPDATE_STATUSES) for event in events),
        threshold=threshold,
        row_totals=True,
        column_totals=True,
        notes=(
            "Counts of updates, not of people: a victim may be owed several. Due within 5 working days of "
            "the event, or 1 for a victim with enhanced rights (the Victims' Code).",
            "The on-time share is of the updates given or past their due date.",
        ),
    )
    due = [index for index, (key, _) in enumerate(UPDATE_STATUSES, start=1) if key in DUE]
    rows = [(*row, share_or_suppressed(row[1], sum_or_suppressed(*(row[i] for i in due)))) for row in counts.rows]
    return counts.widened(("Given on time, share of those due",), rows)
