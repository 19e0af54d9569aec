"""The audit key: where it comes from, rotating it, and the scheduler's signed checkpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import config, create_app
from casework.config import Settings
from casework.db import make_session_factory
from casework.domain.audit_chain import Keyring, audit_key
from casework.domain.clock import FixedClock
from casework.jobs.registry import AUDIT_CHECKPOINT, every_job, run_once
from casework.models import AuditEvent
from casework.services import audit, audit_integrity, audit_keys
from casework.services.audit_checkpoints import CheckpointFile
from tests.conftest import NOW, TEST_AUDIT_KEY, make_user

ROTATED = "a-new-audit-key-after-rotation-" + "7" * 40


def _app(database):
    return create_app(
        {"database_url": database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"}
    )


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit-verify"])


def test_postgresql_will_not_start_without_an_audit_key(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEWORK_AUDIT_KEY")
    monkeypatch.setenv("CASEWORK_DATABASE_URL", "postgresql+psycopg://casework@db.invalid/casework")
    settings = Settings.from_env(tmp_path)
    with pytest.raises(RuntimeError, match="CASEWORK_AUDIT_KEY must be set"):
        settings.audit_keyring()
    assert not (tmp_path / "audit_key").exists()


def test_on_sqlite_a_key_is_made_once_in_the_instance_folder_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEWORK_AUDIT_KEY")
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    first = Settings.from_env(tmp_path).audit_keyring()
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600
    assert Settings.from_env(tmp_path).audit_keyring() == first


def test_two_processes_starting_together_share_the_first_key_made(tmp_path, monkeypatch):
    """`make run` starts the web server and the scheduler at once: if the other process writes its
    key while this one is making one, both must use the key that was written first."""
    monkeypatch.delenv("CASEWORK_AUDIT_KEY")
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.setenv("CASEWORK_SECRET_KEY", "s" * 64)  # so the only key made here is the audit key
    theirs = "b" * 64
    make_key = config.secrets.token_hex

    def made_while_the_other_process_wrote(n: int) -> str:
        if not (tmp_path / "audit_key").exists():
            (tmp_path / "audit_key").write_text(theirs)
        return make_key(n)

    monkeypatch.setattr(config.secrets, "token_hex", made_while_the_other_process_wrote)
    assert Settings.from_env(tmp_path).audit_keyring().current == audit_key(theirs)
    assert (tmp_path / "audit_key").read_text() == theirs
    assert [path.name for path in tmp_path.iterdir()] == ["audit_key"]  # no draft left behind


def test_a_short_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEWORK_AUDIT_KEY", "password")
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings.from_env(tmp_path).audit_keyring()


def test_a_rotated_key_starts_at_the_first_event_it_signs_and_the_retired_key_still_verifies(
    migrated_database, monkeypatch
):
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as session:
        make_user(session)
        session.commit()
    before = _app(migrated_database)
    assert _verify(before).exit_code == 0

    monkeypatch.setenv("CASEWORK_AUDIT_KEY", ROTATED)
    monkeypatch.setenv("CASEWORK_AUDIT_KEYS_RETIRED", TEST_AUDIT_KEY)
    after = _app(migrated_database)
    with sessions() as session:
        boundary = audit.record(session, actor=None, action="case.viewed", now=NOW)
        audit.record(session, actor=None, action="case.viewed", now=NOW)
        session.commit()
    assert boundary.key_id == audit_key(ROTATED).key_id != audit_key(TEST_AUDIT_KEY).key_id
    result = _verify(after)
    assert result.exit_code == 0, result.output  # the old checkpoint was signed with the retired key

    # Without the retired key the events it signed cannot be checked: verification says so.
    monkeypatch.delenv("CASEWORK_AUDIT_KEYS_RETIRED")
    forgetful = _app(migrated_database)
    result = _verify(forgetful)
    assert result.exit_code == 1
    assert "FAILED verification at event 1: the event names an audit key this installation does not hold" in (
        result.output
    )
    assert "line 1 is not genuine" in result.output
    for app in (before, after, forgetful):
        app.extensions["casework.engine"].dispose()


def test_the_scheduler_signs_a_checkpoint_of_a_verified_head_and_refuses_to_sign_a_broken_chain(
    migrated_database, audit_checkpoints, audit_key_for_tests
):
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as session:
        make_user(session)
        session.commit()
    clock = FixedClock(NOW)
    jobs = tuple(job for job in every_job({}, CheckpointFile(audit_checkpoints)) if job.name == AUDIT_CHECKPOINT)
    [first] = run_once(sessions, clock, jobs=jobs)
    assert (first.outcome, first.handled) == ("ok", 1)
    assert audit_checkpoints.read_text().count("\n") == 1
    [idle] = run_once(sessions, clock, jobs=jobs)
    assert (idle.outcome, idle.handled) == ("ok", 0)  # nothing new to sign

    # An event slipped in without the key (as someone with only the database would have to).
    with sessions() as session:
        last = session.query(AuditEvent).order_by(AuditEvent.sequence.desc()).first()
        audit_keys.install(Keyring(current=audit_key("someone-elses-key-" + "9" * 40)))
        audit.record(session, actor=None, action="case.viewed", now=NOW)
        session.commit()
    audit_keys.install(audit_key_for_tests)
    clock.advance(timedelta(minutes=5))
    [refused] = run_once(sessions, clock, jobs=jobs)
    # The heartbeat says what failed and a reference to the log, never a message; audit-verify names the event.
    assert refused.outcome == "failed" and refused.error.startswith("AuditChainBroken (reference ")
    with sessions() as session:
        assert audit_integrity.verify(session).first_broken == last.sequence + 1
    assert audit_checkpoints.read_text().count("\n") == 1  # nothing signed over it
