"""Writing signed checkpoints of the audit chain's head where the database role cannot reach them:
an append-only file on the application's host, and the application log.

A checkpoint is only written over a chain that verifies, so tampering is never signed as good.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from casework.domain.audit_chain import Keyring
from casework.domain.audit_checkpoints import Checkpoint, Forgery, ReadCheckpoint, read, sign, to_line
from casework.services import audit_keys
from casework.services.audit_integrity import Verification, verify

log = logging.getLogger("casework.audit.checkpoints")


class AuditChainBroken(Exception):
    """The chain does not verify, so no checkpoint is written over it."""

    def __init__(self, result: Verification) -> None:
        super().__init__(f"the audit trail fails verification at event {result.first_broken}: {result.reason}")
        self.result = result


@dataclass(frozen=True)
class CheckpointFile:
    path: Path

    def read(self, keyring: Keyring) -> tuple[list[ReadCheckpoint], list[Forgery]]:
        if not self.path.exists():
            return [], []
        return read(self.path.read_text(encoding="utf-8").splitlines(), keyring)

    def append(self, checkpoint: Checkpoint) -> None:
        """One line per write, opened for appending only, and synced before it counts as written."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = to_line(checkpoint)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        log.info("audit checkpoint %s", line)


def latest(checkpoints: list[ReadCheckpoint]) -> ReadCheckpoint | None:
    return max(checkpoints, key=lambda found: (found.checkpoint.sequence, found.line), default=None)


def take(
    session: Session, *, file: CheckpointFile, now: datetime, verified: Verification | None = None
) -> Checkpoint | None:
    """Sign the head, once the chain since the latest checkpoint verifies (or `verified`, a full
    verification just made, says it does). None when the head has not moved since the last one."""
    keyring = audit_keys.installed()
    found, forged = file.read(keyring)
    for forgery in forged:
        log.error("audit checkpoint file %s line %d: %s", file.path, forgery.line, forgery.reason)
    newest = latest(found)
    if verified is None:
        since = newest.checkpoint if newest else None
        verified = verify(session, keyring=keyring, checkpoints=[f.checkpoint for f in found], since=since)
    if not verified.ok:
        raise AuditChainBroken(verified)
    if verified.head_sequence == 0 or (newest and newest.checkpoint.sequence == verified.head_sequence):
        return None
    checkpoint = sign(sequence=verified.head_sequence, head_hash=verified.head_hash, at=now, key=keyring.current)
    file.append(checkpoint)
    return checkpoint


def checkpoint_sweep(file: CheckpointFile):
    """The scheduler's job: `fn(session, *, now) -> handled`."""

    def take_checkpoint(session: Session, *, now: datetime) -> int:
        return 1 if take(session, file=file, now=now) else 0

    return take_checkpoint
