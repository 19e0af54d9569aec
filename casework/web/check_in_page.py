"""What the check-in pages show and send: times in London with the weekday, each check-in's status
tag, and the outcome a form describes, holding only the answers that apply to the outcome chosen
(without JavaScript every conditional field is on screen and may hold something)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from casework.domain.check_ins import ABSENCE_REASONS, ATTENDED, ENGAGEMENT, Mode, Outcome, Pattern, RequestedBy
from casework.domain.clock import from_local, local
from casework.domain.errors import FieldError, FieldErrors
from casework.services.check_in_outcomes import OutcomeRecord
from casework.services.check_ins import Slot


def weekday_date(moment: datetime | date) -> str:
    """Tuesday 8 December 2026, in London."""
    day = local(moment).date() if isinstance(moment, datetime) else moment
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock_time(moment: datetime) -> str:
    """14:30, in London: the same form the services' messages use."""
    return f"{local(moment):%H:%M}"


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str


OUTCOME_COLOURS = {
    Outcome.ATTENDED_COMPLIED: "green",
    Outcome.ATTENDED_NOT_COMPLIED: "orange",
    Outcome.LATE: "turquoise",
    Outcome.AWAITING_EXPLANATION: "yellow",
    Outcome.ACCEPTABLE_ABSENCE: "blue",
    Outcome.UNACCEPTABLE_ABSENCE: "red",
    Outcome.NOT_HELD_SERVICE_REASON: "grey",
}


def status(check_in, *, now: datetime) -> Tag:
    if check_in.cancelled_at is not None:
        return Tag("Cancelled", "grey")
    outcome = check_in.check_in_outcome
    if outcome is Outcome.AWAITING_EXPLANATION:
        return Tag(f"Awaiting explanation until {weekday_date(check_in.explanation_due_on)}", "yellow")
    if outcome is not None:
        return Tag(outcome.label, OUTCOME_COLOURS[outcome])
    if check_in.scheduled_at <= now:
        return Tag("Outcome to record", "orange")
    return Tag("Booked", "light-blue")


def pattern_sentence(pattern: Pattern, ends_on: date) -> str:
    """The scheme's rhythm as the signing page states it."""
    every = "weekly" if pattern.then_every_days == 7 else f"every {pattern.then_every_days} days"
    if pattern.weekly:
        weeks = f"{pattern.weekly} week{'' if pattern.weekly == 1 else 's'}"
        every = f"weekly for the first {weeks}, then {every}" if every != "weekly" else "weekly"
    return (
        f"Check-ins will be generated {every}, until {ends_on.day} {ends_on:%B %Y} (when the contract ends "
        "if it is signed today). One that falls on a weekend or a bank holiday moves to the next working day."
    )


def mode_label(mode: str) -> str:
    return Mode(mode).label


def requester_label(requested_by: str) -> str:
    return RequestedBy(requested_by).label.lower()


def absence_label(reason: str | None) -> str:
    return ABSENCE_REASONS.get(reason or "", "Not given")


def register(app) -> None:
    app.jinja_env.filters.update(weekday_date=weekday_date, clock_time=clock_time)
    app.jinja_env.globals.update(
        check_in_status=status,
        check_in_mode=mode_label,
        check_in_requester=requester_label,
        absence_label=absence_label,
        engagement_labels=ENGAGEMENT,
    )


# --- from a form to the service --------------------------------------------------------------------


def slot(date_field, time_field, mode_field, place_field) -> Slot:
    return Slot(
        at=from_local(date_field.data, time_field.data),
        mode=mode_field.data or "",
        place=place_field.data or "",
    )


def outcome_record(form, conditions) -> OutcomeRecord:
    """What the outcome form says, with the fields for other outcomes left out."""
    outcome = form.outcome.data or ""
    late = outcome == Outcome.LATE
    return OutcomeRecord(
        outcome=outcome,
        engagement=form.engagement.data if outcome in ATTENDED else None,
        late_minutes=form.late_minutes.data if late else None,
        late_reason=(form.late_reason.data or "") if late else "",
        service_reason=(form.service_reason.data or "") if outcome == Outcome.NOT_HELD_SERVICE_REASON else "",
        note=form.note.data or "",
        safeguarding_concerns=form.safeguarding_concerns.data or "",
        condition_notes={c.id: form[f"condition_{c.id}"].data or "" for c in conditions},
        **_absence(form, outcome == Outcome.ACCEPTABLE_ABSENCE),
    )


def classification(form) -> OutcomeRecord:
    outcome = form.outcome.data or ""
    if outcome == Outcome.UNACCEPTABLE_ABSENCE:
        return OutcomeRecord(outcome=outcome, absence_detail=form.unacceptable_reason.data or "")
    return OutcomeRecord(outcome=outcome, **_absence(form, True))


def _absence(form, applies: bool) -> dict:
    if not applies:
        return {}
    return dict(
        absence_reason=form.absence_reason.data or "",
        absence_detail=form.absence_detail.data or "",
        evidence_seen=bool(form.evidence_seen.data),
    )


@contextmanager
def fields_named(names: dict[str, str] | Callable[[str], str]) -> Iterator[None]:
    """A service refusal about its own field names, shown by the form's field of another name
    (the next contact's `date` is the form's `next_date`)."""
    rename = names if callable(names) else lambda field: names.get(field, field)
    try:
        yield
    except FieldError as problem:
        raise FieldError(rename(problem.field), problem.message) from None
    except FieldErrors as problems:
        raise FieldErrors([FieldError(rename(p.field), p.message) for p in problems.problems]) from None
