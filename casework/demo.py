"""Generated demonstration data (Faker, fixed seed). Never real people.

Every demo case is walked through the real services (casework/demo_journeys.py and, past the
signed contract, casework/demo_outcomes.py), so it has the rows, the audit trail and the offered
actions its state implies. Every state a case can rest in is there but "contract awaiting
approval": Durham's scheme, as installed, does not ask for contracts to be approved. ("Terminated"
is never a resting state: a terminated case goes straight on to the prosecution decision.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import demo_cohort
from casework.demo_cohort import Progress
from casework.demo_desk import Staff
from casework.demo_journeys import Walk, reached
from casework.demo_outcomes import outcome_cases
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Team, User
from casework.services import accounts, referrals
from casework.services.accounts import AccountDetails
from casework.services.referrals import ServiceDetails

# Shared by every demo account and printed in the README: this data is for trying the product.
DEMO_PASSPHRASE = "demo only lantern meadow"
DEMO_TEAMS = (("Durham", "County Durham"), ("Darlington", "Darlington and Stockton"))
# The accounts and the directory were set up this long before the demo's "now": before the
# cohort's first custody gate, 18 months back (casework/demo_cohort_plan.py).
SET_UP_DAYS_AGO = 600
S = CaseState


@dataclass(frozen=True)
class DemoAccount:
    username: str
    passphrase: str
    roles: str


def seed(
    session: Session, *, now: datetime, cohort: bool = False, progress: Progress | None = None
) -> list[DemoAccount]:
    """The demo's teams, accounts, directories and stories; with `cohort`, first the generated
    Checkpoint-shaped cohort of 500 people too (casework/demo_cohort.py), which `make run` loads
    for the reports and the stories' tests leave out (it takes a couple of minutes to walk)."""
    if session.scalar(select(User.id).where(User.username == "admin")) is not None:
        return []
    fake = Faker("en_GB")
    Faker.seed(2026)
    created, staffs = set_up(session, fake, now=now)
    if cohort:
        # First, so that its older cases come first and the stories' references are the latest.
        demo_cohort.load(session, staffs=staffs, now=now, progress=progress)
    for staff in staffs:
        team_cases(session, fake, staff=staff, now=now)
    return created


def set_up(session: Session, fake: Faker, *, now: datetime) -> tuple[list[DemoAccount], list[Staff]]:
    """The teams, their accounts and directories of partner services; each team's staff."""
    set_up_at = now - timedelta(days=SET_UP_DAYS_AGO)
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
            email=f"{first}.{last}@example.police.uk".lower().replace("'", ""),
            organisation=organisation,
            team_id=team.id,
            roles=frozenset(roles),
        )
        user = accounts.create_user(session, actor=None, details=details, now=set_up_at)
        accounts.set_initial_passphrase(session, user=user, passphrase=DEMO_PASSPHRASE, now=set_up_at)
        created.append(DemoAccount(username, DEMO_PASSPHRASE, ", ".join(r.label for r in sorted(roles))))

    add("admin", teams[0], {Role.ADMINISTRATOR}, "Demonstration Constabulary")
    add("lead", teams[0], {Role.PERFORMANCE_LEAD}, "Demonstration Constabulary")
    for team in teams:
        slug = team.name.lower()
        add(f"custody.{slug}", team, {Role.CUSTODY_SERGEANT}, "Demonstration Constabulary")
        add(f"navigator.{slug}", team, {Role.NAVIGATOR}, "Pathways Charity (demo)")
        add(f"navigator2.{slug}", team, {Role.NAVIGATOR}, "Pathways Charity (demo)")
        add(f"supervisor.{slug}", team, {Role.SUPERVISOR}, "Demonstration Constabulary")
    users = {u.username: u for u in session.scalars(select(User))}
    for team in teams:
        supervisor = users[f"supervisor.{team.name.lower()}"]
        # Every pathway the demo assessments find a need in has a partner, so conditions can name one.
        for name, pathway, accepts in DEMO_SERVICES:
            referrals.add_service(
                session,
                actor=supervisor,
                now=set_up_at,
                details=ServiceDetails(
                    name=f"{team.area} {name}",
                    pathway=pathway,
                    data_accepted=accepts,
                    phone="0191 496 0100",
                    email=f"referrals.{pathway}@example.org",
                ),
            )
    staffs = [
        Staff(
            area=team.area,
            sergeant=users[f"custody.{team.name.lower()}"],
            navigator=users[f"navigator.{team.name.lower()}"],
            navigator2=users[f"navigator2.{team.name.lower()}"],
            supervisor=users[f"supervisor.{team.name.lower()}"],
        )
        for team in teams
    ]
    return created, staffs


