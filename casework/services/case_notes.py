"""Case notes: long enough for real notes, never edited once written (add another instead)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.errors import FieldError
from casework.domain.roles import Action
from casework.models import Case, CaseNote, User
from casework.services import access, audit

MAX_NOTE_LENGTH = 12_000


def add_note(session: Session, *, actor: User, case: Case, body: str, now: datetime) -> CaseNote:
    access.require(actor, Action.WRITE_CASE_NOTE, team_id=case.team_id)
    text = body.strip()
    if not text:
        raise FieldError("body", "Enter the note")
    if len(text) > MAX_NOTE_LENGTH:
        raise FieldError("body", f"Note must be {MAX_NOTE_LENGTH:,} characters or fewer")
    note = CaseNote(case_id=case.id, author_id=actor.id, written_at=now, body=text)
    session.add(note)
    session.flush()
    # The note's text is special-category material: the audit trail records that it exists only.
    audit.record(
        session,
        actor=actor,
        action="case.note_added",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        note_id=note.id,
        length=len(text),
    )
    return note


def notes_for(session: Session, *, case: Case) -> list[CaseNote]:
    return list(session.scalars(select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id.desc())))
