from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.db import make_session_factory
from casework.domain.roles import Role
from casework.models import AuditEvent, User
from casework.services import audit
from casework.services.audit import AuditFilter
from tests.conftest import NOW, make_case, make_team, make_user


def test_detail_must_be_codes_and_identifiers_not_free_text(session):
    with pytest.raises(ValueError, match="too long"):
        audit.record(session, actor=None, action="note.added", now=NOW, text="x" * 500)
    with pytest.raises(TypeError):
        audit.record(session, actor=None, action="note.added", now=NOW, payload={"nested": "dict"})


def test_browse_scopes_a_supervisor_to_their_team(session):
    durham, darlington = make_team(session), make_team(session)
    ours = make_user(session, team=durham)
    theirs = make_user(session, team=darlington)
    audit.record(session, actor=ours, action="test.viewed", now=NOW)
    audit.record(session, actor=theirs, action="test.viewed", now=NOW)
    page = audit.browse(session, team_scope=durham.id, filters=AuditFilter(action="test.viewed"))
    assert [e.actor_id for e in page.events] == [ours.id]
    everyone = audit.browse(session, team_scope=None, filters=AuditFilter(action="test.viewed"))
    assert {e.actor_id for e in everyone.events} == {ours.id, theirs.id}


def test_browse_filters_by_user_case_and_day(session):
    user = make_user(session, roles=[Role.SUPERVISOR])
    audit.record(session, actor=user, action="case.viewed", case_id=41, now=datetime(2026, 11, 2, 23, 30, tzinfo=UTC))
    audit.record(session, actor=user, action="case.viewed", case_id=42, now=datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    by_case = audit.browse(session, team_scope=None, filters=AuditFilter(case_id=42))
    assert [e.case_id for e in by_case.events] == [42]
    by_day = audit.browse(
        session,
        team_scope=None,
        filters=AuditFilter(username=user.username.upper(), date_from=date(2026, 11, 3), date_to=date(2026, 11, 3)),
    )
    assert [e.case_id for e in by_day.events] == [42]


def test_concurrent_writers_keep_one_unbroken_chain(migrated_database):
    """Four threads, each with its own connection, append 25 events each with real commits."""
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        actor_id = make_user(setup).id
        setup.commit()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(25):
                with sessions() as own:
                    actor = own.get(User, actor_id)
                    audit.record(own, actor=actor, action="test.viewed", now=datetime.now(UTC))
                    own.commit()
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=write, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with sessions() as check:
        result = audit.verify(check)
        viewed = check.scalars(select(AuditEvent).where(AuditEvent.action == "test.viewed")).all()
    assert result.ok, result
    assert len(viewed) == 100


def test_the_whole_trail_is_counted_and_paged_newest_first(session):
    """Unfiltered, as an administrator first opens it: events recorded out of time order (work
    entered after the fact) still come newest first, and page 2 carries on where page 1 stopped."""
    user = make_user(session)
    already = session.scalar(select(func.count()).select_from(AuditEvent))
    minutes = list(range(1, 61))
    random.Random(7).shuffle(minutes)
    for minute in minutes:
        audit.record(session, actor=user, action="test.viewed", now=NOW + timedelta(minutes=minute))

    first = audit.browse(session, team_scope=None, filters=AuditFilter(), page=1, per_page=50)
    second = audit.browse(session, team_scope=None, filters=AuditFilter(), page=2, per_page=50)

    assert first.total == already + 60 and first.pages == 2 and second.page == 2
    first_times = [e.occurred_at for e in first.events]
    second_times = [e.occurred_at for e in second.events]
    assert first_times == sorted(first_times, reverse=True)
    assert first_times[0] == NOW + timedelta(minutes=60) and first_times[-1] == NOW + timedelta(minutes=11)
    assert second_times[:10] == [NOW + timedelta(minutes=m) for m in range(10, 0, -1)]
    assert max(second_times) < min(first_times)
    assert not {e.sequence for e in first.events} & {e.sequence for e in second.events}


def test_browsing_names_each_events_case_by_its_reference_and_filters_by_it(session):
    team = make_team(session)
    case = make_case(session, team=team)
    other = make_case(session, team=team)
    user = make_user(session, team=team)
    audit.record(session, actor=user, action="case.viewed", case_id=case.id, now=NOW)
    audit.record(session, actor=user, action="case.viewed", case_id=other.id, now=NOW)

    page = audit.browse(session, team_scope=None, filters=AuditFilter(action="case.viewed"))
    assert page.case_references == {case.id: case.reference, other.id: other.reference}
    by_reference = audit.browse(session, team_scope=None, filters=AuditFilter(case_reference=case.reference.lower()))
    assert {e.case_id for e in by_reference.events} == {case.id}
