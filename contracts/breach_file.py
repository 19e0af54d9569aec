"""The breach file for the prosecution file (DOMAIN.md §7.3): what the decision maker, the officer
in the case and the CPS need, taken from the record as it stood when the file was prepared. English
only: it is for the police and the CPS. Version 1 is current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contracts.offer_sheet import day, when
from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "breach_file_v1"


@dataclass(frozen=True)
class FileOffence:
    title: str
    legislation: str
    mode_of_trial: str  # as the catalogue words it: "Summary only", ...
    time_limited: bool  # s.127 applies


@dataclass(frozen=True)
class FileCondition:
    number: int
    wording: str  # as signed
    due: date | None
    status: str


@dataclass(frozen=True)
class FileContract:
    version_number: int
    status: str
    signed_at: datetime
    starts_on: date
    ends_on: date
    conditions: tuple[FileCondition, ...]
    variation_reason: str = ""


@dataclass(frozen=True)
class FileCheckIn:
    at: datetime
    mode: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class FileReminder:
    check_in_at: datetime
    channel: str
    due_at: datetime
    status: str


@dataclass(frozen=True)
class FileBreach:
    number: int
    kind: str
    occurred_on: date
    raised: str  # who and when
    status: str
    summary: str
    explanation: str
    evidence: tuple[tuple[str, str], ...]  # the snapshot taken when it was recorded, as label and text
    decision: str  # the supervisor's decision, who and when; "" while undecided
    rationale: str


@dataclass(frozen=True)
class FileWarning:
    level: str
    issued: str  # who and when
    reason: str


@dataclass(frozen=True)
class BreachFile:
    scheme_name: str
    force_name: str
    case_reference: str
    crime_reference: str
    person_name: str
    date_of_birth: date
    team_name: str
    navigator_name: str
    state: str
    offences: tuple[FileOffence, ...]
    offence_first_on: date | None
    offence_last_on: date | None
    offence_place: str
    offence_description: str
    latest_charge_on: date | None
    decision_deadline_on: date | None
    prepared_at: datetime
    prepared_on: date  # London
    days_left: int | None  # to the latest charge date, on the day prepared
    termination_reason: str
    contracts: tuple[FileContract, ...]
    check_ins: tuple[FileCheckIn, ...]
    reminders: tuple[FileReminder, ...]
    breaches: tuple[FileBreach, ...]
    warnings: tuple[FileWarning, ...]
    prosecution: tuple[tuple[str, str], ...]  # the decision, if recorded, as label and text


def render_breach_file(file: BreachFile) -> RenderedDocument:
    return render(
        f"{TEMPLATE_VERSION}.en.html",
        version=TEMPLATE_VERSION,
        language="en",
        created=file.prepared_at,
        furniture_as_artifacts=True,
        file=file,
        day=lambda d: day(d, "en"),
        when=lambda moment: when(moment, "en"),
    )
