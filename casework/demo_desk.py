"""A demo case at the custody desk: opened, its custody details and checklist, the offer.

casework/demo_journeys.py carries the walk on through the navigator team and the contract. Every
step is a service call a user could have made on a page, with the actor who would have made it, at
a moment counted back from the app clock's `now` in London time, never after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from casework.domain.clock import from_local, local, local_today
from casework.domain.gate_questions import SECTIONS, Section
from casework.domain.people import ETHNICITIES
from casework.domain.time_limits import add_months
from casework.models import Case, Person, User
from casework.services import case_endings, cases, checklist, people, referral_checks, schemes
from casework.services.cases import Acceptance, CustodyDetails
from casework.services.people import Monitoring, PersonDetails

# The checklist as a sergeant answers it for someone the scheme takes (DOMAIN.md §2.1).
ELIGIBLE_ANSWERS = {
    "identity_confirmed": "yes",
    "identity_method": "biometrics",
    "lives_in_force_area": "yes",
    "offence_in_force_area": "yes",
    "evidential_test_met": "yes",
    "evidential_decided_by": "DS 2231 Demo",
    "admission_stance": "full_admission",
    "understands_obligations": "yes",
    "aggravating": ["none"],
    "mitigating": ["early_admission"],
    "gravity_rationale": "Low-level offence with an early admission; no aggravating features.",
    "previous_convictions": "0",
    "custody_likely": "no",
    "local_exclusion": "no",
    "subject_to_court_order": "no",
    "under_supervision": "no",
    "on_bail_other_matter": "no",
    "held_for_court": "no",
    "mha_detention": "no",
    "has_co_accused": "no",
    "victim_view": "supports",
    "risk_band": "none",
}


@dataclass(frozen=True)
class Staff:
    area: str
    sergeant: User
    navigator: User
    navigator2: User
    supervisor: User


@dataclass
class DeskWalk:
    """A demo case on its way through the services. `case` is set once the check is opened."""

    session: Session
    fake: Faker
    staff: Staff
    now: datetime
    case: Case | None = None

    # ---- when ----------------------------------------------------------------------------------

    def on(self, days_ago: int, clock: str) -> datetime:
        """A wall-clock time in London on a day before today."""
        if days_ago < 1:
            raise ValueError("Today's steps are counted back from now (`ago`), so that none is in the future.")
        return from_local(local_today(self.now) - timedelta(days=days_ago), time.fromisoformat(clock))

    def ago(self, *, hours: int = 0, minutes: int = 0) -> datetime:
        return self.now - timedelta(hours=hours, minutes=minutes)

    def day(self, days_ago: int) -> date:
        return local_today(self.now) - timedelta(days=days_ago)

    # ---- the custody desk ----------------------------------------------------------------------

    def open_check(self, *, at: datetime, age_years: int | None = None, person: Person | None = None) -> Case:
        person = person or self._person(at=at, age_years=age_years or self.fake.random_int(19, 55))
        self.case = cases.open_case(self.session, actor=self.staff.sergeant, person=person, now=at)
        return self.case

    def custody_details(self, *, at: datetime, offence: str, offence_days_before: int) -> None:
        arrested = at - timedelta(hours=3)
        offence_on = local_today(arrested) - timedelta(days=offence_days_before)
        details = CustodyDetails(
            custody_suite=f"{self.staff.sergeant.team.name} custody suite",
            crime_reference=f"DC/{self.fake.random_int(10000, 99999)}/{local(at):%y}",
            custody_record_number=f"CR{self.fake.random_int(100000, 999999)}",
            arrested_at=arrested,
            offence_first_on=offence_on,
            offence_last_on=offence_on,
            offence_codes=(offence,),
            offence_place=f"{self.fake.street_name()}, {self.staff.sergeant.team.name}",
            offence_description=OFFENCE_STORIES[offence],
        )
        cases.record_custody_details(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            details=details,
            seen_version=self.case.version,
            now=at,
        )

    def answer_checklist(self, *, at: datetime, sections: tuple[Section, ...] = SECTIONS) -> None:
        decided = local(self.case.arrested_at + timedelta(hours=1))
        given = {
            **ELIGIBLE_ANSWERS,
            "evidential_decided_on": decided.date().isoformat(),
            "evidential_decided_time": f"{decided:%H:%M}",
        }
        for section in sections:
            answers = {q.key: given.get(q.key, "") for q in section.questions}
            checklist.answer_section(
                self.session,
                actor=self.staff.sergeant,
                case=self.case,
                section=section,
                answers=answers,
                seen_version=self.case.version,
                now=at,
            )

    def through_the_gate(
        self, *, at: datetime, offence: str, offence_days_before: int, age_years: int | None = None
    ) -> None:
        """Opened, custody details recorded and the whole checklist answered, in the first half hour."""
        self.open_check(at=at, age_years=age_years)
        self.custody_details(at=at + timedelta(minutes=5), offence=offence, offence_days_before=offence_days_before)
        self.answer_checklist(at=at + timedelta(minutes=15))

    def not_offered(self, *, at: datetime) -> None:
        cases.record_not_offered(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            reason="ineligible",
            detail="",
            alternative_outcome="community_resolution",
            seen_version=self.case.version,
            now=at,
        )

    def declined(self, *, at: datetime) -> None:
        cases.record_declined(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            reason="wants_to_contest",
            detail="",
            solicitor_present=True,
            consequences_explained=True,
            alternative_outcome="charge",
            seen_version=self.case.version,
            now=at,
        )

    def accept(self, *, at: datetime, appointment_days: int = 2) -> None:
        """Consent recorded as the consent page asks: the terms confirmed where they need the
        sergeant's word, and the time-limit warning ticked as seen where the page shows one."""
        appointment = from_local(local_today(at) + timedelta(days=appointment_days), time(10, 0))
        checks = referral_checks.consent_checks(self.session, case=self.case, today=local_today(at))
        settings = schemes.settings_on(self.session, local_today(at))
        warned = referral_checks.time_limit_warning(self.case, settings, local_today(appointment))
        cases.record_accepted(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            seen_version=self.case.version,
            now=at,
            acceptance=Acceptance(
                consent_at=at - timedelta(minutes=5),
                witnessed_by="PC 2231 Demo",
                interpreter_present=False,
                appropriate_adult_present=False,
                solicitor_present=self.fake.boolean(),
                first_appointment_at=appointment,
                first_appointment_place=f"Navigator office, {self.staff.area}",
                terms_confirmed=frozenset(terms.code for terms in checks.to_confirm),
                time_limit_risk_seen=warned is not None,
            ),
        )

    def withdraw(self, *, at: datetime, detail: str) -> None:
        case_endings.withdraw_in_error(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            reason="duplicate",
            detail=detail,
            seen_version=self.case.version,
            now=at,
        )

    def _person(self, *, at: datetime, age_years: int) -> Person:
        # A birthday 30 to 330 days from now: `age_years` old today, and still so a few days ago.
        born = add_months(local_today(self.now), -12 * (age_years + 1)) + timedelta(days=self.fake.random_int(30, 330))
        details = PersonDetails(
            given_names=self.fake.first_name(),
            family_name=self.fake.last_name(),
            date_of_birth=born,
            address_line_1=self.fake.street_address(),
            town=self.fake.city(),
            postcode=self.fake.postcode(),
            phone=self.fake.phone_number()[:30],
            preferred_language="cy" if self.fake.random_int(0, 9) == 0 else "en",
        )
        monitoring = Monitoring(
            ethnicity=self.fake.random_element([code for code, _ in ETHNICITIES]),
            sex=self.fake.random_element(["female", "male", "not_stated"]),
            disability=self.fake.random_element(["yes", "no", "not_stated"]),
        )
        return people.create_person(
            self.session, actor=self.staff.sergeant, details=details, monitoring=monitoring, now=at
        )


