"""Keying the audit chain: events written before it keep verifying as plain SHA-256, and the next
event is the first one signed with the key."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from casework.domain.audit_chain import GENESIS, ChainedContent, chain_hash
from casework.migrate import downgrade, upgrade
from casework.services import audit
from tests.conftest import NOW

BEFORE = "0030_breach_decisions"


def _plain_events(connection, count: int) -> None:
    """Events as the code before the key wrote them: plain SHA-256, the head moved to the last."""
    previous = GENESIS
    for sequence in range(1, count + 1):
        content = ChainedContent(sequence, NOW, None, "user.created", None, None, None, {"n": sequence})
        digest = chain_hash(content, previous)
        connection.execute(
            text(
                "INSERT INTO audit_events (sequence, occurred_at, action, detail, previous_hash, hash) "
                "VALUES (:s, :at, 'user.created', :detail, :p, :h)"
            ),
            {
                "s": sequence,
                "at": NOW.replace(tzinfo=None),
                "detail": f'{{"n": {sequence}}}',
                "p": previous,
                "h": digest,
            },
        )
        previous = digest
    connection.execute(
        text("UPDATE audit_chain_head SET last_sequence = :s, last_hash = :h"), {"s": count, "h": previous}
    )


def test_events_from_before_the_key_still_verify_and_the_key_starts_after_them(fresh_database):
    upgrade(fresh_database.engine, BEFORE)
    with fresh_database.engine.begin() as connection:
        _plain_events(connection, 3)
    upgrade(fresh_database.engine)

    with Session(fresh_database.engine) as session:
        result = audit.verify(session)
        assert (result.ok, result.checked, result.keyed_from) == (True, 3, None)
        first_keyed = audit.record(session, actor=None, action="case.viewed", now=NOW)
        session.commit()
        assert first_keyed.sequence == 4 and first_keyed.key_id is not None
        result = audit.verify(session)
        assert (result.ok, result.checked, result.keyed_from) == (True, 4, 4)

    downgrade(fresh_database.engine, BEFORE)
    upgrade(fresh_database.engine)
    with Session(fresh_database.engine) as session:
        # The downgrade dropped the key ids: the keyed event no longer verifies, and is named.
        assert audit.verify(session).first_broken == 4
