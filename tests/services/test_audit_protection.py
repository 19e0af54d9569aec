"""What the database itself refuses: to the application's role on PostgreSQL (which owns nothing),
the audit trail can only be added to and read; to anyone, the chain's head only moves forward, and
a case view queued for the chain cannot be changed, nor removed before its copy is chained."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError

from casework import create_app
from casework.db import make_session_factory
from casework.domain.audit_chain import GENESIS
from casework.models import AuditChainHead, PendingConsultation
from casework.services import audit, case_views, consultation_queue
from tests.conftest import NOW, backend, make_case, make_user

postgres_only = pytest.mark.skipif(backend() != "postgresql", reason="roles and TRUNCATE are PostgreSQL's")


def _refused(connection: Connection, statement: str, match: str) -> None:
    savepoint = connection.begin_nested()
    with pytest.raises(DBAPIError, match=match):
        connection.execute(text(statement))
    savepoint.rollback()


@pytest.fixture
def chain(session, connection):
    user = make_user(session)
    for _ in range(3):
        audit.record(session, actor=user, action="case.viewed", now=NOW)
    session.commit()
    return connection


@postgres_only
@pytest.mark.parametrize(
    ("statement", "match"),
    [
        ("UPDATE audit_events SET action = 'case.hidden'", "permission denied"),
        ("DELETE FROM audit_events", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("ALTER TABLE audit_events DISABLE TRIGGER USER", "must be owner"),
        ("ALTER TABLE audit_chain_head DISABLE TRIGGER USER", "must be owner"),
        ("DROP TRIGGER audit_events_append_only ON audit_events", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        ("DELETE FROM audit_chain_head", "permission denied"),
        ("TRUNCATE audit_chain_head", "permission denied"),
        ("UPDATE alembic_version SET version_num = '0001'", "permission denied"),
        ("TRUNCATE pending_consultations", "permission denied"),
        ("ALTER TABLE pending_consultations DISABLE TRIGGER USER", "must be owner"),
        ("DROP TRIGGER pending_consultations_guarded ON pending_consultations", "must be owner"),
    ],
)
def test_the_application_role_cannot_rewrite_or_unprotect_the_trail(chain, statement, match):
    assert chain.execute(text("SELECT current_user")).scalar_one() == "casework_app_test"
    _refused(chain, statement, match)


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE audit_chain_head SET last_sequence = 0, last_hash = '{GENESIS}'",
        "UPDATE audit_chain_head SET last_sequence = last_sequence - 1, "
        "last_hash = (SELECT previous_hash FROM audit_events ORDER BY sequence DESC LIMIT 1)",
        "UPDATE audit_chain_head SET last_sequence = last_sequence + 1",
        f"UPDATE audit_chain_head SET last_hash = '{'f' * 64}'",
    ],
    ids=["reset", "one-back", "ahead-of-the-events", "another-hash"],
)
def test_the_head_cannot_be_reset_or_pointed_anywhere_but_the_next_event(chain, statement):
    _refused(chain, statement, "moves only forward")


def test_the_head_record_cannot_be_deleted_or_a_second_one_added(chain):
    if backend() == "sqlite":  # on PostgreSQL the application role may not even try (above)
        _refused(chain, "DELETE FROM audit_chain_head", "keeps the one row")
    _refused(chain, f"INSERT INTO audit_chain_head VALUES (2, 0, '{GENESIS}')", "keeps the one row|permission denied")


@pytest.fixture
def queued(session, connection, team):
    """A case view queued and committed, not yet chained."""
    user, case = make_user(session, team=team), make_case(session, team=team)
    case_views.record_consultation(session, actor=user, case=case, page="cases.show", scope="full", now=NOW)
    session.commit()
    return session.scalar(select(PendingConsultation.id))


@pytest.mark.parametrize(
    ("statement", "match"),
    [
        ("DELETE FROM pending_consultations", "deleted only once its copy is on the audit chain"),
        ("UPDATE pending_consultations SET detail = '{}'", "cannot be changed|permission denied"),
        ("UPDATE pending_consultations SET occurred_at = occurred_at", "cannot be changed|permission denied"),
    ],
)
def test_a_queued_view_cannot_be_removed_before_it_is_chained_nor_changed(queued, connection, statement, match):
    _refused(connection, statement, match)


def test_a_stand_in_with_the_queued_views_id_but_other_content_does_not_release_it(session, queued, connection):
    """Someone who may add events (the application's role may) adds a different event naming the
    queued view: the view still cannot be deleted."""
    connection.execute(
        text(
            "INSERT INTO audit_events (sequence, occurred_at, action, detail, previous_hash, hash, consultation_id) "
            "SELECT 1000000, occurred_at, action, '{\"page\": \"cases.elsewhere\"}', 'x', 'y', id "
            "FROM pending_consultations WHERE id = :id"
        ),
        {"id": queued},
    )
    _refused(connection, f"DELETE FROM pending_consultations WHERE id = {queued}", "deleted only once")


def test_a_chained_view_leaves_the_queue(session, queued):
    assert consultation_queue.seal(session) == 1
    session.commit()
    assert consultation_queue.waiting(session) == 0


def test_recording_still_moves_the_head_one_event_at_a_time(session, chain):
    before = session.get(AuditChainHead, 1).last_sequence
    event = audit.record(session, actor=None, action="case.viewed", now=NOW)
    session.commit()
    session.expire_all()
    head = session.get(AuditChainHead, 1)
    assert (head.last_sequence, head.last_hash) == (before + 1, event.hash)
    assert event.key_id is not None


def test_even_the_owner_cannot_change_or_empty_the_trail_without_switching_the_triggers_off(migrated_database):
    with make_session_factory(migrated_database.engine)() as session:
        make_user(session)  # writes events
        session.commit()
    truncate = "TRUNCATE" if migrated_database.kind == "postgresql" else "DELETE FROM"
    with migrated_database.owner_engine.connect() as owner:
        owner.begin()
        _refused(owner, "UPDATE audit_events SET action = 'case.hidden'", "append-only")
        _refused(owner, f"{truncate} audit_events", "append-only|cannot be truncated")
        _refused(owner, f"{truncate} audit_chain_head", "keeps the one row|cannot be truncated")
        owner.execute(
            text(
                "INSERT INTO pending_consultations (occurred_at, action, detail) "
                "VALUES ('2026-11-24 10:00:00', 'case.viewed', '{}')"
            )
        )
        _refused(owner, f"{truncate} pending_consultations", "cannot be truncated|deleted only once")
        _refused(owner, "UPDATE pending_consultations SET action = 'x'", "cannot be changed")


@postgres_only
def test_db_grant_app_role_leaves_the_trail_insert_and_select_only(migrated_database):
    role = f"casework_grant_{uuid.uuid4().hex[:8]}"
    with migrated_database.owner_engine.begin() as owner:
        owner.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    app = create_app(
        {
            "database_url": migrated_database.owner_url,
            "migrate_on_start": False,
            "secure_cookies": False,
            "secret_key": "k",
        }
    )
    try:
        result = app.test_cli_runner().invoke(args=["db-grant-app-role", role])
        assert result.exit_code == 0, result.output
        assert f"GRANT SELECT, INSERT ON public.audit_events TO {role};" in result.output
        with migrated_database.owner_engine.connect() as owner:
            allowed = {
                (table, privilege): owner.execute(
                    text("SELECT has_table_privilege(:r, :t, :p)"), {"r": role, "t": table, "p": privilege}
                ).scalar_one()
                for table in ("audit_events", "audit_chain_head", "pending_consultations", "cases")
                for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            }
        assert {key for key, yes in allowed.items() if yes} == {
            ("audit_events", "SELECT"),
            ("audit_events", "INSERT"),
            ("audit_chain_head", "SELECT"),
            ("audit_chain_head", "UPDATE"),
            ("pending_consultations", "SELECT"),
            ("pending_consultations", "INSERT"),
            ("pending_consultations", "DELETE"),
            ("cases", "SELECT"),
            ("cases", "INSERT"),
            ("cases", "UPDATE"),
            ("cases", "DELETE"),
        }
        refused = app.test_cli_runner().invoke(args=["db-grant-app-role", "postgres"])
        assert refused.exit_code == 1 and "is a superuser" in refused.output
    finally:
        app.extensions["casework.engine"].dispose()
        with migrated_database.owner_engine.begin() as owner:
            owner.execute(text(f"DROP OWNED BY {role}"))
            owner.execute(text(f"DROP ROLE {role}"))


def test_db_grant_app_role_says_sqlite_has_no_roles(app):
    if backend() != "sqlite":
        pytest.skip("SQLite's answer")
    result = app.test_cli_runner().invoke(args=["db-grant-app-role", "casework_app"])
    assert result.exit_code == 1 and "PostgreSQL only" in result.output
