"""People search covers the whole force, but it must name someone, finds what was typed literally,
and shows another team's people and cases with only what avoids a duplicate."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.errors import FieldError
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services import person_search
from casework.services.people import PersonDetails
from tests.conftest import make_case, make_person, make_user


@pytest.fixture
def sergeant(session, team):
    return make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)


def _names(found) -> set[str]:
    return {person.full_name for person in found}


@pytest.mark.parametrize("typed", ["%", "_", "%%%", "__", "ab", "a b", "\\", "  ", "1%"])
def test_a_search_that_could_name_anyone_is_refused_by_the_field(session, sergeant, typed):
    make_person(session, creator=sergeant, family_name="Rowe")
    with pytest.raises(FieldError) as refused:
        person_search.search(session, actor=sergeant, text=typed)
    assert refused.value.field == "q"
    assert "at least 3 letters" in refused.value.message


def test_wildcards_are_characters_to_find(session, sergeant):
    make_person(session, creator=sergeant, given_names="Casey", family_name="Rowe")
    make_person(session, creator=sergeant, given_names="Per", family_name="Per%cent")
    make_person(session, creator=sergeant, given_names="Jo", family_name="Jon_es")
    make_person(session, creator=sergeant, given_names="Jo", family_name="Jonkes")
    make_person(session, creator=sergeant, given_names="Back", family_name="Back\\slash")
    assert person_search.search(session, actor=sergeant, text="Row%") == []
    assert person_search.search(session, actor=sergeant, text="Ro_e") == []
    assert _names(person_search.search(session, actor=sergeant, text="per%")) == {"Per Per%cent"}
    assert _names(person_search.search(session, actor=sergeant, text="jon_")) == {"Jo Jon_es"}
    assert _names(person_search.search(session, actor=sergeant, text="back\\")) == {"Back Back\\slash"}
    assert _names(person_search.search(session, actor=sergeant, text="cas% rowe")) == set()


def test_a_full_date_of_birth_or_pnc_id_finds_the_person(session, sergeant):
    person = make_person(session, creator=sergeant, family_name="Rowe", date_of_birth=date(1990, 3, 27))
    person.pnc_id = "19/0012345A"
    session.flush()
    assert [found.id for found in person_search.search(session, actor=sergeant, text="27/3/1990")] == [person.id]
    assert [found.id for found in person_search.search(session, actor=sergeant, text="2019/12345a")] == [person.id]
    assert [found.id for found in person_search.search(session, actor=sergeant, text="Ro Ng")] == []


def test_another_teams_person_is_found_with_only_the_name_year_and_team(session, sergeant, team, other_team):
    other_sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    stranger = make_person(session, creator=other_sergeant, family_name="Rowe", date_of_birth=date(1990, 3, 27))
    theirs = make_case(session, team=other_team, person=stranger, opened_by=other_sergeant)
    ours = make_person(session, creator=other_sergeant, family_name="Rowan")
    make_case(session, team=team, person=ours, opened_by=sergeant)  # worked with by both teams now
    unopened = make_person(session, creator=sergeant, family_name="Rowley")
    found = {person.id: person for person in person_search.search(session, actor=sergeant, text="row")}
    assert found[stranger.id].person is None
    assert (found[stranger.id].full_name, found[stranger.id].year_of_birth) == (stranger.full_name, 1990)
    assert found[stranger.id].known_to == (other_team.name,)
    assert found[ours.id].person is ours and found[ours.id].known_to == ()
    assert found[unopened.id].person is unopened  # made by this team, no case yet
    # The other team sees the same people the other way round.
    theirs_found = {p.id: p for p in person_search.search(session, actor=other_sergeant, text="row")}
    assert theirs_found[stranger.id].person is stranger
    assert theirs_found[unopened.id].person is None and theirs_found[unopened.id].known_to == (team.name,)
    assert theirs.team_id == other_team.id


def test_a_likely_duplicate_from_another_team_is_shown_without_its_details(session, sergeant, other_team):
    other_sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    stranger = make_person(session, creator=other_sergeant, family_name="Rowe", date_of_birth=date(1990, 3, 27))
    details = PersonDetails("Casey", "Rowe", date(1990, 3, 27), "1 High Street", "Durham", "DH1 3HP")
    [duplicate] = person_search.likely_duplicates(session, actor=sergeant, details=details)
    assert duplicate.id == stranger.id and duplicate.person is None and duplicate.known_to == (other_team.name,)


def test_open_cases_name_only_the_other_team(session, sergeant, team, other_team):
    person = make_person(session, creator=sergeant, family_name="Rowe")
    ours = make_case(session, team=team, person=person, opened_by=sergeant)
    make_case(session, team=other_team, person=person)
    make_case(session, team=other_team, person=person, state=CaseState.COMPLETED)
    seen = person_search.open_cases(session, actor=sergeant, person=person)
    assert seen.own == [ours] and seen.elsewhere == [other_team]
    other_sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=other_team)
    theirs = person_search.open_cases(session, actor=other_sergeant, person=person)
    assert len(theirs.own) == 1 and theirs.elsewhere == [team]
