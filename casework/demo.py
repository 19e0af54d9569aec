"""Generated demonstration data (Faker, fixed seed). Never real people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.roles import Role
from casework.models import Team, User
from casework.services import accounts
from casework.services.accounts import AccountDetails

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
        team = session.scalar(select(Team).where(Team.name == name)) or Team(name=name, area=area)
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
    return created
