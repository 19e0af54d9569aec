"""Recording the people cases are about (finding them across teams: person_search.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.domain import people as rules
from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, NotFound, StaleRecord
from casework.domain.roles import Action
from casework.models import Case, Person, PersonMonitoring, User
from casework.services import access, audit
from casework.services.concurrency import flush_or_stale, stale_message


@dataclass(frozen=True)
class PersonDetails:
    given_names: str
    family_name: str
    date_of_birth: date
    address_line_1: str
    town: str
    postcode: str
    pnc_id: str = ""
    address_line_2: str = ""
    phone: str = ""
    email: str = ""
    preferred_language: str = "en"
    interpreter_needed: bool = False
    interpreter_language: str = ""
    appropriate_adult_needed: bool = False


@dataclass(frozen=True)
class Monitoring:
    ethnicity: str
    sex: str
    disability: str


def _checked(details: PersonDetails, *, today: date) -> dict:
    if not details.given_names.strip():
        raise FieldError("given_names", "Enter the person's first name")
    if not details.family_name.strip():
        raise FieldError("family_name", "Enter the person's last name")
    if details.date_of_birth > today:
        raise FieldError("date_of_birth", "Date of birth must be in the past")
    if rules.age_on(details.date_of_birth, today) > 110:
        raise FieldError("date_of_birth", "Date of birth must be after 1915. Check the year")
    try:
        pnc = rules.normalise_pnc_id(details.pnc_id) if details.pnc_id.strip() else None
        postcode = rules.normalise_postcode(details.postcode)
    except ValueError as problem:
        raise FieldError("pnc_id" if "PNC" in str(problem) else "postcode", str(problem)) from None
    if details.interpreter_needed and not details.interpreter_language.strip():
        raise FieldError("interpreter_language", "Enter the language the interpreter must speak")
    return {
        "given_names": details.given_names.strip(),
        "family_name": details.family_name.strip(),
        "family_name_folded": details.family_name.strip().lower(),
        "date_of_birth": details.date_of_birth,
        "pnc_id": pnc,
        "address_line_1": details.address_line_1.strip(),
        "address_line_2": details.address_line_2.strip() or None,
        "town": details.town.strip(),
        "postcode": postcode,
        "phone": details.phone.strip() or None,
        "email": details.email.strip().lower() or None,
        "preferred_language": details.preferred_language,
        "interpreter_needed": details.interpreter_needed,
        "interpreter_language": details.interpreter_language.strip() or None,
        "appropriate_adult_needed": details.appropriate_adult_needed,
    }


def create_person(
    session: Session, *, actor: User, details: PersonDetails, monitoring: Monitoring | None, now: datetime
) -> Person:
    access.require(actor, Action.OPEN_CASE)
    person = Person(**_checked(details, today=local_today(now)), created_at=now, created_by_id=actor.id)
    session.add(person)
    session.flush()
    if monitoring is not None:
        session.add(
            PersonMonitoring(
                person_id=person.id,
                ethnicity=monitoring.ethnicity,
                sex=monitoring.sex,
                disability=monitoring.disability,
                recorded_at=now,
            )
        )
    audit.record(
        session,
        actor=actor,
        action="person.created",
        now=now,
        person_id=person.id,
        monitoring_recorded=monitoring is not None,
    )
    return person


def get(session: Session, *, actor: User, person_id: int) -> Person:
    access.require(actor, Action.OPEN_CASE)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("There is no such person.")
    return person


@dataclass(frozen=True)
class ReminderConsent:
    by_email: bool
    by_sms: bool
    email: str = ""
    phone: str = ""


def set_reminder_consent(
    session: Session,
    *,
    actor: User,
    case: Case,
    consent: ReminderConsent,
    seen_version: int,
    channels: frozenset[str],
    now: datetime,
) -> Person:
    """Record how the person agreed to be reminded, with the address or number each needs. SMS
    cannot be agreed while the service has no way to send it: a promise it could not keep."""
    access.require(actor, Action.RECORD_CONTACT, team_id=case.team_id)
    person = case.person
    if person.version != seen_version:
        raise StaleRecord(stale_message("this person's details"), case_id=case.id)
    email, phone = consent.email.strip().lower(), consent.phone.strip()
    problems = []
    if consent.by_email and not email:
        problems.append(FieldError("email", "Enter an email address for email reminders"))
    if consent.by_sms and "sms" not in channels:
        problems.append(FieldError("channels", "Text message reminders are switched off on this service"))
    elif consent.by_sms and not phone:
        problems.append(FieldError("phone", "Enter a mobile phone number for text message reminders"))
    FieldErrors.raise_any(problems)
    before = (person.reminder_by_email, person.reminder_by_sms, person.email, person.phone)
    person.reminder_by_email, person.reminder_by_sms = consent.by_email, consent.by_sms
    person.email, person.phone = email or None, phone or None
    if before == (person.reminder_by_email, person.reminder_by_sms, person.email, person.phone):
        return person
    flush_or_stale(session, stale_message("this person's details"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="person.reminder_consent_recorded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        person_id=person.id,
        by_email=consent.by_email,
        by_sms=consent.by_sms,
        contact_changed=before[2:] != (person.email, person.phone),
    )
    return person
