"""The victim of a case (DOMAIN.md §1, §3.3, §5.1): their views at the offer, a request for restorative
work, the Victims' Code updates they are owed and when each is due, and the reoffending follow-ups
every case closed after referral gets (DOMAIN.md §3.3)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from casework.domain.lifecycle import CaseState
from casework.domain.time_limits import add_months, add_working_days


class Views(StrEnum):
    SUPPORTS = "supports"
    DOES_NOT_SUPPORT = "does_not_support"
    NOT_SOUGHT = "not_sought"

    @property
    def label(self) -> str:
        return VIEW_LABELS[self]


VIEW_LABELS = {
    Views.SUPPORTS: "Supports a deferred prosecution",
    Views.DOES_NOT_SUPPORT: "Does not support a deferred prosecution",
    Views.NOT_SOUGHT: "Not sought",
}

# The checklist's question E18 asks the same thing at the offer; its answers map onto the victim's
# record so the sergeant is not asked twice ("no_victim" means there is no record to keep).
FROM_CHECKLIST = {
    "supports": Views.SUPPORTS,
    "objects": Views.DOES_NOT_SUPPORT,
    "not_sought": Views.NOT_SOUGHT,
}
NO_VICTIM = "no_victim"

# Victims' Code: enhanced rights for victims of the most serious crime, the persistently targeted,
# and the vulnerable or intimidated.
ENHANCED_GROUNDS = {
    "most_serious": "Victim of the most serious crime",
    "persistently_targeted": "Persistently targeted",
    "vulnerable_or_intimidated": "Vulnerable or intimidated",
}

CONTACT_METHODS = {
    "phone": "Phone",
    "email": "Email",
    "letter": "Letter",
    "through_officer": "Through the officer in the case",
}


class UpdateEvent(StrEnum):
    CONTRACT_STARTED = "contract_started"
    BREACH_DECIDED = "breach_decided"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return UPDATE_EVENT_LABELS[self]


UPDATE_EVENT_LABELS = {
    UpdateEvent.CONTRACT_STARTED: "The contract has started",
    UpdateEvent.BREACH_DECIDED: "A decision on a breach",
    UpdateEvent.OUTCOME: "The outcome of the case",
}


class NotOwed(StrEnum):
    NO_VICTIM = "no_victim"
    DECLINED_UPDATES = "declined_updates"

    @property
    def label(self) -> str:
        return NOT_OWED_LABELS[self]


NOT_OWED_LABELS = {
    NotOwed.NO_VICTIM: "No update owed: there is no identifiable victim",
    NotOwed.DECLINED_UPDATES: "No update owed: the victim asked not to be updated",
}

UPDATE_METHODS = {
    "phone": "Phone call",
    "email": "Email",
    "letter": "Letter",
    "in_person": "In person",
    "through_officer": "Through the officer in the case",
}

# Victims' Code deadlines (DOMAIN.md §3.3): 5 working days, 1 for enhanced rights.
STANDARD_WORKING_DAYS = 5
ENHANCED_WORKING_DAYS = 1

# The states that end a case after referral with an outcome: updates and follow-ups are owed for
# these, not for a case never offered, declined or withdrawn in error.
OUTCOME_STATES = frozenset(
    {
        CaseState.COMPLETED,
        CaseState.CLOSED_CHARGED,
        CaseState.CLOSED_ALTERNATIVE,
        CaseState.CLOSED_TIME_BARRED,
        CaseState.CLOSED_EVIDENTIAL,
    }
)
CONTRACT_DRAFT_STATES = frozenset({CaseState.CONTRACT_DRAFT, CaseState.CONTRACT_AWAITING_APPROVAL})


def update_event_for(before: CaseState, after: CaseState) -> UpdateEvent | None:
    """Which update a lifecycle step owes the victim, if any. Resuming or a resolved breach also
    reach ACTIVE, but only signing (from a draft) starts the contract."""
    if after is CaseState.ACTIVE and before in CONTRACT_DRAFT_STATES:
        return UpdateEvent.CONTRACT_STARTED
    if after in OUTCOME_STATES:
        return UpdateEvent.OUTCOME
    return None


def update_due(event_on: date, *, enhanced: bool) -> date:
    """The Victims' Code deadline, counted in working days (bank holidays skipped) from the event's date."""
    return add_working_days(event_on, ENHANCED_WORKING_DAYS if enhanced else STANDARD_WORKING_DAYS)


def update_met(due_on: date, given_on: date) -> bool:
    return given_on <= due_on


# Reoffending follow-ups (DOMAIN.md §3.3): the Checkpoint evaluation used 24 months of PNC outcomes.
FOLLOW_UP_MONTHS = (12, 24)

REOFFENDING_RESULTS = {
    "reoffended": "Yes, reoffended",
    "not_reoffended": "No further offending found",
    "unknown": "Not known",
}
RESULT_SOURCES = {
    "pnc": "PNC check",
    "force_system": "Force crime system",
    "other": "Another source",
}


class FollowUpBasis(StrEnum):
    CONTRACT_START = "contract_start"
    OFFENCE = "offence"
    CLOSURE = "closure"

    @property
    def label(self) -> str:
        return {
            FollowUpBasis.CONTRACT_START: "from the contract start",
            FollowUpBasis.OFFENCE: "from the offence date",
            FollowUpBasis.CLOSURE: "from the day the case closed",
        }[self]


def follow_up_start(
    offence_on: date | None, contract_started_on: date | None, *, closed_on: date
) -> tuple[date, FollowUpBasis]:
    """Counted from the later of the offence date and the contract start, so the whole period is
    after the person last came to notice for this offence; from the offence when no contract started.
    A case with neither recorded counts from its closure rather than having no follow-up at all."""
    if contract_started_on is not None and (offence_on is None or contract_started_on >= offence_on):
        return contract_started_on, FollowUpBasis.CONTRACT_START
    if offence_on is not None:
        return offence_on, FollowUpBasis.OFFENCE
    return closed_on, FollowUpBasis.CLOSURE


def follow_up_due(start: date, months: int) -> date:
    """Calendar months, landing on the last day of a shorter month (29 Feb + 12 months = 28 Feb)."""
    return add_months(start, months)
