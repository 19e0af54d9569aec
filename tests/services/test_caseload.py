"""Allocation, notes and the caseload lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import allocation, case_notes, caseload
from casework.services.caseload import CaseloadQuery, Sort, Tab
from tests.check_ins import make_check_in, recorded
from tests.conftest import NOW, make_case, make_person, make_user
from tests.statements import count_statements

TODAY = NOW.date()


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def test_allocation_and_reallocation_keep_history(session, team, supervisor, navigator):
    other = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team)
    allocation.allocate(
        session, actor=supervisor, case=case, navigator=navigator, reason="", seen_version=case.version, now=NOW
    )
    with pytest.raises(FieldError, match="Explain why"):
        allocation.allocate(
            session, actor=supervisor, case=case, navigator=other, reason="", seen_version=case.version, now=NOW
        )
    allocation.allocate(
        session,
        actor=supervisor,
        case=case,
        navigator=other,
        reason="Caseload balance",
        seen_version=case.version,
        now=NOW + timedelta(days=1),
    )
    history = allocation.history(session, case=case)
    assert [(a.navigator_id, a.ended_at) for a in history] == [
        (navigator.id, NOW + timedelta(days=1)),
        (other.id, None),
    ]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert actions == ["case.allocated", "case.reallocated"]


def test_allocation_refusals(session, team, other_team, supervisor, navigator):
    case = make_case(session, team=team)
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    with pytest.raises(FieldError, match="this case's team"):
        allocation.allocate(
            session, actor=supervisor, case=case, navigator=stranger, reason="", seen_version=case.version, now=NOW
        )
    with pytest.raises(FieldError, match="Select a navigator"):
        allocation.allocate(
            session, actor=supervisor, case=case, navigator=supervisor, reason="", seen_version=case.version, now=NOW
        )
    with pytest.raises(NotPermitted):
        allocation.allocate(
            session, actor=navigator, case=case, navigator=navigator, reason="", seen_version=case.version, now=NOW
        )
    foreign_supervisor = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    with pytest.raises(NotFound):
        allocation.allocate(
            session,
            actor=foreign_supervisor,
            case=case,
            navigator=navigator,
            reason="",
            seen_version=case.version,
            now=NOW,
        )
    closed = make_case(session, team=team, state=CaseState.COMPLETED)
    with pytest.raises(IllegalTransition):
        allocation.allocate(
            session, actor=supervisor, case=closed, navigator=navigator, reason="", seen_version=closed.version, now=NOW
        )


def test_concurrent_reassignment_is_detected(session, team, supervisor, navigator):
    other = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team)
    seen = case.version
    allocation.allocate(
        session, actor=supervisor, case=case, navigator=navigator, reason="", seen_version=seen, now=NOW
    )
    with pytest.raises(StaleRecord, match=f"allocated to {navigator.full_name}"):
        allocation.allocate(
            session, actor=supervisor, case=case, navigator=other, reason="x", seen_version=seen, now=NOW
        )


def test_navigators_are_listed_lightest_caseload_first(session, team, supervisor, navigator):
    busy = make_user(session, roles=[Role.NAVIGATOR], team=team)
    for _ in range(2):
        make_case(session, team=team, navigator_id=busy.id)
    make_case(session, team=team, navigator_id=busy.id, state=CaseState.COMPLETED)  # closed cases do not count
    listed = allocation.navigators_with_caseloads(session, actor=supervisor)
    assert [(user.id, held) for user, held in listed] == [(navigator.id, 0), (busy.id, 2)]


def test_notes_are_limited_and_never_audited_with_their_text(session, team, navigator):
    case = make_case(session, team=team)
    with pytest.raises(FieldError):
        case_notes.add_note(session, actor=navigator, case=case, body="   ", now=NOW)
    with pytest.raises(FieldError, match="12,000"):
        case_notes.add_note(session, actor=navigator, case=case, body="x" * 12_001, now=NOW)
    note = case_notes.add_note(session, actor=navigator, case=case, body="Met at the hub. " * 700, now=NOW)
    assert len(note.body) > 11_000
    event_row = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.note_added")).one()
    assert event_row.detail == {"note_id": note.id, "length": len(note.body)}


def _tab(session, actor, **query):
    return caseload.caseload(session, actor=actor, query=CaseloadQuery(**query), now=NOW)


def test_tabs_split_mine_unassigned_team_and_closed(session, team, other_team, navigator):
    mine = make_case(session, team=team, navigator_id=navigator.id)
    unassigned = make_case(session, team=team)
    draft = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT)
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id)
    make_case(session, team=other_team)

    def ids(tab):
        return {row.case.id for row in _tab(session, navigator, tab=tab).rows}

    assert ids(Tab.MINE) == {mine.id}
    assert ids(Tab.UNASSIGNED) == {unassigned.id}
    assert ids(Tab.TEAM) == {mine.id, unassigned.id, draft.id}
    assert ids(Tab.CLOSED) == {closed.id}


def test_search_by_name_reference_pnc_and_date_of_birth(session, team, navigator):
    person = make_person(
        session,
        creator=navigator,
        given_names="Jordan",
        family_name="Blake",
        pnc_id="19/0001234A",
        date_of_birth=date(1990, 3, 27),
    )
    case = make_case(session, team=team, person=person)
    make_case(session, team=team)
    for text in ["blake", "Jordan Blake", case.reference, "19/1234A", "27/3/1990", case.crime_reference.lower()]:
        assert [row.case.id for row in _tab(session, navigator, tab=Tab.TEAM, search=text).rows] == [case.id], text


def test_deadline_bands_and_first_contact_overdue(session, team, navigator):
    soon = make_case(session, team=team, decision_deadline_on=TODAY + timedelta(days=6), referred_at=NOW)
    late = make_case(session, team=team, referred_at=NOW - timedelta(days=14))
    rows = {row.case.id: row for row in _tab(session, navigator, tab=Tab.TEAM).rows}
    assert rows[soon.id].deadline_band == "within_7" and rows[soon.id].days_to_deadline == 6
    assert not rows[soon.id].first_contact_overdue
    assert rows[late.id].first_contact_overdue and rows[late.id].days_to_deadline is None


def test_the_caseload_issues_the_same_number_of_queries_for_10_and_100_rows(session, team, navigator):
    for _ in range(10):
        make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    session.expire_all()
    ten = count_statements(session, lambda: _tab(session, navigator, tab=Tab.TEAM, per_page=100))
    for _ in range(90):
        make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    session.expire_all()
    hundred = count_statements(session, lambda: _tab(session, navigator, tab=Tab.TEAM, per_page=100))
    assert ten == hundred


def test_one_word_finds_the_start_of_a_first_or_last_name_and_two_words_need_both(session, team, navigator):
    jordan = make_case(
        session, team=team, person=make_person(session, creator=navigator, given_names="Jordan", family_name="Blake")
    )
    morgan = make_case(
        session,
        team=team,
        person=make_person(session, creator=navigator, given_names="Morgan Lee", family_name="Jordanson"),
    )
    make_case(
        session, team=team, person=make_person(session, creator=navigator, given_names="Casey", family_name="Rowe")
    )

    def found(text: str) -> set[int]:
        return {row.case.id for row in _tab(session, navigator, tab=Tab.TEAM, search=text).rows}

    assert found("jordan") == {jordan.id, morgan.id}  # Jordan Blake's first name, Morgan Jordanson's last
    assert found("JOR") == {jordan.id, morgan.id}
    assert found("Morgan") == {morgan.id}
    assert found("bla") == {jordan.id}
    assert found("Jordan Blake") == {jordan.id}
    assert found("jordan rowe") == set()
    assert found("ordan") == set()  # the start of a name, not anywhere in it
    assert found("%") == set() and found("_") == set()  # typed characters, not wildcards


def test_the_next_appointment_is_the_first_appointment_then_the_next_check_in_still_to_happen(session, team, navigator):
    referred = make_case(session, team=team, navigator_id=navigator.id, first_appointment_at=NOW + timedelta(days=1))
    active = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW)
    make_check_in(session, case=active, at=NOW - timedelta(hours=1))  # started: not next
    recorded(make_check_in(session, case=active, at=NOW + timedelta(hours=1)), by=navigator)  # recorded early
    cancelled = make_check_in(session, case=active, at=NOW + timedelta(days=1))
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Ill", "person"
    make_check_in(session, case=active, at=NOW + timedelta(days=8))
    seen_no_plan = make_case(
        session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id, first_contact_at=NOW
    )
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id, first_contact_at=NOW)
    make_check_in(session, case=closed, at=NOW + timedelta(days=2))
    session.flush()

    rows = {row.case.id: row.next_appointment_at for row in _tab(session, navigator, tab=Tab.TEAM).rows}
    rows |= {row.case.id: row.next_appointment_at for row in _tab(session, navigator, tab=Tab.CLOSED).rows}

    assert rows == {
        referred.id: NOW + timedelta(days=1),
        active.id: NOW + timedelta(days=8),
        seen_no_plan.id: None,
        closed.id: None,
    }
    by_appointment = [row.case.id for row in _tab(session, navigator, tab=Tab.TEAM, sort=Sort.APPOINTMENT).rows]
    assert by_appointment == [referred.id, active.id, seen_no_plan.id]


def test_the_caseload_with_check_ins_issues_the_same_number_of_queries_for_10_and_50_rows(session, team, navigator):
    def add(count):
        for _ in range(count):
            case = make_case(
                session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, first_contact_at=NOW
            )
            for days in (1, 8, 15):
                make_check_in(session, case=case, at=NOW + timedelta(days=days))
        session.commit()
        session.expire_all()

    def load():
        return _tab(session, navigator, tab=Tab.MINE, sort=Sort.APPOINTMENT, per_page=100)

    add(10)
    ten = count_statements(session, load)
    add(40)
    fifty = count_statements(session, load)
    assert ten == fifty and len(load().rows) == 50


def test_a_name_corrected_on_the_person_is_found_by_the_new_name_only(session, team, navigator):
    person = make_person(session, creator=navigator, given_names="Robyn", family_name="Hartley")
    case = make_case(session, team=team, person=person)
    session.commit()
    person.family_name, person.family_name_folded, person.given_names = "Hartly", "hartly", "Robin"
    session.commit()

    def found(text: str) -> list[int]:
        return [row.case.id for row in _tab(session, navigator, tab=Tab.TEAM, search=text).rows]

    assert found("hartly") == [case.id] and found("robin hart") == [case.id]
    assert found("hartley") == [] and found("robyn") == []


def test_names_sort_in_the_order_of_the_folded_family_name(session, team, navigator):
    names = ["Zeller", "abbott", "Macdonald", "MacAdam"]
    for name in names:
        make_case(session, team=team, person=make_person(session, creator=navigator, family_name=name))
    rows = _tab(session, navigator, tab=Tab.TEAM, sort=Sort.NAME).rows
    assert [row.case.family_name for row in rows] == ["abbott", "MacAdam", "Macdonald", "Zeller"]
