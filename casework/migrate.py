"""Alembic, driven from code: the schema is only ever made by the migrations in migrations/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from casework import planner_statistics

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> list[str]:
    """Apply pending migrations; returns those applied, oldest first, as "<id> <description>"."""
    config = alembic_config(engine)
    applied: list[str] = []
    config.attributes["applied"] = applied
    command.upgrade(config, revision)
    if applied:
        # New tables and indexes have no statistics; data a migration moved has stale ones.
        with engine.begin() as connection:
            planner_statistics.analyze(connection)
    return applied


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


@cache
def head_revision() -> str:
    """The latest migration shipped with this code. Reading it parses every migration script (about
    25 ms); /healthz asks on every poll, and the scripts cannot change under a running process."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
