"""Generated demonstration data (Faker, fixed seed). Never real people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.people import ETHNICITIES
from casework.domain.roles import Role
from casework.models import Allocation, Team, User
from casework.services import accounts, allocation, cases, checklist, people, referrals
from casework.services.accounts import AccountDetails
from casework.services.cases import Acceptance, CustodyDetails
from casework.services.people import Monitoring, PersonDetails
from casework.services.referrals import ServiceDetails

# Shared by every demo account and printed in the README: this data is for trying the product.
DEMO_PASSPHRASE = "demo only lantern meadow"
DEMO_TEAMS = (("Durham", "County Durham"), ("Darlington", "Darlington and Stockton"))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    passphrase: str
    roles: str


def seed(session: Session, *, now: datetime) -> list[DemoAccount]:
    if session.scalar(select(User.id).where(User.username == "admin")) is not None:
        return []
    fake = Faker("en_GB")
    Faker.seed(2026)
    created: list[DemoAccount] = []
    teams = []
    for name, area in DEMO_TEAMS:
        team = session.scalar(select(Team).where(Team.name == name)) or Team(
            name=name, area=area, phone="0191 496 0000", email=f"navigators.{name.lower()}@example.police.uk"
        )
        session.add(team)
        teams.append(team)
    session.flush()

    def add(username: str, team: Team, roles: set[Role], organisation: str) -> None:
        first, last = fake.first_name(), fake.last_name()
        details = AccountDetails(
            username=username,
            full_name=f"{first} {last}",
            email=f"{first}.{last}@example.police.uk".lower(),
            organisation=organisation,
            team_id=team.id,
            roles=frozenset(roles),
        )
        user = accounts.create_user(session, actor=None, details=details, now=now)
        accounts.set_initial_passphrase(session, user=user, passphrase=DEMO_PASSPHRASE, now=now)
        created.append(DemoAccount(username, DEMO_PASSPHRASE, ", ".join(r.label for r in sorted(roles))))

    add("admin", teams[0], {Role.ADMINISTRATOR}, "Demonstration Constabulary")
    for team in teams:
        slug = team.name.lower()
        add(f"custody.{slug}", team, {Role.CUSTODY_SERGEANT}, "Demonstration Constabulary")
        add(f"navigator.{slug}", team, {Role.NAVIGATOR}, "Pathways Charity (demo)")
        add(f"navigator2.{slug}", team, {Role.NAVIGATOR}, "Pathways Charity (demo)")
        add(f"supervisor.{slug}", team, {Role.SUPERVISOR}, "Demonstration Constabulary")
    users = {u.username: u for u in session.scalars(select(User))}
    for team in teams:
        supervisor = users[f"supervisor.{team.name.lower()}"]
        for name, pathway, accepts in DEMO_SERVICES:
            referrals.add_service(
                session,
                actor=supervisor,
                now=now,
                details=ServiceDetails(
                    name=f"{team.area} {name}",
                    pathway=pathway,
                    data_accepted=accepts,
                    phone="0191 496 0100",
                    email=f"referrals.{pathway}@example.org",
                ),
            )
    for team in teams:
        slug = team.name.lower()
        _demo_cases(
            session,
            fake,
            team=team,
            sergeant=users[f"custody.{slug}"],
            navigators=[users[f"navigator.{slug}"], users[f"navigator2.{slug}"]],
            supervisor=users[f"supervisor.{slug}"],
            now=now,
        )
    return created


# Cases in every state of the lifecycle. Early steps go through the real services; states that
# later releases will reach through their own screens are written directly with the data the
# database's CHECK constraints require of them.
DIRECT_STATES = [
    CaseState.ASSESSMENT,
    CaseState.CONTRACT_DRAFT,
    CaseState.CONTRACT_AWAITING_APPROVAL,
    CaseState.ACTIVE,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.SUSPENDED,
    CaseState.COMPLETION_REVIEW,
    CaseState.COMPLETED,
    CaseState.TERMINATED,
    CaseState.PROSECUTION_DECISION,
    CaseState.CLOSED_CHARGED,
    CaseState.CLOSED_ALTERNATIVE,
    CaseState.CLOSED_TIME_BARRED,
    CaseState.CLOSED_EVIDENTIAL,
    CaseState.WITHDRAWN_IN_ERROR,
    CaseState.PENDING_ACCEPTANCE,
]
DEMO_SERVICES = [
    ("Recovery Hub", "drugs", "Name, date of birth, phone, reason for referral"),
    ("Alcohol Service", "alcohol", "Name, date of birth, phone"),
    ("Housing Options", "accommodation", "Name, phone, current address"),
    ("Debt Advice", "finance", "Name, phone"),
    ("Wellbeing Service", "mental_health", "Name, date of birth, phone, GP practice"),
    ("Employment Support", "education_employment", "Name, phone"),
]
DEMO_OFFENCES = ["DRUG-POSS-B", "THEFT-SHOP", "ASSAULT-COMMON", "PO-S5", "CRIM-DAMAGE", "DRUG-POSS-A"]


def _demo_person(session: Session, fake: Faker, *, sergeant: User, now: datetime, age_years: int | None = None):
    born = fake.date_of_birth(minimum_age=age_years or 19, maximum_age=age_years or 55)
    details = PersonDetails(
        given_names=fake.first_name(),
        family_name=fake.last_name(),
        date_of_birth=born,
        address_line_1=fake.street_address(),
        town=fake.city(),
        postcode=fake.postcode(),
        phone=fake.phone_number()[:30],
        preferred_language="cy" if fake.random_int(0, 9) == 0 else "en",
        interpreter_needed=False,
        appropriate_adult_needed=False,
    )
    monitoring = Monitoring(
        ethnicity=fake.random_element([code for code, _ in ETHNICITIES]),
        sex=fake.random_element(["female", "male", "not_stated"]),
        disability=fake.random_element(["yes", "no", "not_stated"]),
    )
    return people.create_person(session, actor=sergeant, details=details, monitoring=monitoring, now=now)


def _through_the_gate(session, fake, *, sergeant, now, days_ago: int, age_years: int | None = None):
    opened = now - timedelta(days=days_ago)
    person = _demo_person(session, fake, sergeant=sergeant, now=opened, age_years=age_years)
    case = cases.open_case(session, actor=sergeant, person=person, now=opened)
    offence_day = (opened - timedelta(days=fake.random_int(1, 20))).date()
    cases.record_custody_details(
        session,
        actor=sergeant,
        case=case,
        seen_version=case.version,
        now=opened,
        details=CustodyDetails(
            custody_suite=f"{sergeant.team.name} custody suite",
            crime_reference=f"DC/{fake.random_int(10000, 99999)}/{opened:%y}",
            custody_record_number=f"CR{fake.random_int(100000, 999999)}",
            arrested_at=opened - timedelta(hours=6),
            offence_first_on=offence_day,
            offence_last_on=offence_day,
            offence_codes=(fake.random_element(DEMO_OFFENCES),),
            offence_place=f"{fake.street_name()}, {sergeant.team.name}",
            offence_description="Seen on CCTV; admitted it when interviewed.",
        ),
    )
    decided = local(opened - timedelta(hours=2))
    given = {
        **DEMO_ANSWERS,
        "evidential_decided_on": decided.date().isoformat(),
        "evidential_decided_time": f"{decided:%H:%M}",
    }
    for section in SECTIONS:
        answers = {q.key: given.get(q.key, "") for q in section.questions}
        checklist.answer_section(
            session, actor=sergeant, case=case, section=section, answers=answers, seen_version=case.version, now=opened
        )
    return case, opened


DEMO_ANSWERS = {
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
    "previous_convictions": "1",
    "last_conviction_on": "2019-03-14",
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


def _demo_cases(session, fake, *, team, sergeant, navigators, supervisor, now) -> None:
    for days_ago in (0, 1):  # checks still in progress at the desk
        person = _demo_person(session, fake, sergeant=sergeant, now=now - timedelta(days=days_ago))
        cases.open_case(session, actor=sergeant, person=person, now=now - timedelta(days=days_ago))
    young, opened = _through_the_gate(session, fake, sergeant=sergeant, now=now, days_ago=3, age_years=17)
    cases.record_not_offered(
        session,
        actor=sergeant,
        case=young,
        reason="ineligible",
        detail="",
        alternative_outcome="community_resolution",
        seen_version=young.version,
        now=opened,
    )
    declined, opened = _through_the_gate(session, fake, sergeant=sergeant, now=now, days_ago=4)
    cases.record_declined(
        session,
        actor=sergeant,
        case=declined,
        reason="wants_to_contest",
        detail="",
        solicitor_present=True,
        consequences_explained=True,
        alternative_outcome="charge",
        seen_version=declined.version,
        now=opened,
    )
    for index in range(6):
        case, opened = _through_the_gate(session, fake, sergeant=sergeant, now=now, days_ago=2 + index * 2)
        appointment = (opened + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
        cases.record_accepted(
            session,
            actor=sergeant,
            case=case,
            seen_version=case.version,
            now=opened,
            acceptance=Acceptance(
                consent_at=opened - timedelta(minutes=30),
                witnessed_by="PC 2231 Demo",
                interpreter_present=False,
                appropriate_adult_present=False,
                solicitor_present=False,
                first_appointment_at=appointment,
                first_appointment_place=f"Navigator office, {team.area}",
            ),
        )
        if index % 2 == 0:
            allocation.allocate(
                session,
                actor=supervisor,
                case=case,
                navigator=navigators[index % 4 // 2],
                reason="",
                seen_version=case.version,
                now=opened + timedelta(hours=2),
            )
    for index, state in enumerate(DIRECT_STATES):
        case, opened = _through_the_gate(session, fake, sergeant=sergeant, now=now, days_ago=20 + index * 5)
        case.state = state.value
        case.consent_at, case.first_appointment_at = opened, opened + timedelta(days=2)
        case.first_appointment_place = f"Navigator office, {team.area}"
        case.latest_charge_on, case.decision_deadline_on = cases.clocks_for(case, margin_days=21)
        if state is not CaseState.PENDING_ACCEPTANCE:
            case.referred_at, case.navigator_id = opened, navigators[index % 2].id
            case.first_contact_at = opened + timedelta(days=2)
            session.add(
                Allocation(
                    case_id=case.id,
                    navigator_id=case.navigator_id,
                    allocated_by_id=supervisor.id,
                    allocated_at=opened + timedelta(hours=2),
                )
            )
        if state.is_terminal:
            case.closed_at = now - timedelta(days=1)
        if state is CaseState.WITHDRAWN_IN_ERROR:
            case.withdrawal_reason, case.withdrawal_detail = "duplicate", "Opened twice at the custody desk."
        session.flush()
