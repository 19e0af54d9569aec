"""bench/reports.py on a few hundred cases: what it generates keeps the real schema whole and satisfies
it, fills every table the reports read, new records still get ids after it, and it times the
dashboard for a lead and a supervisor and every registered report, each showing what it should."""

from __future__ import annotations

import argparse

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench import reports, reports_data
from bench.caseload_pages import BARE_FLOOR, SIGNED_IN_FLOOR
from casework.domain.lifecycle import CaseState
from casework.models import Team, User
from casework.services.reports import REPORTS
from tests.conftest import make_case, make_person
from tests.test_bench_caseload import _schema


def test_the_reports_bench_fills_what_reports_read_and_times_every_report(migrated_database):
    engine = migrated_database.owner_engine
    schema = _schema(engine)
    args = argparse.Namespace(cases=500, rounds=1)

    done = reports.run(migrated_database.owner_url, args)

    # The indexes and foreign keys set aside for COPY on PostgreSQL are all back, as they were.
    assert _schema(engine) == schema
    assert done.cases == 500
    # Eight years of cases: about an eighth of them in the dashboard's twelve months.
    assert 30 < done.in_range < 100
    rows = reports_data.counts(engine)
    assert all(rows[table] > 0 for table in reports_data.COLUMNS), rows
    with engine.connect() as connection:
        states = dict(connection.execute(text("SELECT state, count(*) FROM cases GROUP BY state")).all())
        decided = connection.scalar(text("SELECT count(*) FROM breaches WHERE decision IS NOT NULL"))
    # Most of a force's cases are history: completed, or stopped at the gate or the offer.
    assert states["completed"] > 200 and states["ineligible"] > 50 and states["declined"] > 20
    assert decided == rows["breaches"]
    # A floor, a bare floor, the two dashboards and one page per registered report, each counted;
    # run() checked that both dashboards show every report's title before timing.
    assert set(done.results) == {
        SIGNED_IN_FLOOR,
        BARE_FLOOR,
        "dashboard, lead, every team",
        "dashboard, supervisor, own team",
        *(f"{kind.key} report, lead, every team" for kind in REPORTS),
    }
    assert all(timing.median > 0 and timing.statements >= 1 for timing in done.results.values())
    assert done.results[BARE_FLOOR].statements < done.results[SIGNED_IN_FLOOR].statements
    # Sequences moved past the generated ids: the next person and case are recorded as usual.
    with Session(engine, expire_on_commit=False) as session:
        creator = session.scalars(select(User).where(User.username == "bench.1.1")).one()
        person = make_person(session, creator=creator)
        opened = make_case(session, team=session.get(Team, creator.team_id), state=CaseState.REFERRED, person=person)
        session.commit()
    assert person.id == 501 and opened.id == 501
