"""The victim's record on a case (DOMAIN.md §1, §5.1): their views at the offer, a request for
restorative work, enhanced rights under the Victims' Code, and how to reach them.

The custody sergeant records it at the offer, building on the checklist's question on the victim's
views (E18) rather than asking it twice; afterwards the navigator allocated to the case or a
supervisor keeps it up to date. Victim details are need-to-know (DOMAIN.md §1, §9): a navigator
sees them only on a case allocated to them, and custody only while making the offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action, Role
from casework.domain.victims import CONTACT_METHODS, ENHANCED_GROUNDS, FROM_CHECKLIST, NO_VICTIM, Views
from casework.models import Case, User, VictimRecord
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale, stale_message

MAX_TEXT = 2000
NEVER_REFERRED = frozenset({CaseState.INELIGIBLE, CaseState.DECLINED, CaseState.WITHDRAWN_IN_ERROR})


@dataclass(frozen=True)
class VictimDetails:
    """What a form sends; `views` is None when the checklist already answered it (at the offer)."""

    views: str | None
    not_sought_reason: str
    views_in_words: str
    wants_restorative: bool | None
    enhanced_ground: str | None  # "" or None: not entitled
    wants_updates: bool | None
    contact_method: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""


def for_case(session: Session, *, case: Case) -> VictimRecord | None:
    return session.scalar(select(VictimRecord).where(VictimRecord.case_id == case.id))


def checklist_views(case: Case) -> str | None:
    """The checklist's answer to "What are the victim's views?", as given at the offer."""
    return (case.gate_answers or {}).get("victim_view")


def no_identified_victim(case: Case, record: VictimRecord | None) -> bool:
    return record is None and checklist_views(case) == NO_VICTIM


def access_refusal(actor: User, case: Case) -> str | None:
    """Why this actor may not see or record this case's victim details, or None. The role and the
    team are checked first (another team's case is not found, a wrong role a 403); this is the
    need-to-know rule on top."""
    access.require(actor, Action.RECORD_VICTIM_CONTACT, team_id=case.team_id)
    if case.case_state in NEVER_REFERRED:
        return "No victim record is kept for a case that was not referred."
    if actor.has_role(Role.SUPERVISOR) or case.navigator_id == actor.id:
        return None
    return (
        "Victim details are seen only by the navigator allocated to this case and by supervisors. "
        "Ask a supervisor if you need to cover this case."
    )


def require_access(actor: User, case: Case) -> None:
    refusal = access_refusal(actor, case)
    if refusal:
        raise NotPermitted(refusal)


def offer_refusal(actor: User, case: Case) -> str | None:
    """Why the custody sergeant may not record the victim's details at the offer now, or None."""
    access.require(actor, Action.OPEN_CASE, team_id=case.team_id)
    if case.case_state is not CaseState.ELIGIBILITY_DRAFT:
        return (
            "The victim's views at the offer are recorded while the offer is being made. "
            "The navigator or a supervisor now keeps the victim's details up to date."
        )
    views = checklist_views(case)
    if views == NO_VICTIM:
        return "The checklist records that there is no identifiable victim, so there are no victim details to record."
    if views not in FROM_CHECKLIST:
        return "Answer the checklist's question on the victim's views first."
    return None


def record_at_offer(
    session: Session, *, actor: User, case: Case, details: VictimDetails, seen_version: int, now: datetime
) -> VictimRecord:
    """The sergeant's record at the offer; the views are the checklist's answer."""
    refusal = offer_refusal(actor, case)
    if refusal:
        raise IllegalTransition(refusal)
    chosen = FROM_CHECKLIST[checklist_views(case)].value
    return _save(session, actor=actor, case=case, details=details, views=chosen, seen_version=seen_version, now=now)


def record_later(
    session: Session, *, actor: User, case: Case, details: VictimDetails, seen_version: int, now: datetime
) -> VictimRecord:
    """The allocated navigator or a supervisor records or changes the victim's details."""
    require_access(actor, case)
    return _save(
        session, actor=actor, case=case, details=details, views=details.views, seen_version=seen_version, now=now
    )


