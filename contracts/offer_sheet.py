"""The offer sheet: what the person takes home from custody when they accept the offer.

Version 2 is current. Version 1 still renders for the sheets it issued, unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from casework.domain.welsh import WELSH_DAYS, WELSH_MONTHS
from contracts.rendering import RenderedDocument, made_from, render

TEMPLATE_VERSION = "offer_sheet_v2"
TEMPLATE_VERSIONS = ("offer_sheet_v1", "offer_sheet_v2")
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class OfferSheet:
    case_reference: str
    crime_reference: str
    person_name: str
    offences: tuple[str, ...]
    consent_at: datetime
    sergeant_name: str  # version 1 only, which named the case's opener as the witness
    appointment_at: datetime
    appointment_place: str
    team_name: str
    team_phone: str
    team_email: str
    scheme_name: str
    force_name: str
    language: str = "en"
    # Version 2 onwards.
    witness_name: str = ""  # who witnessed the consent, as recorded
    offence_first_on: date | None = None
    offence_last_on: date | None = None
    contract_length_months: int = 0
    retention_years: int = 0


def offer_sheet_made_from(sheet: OfferSheet, *, template_version: str = TEMPLATE_VERSION) -> str:
    """What a stored copy of this sheet is kept under: see rendering.made_from."""
    return made_from(sheet, template_version=template_version)


def render_offer_sheet(sheet: OfferSheet, *, template_version: str = TEMPLATE_VERSION) -> RenderedDocument:
    if template_version not in TEMPLATE_VERSIONS:
        raise ValueError(f"no such offer sheet template: {template_version}")
    language = sheet.language if sheet.language in ("en", "cy") else "en"
    return render(
        f"{template_version}.{language}.html",
        version=template_version,
        language=language,
        created=sheet.consent_at,
        furniture_as_artifacts=template_version != "offer_sheet_v1",
        sheet=sheet,
        appointment=when(sheet.appointment_at, language),
        consented=when(sheet.consent_at, language),
        place_lines=[line.strip() for line in sheet.appointment_place.splitlines() if line.strip()],
        day=lambda d: day(d, language),
        months=counted(sheet.contract_length_months, language, ("month", "months"), ("mis", "mis")),
        years=counted(sheet.retention_years, language, ("year", "years"), ("flwyddyn", "blynedd")),
    )


def day(moment: date, language: str) -> str:
    """27 March 2026, or 27 Mawrth 2026."""
    month = WELSH_MONTHS[moment.month - 1] if language == "cy" else f"{moment:%B}"
    return f"{moment.day} {month} {moment.year}"


def counted(n: int, language: str, english: tuple[str, str], welsh: tuple[str, str]) -> str:
    one, many = welsh if language == "cy" else english
    return f"{n} {one if n == 1 else many}"


def when(moment: datetime, language: str) -> str:
    """Wednesday 25 November 2026 at 9:30am, in UK time (and in Welsh for Welsh sheets)."""
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    if language == "cy":
        suffix = "yb" if local.hour < 12 else "yh"
        return (
            f"{WELSH_DAYS[local.weekday()]} {local.day} {WELSH_MONTHS[local.month - 1]} {local.year} "
            f"am {hour}:{local:%M}{suffix}"
        )
    suffix = "am" if local.hour < 12 else "pm"
    return f"{local:%A} {local.day} {local:%B %Y} at {hour}:{local:%M}{suffix}"