OFFENCE_STORIES = {
    "BURGLARY-DWELLING": "Went into a neighbour's house by an open back door and took a games console; gave it back.",
    "THEFT-SHOP": "Took groceries worth about £40 from a supermarket; seen on CCTV and admitted it.",
    "DRUG-POSS-B": "Found with a small amount of cannabis for personal use during a stop and search.",
    "PO-S5": "Shouted and swore at door staff outside a bar; admitted it when interviewed.",
    "CRIM-DAMAGE": "Kicked and broke a bus shelter panel after a night out; admitted it when interviewed.",
    "DRUG-POSS-A": "Found with two wraps of cocaine for personal use when searched on arrest.",
    # The demo cohort's other offences (casework/demo_cohort_plan.py).
    "THEFT-OTHER": "Took a bicycle left unlocked outside a gym; found with it the next day.",
    "ASSAULT-COMMON": "Pushed another customer over in a queue at a takeaway; no lasting injury.",
    "ASSAULT-EMERGENCY": "Spat at a paramedic who was treating them after a fall; admitted it.",
    "ASSAULT-ABH": "Punched a man outside a pub, breaking his nose; the victim needed hospital treatment.",
    "PO-S4A": "Followed a neighbour along the street shouting abuse until she went indoors in tears.",
    "FRAUD-FALSE-REP": "Used a found bank card for contactless payments worth £85 over two days.",
    "MALICIOUS-COMMS": "Sent a former partner a string of threatening messages in one night.",
    "HARASSMENT": "Turned up repeatedly at a former friend's workplace after being asked to stop.",
    "BURGLARY-OTHER": "Broke into a garden shed and took power tools worth about £300.",
    "CRIM-DAMAGE-RA": "Sprayed racist graffiti on the shutters of a local shop.",
    "DRINK-DRIVE": "Stopped driving home from a party and over the limit when breathalysed.",
}