def _save(
    session: Session,
    *,
    actor: User,
    case: Case,
    details: VictimDetails,
    views: str | None,
    seen_version: int,
    now: datetime,
) -> VictimRecord:
    record = for_case(session, case=case)
    # 0 means "there was no record when I opened the form": someone else may have made one since.
    if (record.version if record else 0) != seen_version:
        raise StaleRecord(stale_message("the victim's details"), case_id=case.id)
    FieldErrors.raise_any(_problems(details, views))
    created = record is None
    if created:
        record = VictimRecord(case_id=case.id, recorded_by_id=actor.id, recorded_at=now)
        session.add(record)
    record.views = views
    record.not_sought_reason = details.not_sought_reason.strip() if views == Views.NOT_SOUGHT else None
    record.views_in_words = details.views_in_words.strip() or None
    record.wants_restorative = bool(details.wants_restorative)
    record.enhanced_ground = details.enhanced_ground or None
    record.wants_updates = bool(details.wants_updates)
    record.contact_method = details.contact_method
    record.contact_name = details.contact_name.strip()
    record.contact_phone = details.contact_phone.strip() or None
    record.contact_email = details.contact_email.strip() or None
    record.contact_address = details.contact_address.strip() or None
    record.changed_by_id, record.changed_at = actor.id, now
    flush_or_stale(session, stale_message("the victim's details"), case_id=case.id)
    # Identifiers and codes only: the victim's words and contact details stay out of the trail.
    audit.record(
        session,
        actor=actor,
        action="victim.recorded" if created else "victim.changed",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        views=record.views,
        wants_restorative=record.wants_restorative,
        enhanced=record.enhanced_rights,
        wants_updates=record.wants_updates,
    )
    return record


def _problems(details: VictimDetails, views: str | None) -> list[FieldError]:
    problems = []
    if views not in {v.value for v in Views}:
        problems.append(FieldError("views", "Select the victim's views on a deferred prosecution"))
    if views == Views.NOT_SOUGHT and not details.not_sought_reason.strip():
        problems.append(FieldError("not_sought_reason", "Say why the victim's views were not sought"))
    for field, text in (("not_sought_reason", details.not_sought_reason), ("views_in_words", details.views_in_words)):
        if len(text.strip()) > MAX_TEXT:
            problems.append(FieldError(field, f"Write {MAX_TEXT} characters or fewer"))
    if details.wants_restorative is None:
        problems.append(FieldError("wants_restorative", "Select whether the victim asks for restorative work"))
    if details.enhanced_ground and details.enhanced_ground not in ENHANCED_GROUNDS:
        problems.append(FieldError("enhanced_ground", "Select one of the grounds listed, or none"))
    if details.wants_updates is None:
        problems.append(FieldError("wants_updates", "Select whether the victim wants to be kept updated"))
    if details.contact_method not in CONTACT_METHODS:
        problems.append(FieldError("contact_method", "Select how the victim prefers to be contacted"))
    if not details.contact_name.strip():
        problems.append(FieldError("contact_name", "Enter the victim's name"))
    elif len(details.contact_name.strip()) > 200:
        problems.append(FieldError("contact_name", "Enter the name in 200 characters or fewer"))
    needed = {"phone": "contact_phone", "email": "contact_email", "letter": "contact_address"}
    field = needed.get(details.contact_method)
    if field and not getattr(details, field).strip():
        words = {
            "contact_phone": "a phone number",
            "contact_email": "an email address",
            "contact_address": "an address",
        }
        problems.append(FieldError(field, f"Enter {words[field]} for the contact method chosen"))
    if details.contact_email.strip() and "@" not in details.contact_email:
        problems.append(
            FieldError("contact_email", "Enter an email address in the correct format, like name@example.com")
        )
    limits = {"contact_phone": 40, "contact_email": 200, "contact_address": 300}
    for name, limit in limits.items():
        if len(getattr(details, name).strip()) > limit:
            problems.append(FieldError(name, f"Enter {limit} characters or fewer"))
    return problems
