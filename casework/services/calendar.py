"""Check-ins as calendar files: one case's schedule downloaded by its team, and a navigator's private
subscription feed, which a calendar app fetches without signing in.

The feed's address is the only thing guarding it, so it carries as little as a diary needs: the
person's initials, the case reference, the time and the mode. Its token is random, shown once and
stored only as a SHA-256 hash; revoking it, or making a new one, stops the old address at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, lazyload

from casework.domain import ics
from casework.domain.check_ins import Mode
from casework.domain.errors import NotFound
from casework.domain.roles import Action
from casework.models import CalendarFeed, Case, CheckIn, Person, User
from casework.services import access, audit
from casework.services.today import held_by

# How far back the feed reaches: far enough to look back over the last month, no further.
FEED_PAST = timedelta(days=30)
# A calendar app polls every few minutes; noting each fetch would be a write per poll.
LAST_USED_PRECISION = timedelta(minutes=15)

Link = Callable[[CheckIn], str]


class FeedRevoked(NotFound):
    """A feed address that worked once and no longer does (revoked, or its owner can no longer
    hold cases): answered 410 so a calendar app stops asking."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def initials(person: Person) -> str:
    """J. B. for Jordan Blake: enough for the navigator to know who, not enough to identify."""
    names = [*person.given_names.split()[:1], person.family_name]
    return " ".join(f"{name[0].upper()}." for name in names if name)


# --- the navigator's feed ------------------------------------------------------------------------


def active_feed(session: Session, *, actor: User) -> CalendarFeed | None:
    access.require(actor, Action.WORK_CASELOAD, team_id=actor.team_id)
    return session.scalar(
        select(CalendarFeed).where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
    )


def _revoke(session: Session, *, actor: User, now: datetime) -> int:
    return session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def create_feed(session: Session, *, actor: User, now: datetime) -> str:
    """A new feed address; any earlier one stops working. Returns the token, which is never stored."""
    access.require(actor, Action.WORK_CASELOAD, team_id=actor.team_id)
    replaced = _revoke(session, actor=actor, now=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=actor.id, token_sha256=digest(token), created_at=now)
    session.add(feed)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="calendar.feed_created",
        now=now,
        team_id=actor.team_id,
        feed_id=feed.id,
        replaced=bool(replaced),
    )
    return token


def revoke_feed(session: Session, *, actor: User, now: datetime) -> bool:
    access.require(actor, Action.WORK_CASELOAD, team_id=actor.team_id)
    revoked = _revoke(session, actor=actor, now=now)
    if revoked:
        audit.record(session, actor=actor, action="calendar.feed_revoked", now=now, team_id=actor.team_id)
    return bool(revoked)


def _feed_owner(session: Session, *, token: str, now: datetime) -> User:
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_sha256 == digest(token)))
    if feed is None:
        raise NotFound("There is no such calendar feed.")
    owner = feed.user
    # A deactivated account, or one no longer a navigator, stops its feed as revoking would.
    if feed.revoked_at is not None or not access.can(owner, Action.WORK_CASELOAD, team_id=owner.team_id):
        raise FeedRevoked("This calendar feed has been turned off.")
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_PRECISION:
        feed.last_used_at = now
        session.flush()
    return owner


def _event(check_in: CheckIn, case: Case, link: Link, *, description: str, location: str = "") -> ics.Event:
    """One check-in as a calendar event: its UID stays, and its SEQUENCE rises with each change."""
    return ics.Event(
        uid=_uid(check_in),
        sequence=check_in.version,
        starts_at=check_in.scheduled_at,
        summary=f"Check-in: {initials(case.person)} ({case.reference})",
        location=location,
        description=description,
        url=link(check_in),
        cancelled=check_in.cancelled_at is not None,
    )


def feed_file(session: Session, *, token: str, now: datetime, link: Link) -> bytes:
    """The check-ins of the owner's open cases, from a month ago on, cancelled ones marked so."""
    owner = _feed_owner(session, token=token, now=now)
    rows = session.execute(
        select(CheckIn, Case)
        .join(Case, Case.id == CheckIn.case_id)
        .where(held_by(owner), CheckIn.scheduled_at >= now - FEED_PAST)
        .order_by(CheckIn.scheduled_at, CheckIn.id)
        .options(lazyload(CheckIn.changes), lazyload(CheckIn.condition_notes))
    ).all()
    # No place in a feed: for a phone check-in the place is the person's number.
    events = [
        _event(check_in, case, link, description=f"{Mode(check_in.mode).label}. The details are in the case record.")
        for check_in, case in rows
    ]
    return ics.calendar(name="My check-ins", events=events, now=now)


# --- one case's schedule -------------------------------------------------------------------------


def case_file(session: Session, *, actor: User, case: Case, now: datetime, link: Link) -> bytes:
    """Every check-in of one case, with where each is held: a download by the case's team,
    recorded as a disclosure like the contract's PDF."""
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    check_ins = session.scalars(
        select(CheckIn)
        .where(CheckIn.case_id == case.id)
        .order_by(CheckIn.scheduled_at, CheckIn.id)
        .options(lazyload(CheckIn.changes), lazyload(CheckIn.condition_notes))
    ).all()
    events = [
        _event(
            check_in,
            case,
            link,
            location=check_in.place,
            description=f"{Mode(check_in.mode).label}. {Mode(check_in.mode).place_label}: {check_in.place}",
        )
        for check_in in check_ins
    ]
    audit.record(
        session,
        actor=actor,
        action="case.calendar_downloaded",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        purpose="calendar file of the case's check-ins",
        check_ins=len(events),
    )
    return ics.calendar(name=f"Check-ins {case.reference}", events=events, now=now)


def _uid(check_in: CheckIn) -> str:
    # Stable for the life of the check-in, so a moved one replaces itself in the calendar.
    return f"check-in-{check_in.id}@casework"
