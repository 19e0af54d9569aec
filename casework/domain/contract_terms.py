"""The support contract's conditions (DOMAIN.md §5.1) and the rules a draft must meet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class ConditionType(StrEnum):
    OFFENDING = "offending"
    VICTIM = "victim"
    PATHWAY = "pathway"
    COMMUNITY = "community"
    REPARATION = "reparation"
    EDUCATION = "education"
    RESTRICTIVE = "restrictive"
    ATTENDANCE = "attendance"

    @property
    def label(self) -> str:
        return CONDITION_LABELS[self]


CONDITION_LABELS = {
    ConditionType.OFFENDING: "No further offending",
    ConditionType.VICTIM: "Victim or restorative",
    ConditionType.PATHWAY: "Pathway (support for a need)",
    ConditionType.COMMUNITY: "Community hours",
    ConditionType.REPARATION: "Reparation or compensation",
    ConditionType.EDUCATION: "Education course",
    ConditionType.RESTRICTIVE: "Restriction",
    ConditionType.ATTENDANCE: "Attend navigator appointments",
}


class CompletionRule(StrEnum):
    SESSIONS = "sessions"
    HOURS = "hours"
    BY_DATE = "by_date"
    DOCUMENT = "document"
    WHOLE_TERM = "whole_term"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    CompletionRule.SESSIONS: "Attend a number of sessions",
    CompletionRule.HOURS: "Complete a number of hours",
    CompletionRule.BY_DATE: "Done by the due date",
    CompletionRule.DOCUMENT: "A document is received",
    CompletionRule.WHOLE_TERM: "Kept for the whole contract",
}


class ConditionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"
    WAIVED = "waived"


MAX_PATHWAY_CONDITIONS = 2
MAX_WORDING = 600


@dataclass(frozen=True)
class DraftCondition:
    type: ConditionType
    wording: str
    rule: CompletionRule
    target: int | None = None
    due_on: date | None = None
    partner_service_id: int | None = None
    # A victim condition only when the victim has asked for restorative work (DOMAIN.md §5.1).
    victim_asked: bool = False


@dataclass(frozen=True)
class ContractLimits:
    max_conditions: int
    hours_min: int
    hours_max: int
    end_on: date


def condition_problem(condition: DraftCondition, limits: ContractLimits) -> tuple[str, str] | None:
    """(field, message) for the first thing wrong with one condition, or None."""
    if not condition.wording.strip():
        return "wording", "Write what the person must do, in plain words"
    if len(condition.wording) > MAX_WORDING:
        return "wording", f"Wording must be {MAX_WORDING} characters or fewer"
    if condition.type is ConditionType.VICTIM and not condition.victim_asked:
        return "victim_asked", "Add a victim condition only when the victim has asked for restorative work"
    if condition.type is ConditionType.PATHWAY and condition.partner_service_id is None:
        return "partner_service_id", "A pathway condition must name a partner service"
    if condition.rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) and not (condition.target or 0) >= 1:
        return "target", "Enter how many sessions or hours"
    if condition.type is ConditionType.COMMUNITY:
        if condition.rule is not CompletionRule.HOURS:
            return "rule", "A community condition is measured in hours"
        if not limits.hours_min <= (condition.target or 0) <= limits.hours_max:
            return "target", f"Community hours must be between {limits.hours_min} and {limits.hours_max}"
    # Every condition says "by when" (DOMAIN.md §5.4 item 6): a whole-term one by the contract's end.
    if condition.rule is CompletionRule.WHOLE_TERM:
        if condition.due_on is not None:
            return "due_on", "A condition kept for the whole contract runs to its end: leave the date blank"
    elif condition.due_on is None:
        return "due_on", "Enter the date it must be done by"
    if condition.due_on is not None and condition.due_on > limits.end_on:
        return "due_on", f"The due date must be on or before the contract's end, {_day(limits.end_on)}"
    return None


def collection_problem(conditions: list[DraftCondition], limits: ContractLimits) -> str | None:
    """What is wrong with the set of conditions as a whole, or None."""
    if len(conditions) > limits.max_conditions:
        return f"A contract can have at most {limits.max_conditions} conditions"
    if sum(c.type is ConditionType.OFFENDING for c in conditions) != 1:
        return "Every contract has exactly one 'no further offending' condition"
    if sum(c.type is ConditionType.PATHWAY for c in conditions) > MAX_PATHWAY_CONDITIONS:
        return f"A contract can have at most {MAX_PATHWAY_CONDITIONS} pathway conditions"
    return None


def passes_time_limit(end_on: date, *, margin_days: int, latest_charge: date | None) -> bool:
    """Whether a prosecution could still be decided after the contract ends (DOMAIN.md §3.4)."""
    return latest_charge is None or end_on + timedelta(days=margin_days) <= latest_charge


# DOMAIN.md §7.1's default, the same in the condition, the contract's breach section and the offer
# sheet: a recorded crime naming the person as a suspect opens a review; a supervisor decides on the
# evidence; an arrest that ends with no further action is not a breach.
OFFENDING_WORDING = (
    "Do not commit any further offence while this contract lasts. If a crime is recorded that names you "
    "as a suspect, a supervisor will look at the evidence and decide whether you have broken this "
    "condition. Being arrested and then released with no further action does not break it."
)
OFFENDING_WORDING_CY = (
    "Peidiwch â chyflawni unrhyw drosedd arall tra bydd y contract hwn yn para. Os caiff trosedd ei "
    "chofnodi sy'n eich enwi chi fel rhywun a ddrwgdybir, bydd goruchwyliwr yn edrych ar y dystiolaeth "
    "ac yn penderfynu a ydych wedi torri'r amod hwn. Nid yw cael eich arestio ac yna eich rhyddhau heb "
    "gamau pellach yn ei dorri."
)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
