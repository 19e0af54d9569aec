"""Verifying the audit chain: every link, the head record, and the signed checkpoints kept outside
the database, naming the first event that cannot be trusted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.audit_chain import GENESIS, ChainedContent, ChainWalk, Keyring, Link
from casework.domain.audit_checkpoints import Checkpoint
from casework.models import AuditChainHead, AuditEvent
from casework.services import audit_keys

HEAD_ID = 1
_COLUMNS = (
    AuditEvent.sequence,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.action,
    AuditEvent.team_id,
    AuditEvent.case_id,
    AuditEvent.subject_user_id,
    AuditEvent.detail,
    AuditEvent.key_id,
    AuditEvent.previous_hash,
    AuditEvent.hash,
)


@dataclass(frozen=True)
class Verification:
    checked: int
    first_broken: int | None
    reason: str | None
    head_sequence: int = 0
    head_hash: str = GENESIS
    keyed_from: int | None = None  # the first event signed with an audit key

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(
    session: Session,
    *,
    keyring: Keyring | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    since: Checkpoint | None = None,
    batch: int = 5000,
) -> Verification:
    """Walk the chain in sequence order (from `since`, a checkpoint already verified, or from the
    start) and name the first event that does not verify.

    Reads plain rows, not ORM objects, so a long trail does not fill the session's identity map.
    """
    walk = ChainWalk(keyring or audit_keys.installed())
    pinned: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        pinned.setdefault(checkpoint.sequence, []).append(checkpoint)
    agreed, keyed_from, after = 0, None, 0
    if since is not None:
        previous = session.scalar(select(AuditEvent.previous_hash).where(AuditEvent.sequence == since.sequence))
        if previous is None:
            return _broken(walk.checked, since.sequence, f"the event is missing: {_recorded_by(since)}")
        walk.expected_previous, walk.expected_sequence = previous, since.sequence
        agreed, after = since.sequence - 1, since.sequence - 1
    while True:
        rows = session.execute(
            select(*_COLUMNS).where(AuditEvent.sequence > after).order_by(AuditEvent.sequence).limit(batch)
        ).all()
        if not rows:
            break
        links = [Link(ChainedContent(*row[:8]), row.key_id, row.previous_hash, row.hash) for row in rows]
        broken = walk.check(links)
        for row in rows:
            if broken is not None and row.sequence >= broken.sequence:
                break
            if keyed_from is None and row.key_id is not None:
                keyed_from = row.sequence
            for checkpoint in pinned.get(row.sequence, ()):
                if checkpoint.hash != row.hash:
                    return _broken(
                        walk.checked,
                        agreed + 1,
                        f"events {agreed + 1} to {row.sequence} differ from what {_recorded_by(checkpoint)}",
                    )
            if row.sequence in pinned:
                agreed = row.sequence
        if broken is not None:
            return _broken(broken.checked, broken.sequence, broken.reason)
        after = rows[-1].sequence
    return _ends_where_it_should(session, walk, after, pinned, keyed_from)


def _ends_where_it_should(
    session: Session, walk: ChainWalk, last: int, pinned: dict[int, list[Checkpoint]], keyed_from: int | None
) -> Verification:
    """Nothing may be missing from the end: a signed checkpoint, or the head record, may say so."""
    beyond = [checkpoint for sequence, found in pinned.items() if sequence > last for checkpoint in found]
    if beyond:
        furthest = max(beyond, key=lambda checkpoint: checkpoint.sequence)
        return _broken(walk.checked, last + 1, f"the event is missing: {_recorded_by(furthest)}")
    head = session.get(AuditChainHead, HEAD_ID)
    if head is None:
        return _broken(walk.checked, last + 1, "the chain's head record is missing")
    if head.last_sequence > last:
        return _broken(walk.checked, last + 1, "events after this point are missing")
    if head.last_sequence < last:
        return _broken(walk.checked, head.last_sequence + 1, "the chain's head record was set back before this event")
    if head.last_hash != walk.expected_previous:
        return _broken(walk.checked, last, "the chain's head record does not match the last event")
    return Verification(walk.checked, None, None, last, walk.expected_previous, keyed_from)


def _broken(checked: int, sequence: int, reason: str) -> Verification:
    return Verification(checked, sequence, reason)


def _recorded_by(checkpoint: Checkpoint) -> str:
    when = checkpoint.at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"the checkpoint signed at {when} records the chain up to event {checkpoint.sequence}"
