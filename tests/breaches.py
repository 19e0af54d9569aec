"""A running case to record breaches on: a team with a navigator and a supervisor, a person, a case
in any running state with its signed contract, and the scheme's escalation setting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, Contract, Team, User
from casework.services import breaches, schemes
from tests.conftest import NOW, make_case, make_contract, make_user

TODAY = local_today(NOW)


@dataclass
class World:
    team: Team
    navigator: User
    supervisor: User
    case: Case
    contract: Contract


def running_case(session: Session, *, team: Team, state: CaseState = CaseState.ACTIVE, **person) -> World:
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(
        session,
        team=team,
        state=state,
        navigator_id=navigator.id,
        latest_charge_on=TODAY + timedelta(days=120),
        decision_deadline_on=TODAY + timedelta(days=100),
    )
    if person:
        for key, value in person.items():
            setattr(case.person, key, value)
    contract = make_contract(
        session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=30), ends_on=TODAY + timedelta(90)
    )
    session.flush()
    return World(team, navigator, supervisor, case, contract)


def warnings_before_review(session: Session, value: int) -> None:
    schemes.settings_on(session, TODAY).warnings_before_review = value
    session.flush()


def new_offence(**overrides) -> breaches.NewOffenceReport:
    values = dict(
        crime_reference="DC/99001122",
        occurred_on=TODAY - timedelta(days=2),
        source="officer_in_case",
        police_action="suspect",
        summary="Shoplifting from a supermarket, reported by store security.",
    )
    return breaches.NewOffenceReport(**(values | overrides))


def conduct(world: World, **overrides) -> breaches.ConductReport:
    values = dict(
        condition_id=world.contract.conditions[0].id,
        occurred_on=TODAY - timedelta(days=1),
        source="victim",
        summary="Sent the victim three messages on social media.",
    )
    return breaches.ConductReport(**(values | overrides))


def withdrawal(**overrides) -> breaches.WithdrawalReport:
    values = dict(occurred_on=TODAY, summary="Said on the phone that they do not want to carry on with the scheme.")
    return breaches.WithdrawalReport(**(values | overrides))


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)