DEMO_SERVICES = [
    ("Recovery Hub", "drugs", "Name, date of birth, phone, reason for referral"),
    ("Alcohol Service", "alcohol", "Name, date of birth, phone"),
    ("Housing Options", "accommodation", "Name, phone, current address"),
    ("Debt Advice", "finance", "Name, phone"),
    ("Wellbeing Service", "mental_health", "Name, date of birth, phone, GP practice"),
    ("Employment Support", "education_employment", "Name, phone"),
]


def team_cases(session: Session, fake: Faker, *, staff: Staff, now: datetime) -> None:
    """One team's demo cases, oldest first so that references follow the order cases were opened,
    each as far along as its story goes (README.md lists them)."""
    nav, nav2 = staff.navigator, staff.navigator2

    def walk() -> Walk:
        return Walk(session, fake, staff, now)

    # Active with a variation waiting for a supervisor's approval: the signed version stays in force,
    # and progress recorded meanwhile counts on both.
    w = walk()
    opened = w.on(80, "15:45")
    w.through_the_gate(at=opened, offence="DRUG-POSS-B", offence_days_before=3)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav2, at=w.on(79, "09:00"))
    w.first_contact()
    w.assess(at=w.on(78, "11:00"), needs={"drugs": 3, "education_employment": 2})
    w.refer_to_partner(at=w.on(77, "10:00"), pathway="drugs", statuses=("waitlisted", "appointment_offered"))
    contract = w.draft_contract(at=w.on(76, "14:00"))
    w.agree(contract, at=w.on(75, "10:00"))
    w.sign(contract, at=w.on(75, "10:30"))
    w.hold_check_ins(late=2, missed=4)
    w.record_sessions(days_ago=(40, 33))
    w.vary(at=w.on(2, "11:00"))
    w.record_sessions(days_ago=(1,))
    w.note(at=w.on(2, "11:30"), body="Asked for four more weeks: the Recovery Hub's waiting list delayed the start.")
    reached(w, S.ACTIVE)

    # Active: a summary offence from six weeks before the arrest, so the consent page warned about
    # the time limit and the supervisor recorded the signing, accepting the risk; sessions attended.
    w = walk()
    opened = w.on(62, "01:30")
    w.through_the_gate(at=opened, offence="PO-S5", offence_days_before=45)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(61, "09:00"))
    w.first_contact()
    w.assess(at=w.on(60, "11:00"), needs={"drugs": 3, "accommodation": 2})
    w.refer_to_partner(
        at=w.on(59, "10:00"), pathway="drugs", statuses=("acknowledged", "appointment_offered", "attended")
    )
    contract = w.draft_contract(at=w.on(57, "14:00"))
    w.agree(contract, at=w.on(56, "10:00"))
    w.sign(contract, at=w.on(56, "10:30"))
    w.hold_check_ins(unrecorded=1)
    w.record_sessions(days_ago=(49, 42, 35))
    w.note(at=w.on(34, "15:00"), body="Three sessions at the Recovery Hub so far. Housing appointment booked.")
    w.note(at=w.on(20, "11:30"), body="Checked in by phone; keen to finish the course.", by=staff.supervisor)
    reached(w, S.ACTIVE)

    # Ended for no contact: never came to the first appointment nor answered since.
    w = walk()
    opened = w.on(24, "04:20")
    w.through_the_gate(at=opened, offence="THEFT-SHOP", offence_days_before=1)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(23, "09:00"))
    w.note(at=w.on(21, "16:00"), body="Missed the first appointment. Phoned twice and wrote to the address given.")
    w.end_for_no_contact(at=w.on(8, "15:00"))
    reached(w, S.PROSECUTION_DECISION)

    outcome_cases(session, fake, staff=staff, now=now)

    # A contract being drafted: the suggested conditions dated, the person's answer not yet asked.
    w = walk()
    opened = w.on(18, "23:50")
    w.through_the_gate(at=opened, offence="CRIM-DAMAGE", offence_days_before=1)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(17, "09:30"))
    w.first_contact()
    w.assess(at=w.on(15, "11:00"), needs={"alcohol": 3, "mental_health": 2})
    w.refer_to_partner(at=w.on(14, "10:00"), pathway="alcohol", statuses=("acknowledged", "appointment_offered"))
    w.draft_contract(at=w.on(2, "14:00"))
    reached(w, S.CONTRACT_DRAFT)

    # Referred, allocated, and first contact overdue: the appointment passed twelve days ago.
    w = walk()
    opened = w.on(14, "03:10")
    w.through_the_gate(at=opened, offence="THEFT-SHOP", offence_days_before=1)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(13, "09:00"))
    w.note(at=w.on(11, "16:40"), body="Did not come to the first appointment. Left a voicemail and sent a letter.")
    reached(w, S.REFERRED)

    # In assessment: one completed, with a safeguarding flag and a referral sent; one half done.
    w = walk()
    opened = w.on(10, "02:15")
    w.through_the_gate(at=opened, offence="THEFT-SHOP", offence_days_before=2)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav2, at=w.on(9, "09:20"))
    w.first_contact()
    w.assess(at=w.on(8, "11:00"), needs={"finance": 3, "drugs": 2}, flag=True)
    w.refer_to_partner(at=w.on(7, "10:00"), pathway="finance", statuses=("acknowledged",))
    w.note(at=w.on(7, "10:20"), body="Debt advice referral sent. Agreed to talk about the drugs service next week.")
    reached(w, S.ASSESSMENT)
    w = walk()
    opened = w.on(7, "22:40")
    w.through_the_gate(at=opened, offence="DRUG-POSS-A", offence_days_before=1)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(6, "09:10"))
    w.first_contact()
    w.assess(at=w.on(5, "11:00"), needs={"drugs": 3, "mental_health": 2}, pages=6)
    reached(w, S.ASSESSMENT)

    # Declined (wants to contest it in court) and not offered (17 years old).
    w = walk()
    opened = w.on(4, "14:10")
    w.through_the_gate(at=opened, offence="CRIM-DAMAGE", offence_days_before=3)
    w.declined(at=opened + timedelta(minutes=30))
    reached(w, S.DECLINED)
    w = walk()
    opened = w.on(3, "01:40")
    w.through_the_gate(at=opened, offence="THEFT-SHOP", offence_days_before=1, age_years=17)
    w.not_offered(at=opened + timedelta(minutes=30))
    reached(w, S.INELIGIBLE)

    # Referred, allocated, first appointment today; referred yesterday and waiting for a navigator.
    w = walk()
    opened = w.on(2, "19:30")
    w.through_the_gate(at=opened, offence="PO-S5", offence_days_before=5)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav2, at=w.on(1, "09:15"))
    reached(w, S.REFERRED)
    w = walk()
    opened = w.on(1, "11:05")
    w.through_the_gate(at=opened, offence="DRUG-POSS-B", offence_days_before=1)
    w.accept(at=opened + timedelta(minutes=30))
    reached(w, S.REFERRED)

    # Burglary of a dwelling: its terms ask for a supervisor's agreement before the referral.
    w = walk()
    opened = w.on(1, "16:20")
    w.through_the_gate(at=opened, offence="BURGLARY-DWELLING", offence_days_before=2)
    w.accept(at=opened + timedelta(minutes=30))
    reached(w, S.PENDING_ACCEPTANCE)

    # At the custody desk now: a check half answered, also opened a second time by mistake and
    # withdrawn, and a check just opened.
    w, opened = walk(), now - timedelta(hours=2)
    first = w.open_check(at=opened)
    w.custody_details(at=opened + timedelta(minutes=10), offence="THEFT-SHOP", offence_days_before=2)
    w.answer_checklist(at=opened + timedelta(minutes=20), sections=SECTIONS[:3])
    reached(w, S.ELIGIBILITY_DRAFT)
    w = walk()
    w.open_check(at=opened + timedelta(minutes=3), person=first.person)
    w.withdraw(
        at=opened + timedelta(minutes=8),
        detail=f"Opened twice for the same arrest; the check continues on case {first.reference}.",
    )
    reached(w, S.WITHDRAWN_IN_ERROR)
    w = walk()
    w.open_check(at=w.ago(minutes=40))
    reached(w, S.ELIGIBILITY_DRAFT)
