"""The offence catalogue as the administrator keeps it (DOMAIN.md §2.2): offences with their facts
and titles, and whether the scheme takes each one, from a date, with the terms it asks for.
Each rule is effective-dated; a rule not yet in force before today is corrected, never overwritten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import FieldError, NotFound
from casework.domain.offence_groups import is_offence_group
from casework.domain.offence_terms import TermRequirement
from casework.domain.roles import Action
from casework.models import Offence, OffenceInclusion, User
from casework.services import access, audit
from casework.services.schemes import catalogue, inclusion_on

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
    offence_group: str,
    flags: set[str],
    inclusion: str,
    terms: str,
    effective_from: date,
    now: datetime,
    wording: OffenceWording,
    requirements: frozenset[str] = frozenset(),
) -> Offence:
    access.require(actor, Action.CONFIGURE_SCHEME)
    code = code.strip().upper()
    if not code or len(code) > 20:
        raise FieldError("code", "Enter a code of up to 20 characters")
    if session.scalar(select(Offence.id).where(Offence.code == code)):
        raise FieldError("code", "An offence with that code already exists")
    _check_offence_facts(title, mode_of_trial, s127_applies, gravity_base, offence_group)
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
        offence_group=offence_group,
        **{flag: flag in flags for flag in OFFENCE_FLAGS},
    )
    session.add(offence)
    session.flush()
    audit.record(session, actor=actor, action="offence.added", now=now, offence_code=code, offence_group=offence_group)
    set_inclusion(
        session,
        actor=actor,
        offence=offence,
        inclusion=inclusion,
        terms=terms,
        requirements=requirements,
        effective_from=effective_from,
        now=now,
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
    requirements: frozenset[str] = frozenset(),
) -> OffenceInclusion:
    """Whether the scheme takes the offence from a date on; the earlier rule stays on record.
    Terms come with what they ask before a referral, so the product can hold the sergeant to them.

    A rule for the same date that is not yet in force before today is corrected, not overwritten.
    """
    access.require(actor, Action.CONFIGURE_SCHEME)
    if inclusion not in INCLUSIONS:
        raise FieldError("inclusion", "Select whether the scheme includes the offence")
    if inclusion == "included_with_terms" and not terms.strip():
        raise FieldError("terms", "Describe the terms")
    if not set(requirements) <= set(TermRequirement):
        raise FieldError("requirements", "Select from the list")
    if inclusion == "included_with_terms" and not requirements:
        raise FieldError("requirements", "Select what the terms ask before a referral")
    if inclusion != "included_with_terms" and requirements:
        raise FieldError("requirements", "Only an offence included with terms can ask for these. Clear them")
    if effective_from < local(now).date():
        raise FieldError("effective_from", "The change must take effect today or later")
    corrected = session.scalar(
        select(OffenceInclusion).where(
            OffenceInclusion.offence_id == offence.id,
            OffenceInclusion.effective_from == effective_from,
            OffenceInclusion.superseded_at.is_(None),
        )
    )
    rule = OffenceInclusion(
        offence_id=offence.id,
        inclusion=inclusion,
        terms=terms.strip() or None,
        requirements=sorted(requirements),
        effective_from=effective_from,
        changed_by_id=actor.id,
        changed_at=now,
        corrects_id=corrected.id if corrected else None,
    )
    detail: dict[str, Any] = {}
    if corrected is not None:
        fields = [
            name for name in ("inclusion", "terms", "requirements") if getattr(corrected, name) != getattr(rule, name)
        ]
        if not fields:
            raise FieldError("inclusion", "Nothing has changed")
        corrected.superseded_at = now
        session.flush()  # the live-only unique index must see it superseded before its correction
        detail = {"corrects": corrected.id, "fields": fields}
    session.add(rule)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="offence.inclusion_corrected" if corrected else "offence.inclusion_changed",
        now=now,
        offence_code=offence.code,
        inclusion=inclusion,
        requirements=sorted(requirements),
        effective_from=effective_from.isoformat(),
        **detail,
    )
    return rule


def inclusion_history(session: Session, *, offence: Offence) -> list[OffenceInclusion]:
    return list(
        session.scalars(
            select(OffenceInclusion)
            .where(OffenceInclusion.offence_id == offence.id)
            .order_by(
                OffenceInclusion.effective_from.desc(),
                OffenceInclusion.changed_at.desc(),
                OffenceInclusion.id.desc(),
            )
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
    offence_group: str,
    flags: set[str],
    now: datetime,
    wording: OffenceWording,
) -> Offence:
    """Correct an offence's facts. Checks already evaluated keep the result they recorded."""
    access.require(actor, Action.CONFIGURE_SCHEME)
    _check_offence_facts(title, mode_of_trial, s127_applies, gravity_base, offence_group)
    _check_wording(wording)
    before = {
        name: getattr(offence, name)
        for name in (
            "title",
            *WORDING_FIELDS,
            "mode_of_trial",
            "s127_applies",
            "gravity_base",
            "offence_group",
            *OFFENCE_FLAGS,
        )
    }
    offence.title, offence.mode_of_trial = title.strip(), mode_of_trial
    for name in WORDING_FIELDS:
        setattr(offence, name, getattr(wording, name).strip())
    offence.s127_applies, offence.gravity_base = s127_applies, gravity_base
    # Reports read the group when they are run, so a regrouped offence moves in every past range too.
    offence.offence_group = offence_group
    for flag in OFFENCE_FLAGS:
        setattr(offence, flag, flag in flags)
    changed = sorted(name for name, value in before.items() if getattr(offence, name) != value)
    if not changed:
        raise FieldError("title", "Nothing has changed")
    session.flush()
    audit.record(session, actor=actor, action="offence.changed", now=now, offence_code=offence.code, fields=changed)
    return offence


def _check_offence_facts(
    title: str, mode_of_trial: str, s127_applies: bool, gravity_base: int, offence_group: str
) -> None:
    if not title.strip():
        raise FieldError("title", "Enter the offence's title")
    if mode_of_trial not in ("summary_only", "either_way", "indictable_only"):
        raise FieldError("mode_of_trial", "Select the mode of trial")
    if s127_applies and mode_of_trial != "summary_only":
        raise FieldError("s127_applies", "The six-month limit applies only to summary-only offences")
    if not isinstance(gravity_base, int) or not 1 <= gravity_base <= 4:
        raise FieldError("gravity_base", "Enter a gravity score from 1 to 4")
    if not is_offence_group(offence_group):
        raise FieldError("offence_group", "Select the offence group")
