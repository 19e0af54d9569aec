"""The prosecution decision's rules (DOMAIN.md §3.4, §7.2 step 4): which routes a decision maker
may take, and the s.127 time bar that narrows them once the latest charge date has passed."""

from __future__ import annotations

from datetime import date

from casework.domain.outcome_codes import Route

# The routes a failed contract can close by, in the order the form offers them.
DECISION_ROUTES = (
    Route.CHARGED,
    Route.ALTERNATIVE,
    Route.NO_FURTHER_ACTION,
    Route.EVIDENTIAL,
    Route.TIME_BARRED,
)

# Routes that start or stand in for proceedings, which s.127 forbids once the limit has passed.
TIME_LIMITED_ROUTES = frozenset({Route.CHARGED, Route.ALTERNATIVE})

# The scheme setting `failure_route` names the route a failed contract usually takes.
FAILURE_ROUTES = {"charge": Route.CHARGED, "caution": Route.ALTERNATIVE}


def _shown(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def time_bar_refusal(route: Route, *, latest_charge_on: date | None, today: date) -> str | None:
    """Why this route cannot be recorded today under the s.127 rule, or None.

    Past the latest charge date only time-barred, or a route that starts no proceedings (NFA,
    evidential difficulties), may close the case; time-barred is for a limit that has passed."""
    passed = latest_charge_on is not None and today > latest_charge_on
    if route in TIME_LIMITED_ROUTES and passed:
        return (
            f"The latest charge date, {_shown(latest_charge_on)}, has passed: the case can only be closed as "
            "time-barred (Outcome 17), no further action or evidential difficulties"
        )
    if route is Route.TIME_BARRED and latest_charge_on is None:
        return "The six-month time limit (s.127) does not apply to this offence, so it cannot be time-barred"
    if route is Route.TIME_BARRED and not passed:
        return (
            f"The time limit has not passed: a charge can be laid until {_shown(latest_charge_on)}. "
            "Record time-barred only after that date"
        )
    return None


def days_left(latest_charge_on: date | None, today: date) -> int | None:
    """Days from today to the latest charge date (0 on the day itself, negative once past)."""
    return (latest_charge_on - today).days if latest_charge_on else None
