"""The audit trail's hash chain: each event's hash covers its content and the previous hash.

Changing, deleting or reordering a stored event breaks the chain from that row on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


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


def chain_hash(content: ChainedContent, previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(content)).hexdigest()


def first_broken_link(
    events: list[tuple[ChainedContent, str, str]], *, start_hash: str = GENESIS, start_sequence: int = 1
) -> tuple[int, int, str] | None:
    """Check (content, stored previous hash, stored hash) triples in sequence order.

    Returns (sequence, index, reason) for the first event that does not verify, or None.
    A gap in the sequence means a row was deleted; a wrong previous hash means rows were
    removed or reordered; a wrong own hash means the row itself was altered.
    """
    expected_previous, expected_sequence = start_hash, start_sequence
    for index, (content, previous_hash, stored_hash) in enumerate(events):
        if content.sequence != expected_sequence:
            return expected_sequence, index, "an event is missing from the sequence"
        if previous_hash != expected_previous:
            return content.sequence, index, "the link to the previous event is broken"
        if chain_hash(content, previous_hash) != stored_hash:
            return content.sequence, index, "the event's content has been altered"
        expected_previous, expected_sequence = stored_hash, expected_sequence + 1
    return None
