"""Time the keyed audit chain: hashing one event, record(), and audit verification over a long trail.

Each figure is also given as a ratio to a floor timed in the same run (the machine is shared and
noisy): keyed hashing to plain SHA-256, and verification to reading the same rows in the same
batches without checking them.

    .venv/bin/python bench/audit_chain.py [--database sqlite|postgresql] [--events 100000] [--recorded 5000]

`--recorded` events go through audit.record() (timed); the rest are generated with the same keyed
chain and inserted in bulk with the triggers out of the way, then the head is set to the last one.
Uses a throw-away database; prints what it measured.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from bench.sign_in import _database
from casework.db import make_engine
from casework.domain.audit_chain import ChainedContent, Keyring, audit_key, canonical, chain_hash
from casework.migrate import upgrade
from casework.models import AuditChainHead, AuditEvent
from casework.services import audit, audit_keys
from casework.services.audit_integrity import verify

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _hashing(rounds: int = 20000) -> tuple[float, float]:
    content = ChainedContent(1, START, 1, "case.viewed", 1, 1, None, {"reason": "review"})
    key = audit_key("k" * 64)
    timings = []
    for hasher in (
        lambda: hashlib.sha256(b"0" * 64 + canonical(content)).hexdigest(),
        lambda: hmac.new(key.secret, b"0" * 64 + canonical(content), hashlib.sha256).hexdigest(),
    ):
        began = time.perf_counter()
        for _ in range(rounds):
            hasher()
        timings.append((time.perf_counter() - began) / rounds * 1e6)
    return timings[0], timings[1]


def _bulk(session: Session, keyring: Keyring, count: int) -> None:
    """`count` more keyed events after the head, inserted as rows, the head moved past them at once."""
    head = session.get(AuditChainHead, 1)
    sequence, previous, key = head.last_sequence, head.last_hash, keyring.current
    rows = []
    for n in range(count):
        sequence += 1
        at = START + timedelta(seconds=sequence)
        detail = {"reason": "review"}
        content = ChainedContent(sequence, at, None, "case.viewed", None, n, None, detail)
        digest = chain_hash(content, previous, key)
        rows.append(
            dict(
                sequence=sequence,
                occurred_at=at,
                action="case.viewed",
                case_id=n,
                detail=detail,
                key_id=key.key_id,
                previous_hash=previous,
                hash=digest,
            )
        )
        previous = digest
        if len(rows) == 5000:
            session.execute(insert(AuditEvent), rows)
            rows = []
    if rows:
        session.execute(insert(AuditEvent), rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        session.execute(text("DROP TRIGGER audit_chain_head_forward_only"))
    session.execute(
        text("UPDATE audit_chain_head SET last_sequence = :s, last_hash = :h"), {"s": sequence, "h": previous}
    )
    session.commit()


def _read_only(session: Session, batch: int = 5000) -> float:
    """The floor under verification: the same columns, in the same batches, with nothing checked."""
    began, after = time.perf_counter(), 0
    while rows := session.execute(
        select(*AuditEvent.__table__.c).where(AuditEvent.sequence > after).order_by(AuditEvent.sequence).limit(batch)
    ).all():
        after = rows[-1].sequence
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--recorded", type=int, default=5000)
    args = parser.parse_args()
    sha, keyed = _hashing()
    print(f"hash one event: SHA-256 {sha:.1f} us, HMAC-SHA256 {keyed:.1f} us ({keyed / sha:.2f}x)")
    keyring = Keyring(current=audit_key("k" * 64))
    audit_keys.install(keyring)
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(args.database, workdir)
        engine = make_engine(url)
        try:
            upgrade(engine)
            with Session(engine) as session:
                began = time.perf_counter()
                for n in range(args.recorded):
                    audit.record(session, actor=None, action="case.viewed", case_id=n, now=START, reason="review")
                    if n % 100 == 99:
                        session.commit()
                session.commit()
                per_record = (time.perf_counter() - began) / args.recorded * 1000
                print(f"audit.record(): {per_record:.2f} ms each ({args.recorded} events, committed every 100)")
                _bulk(session, keyring, args.events - args.recorded)
                total = session.scalar(select(AuditChainHead.last_sequence))
            with Session(engine) as session:
                floor = _read_only(session)
                began = time.perf_counter()
                result = verify(session, keyring=keyring)
                took = time.perf_counter() - began
            assert result.ok, result
            print(
                f"verify {total} events ({args.database}): {took:.2f} s, {took / total * 100_000:.2f} s per 100k; "
                f"reading them alone {floor:.2f} s ({took / floor:.1f}x)"
            )
        finally:
            engine.dispose()
            drop()


if __name__ == "__main__":
    main()
