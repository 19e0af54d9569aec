"""Finding a person across the force for the custody desk, before a record or a case is made.

People search covers every team, so that nobody is recorded twice; but another team's people and
cases are shown with only what avoids a duplicate: the name, the year of birth and which team to
contact. Their date of birth, address, PNC ID and case details stay with that team."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework.domain import people as rules
from casework.domain.dates import parse_date
from casework.domain.errors import FieldError
from casework.domain.lifecycle import TERMINAL_STATES
from casework.domain.roles import Action
from casework.models import Case, Person, Team, User
from casework.services import access
from casework.services.people import PersonDetails


@dataclass(frozen=True)
class Found:
    """A person as the searching team may see them. `person` is the whole record when the team has
    worked with them (or made the record); otherwise it is None, and `known_to` names the teams."""

    id: int
    full_name: str
    year_of_birth: int
    known_to: tuple[str, ...] = ()
    person: Person | None = None


@dataclass(frozen=True)
class OpenCases:
    """A person's open cases: the actor's own team's in full, other teams' only as whom to contact."""

    own: list[Case]
    elsewhere: list[Team]

    def __bool__(self) -> bool:
        return bool(self.own or self.elsewhere)


def search(session: Session, *, actor: User, text: str, limit: int = 20) -> list[Found]:
    """By PNC ID or date of birth typed in full, or by name: the last word starts the last name and
    a first word starts the first names. A typed % or _ is a character to find, not a wildcard."""
    access.require(actor, Action.OPEN_CASE)
    text = text.strip()
    query = select(Person).order_by(Person.family_name_folded, Person.given_names, Person.id).limit(limit)
    return _as_seen_by(session, actor, session.scalars(query.where(_matching(text))).all())


def _matching(text: str):
    with contextlib.suppress(ValueError):
        return Person.pnc_id == rules.normalise_pnc_id(text)
    with contextlib.suppress(ValueError):
        return Person.date_of_birth == parse_date(text)
    try:
        words = rules.name_search_words(text)
    except ValueError as problem:
        raise FieldError("q", str(problem)) from None
    condition = Person.family_name_folded.startswith(words[-1], autoescape=True)
    if len(words) > 1:
        condition &= func.lower(Person.given_names).startswith(words[0], autoescape=True)
    return condition


def likely_duplicates(session: Session, *, actor: User, details: PersonDetails) -> list[Found]:
    """Same PNC id, or same surname and date of birth: shown before a second record is made."""
    access.require(actor, Action.OPEN_CASE)
    conditions = [
        (Person.family_name_folded == details.family_name.strip().lower())
        & (Person.date_of_birth == details.date_of_birth)
    ]
    if details.pnc_id.strip():
        with contextlib.suppress(ValueError):  # a malformed id is reported by the field on saving
            conditions.append(Person.pnc_id == rules.normalise_pnc_id(details.pnc_id))
    found = session.scalars(select(Person).where(or_(*conditions)).order_by(Person.id).limit(10)).all()
    return _as_seen_by(session, actor, found)


def open_cases(session: Session, *, actor: User, person: Person) -> OpenCases:
    """Cases not yet closed: a second one for the same person is allowed, but only knowingly, and
    after speaking to the team that holds the first when it is another team's."""
    access.require(actor, Action.OPEN_CASE)
    terminal = [state.value for state in TERMINAL_STATES]
    cases = session.scalars(
        select(Case).where(Case.person_id == person.id, Case.state.notin_(terminal)).order_by(Case.opened_at, Case.id)
    ).all()
    own = [case for case in cases if case.team_id == actor.team_id]
    other_ids = {case.team_id for case in cases} - {actor.team_id}
    elsewhere = session.scalars(select(Team).where(Team.id.in_(other_ids)).order_by(Team.name)).all()
    return OpenCases(own=own, elsewhere=list(elsewhere))


def _as_seen_by(session: Session, actor: User, found: list[Person]) -> list[Found]:
    teams = _teams_knowing(session, [person.id for person in found])
    names = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(set().union(*teams.values())))).all())
    shown = []
    for person in found:
        knowing = teams.get(person.id) or set()
        seen_in_full = actor.team_id in knowing
        shown.append(
            Found(
                id=person.id,
                full_name=person.full_name,
                year_of_birth=person.date_of_birth.year,
                known_to=() if seen_in_full else tuple(sorted(names[team] for team in knowing)),
                person=person if seen_in_full else None,
            )
        )
    return shown


def _teams_knowing(session: Session, person_ids: list[int]) -> dict[int, set[int]]:
    """The teams with a case for each person; a person with no case yet is known to the team of
    whoever made the record."""
    knowing: dict[int, set[int]] = defaultdict(set)
    if not person_ids:
        return knowing
    for person_id, team_id in session.execute(
        select(Case.person_id, Case.team_id).where(Case.person_id.in_(person_ids)).distinct()
    ):
        knowing[person_id].add(team_id)
    unopened = [person_id for person_id in person_ids if person_id not in knowing]
    if unopened:
        for person_id, team_id in session.execute(
            select(Person.id, User.team_id).join(User, User.id == Person.created_by_id).where(Person.id.in_(unopened))
        ):
            knowing[person_id].add(team_id)
    return knowing
