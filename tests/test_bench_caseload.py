"""bench/caseload.py on a few hundred cases: what it generates keeps the real schema whole and satisfies
it, new records still get ids after it, and every page it times shows what it looks for."""

from __future__ import annotations

import argparse

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench import caseload
from bench.caseload_pages import BARE_FLOOR, SIGNED_IN_FLOOR
from casework.domain.lifecycle import CaseState
from casework.models import Team, User
from tests.conftest import make_case, make_person


def _schema(engine) -> set[str]:
    """Every index and foreign key, as the database itself states them."""
    if engine.dialect.name == "postgresql":
        found = (
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
            "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'"
        )
    else:
        found = "SELECT sql FROM sqlite_master WHERE type IN ('index', 'table') AND name NOT LIKE 'sqlite_stat%'"
    with engine.connect() as connection:
        return set(connection.scalars(text(found)))


def test_the_caseload_bench_fills_the_real_schema_and_times_pages_that_find_their_cases(migrated_database):
    engine = migrated_database.owner_engine
    schema = _schema(engine)
    args = argparse.Namespace(cases=600, rounds=1, open_share=0.2, app_root=None)

    done = caseload.run(migrated_database.owner_url, args)

    # The indexes and foreign keys set aside for COPY on PostgreSQL are all back, as they were.
    assert _schema(engine) == schema
    assert done.cases == 600
    with engine.connect() as connection:
        closed = connection.scalar(text("SELECT count(*) FROM cases WHERE closed_at IS NOT NULL"))
        contract = connection.scalar(
            text("SELECT status FROM contracts WHERE case_id = :id"), {"id": done.targets.case_id}
        )
    assert closed > 300  # most of a force's cases are history
    assert contract == "signed"  # the case page shows a running contract
    # time_pages checks each search page shows the case it looks for before timing it.
    assert len(done.results) == 9
    assert all(timing.median > 0 and timing.statements >= 1 for timing in done.results.values())
    # The bare floor runs its one query with no session to check; the signed-in floor checks it.
    assert done.results[BARE_FLOOR].statements < done.results[SIGNED_IN_FLOOR].statements
    # Sequences moved past the generated ids: the next person and case are recorded as usual.
    with Session(engine, expire_on_commit=False) as session:
        creator = session.get(User, done.targets.navigator_id)
        person = make_person(session, creator=creator)
        opened = make_case(session, team=session.get(Team, creator.team_id), state=CaseState.REFERRED, person=person)
        session.commit()
    assert person.id == 601 and opened.id == 601
