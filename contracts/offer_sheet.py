"""The offer sheet: what the person takes home from custody when they accept the offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from contracts.rendering import RenderedDocument, render

TEMPLATE_VERSION = "offer_sheet_v1"
LONDON = ZoneInfo("Europe/London")

WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)
WELSH_DAYS = ("dydd Llun", "dydd Mawrth", "dydd Mercher", "dydd Iau", "dydd Gwener", "dydd Sadwrn", "dydd Sul")


@dataclass(frozen=True)
class OfferSheet:
    case_reference: str
    crime_reference: str
    person_name: str
    offences: tuple[str, ...]
    consent_at: datetime
    sergeant_name: str
    appointment_at: datetime
    appointment_place: str
    team_name: str
    team_phone: str
    team_email: str
    scheme_name: str
    force_name: str
    language: str = "en"


def render_offer_sheet(sheet: OfferSheet) -> RenderedDocument:
    language = sheet.language if sheet.language in ("en", "cy") else "en"
    return render(
        f"{TEMPLATE_VERSION}.{language}.html",
        version=TEMPLATE_VERSION,
        language=language,
        created=sheet.consent_at,
        sheet=sheet,
        appointment=when(sheet.appointment_at, language),
        consented=when(sheet.consent_at, language),
        place_lines=[line.strip() for line in sheet.appointment_place.splitlines() if line.strip()],
    )


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
