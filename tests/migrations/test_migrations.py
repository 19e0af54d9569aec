"""The schema comes only from migrations, and it must match the models, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from casework.migrate import current_revision, downgrade, head_revision, upgrade
from casework.models import Base


# Alembic cannot compare a generated column's expression (each database rewrites it its own way), and
# says so; the columns and their types are still compared.
@pytest.mark.filterwarnings("ignore:Computed default on cases")
def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_database_is_at_head(engine):
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_upgrade_downgrade_upgrade_round_trip(fresh_database):
    upgrade(fresh_database.engine)
    downgrade(fresh_database.engine, "base")
    assert set(inspect(fresh_database.engine).get_table_names()) <= {"alembic_version"}
    upgrade(fresh_database.engine)
    assert "audit_events" in inspect(fresh_database.engine).get_table_names()


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"])
def test_audit_events_refuse_update_and_delete(engine, session, statement):
    from tests.conftest import make_user

    make_user(session)  # writes audit events
    session.commit()
    # PostgreSQL's application role may not even try (no UPDATE or DELETE grant); SQLite's trigger refuses.
    with pytest.raises(DatabaseError, match=r"append-only|permission denied"):
        session.execute(text(statement))
        session.flush()
    session.rollback()
