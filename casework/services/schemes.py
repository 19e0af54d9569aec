"""The scheme settings and offence catalogue in force on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import DomainError, FieldError, NotFound
from casework.domain.reminders import format_hours, parse_hours
from casework.domain.roles import Action
from casework.models import Offence, OffenceInclusion, SchemeSettings, User
from casework.services import access, audit


def settings_on(session: Session, day: date) -> SchemeSettings:
    settings = session.scalar(
        select(SchemeSettings)
        .where(SchemeSettings.effective_from <= day, SchemeSettings.superseded_at.is_(None))
        .order_by(SchemeSettings.effective_from.desc())
        .limit(1)
    )
    if settings is None:
        raise DomainError("No scheme settings are in force. An administrator must configure the scheme.")
    return settings


def inclusion_on(session: Session, offence: Offence, day: date) -> OffenceInclusion | None:
    return session.scalar(
        select(OffenceInclusion)
        .where(
            OffenceInclusion.offence_id == offence.id,
            OffenceInclusion.effective_from <= day,
            OffenceInclusion.superseded_at.is_(None),
        )
        .order_by(OffenceInclusion.effective_from.desc())
        .limit(1)
    )


def catalogue(session: Session) -> list[Offence]:
    return list(session.scalars(select(Offence).order_by(Offence.title)))


def offences_by_code(session: Session, codes: list[str]) -> list[Offence]:
    return list(session.scalars(select(Offence).where(Offence.code.in_(codes)).order_by(Offence.title)))


# The settings an administrator can change, with the range each must stay within.
NUMBER_RANGES = {
    "min_age": (10, 25),
    "max_offence_age_months": (1, 12),
    "max_gravity_without_override": (1, 4),
    "contract_length_months": (1, 12),
    "max_conditions": (1, 10),
    "community_hours_min": (0, 100),
    "community_hours_max": (0, 100),
    "weekly_check_ins": (0, 12),
    "then_check_in_every_days": (7, 28),
    "first_contact_working_days": (1, 20),
    "warnings_before_review": (0, 5),
    "time_limit_margin_days": (0, 60),
    "completion_outcome_code": (1, 23),
    "retention_years": (1, 100),
    "suppression_threshold": (1, 50),
}
CHOICES = {
    "admission_rule": ("full_admission", "admission_or_no_reply", "no_denial", "none"),
    "previous_conviction_rule": ("none", "max_count", "none_allowed", "none_within_years"),
    "acceptance_step": ("none", "supervisor"),
    "victim_views_rule": ("advisory", "consent_required"),
    "failure_route": ("charge", "caution"),
}
FLAGS = ("exclude_indictable_only", "contract_approval_required")
TEXTS = ("scheme_name", "force_name", "areas_served")
EDITABLE = (
    *TEXTS,
    *NUMBER_RANGES,
    *CHOICES,
    *FLAGS,
    "previous_conviction_limit",
    "previous_conviction_years",
    "languages",
    "reminder_hours",
)
CONVICTION_YEARS = (1, 20)


def change_settings(
    session: Session, *, actor: User, values: dict, effective_from: date, reason: str, now: datetime
) -> SchemeSettings:
    """A new effective-dated version; the old one stays, so past decisions can be explained.

    Choosing the date of a version that is not yet in force before today corrects that version:
    the correction is a new row and the corrected one is kept, marked superseded.
    """
    access.require(actor, Action.CONFIGURE_SCHEME)
    if effective_from < local(now).date():
        raise FieldError(
            "effective_from",
            "The change must take effect today or later: earlier cases were decided under the settings in force then",
        )
    if not reason.strip():
        raise FieldError("change_reason", "Explain why the settings are changing")
    _check_settings(values)
    corrected = session.scalar(
        select(SchemeSettings).where(
            SchemeSettings.effective_from == effective_from, SchemeSettings.superseded_at.is_(None)
        )
    )
    base = corrected or settings_on(session, effective_from)
    changed = sorted(name for name in EDITABLE if getattr(base, name) != values.get(name))
    if not changed:
        raise FieldError("change_reason", "Nothing has changed")
    if corrected is not None:
        corrected.superseded_at = now
        session.flush()  # the live-only unique index must see it superseded before its correction
    settings = SchemeSettings(
        **{name: values.get(name) for name in EDITABLE},
        effective_from=effective_from,
        changed_by_id=actor.id,
        changed_at=now,
        change_reason=reason.strip(),
        corrects_id=corrected.id if corrected else None,
    )
    session.add(settings)
    session.flush()
    detail: dict[str, Any] = {"settings_id": settings.id}
    if corrected is not None:
        detail["corrects"] = corrected.id
    audit.record(
        session,
        actor=actor,
        action="scheme.settings_corrected" if corrected else "scheme.settings_changed",
        now=now,
        **detail,
        effective_from=effective_from.isoformat(),
        fields=changed,
    )
    return settings


def _check_settings(values: dict) -> None:
    for name, (low, high) in NUMBER_RANGES.items():
        if not isinstance(values.get(name), int) or not low <= values[name] <= high:
            raise FieldError(name, f"Enter a whole number from {low} to {high}")
    for name, allowed in CHOICES.items():
        if values.get(name) not in allowed:
            raise FieldError(name, "Select one of the options")
    if values["community_hours_min"] > values["community_hours_max"]:
        raise FieldError("community_hours_max", "The most community hours must be at least the fewest")
    if values["previous_conviction_rule"] == "max_count" and not isinstance(
        values.get("previous_conviction_limit"), int
    ):
        raise FieldError("previous_conviction_limit", "Enter the most previous convictions allowed")
    if values["previous_conviction_rule"] == "none_within_years":
        years, (low, high) = values.get("previous_conviction_years"), CONVICTION_YEARS
        if not isinstance(years, int) or not low <= years <= high:
            raise FieldError("previous_conviction_years", f"Enter a number of years from {low} to {high}")
    if not values.get("languages") or not set(values["languages"]) <= {"en", "cy"}:
        raise FieldError("languages", "Select at least one language")
    for name in TEXTS:
        if not str(values.get(name, "")).strip():
            raise FieldError(name, "Enter a value")
    try:
        values["reminder_hours"] = format_hours(parse_hours(str(values.get("reminder_hours") or "")))
    except ValueError as problem:
        raise FieldError("reminder_hours", str(problem)) from None


@dataclass(frozen=True)
class SettingChange:
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class SettingsVersion:
    """One row of the history: what it changed from the version before it (or the one it corrects)."""

    settings: SchemeSettings
    changes: list[SettingChange]
    corrects_saved_at: datetime | None
    replaced_at: datetime | None
    correctable: bool


def settings_history(session: Session, *, actor: User, today: date | None = None) -> list[SettingsVersion]:
    """Newest first. A live version taking effect `today` or later may still be corrected."""
    access.require(actor, Action.CONFIGURE_SCHEME)
    versions = list(
        session.scalars(
            select(SchemeSettings).order_by(SchemeSettings.effective_from, SchemeSettings.changed_at, SchemeSettings.id)
        )
    )
    live = [v for v in versions if v.superseded_at is None]
    history = []
    for version in versions:
        before = version.corrects or next(
            (v for v in reversed(live) if v.effective_from < version.effective_from), None
        )
        changes = (
            [
                SettingChange(name, getattr(before, name), getattr(version, name))
                for name in sorted(EDITABLE)
                if getattr(before, name) != getattr(version, name)
            ]
            if before
            else []
        )
        history.append(
            SettingsVersion(
                settings=version,
                changes=changes,
                corrects_saved_at=version.corrects.changed_at if version.corrects else None,
                replaced_at=version.superseded_at,
                correctable=version.superseded_at is None and today is not None and version.effective_from >= today,
            )
        )
    return list(reversed(history))


def settings_version(session: Session, *, actor: User, settings_id: int) -> SchemeSettings:
    access.require(actor, Action.CONFIGURE_SCHEME)
    settings = session.get(SchemeSettings, settings_id)
    if settings is None:
        raise NotFound("There is no such version of the scheme settings.")
    return settings
