"""Planner statistics: SQLite gathers none by itself, so start-up gathers them when the cases have
outgrown them; PostgreSQL relies on autovacuum, and start-up says so when it is off."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from casework import create_app, planner_statistics
from casework.domain.clock import FixedClock
from casework.domain.roles import Role
from casework.jobs import registry
from tests.conftest import NOW, make_case, make_team, make_user


def _add_cases(engine, count: int) -> None:
    with Session(engine) as session:
        team = make_team(session)
        creator = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
        for _ in range(count):
            make_case(session, team=team, opened_by=creator)
        session.commit()


def _recorded(engine) -> int | None:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'cases'"))


def test_sqlite_statistics_are_gathered_when_missing_or_outgrown_and_only_then(migrated_database, monkeypatch):
    if migrated_database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's statistics are autovacuum's (the next test)")
    monkeypatch.setattr(planner_statistics, "SMALL", 5)
    engine = migrated_database.engine
    _add_cases(engine, 4)
    assert planner_statistics.refresh_if_stale(engine) is False  # too few cases to matter
    _add_cases(engine, 2)
    assert planner_statistics.refresh_if_stale(engine) is True
    assert _recorded(engine) == 6
    assert planner_statistics.refresh_if_stale(engine) is False
    _add_cases(engine, 6)  # twice what they were made from
    assert planner_statistics.refresh_if_stale(engine) is False
    _add_cases(engine, 1)
    assert planner_statistics.refresh_if_stale(engine) is True
    assert _recorded(engine) == 13


def test_postgresql_start_up_warns_when_autovacuum_is_off(migrated_database, caplog):
    engine = migrated_database.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no autovacuum")
    with engine.connect() as connection:
        autovacuum = connection.scalar(text("SHOW autovacuum"))
    settings = {"database_url": migrated_database.url, "migrate_on_start": False, "secret_key": "test-key"}
    with caplog.at_level(logging.WARNING, logger="casework.planner_statistics"):
        create_app(settings).extensions["casework.engine"].dispose()
    warned = "autovacuum is off" in caplog.text
    assert warned == (autovacuum != "on")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="casework.planner_statistics"):
        assert planner_statistics.refresh_if_stale(engine) is False  # what the scheduler's job runs
    assert ("autovacuum is off" in caplog.text) == warned


def test_the_scheduler_gathers_them_on_sqlite_as_cases_pile_up(migrated_database, monkeypatch):
    if migrated_database.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the job only warns (above)")
    monkeypatch.setattr(planner_statistics, "SMALL", 5)
    engine = migrated_database.engine
    _add_cases(engine, 7)
    job = registry.planner_statistics_job()
    assert job.interval == timedelta(hours=6)
    assert job.name in {each.name for each in registry.every_job({})}
    context = registry.JobContext(sessions=sessionmaker(engine), clock=FixedClock(NOW), lock=None)
    assert registry.run_job(job, context).handled == 1
    assert _recorded(engine) == 7
    assert registry.run_job(job, context).handled == 0
