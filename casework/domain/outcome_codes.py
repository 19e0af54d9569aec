"""The Home Office crime outcome codes a case can end with (DOMAIN.md §3.5).

The codes are data with effective dates, kept in the `outcome_codes` table because the framework
changes (21 dates from 2016, 22 from 2019, 23 from 2025); this module holds the routes they close a
case by and the rows a new database starts with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from casework.domain.lifecycle import CaseEvent


class Route(StrEnum):
    """How a case ends, and so which closing event an outcome code may be recorded with."""

    COMPLETION = "completion"
    CHARGED = "charged"
    ALTERNATIVE = "alternative"
    NO_FURTHER_ACTION = "no_further_action"
    EVIDENTIAL = "evidential"
    TIME_BARRED = "time_barred"
    NOT_USED = "not_used"

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self]


ROUTE_LABELS = {
    Route.COMPLETION: "Completed: no further action",
    Route.CHARGED: "Charged or postal requisition",
    Route.ALTERNATIVE: "The scheme's alternative outcome",
    Route.NO_FURTHER_ACTION: "No further action, with a reason",
    Route.EVIDENTIAL: "Evidential difficulties",
    Route.TIME_BARRED: "Time-barred",
    Route.NOT_USED: "Not used for adults",
}

# The lifecycle event each route closes a case with (NFA with a reason is a different disposal:
# DOMAIN.md §3.1 puts it under CLOSED_ALTERNATIVE).
CLOSING_EVENT = {
    Route.COMPLETION: CaseEvent.COMPLETE,
    Route.CHARGED: CaseEvent.CLOSE_CHARGED,
    Route.ALTERNATIVE: CaseEvent.CLOSE_ALTERNATIVE,
    Route.NO_FURTHER_ACTION: CaseEvent.CLOSE_ALTERNATIVE,
    Route.EVIDENTIAL: CaseEvent.CLOSE_EVIDENTIAL,
    Route.TIME_BARRED: CaseEvent.CLOSE_TIME_BARRED,
}


@dataclass(frozen=True)
class CodeRow:
    code: int
    label: str
    route: Route
    effective_from: date


# What a new database holds. Completion may be recorded as 22 (the default) or 8 (schemes that close
# completed cases as a community resolution); a scheme setting chooses which.
INITIAL_CODES = (
    CodeRow(1, "Charged / summonsed", Route.CHARGED, date(2013, 4, 1)),
    CodeRow(3, "Caution - adults", Route.ALTERNATIVE, date(2013, 4, 1)),
    CodeRow(8, "Community resolution", Route.COMPLETION, date(2013, 4, 1)),
    CodeRow(
        10,
        "Formal action against the offender not in the public interest (police)",
        Route.NO_FURTHER_ACTION,
        date(2013, 4, 1),
    ),
    CodeRow(
        15, "Evidential difficulties: suspect identified, victim supports action", Route.EVIDENTIAL, date(2014, 4, 1)
    ),
    CodeRow(
        16,
        "Evidential difficulties: suspect identified, victim does not support action",
        Route.EVIDENTIAL,
        date(2014, 4, 1),
    ),
    CodeRow(17, "Prosecution time limit expired", Route.TIME_BARRED, date(2014, 4, 1)),
    CodeRow(
        21,
        "Further investigation not in the public interest (police decision)",
        Route.NO_FURTHER_ACTION,
        date(2016, 4, 1),
    ),
    CodeRow(
        22,
        "Diversionary, educational or intervention activity undertaken; further action not in the public interest",
        Route.COMPLETION,
        date(2019, 4, 1),
    ),
    CodeRow(23, "Children only: deferred prosecution in progress", Route.NOT_USED, date(2025, 4, 1)),
)
