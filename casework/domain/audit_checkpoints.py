"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint says "at this time the chain ended at this sequence with this hash", signed with the
audit key. Someone who can rewrite the database but not the checkpoint file cannot cut events off
the end, or empty the table, without the chain falling short of (or disagreeing with) a checkpoint.
Each checkpoint is one JSON line, so the file can be appended to and read line by line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from casework.domain.audit_chain import AuditKey, Keyring


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True)
class ReadCheckpoint:
    line: int  # 1-based line number in the file
    checkpoint: Checkpoint


@dataclass(frozen=True)
class Forgery:
    line: int
    reason: str


def _message(sequence: int, head_hash: str, at: datetime, key_id: str) -> bytes:
    # Prefixed so that a checkpoint signature can never be mistaken for an event's chain hash.
    return f"casework audit checkpoint v1|{sequence}|{head_hash}|{_instant(at)}|{key_id}".encode()


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def sign(*, sequence: int, head_hash: str, at: datetime, key: AuditKey) -> Checkpoint:
    signature = hmac.new(key.secret, _message(sequence, head_hash, at, key.key_id), hashlib.sha256).hexdigest()
    return Checkpoint(sequence=sequence, hash=head_hash, at=at.astimezone(UTC), key_id=key.key_id, signature=signature)


def to_line(checkpoint: Checkpoint) -> str:
    return json.dumps(
        {
            "sequence": checkpoint.sequence,
            "hash": checkpoint.hash,
            "at": _instant(checkpoint.at),
            "key_id": checkpoint.key_id,
            "signature": checkpoint.signature,
        },
        separators=(",", ":"),
    )


def read(lines: list[str], keyring: Keyring) -> tuple[list[ReadCheckpoint], list[Forgery]]:
    """The checkpoints whose signature verifies under a key held here, and every line that does not."""
    valid: list[ReadCheckpoint] = []
    forged: list[Forgery] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(
                sequence=int(fields["sequence"]),
                hash=str(fields["hash"]),
                at=datetime.fromisoformat(fields["at"]),
                key_id=str(fields["key_id"]),
                signature=str(fields["signature"]),
            )
        except (ValueError, KeyError, TypeError):
            forged.append(Forgery(number, "the line is not a checkpoint"))
            continue
        key = keyring.find(checkpoint.key_id)
        if key is None:
            forged.append(Forgery(number, "the line names an audit key this installation does not hold"))
            continue
        expected = sign(sequence=checkpoint.sequence, head_hash=checkpoint.hash, at=checkpoint.at, key=key)
        if not hmac.compare_digest(expected.signature, checkpoint.signature):
            forged.append(Forgery(number, "the signature does not match: the line was forged or altered"))
            continue
        valid.append(ReadCheckpoint(number, checkpoint))
    return valid, forged
