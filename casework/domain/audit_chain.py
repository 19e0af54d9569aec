"""The audit trail's chain: each event's hash covers its content and the previous hash.

Changing, deleting or reordering a stored event breaks the chain from that row on. A plain
SHA-256 chain can be recomputed by anyone who can write to the database, so events are hashed
with HMAC-SHA256 under a key that never enters the database; each event names its key by an id.
Events written before the chain was keyed carry no key id and verify as plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
# Shorter keys are refused: the chain is only as strong as the secret behind it.
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class ChainedContent:
    sequence: int
    occurred_at: datetime
    actor_id: int | None
    action: str
    team_id: int | None
    case_id: int | None
    subject_user_id: int | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditKey:
    """A secret and the id stored with each event it signs (the id reveals nothing of the secret)."""

    key_id: str
    secret: bytes = field(repr=False)


def audit_key(secret: str) -> AuditKey:
    if len(secret.strip()) < MIN_KEY_LENGTH:
        raise ValueError(f"an audit key must be at least {MIN_KEY_LENGTH} characters (use 64 random hex digits)")
    raw = secret.strip().encode()
    return AuditKey(key_id=hmac.new(raw, b"casework audit key id", hashlib.sha256).hexdigest()[:16], secret=raw)


@dataclass(frozen=True)
class Keyring:
    """The key new events are signed with, and the keys it replaced, oldest first.

    Along the chain the keys may only move forward (plain, then each retired key in turn, then the
    current one), so a leaked retired key cannot be used to rewrite events written after it was retired.
    """

    current: AuditKey
    retired: tuple[AuditKey, ...] = ()
    _by_id: dict[str, tuple[int, AuditKey]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = (*self.retired, self.current)
        object.__setattr__(self, "_by_id", {key.key_id: (rank, key) for rank, key in enumerate(keys, start=1)})

    def find(self, key_id: str | None) -> AuditKey | None:
        found = self._by_id.get(key_id) if key_id is not None else None
        return found[1] if found else None

    def rank(self, key_id: str | None) -> int | None:
        """0 for a plain (pre-key) event, higher for each newer key; None for a key not held here."""
        if key_id is None:
            return 0
        found = self._by_id.get(key_id)
        return found[0] if found else None


def canonical(content: ChainedContent) -> bytes:
    """A stable byte form: sorted keys, no whitespace, UTC time to the microsecond."""
    payload = {
        "sequence": content.sequence,
        "occurred_at": content.occurred_at.replace(tzinfo=None).isoformat(timespec="microseconds"),
        "actor_id": content.actor_id,
        "action": content.action,
        "team_id": content.team_id,
        "case_id": content.case_id,
        "subject_user_id": content.subject_user_id,
        "detail": content.detail,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(content: ChainedContent, previous_hash: str, key: AuditKey | None = None) -> str:
    """HMAC-SHA256 under `key`; plain SHA-256 only for events from before the chain was keyed."""
    message = previous_hash.encode() + canonical(content)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    content: ChainedContent
    key_id: str | None
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    sequence: int
    checked: int  # links verified before it
    reason: str


@dataclass
class ChainWalk:
    """Checks links in sequence order, batch after batch, remembering where it got to."""

    keyring: Keyring
    expected_previous: str = GENESIS
    expected_sequence: int = 1
    rank: int = 0
    checked: int = 0

    def check(self, links: list[Link]) -> Break | None:
        """The first link that does not verify, or None.

        A gap in the sequence means a row was deleted; a wrong previous hash means rows were removed
        or reordered; a wrong own hash means the row was altered (or re-hashed without the key).
        """
        for link in links:
            sequence = link.content.sequence
            if sequence != self.expected_sequence:
                return self._broken(self.expected_sequence, "an event is missing from the sequence")
            if link.previous_hash != self.expected_previous:
                return self._broken(sequence, "the link to the previous event is broken")
            rank = self.keyring.rank(link.key_id)
            if rank is None:
                return self._broken(sequence, "the event names an audit key this installation does not hold")
            if rank < self.rank:
                what = "without the audit key" if link.key_id is None else "with a key already retired"
                return self._broken(sequence, f"the event was written {what}, after events under a newer key")
            if chain_hash(link.content, link.previous_hash, self.keyring.find(link.key_id)) != link.hash:
                return self._broken(sequence, "the event's content has been altered")
            self.expected_previous, self.expected_sequence, self.rank = link.hash, sequence + 1, rank
            self.checked += 1
        return None

    def _broken(self, sequence: int, reason: str) -> Break:
        return Break(sequence=sequence, checked=self.checked, reason=reason)
