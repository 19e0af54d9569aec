"""A follow-up a supervisor asks of a case's navigator ("check the course place was confirmed, by
Friday"), and the navigator's answer. Each side is told about the other's step."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.notifications import Event
from casework.domain.roles import Action, Role
from casework.models import Case, FollowUp, User
from casework.services import access, audit, staff_notifications
from casework.services.concurrency import flush_or_stale, stale_message

MAX_WHAT = 500
MAX_NOTE = 2000


def open_for_case(session: Session, *, case: Case) -> list[FollowUp]:
    """The case's follow-ups not yet done, soonest due first; the caller may already see the case."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.case_id == case.id, FollowUp.done_at.is_(None))
            .order_by(FollowUp.due_on, FollowUp.id)
            # The people are shown by name: their roles would cost a statement each.
            .options(*(joinedload(who).lazyload(User.role_grants) for who in (FollowUp.navigator, FollowUp.set_by)))
        )
    )


def open_for_navigator(session: Session, *, actor: User, navigator: User) -> list[tuple[FollowUp, Case]]:
    """The follow-ups waiting for a navigator, read by themselves or a supervisor of their team."""
    if actor.id == navigator.id:
        access.require(actor, Action.WORK_CASELOAD, team_id=navigator.team_id)
    else:
        access.require(actor, Action.VIEW_TEAM, team_id=navigator.team_id)
    rows = session.execute(
        select(FollowUp, Case)
        .join(Case, Case.id == FollowUp.case_id)
        .where(
            FollowUp.navigator_id == navigator.id,
            FollowUp.done_at.is_(None),
            Case.team_id == navigator.team_id,
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    return [(follow_up, case) for follow_up, case in rows]


def get(session: Session, *, actor: User, case: Case, follow_up_id: int) -> FollowUp:
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.case_id != case.id:
        raise NotFound("There is no such follow-up on this case.")
    return follow_up


def may_ask(actor: User, case: Case) -> bool:
    """Whether the case page offers this actor "ask for a follow-up"."""
    return (
        access.can(actor, Action.FLAG_FOR_FOLLOW_UP, team_id=case.team_id) and case.is_open and bool(case.navigator_id)
    )


def asking_refusal(*, actor: User, case: Case) -> str | None:
    access.require(actor, Action.FLAG_FOR_FOLLOW_UP, team_id=case.team_id)
    if not case.is_open:
        return f"Case {case.reference} is {case.case_state.label.lower()}: nobody is working on it."
    if case.navigator_id is None:
        return "Allocate the case to a navigator before asking for a follow-up."
    return None


def ask(session: Session, *, actor: User, case: Case, what: str, due_on: date | None, now: datetime) -> FollowUp:
    refusal = asking_refusal(actor=actor, case=case)
    if refusal:
        raise IllegalTransition(refusal)
    problems = []
    what = (what or "").strip()
    if not what:
        problems.append(FieldError("what", "Enter what the navigator should follow up"))
    elif len(what) > MAX_WHAT:
        problems.append(FieldError("what", f"Enter what to follow up in {MAX_WHAT} characters or fewer"))
    if due_on is None:
        problems.append(FieldError("due_on", "Enter the date to follow it up by"))
    elif due_on < local_today(now):
        problems.append(FieldError("due_on", "The date to follow it up by must be today or later"))
    FieldErrors.raise_any(problems)
    follow_up = FollowUp(
        case_id=case.id, navigator_id=case.navigator_id, what=what, due_on=due_on, set_by_id=actor.id, set_at=now
    )
    session.add(follow_up)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="case.follow_up_asked",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        follow_up_id=follow_up.id,
        navigator_id=case.navigator_id,
        due_on=due_on.isoformat(),
    )
    staff_notifications.notify(
        session,
        user=case.navigator,
        event=Event.FOLLOW_UP_ASKED,
        case=case,
        text=f"{actor.full_name} asks you to follow up by {due_on.day} {due_on:%B %Y}: {what}",
        now=now,
        key=f"follow_up_asked:{follow_up.id}",
    )
    return follow_up


def completion_refusal(*, actor: User, case: Case, follow_up: FollowUp) -> str | None:
    """The case's navigator answers a follow-up; a supervisor of the team may close it too."""
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    if follow_up.done_at is not None:
        return f"{follow_up.done_by.full_name} marked this follow-up done already."
    if actor.has_role(Role.SUPERVISOR) or actor.id in (case.navigator_id, follow_up.navigator_id):
        return None
    return "Only the case's navigator or a supervisor can mark this follow-up done."


def complete(
    session: Session, *, actor: User, case: Case, follow_up: FollowUp, note: str, seen_version: int, now: datetime
) -> FollowUp:
    if follow_up.version != seen_version:
        raise StaleRecord(stale_message("this follow-up"), case_id=case.id)
    refusal = completion_refusal(actor=actor, case=case, follow_up=follow_up)
    if refusal:
        if follow_up.done_at is None:
            raise NotPermitted(refusal)
        raise IllegalTransition(refusal)
    note = (note or "").strip()
    if not note:
        raise FieldError("note", "Write what was done")
    if len(note) > MAX_NOTE:
        raise FieldError("note", f"Write what was done in {MAX_NOTE} characters or fewer")
    follow_up.done_at, follow_up.done_by_id, follow_up.done_note = now, actor.id, note
    flush_or_stale(session, stale_message("this follow-up"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="case.follow_up_done",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        follow_up_id=follow_up.id,
    )
    asker = session.get(User, follow_up.set_by_id)
    if asker.id != actor.id:
        staff_notifications.notify(
            session,
            user=asker,
            event=Event.FOLLOW_UP_DONE,
            case=case,
            text=f"{actor.full_name} followed up “{follow_up.what[:150]}”: {note[:250]}",
            now=now,
            key=f"follow_up_done:{follow_up.id}",
        )
    return follow_up
