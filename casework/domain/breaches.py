"""Breaches of a contract and what follows them (DOMAIN.md §7): the kinds, where each stands, the
supervisor's decisions, and the escalation rule that decides when a failure goes to a review."""

from __future__ import annotations

from enum import StrEnum

from casework.domain.errors import IllegalTransition
from casework.domain.lifecycle import CaseState


class BreachKind(StrEnum):
    NEW_OFFENCE = "new_offence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"
    CONDITION_NOT_MET = "condition_not_met"
    CONDUCT = "conduct"
    # Not a breach as such, but it leads to the same prosecution decision (DOMAIN.md §7.1).
    WITHDRAWAL = "withdrawal"

    @property
    def label(self) -> str:
        return BREACH_KIND_LABELS[self]

    @property
    def is_failure(self) -> bool:
        """A failure to comply that the escalation rule counts; the other kinds go straight to review."""
        return self in (BreachKind.UNACCEPTABLE_ABSENCE, BreachKind.CONDITION_NOT_MET)


BREACH_KIND_LABELS = {
    BreachKind.NEW_OFFENCE: "New offence reported",
    BreachKind.UNACCEPTABLE_ABSENCE: "Unacceptable absence",
    BreachKind.CONDITION_NOT_MET: "Condition not met by its due date",
    BreachKind.CONDUCT: "Conduct",
    BreachKind.WITHDRAWAL: "Withdrawal or refusal",
}


class BreachStatus(StrEnum):
    # Recorded; the navigator may warn or refer it to the supervisor.
    OPEN = "open"
    # Dealt with by the navigator's formal warning.
    WARNED = "warned"
    # Waiting for the supervisor's decision: the case shows the live breach banner.
    REVIEW = "review"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return {
            BreachStatus.OPEN: "Recorded",
            BreachStatus.WARNED: "Warning given",
            BreachStatus.REVIEW: "Awaiting supervisor's decision",
            BreachStatus.DECIDED: "Decided",
        }[self]


# The steps a breach may take; services.breach_status is the one place that applies them.
BREACH_STEPS = frozenset(
    {
        (BreachStatus.OPEN, BreachStatus.WARNED),  # the navigator's formal warning
        (BreachStatus.OPEN, BreachStatus.REVIEW),  # referred by the navigator
        (BreachStatus.REVIEW, BreachStatus.DECIDED),  # the supervisor's decision
    }
)


def require_step(current: BreachStatus, to: BreachStatus) -> None:
    if (current, to) not in BREACH_STEPS:
        raise IllegalTransition(f"A breach that is {current.label.lower()} cannot become {to.label.lower()}.")


class ReviewReason(StrEnum):
    """Why a breach went to the supervisor (DOMAIN.md §7.2, rule 2, or the navigator's choice)."""

    REPEATED_FAILURE = "repeated_failure"
    AFTER_FINAL_WARNING = "after_final_warning"
    NEW_OFFENCE = "new_offence"
    CONDUCT = "conduct"
    WITHDRAWAL = "withdrawal"
    REFERRED_BY_NAVIGATOR = "referred_by_navigator"
    # A supervisor found a condition not met while signing off completion (DOMAIN.md §3.1).
    FOUND_AT_COMPLETION = "found_at_completion"

    @property
    def label(self) -> str:
        return {
            ReviewReason.REPEATED_FAILURE: "A repeated unacceptable failure",
            ReviewReason.AFTER_FINAL_WARNING: "A failure after a final warning",
            ReviewReason.NEW_OFFENCE: "A new offence",
            ReviewReason.CONDUCT: "A conduct breach",
            ReviewReason.WITHDRAWAL: "The person withdrew or refused",
            ReviewReason.REFERRED_BY_NAVIGATOR: "Referred by the navigator",
            ReviewReason.FOUND_AT_COMPLETION: "A condition found not met at completion review",
        }[self]


class Decision(StrEnum):
    """The supervisor's decision on a breach; each needs a written rationale (DOMAIN.md §7.2, rule 3)."""

    NO_ACTION = "no_action"
    FINAL_WARNING = "final_warning"
    VARY = "vary"
    SUSPEND = "suspend"
    TERMINATE = "terminate"

    @property
    def label(self) -> str:
        return {
            Decision.NO_ACTION: "No action",
            Decision.FINAL_WARNING: "Final warning",
            Decision.VARY: "Vary the contract",
            Decision.SUSPEND: "Suspend the contract",
            Decision.TERMINATE: "Terminate the contract",
        }[self]


class WarningLevel(StrEnum):
    FORMAL = "formal"  # the navigator's, for a first failure
    FINAL = "final"  # the supervisor's decision on a breach

    @property
    def label(self) -> str:
        return {WarningLevel.FORMAL: "Formal warning", WarningLevel.FINAL: "Final warning"}[self]


class Delivery(StrEnum):
    """How a warning letter was given to the person."""

    POST = "post"
    EMAIL = "email"
    BY_HAND = "by_hand"

    @property
    def label(self) -> str:
        return {Delivery.POST: "By post", Delivery.EMAIL: "By email", Delivery.BY_HAND: "By hand"}[self]


# Where a breach can be recorded: a contract is running (signed and not yet ended or decided).
RUNNING_STATES = frozenset(
    {CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED, CaseState.COMPLETION_REVIEW}
)
# Where the scheduler looks for conditions past their due date (a case in completion review is
# being checked by a person already).
SWEPT_STATES = frozenset({CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.SUSPENDED})


def review_reason(
    kind: BreachKind, *, earlier_failures: int, final_warning_given: bool, warnings_before_review: int
) -> ReviewReason | None:
    """Whether a newly recorded breach goes to the supervisor on its own, and why (DOMAIN.md §7.2).

    `earlier_failures` counts the unacceptable failures already recorded under this case's contract
    (not those a supervisor reclassified as acceptable); `warnings_before_review` is the scheme's
    setting, 1 by default: one failure may be met with a warning, the next goes to review. A scheme
    that sets 0 sends every failure to review."""
    if kind is BreachKind.NEW_OFFENCE:
        return ReviewReason.NEW_OFFENCE
    if kind is BreachKind.CONDUCT:
        return ReviewReason.CONDUCT
    if kind is BreachKind.WITHDRAWAL:
        return ReviewReason.WITHDRAWAL
    if final_warning_given:
        return ReviewReason.AFTER_FINAL_WARNING
    if earlier_failures >= warnings_before_review:
        return ReviewReason.REPEATED_FAILURE
    return None
