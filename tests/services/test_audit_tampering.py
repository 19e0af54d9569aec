"""Someone with full access to the database (the owner, or a superuser, with the triggers off) rewrites
the audit trail; `audit-verify` names the first event that can no longer be trusted.

The events are written by the app under its own role with real commits; the tampering goes through
a separate owner connection, as an attacker holding the database but not the audit key would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, text

from casework import create_app
from casework.db import make_session_factory
from casework.domain.audit_chain import GENESIS, ChainedContent, chain_hash
from casework.services import audit
from tests.conftest import NOW, make_user

EVENTS = 8  # written by the test, after the few that making its user writes


@pytest.fixture
def trail(migrated_database):
    """A committed chain, and the app (as the application role) to run audit-verify with."""
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as session:
        user = make_user(session)
        for minute in range(EVENTS):
            audit.record(session, actor=user, action="case.viewed", case_id=minute, now=NOW.replace(minute=minute))
        session.commit()
    app = create_app(
        {"database_url": migrated_database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"}
    )
    yield app
    app.extensions["casework.engine"].dispose()


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit-verify"])


@contextmanager
def tampering(database) -> Iterator[Connection]:
    """The owner's connection with the audit trail's triggers out of the way."""
    with database.owner_engine.connect() as connection:
        if database.kind == "postgresql":
            connection.execute(text("SET session_replication_role = replica"))  # a superuser's switch
        else:
            triggers = connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name IN ('audit_events', 'audit_chain_head')"
                )
            ).scalars()
            for name in list(triggers):
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        yield connection
        connection.commit()


def _sequences(connection: Connection) -> list[int]:
    return list(connection.execute(text("SELECT sequence FROM audit_events ORDER BY sequence")).scalars())


def _rehash_plainly(connection: Connection, start: int) -> None:
    """What a plain hash chain let anyone do: recompute every hash from `start` on, and the head."""
    previous = connection.execute(
        text("SELECT hash FROM audit_events WHERE sequence = :s"), {"s": start - 1}
    ).scalar_one_or_none()
    previous = previous or GENESIS
    rows = connection.execute(
        text(
            "SELECT sequence, occurred_at, actor_id, action, team_id, case_id, subject_user_id, detail "
            "FROM audit_events WHERE sequence >= :s ORDER BY sequence"
        ),
        {"s": start},
    ).all()
    for row in rows:
        occurred_at = (
            row.occurred_at if isinstance(row.occurred_at, datetime) else datetime.fromisoformat(row.occurred_at)
        )
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
        content = ChainedContent(row.sequence, occurred_at.replace(tzinfo=UTC), *row[2:7], detail)
        digest = chain_hash(content, previous)
        connection.execute(
            text("UPDATE audit_events SET previous_hash = :p, hash = :h, key_id = NULL WHERE sequence = :s"),
            {"p": previous, "h": digest, "s": row.sequence},
        )
        previous = digest
    _reset_head(connection)


def _reset_head(connection: Connection) -> None:
    """Point the head at whatever is now the last event, so the head check agrees."""
    last = connection.execute(text("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")).first()
    connection.execute(
        text("UPDATE audit_chain_head SET last_sequence = :s, last_hash = :h"),
        {"s": last.sequence if last else 0, "h": last.hash if last else GENESIS},
    )


def _failed_at(result, sequence: int) -> str:
    assert result.exit_code == 1, result.output
    assert f"FAILED verification at event {sequence}:" in result.output, result.output
    return result.output


def test_an_altered_event_is_named(trail, migrated_database):
    assert _verify(trail).exit_code == 0
    with tampering(migrated_database) as connection:
        target = _sequences(connection)[-3]
        connection.execute(text("UPDATE audit_events SET action = 'case.hidden' WHERE sequence = :s"), {"s": target})
    assert "altered" in _failed_at(_verify(trail), target)


def test_a_chain_rehashed_after_an_alteration_is_named_at_the_alteration(trail, migrated_database):
    """The attacker alters an event and recomputes every later hash and the head, as SHA-256 was
    enough to do before the chain was keyed; the key they do not hold gives them away."""
    with tampering(migrated_database) as connection:
        target = _sequences(connection)[-5]
        connection.execute(text("UPDATE audit_events SET action = 'case.hidden' WHERE sequence = :s"), {"s": target})
        _rehash_plainly(connection, target)
    assert "without the audit key" in _failed_at(_verify(trail), target)


def test_a_chain_rehashed_from_its_first_event_disagrees_with_the_signed_checkpoint(trail, migrated_database):
    """Re-hashed from the very start, every event looks like one from before the key: the signed
    checkpoint outside the database no longer matches."""
    first = _verify(trail)
    assert first.exit_code == 0 and "Checkpoint written: event" in first.output
    with tampering(migrated_database) as connection:
        events = _sequences(connection)
        connection.execute(
            text("UPDATE audit_events SET action = 'case.hidden' WHERE sequence = :s"), {"s": events[-2]}
        )
        _rehash_plainly(connection, 1)
    output = _failed_at(_verify(trail), 1)
    assert f"events 1 to {events[-1]} differ from what the checkpoint signed at" in output


def test_a_deleted_event_is_named_even_when_the_rest_are_renumbered_and_rehashed(trail, migrated_database):
    with tampering(migrated_database) as connection:
        events = _sequences(connection)
        target = events[-4]
        connection.execute(text("DELETE FROM audit_events WHERE sequence = :s"), {"s": target})
        for sequence in events[events.index(target) + 1 :]:
            connection.execute(
                text("UPDATE audit_events SET sequence = :n WHERE sequence = :s"), {"n": sequence - 1, "s": sequence}
            )
        _rehash_plainly(connection, target)
    _failed_at(_verify(trail), target)


def test_a_deleted_event_is_named(trail, migrated_database):
    with tampering(migrated_database) as connection:
        target = _sequences(connection)[-4]
        connection.execute(text("DELETE FROM audit_events WHERE sequence = :s"), {"s": target})
    assert "missing" in _failed_at(_verify(trail), target)


def test_a_tail_cut_off_with_the_head_set_back_is_named_by_the_checkpoint(trail, migrated_database):
    assert _verify(trail).exit_code == 0  # signs a checkpoint of the head
    with tampering(migrated_database) as connection:
        events = _sequences(connection)
        connection.execute(text("DELETE FROM audit_events WHERE sequence >= :s"), {"s": events[-3]})
        _reset_head(connection)
    output = _failed_at(_verify(trail), events[-3])
    assert f"records the chain up to event {events[-1]}" in output


def test_an_emptied_table_with_the_head_set_back_is_named_by_the_checkpoint(trail, migrated_database):
    assert _verify(trail).exit_code == 0
    with tampering(migrated_database) as connection:
        last = _sequences(connection)[-1]
        emptied = "TRUNCATE audit_events" if migrated_database.kind == "postgresql" else "DELETE FROM audit_events"
        connection.execute(text(emptied))
        _reset_head(connection)
    output = _failed_at(_verify(trail), 1)
    assert f"records the chain up to event {last}" in output and "0 events verified" in output


def test_a_forged_checkpoint_is_reported_and_not_believed(trail, audit_checkpoints):
    assert _verify(trail).exit_code == 0
    genuine = audit_checkpoints.read_text().splitlines()[-1]
    forged = genuine.replace('"sequence":', '"sequence":1').replace('"signature":"', '"signature":"0')
    with audit_checkpoints.open("a") as file:
        file.write(forged + "\n")
    result = _verify(trail)
    assert result.exit_code == 1
    assert "line 2 is not genuine: the signature does not match" in result.output
    assert "Audit trail verified" in result.output  # the chain itself is fine: the forged line is ignored


def test_verify_prints_the_checkpoints_it_checked_against(trail, audit_checkpoints):
    first = _verify(trail)
    assert "Checkpoints: 0 signed" in first.output and "Checkpoint written: event" in first.output
    second = _verify(trail)
    assert second.exit_code == 0, second.output
    assert f"Checkpoints: 1 signed in {audit_checkpoints}" in second.output
    assert "latest: event" in second.output and "(line 1)" in second.output
    assert "Checkpoint written" not in second.output  # the head has not moved
