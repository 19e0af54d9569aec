"""The scheme settings and offence catalogue in force on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import DomainError, FieldError, NotFound
from casework.domain.roles import Action
from casework.models import Offence, OffenceInclusion, SchemeSettings, User
from casework.services import access, audit


def settings_on(session: Session, day: date) -> SchemeSettings:
    settings = session.scalar(
        select(SchemeSettings)
        .where(SchemeSettings.effective_from <= day)
        .order_by(SchemeSettings.effective_from.desc())
        .limit(1)
    )
    if settings is None:
        raise DomainError("No scheme settings are in force. An administrator must configure the scheme.")
    return settings


def inclusion_on(session: Session, offence: Offence, day: date) -> OffenceInclusion | None:
    return session.scalar(
        select(OffenceInclusion)
        .where(OffenceInclusion.offence_id == offence.id, OffenceInclusion.effective_from <= day)
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
}
CHOICES = {
    "admission_rule": ("full_admission", "admission_or_no_reply", "no_denial", "none"),
    "previous_conviction_rule": ("none", "max_count", "none_allowed"),
    "acceptance_step": ("none", "supervisor"),
    "victim_views_rule": ("advisory", "consent_required"),
    "failure_route": ("charge", "caution"),
}
FLAGS = ("exclude_indictable_only", "contract_approval_required")
TEXTS = ("scheme_name", "force_name", "areas_served")
EDITABLE = (*TEXTS, *NUMBER_RANGES, *CHOICES, *FLAGS, "previous_conviction_limit", "languages")


def change_settings(
    session: Session, *, actor: User, values: dict, effective_from: date, reason: str, now: datetime
) -> SchemeSettings:
    """A new effective-dated version; the old one stays, so past decisions can be explained."""
    access.require(actor, Action.CONFIGURE_SCHEME)
    if effective_from < local(now).date():
        raise FieldError(
            "effective_from",
            "The change must take effect today or later: earlier cases were decided under the settings in force then",
        )
    if not reason.strip():
        raise FieldError("change_reason", "Explain why the settings are changing")
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
    if not values.get("languages") or not set(values["languages"]) <= {"en", "cy"}:
        raise FieldError("languages", "Select at least one language")
    for name in TEXTS:
        if not str(values.get(name, "")).strip():
            raise FieldError(name, "Enter a value")
    if session.scalar(select(SchemeSettings.id).where(SchemeSettings.effective_from == effective_from)):
        raise FieldError("effective_from", "Another change already takes effect on that date. Choose another date")
    current = settings_on(session, effective_from)
    changed = sorted(name for name in EDITABLE if getattr(current, name) != values.get(name))
    if not changed:
        raise FieldError("change_reason", "Nothing has changed")
    settings = SchemeSettings(
        **{name: values.get(name) for name in EDITABLE},
        effective_from=effective_from,
        changed_by_id=actor.id,
        changed_at=now,
        change_reason=reason.strip(),
    )
    session.add(settings)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="scheme.settings_changed",
        now=now,
        settings_id=settings.id,
        effective_from=effective_from.isoformat(),
        fields=changed,
    )
    return settings


def settings_history(session: Session, *, actor: User) -> list[SchemeSettings]:
    access.require(actor, Action.CONFIGURE_SCHEME)
    return list(session.scalars(select(SchemeSettings).order_by(SchemeSettings.effective_from.desc())))


OFFENCE_FLAGS = ("domestic_abuse", "hate", "sexual", "driving", "weapon")
WORDING_FIELDS = ("title_cy", "legislation", "legislation_cy")


@dataclass(frozen=True)
class OffenceWording:
    """How documents name an offence: its Welsh title, and the legislation it is contrary to."""

    title_cy: str
    legislation: str  # "section 39 of the Criminal Justice Act 1988"
    legislation_cy: str  # "adran 39 o Ddeddf Cyfiawnder Troseddol 1988"


def _check_wording(wording: OffenceWording) -> None:
    if not wording.title_cy.strip():
        raise FieldError("title_cy", "Enter the offence's title in Welsh, for Welsh documents")
    if not wording.legislation.strip():
        raise FieldError("legislation", "Enter the legislation the offence is contrary to")
    if not wording.legislation_cy.strip():
        raise FieldError("legislation_cy", "Enter the legislation in Welsh")
    for name in WORDING_FIELDS:
        if len(getattr(wording, name).strip()) > 200:
            raise FieldError(name, "Enter 200 characters or fewer")


INCLUSIONS = ("included", "included_with_terms", "excluded")


def catalogue_with_inclusions(
    session: Session, *, actor: User, day: date
) -> list[tuple[Offence, OffenceInclusion | None]]:
    access.require(actor, Action.CONFIGURE_SCHEME)
    return [(offence, inclusion_on(session, offence, day)) for offence in catalogue(session)]


def add_offence(
    session: Session,
    *,
    actor: User,
    code: str,
    title: str,
    mode_of_trial: str,
    s127_applies: bool,
    gravity_base: int,
    flags: set[str],
    inclusion: str,
    terms: str,
    effective_from: date,
    now: datetime,
    wording: OffenceWording,
) -> Offence:
    access.require(actor, Action.CONFIGURE_SCHEME)
    code = code.strip().upper()
    if not code or len(code) > 20:
        raise FieldError("code", "Enter a code of up to 20 characters")
    if session.scalar(select(Offence.id).where(Offence.code == code)):
        raise FieldError("code", "An offence with that code already exists")
    _check_offence_facts(title, mode_of_trial, s127_applies, gravity_base)
    _check_wording(wording)
    offence = Offence(
        code=code,
        title=title.strip(),
        title_cy=wording.title_cy.strip(),
        legislation=wording.legislation.strip(),
        legislation_cy=wording.legislation_cy.strip(),
        mode_of_trial=mode_of_trial,
        s127_applies=s127_applies,
        gravity_base=gravity_base,
        **{flag: flag in flags for flag in OFFENCE_FLAGS},
    )
    session.add(offence)
    session.flush()
    audit.record(session, actor=actor, action="offence.added", now=now, offence_code=code)
    set_inclusion(
        session, actor=actor, offence=offence, inclusion=inclusion, terms=terms, effective_from=effective_from, now=now
    )
    return offence


def set_inclusion(
    session: Session,
    *,
    actor: User,
    offence: Offence,
    inclusion: str,
    terms: str,
    effective_from: date,
    now: datetime,
) -> OffenceInclusion:
    """Whether the scheme takes the offence from a date on; the earlier rule stays on record."""
    access.require(actor, Action.CONFIGURE_SCHEME)
    if inclusion not in INCLUSIONS:
        raise FieldError("inclusion", "Select whether the scheme includes the offence")
    if inclusion == "included_with_terms" and not terms.strip():
        raise FieldError("terms", "Describe the terms")
    if effective_from < local(now).date():
        raise FieldError("effective_from", "The change must take effect today or later")
    clash = select(OffenceInclusion.id).where(
        OffenceInclusion.offence_id == offence.id, OffenceInclusion.effective_from == effective_from
    )
    if session.scalar(clash):
        raise FieldError("effective_from", "This offence already has a change on that date. Choose another date")
    rule = OffenceInclusion(
        offence_id=offence.id,
        inclusion=inclusion,
        terms=terms.strip() or None,
        effective_from=effective_from,
        changed_by_id=actor.id,
        changed_at=now,
    )
    session.add(rule)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="offence.inclusion_changed",
        now=now,
        offence_code=offence.code,
        inclusion=inclusion,
        effective_from=effective_from.isoformat(),
    )
    return rule


def inclusion_history(session: Session, *, offence: Offence) -> list[OffenceInclusion]:
    return list(
        session.scalars(
            select(OffenceInclusion)
            .where(OffenceInclusion.offence_id == offence.id)
            .order_by(OffenceInclusion.effective_from.desc())
        )
    )


def get_offence(session: Session, *, actor: User, offence_id: int) -> Offence:
    access.require(actor, Action.CONFIGURE_SCHEME)
    offence = session.get(Offence, offence_id)
    if offence is None:
        raise NotFound("There is no such offence.")
    return offence


def update_offence(
    session: Session,
    *,
    actor: User,
    offence: Offence,
    title: str,
    mode_of_trial: str,
    s127_applies: bool,
    gravity_base: int,
    flags: set[str],
    now: datetime,
    wording: OffenceWording,
) -> Offence:
    """Correct an offence's facts. Checks already evaluated keep the result they recorded."""
    access.require(actor, Action.CONFIGURE_SCHEME)
    _check_offence_facts(title, mode_of_trial, s127_applies, gravity_base)
    _check_wording(wording)
    before = {
        name: getattr(offence, name)
        for name in ("title", *WORDING_FIELDS, "mode_of_trial", "s127_applies", "gravity_base", *OFFENCE_FLAGS)
    }
    offence.title, offence.mode_of_trial = title.strip(), mode_of_trial
    for name in WORDING_FIELDS:
        setattr(offence, name, getattr(wording, name).strip())
    offence.s127_applies, offence.gravity_base = s127_applies, gravity_base
    for flag in OFFENCE_FLAGS:
        setattr(offence, flag, flag in flags)
    changed = sorted(name for name, value in before.items() if getattr(offence, name) != value)
    if not changed:
        raise FieldError("title", "Nothing has changed")
    session.flush()
    audit.record(session, actor=actor, action="offence.changed", now=now, offence_code=offence.code, fields=changed)
    return offence


def _check_offence_facts(title: str, mode_of_trial: str, s127_applies: bool, gravity_base: int) -> None:
    if not title.strip():
        raise FieldError("title", "Enter the offence's title")
    if mode_of_trial not in ("summary_only", "either_way", "indictable_only"):
        raise FieldError("mode_of_trial", "Select the mode of trial")
    if s127_applies and mode_of_trial != "summary_only":
        raise FieldError("s127_applies", "The six-month limit applies only to summary-only offences")
    if not isinstance(gravity_base, int) or not 1 <= gravity_base <= 4:
        raise FieldError("gravity_base", "Enter a gravity score from 1 to 4")
