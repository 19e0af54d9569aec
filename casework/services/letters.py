"""Letters and files issued on a case (warning, final warning, decision, completion, breach file).

Each is rendered once per subject and language and stored; later downloads serve the stored bytes,
so the copy a person or a court was given can be proven. Every download is an audited disclosure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.models import Case, User
from casework.models.letters import LETTER_KINDS, CaseLetter
from casework.services import audit
from casework.services.concurrency import is_lost_race
from contracts import RenderedDocument


def stored(session: Session, *, case: Case, kind: str, subject_id: int, language: str) -> CaseLetter | None:
    return session.scalar(
        select(CaseLetter).where(
            CaseLetter.case_id == case.id,
            CaseLetter.kind == kind,
            CaseLetter.subject_id == subject_id,
            CaseLetter.language == language,
        )
    )


def issue(
    session: Session,
    *,
    case: Case,
    kind: str,
    subject_id: int,
    language: str,
    render: Callable[[], RenderedDocument],
    actor: User | None,
    now: datetime,
) -> CaseLetter:
    """The stored copy, rendering and storing it first if this is the first issue. Rendering happens
    before anything is written, so no lock is held while WeasyPrint works; simultaneous first issues
    all render and the first to store wins (the others get its bytes)."""
    if kind not in LETTER_KINDS:
        raise ValueError(f"unknown letter kind {kind!r}")
    existing = stored(session, case=case, kind=kind, subject_id=subject_id, language=language)
    if existing is not None:
        return existing
    rendered = render()
    letter = CaseLetter(
        case_id=case.id,
        kind=kind,
        subject_id=subject_id,
        language=language,
        template_version=rendered.template_version,
        sha256=rendered.sha256,
        pdf=rendered.pdf,
        created_at=now,
        created_by_id=actor.id if actor else None,
    )
    try:
        with session.begin_nested():
            session.add(letter)
    except IntegrityError as clash:
        winner = stored(session, case=case, kind=kind, subject_id=subject_id, language=language)
        if winner is None or not is_lost_race(clash):
            raise
        return winner
    return letter


def record_download(
    session: Session, *, actor: User, case: Case, letter: CaseLetter, recipient: str, purpose: str, now: datetime
) -> None:
    """A download is a disclosure: who took which bytes, for whom and why."""
    audit.record(
        session,
        actor=actor,
        action="letter.pdf_downloaded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        kind=letter.kind,
        recipient=recipient,
        purpose=purpose,
        sha256=letter.sha256,
        template_version=letter.template_version,
        language=letter.language,
    )
