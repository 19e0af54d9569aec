"""Check-ins as calendar files, read back with the `icalendar` library as a calendar app would."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from sqlalchemy import select

from casework.domain.clock import LONDON, from_local
from casework.domain.errors import NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, CalendarFeed
from casework.services import accounts, calendar
from tests.check_ins import make_check_in
from tests.conftest import NOW, make_case, make_person, make_user

SPRING = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def _link(check_in) -> str:
    return f"https://casework.example/cases/{check_in.case_id}/check-ins/{check_in.id}"


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _case(session, team, navigator, **person):
    person = make_person(session, creator=navigator, **person)
    return make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id, person=person)


def _events(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_ten_in_the_morning_london_time_on_each_side_of_both_clock_changes(session, team, navigator):
    case = _case(session, team, navigator)
    expected = {
        date(2026, 3, 28): datetime(2026, 3, 28, 10, 0, tzinfo=UTC),  # GMT
        date(2026, 3, 30): datetime(2026, 3, 30, 9, 0, tzinfo=UTC),  # BST from 29 March
        date(2026, 10, 24): datetime(2026, 10, 24, 9, 0, tzinfo=UTC),  # BST
        date(2026, 10, 26): datetime(2026, 10, 26, 10, 0, tzinfo=UTC),  # GMT from 25 October
    }
    for day in expected:
        make_check_in(session, case=case, at=from_local(day, time(10, 0)))
    token = calendar.create_feed(session, actor=navigator, now=SPRING)

    for body in (
        calendar.case_file(session, actor=navigator, case=case, now=SPRING, link=_link),
        calendar.feed_file(session, token=token, now=SPRING, link=_link),
    ):
        starts = [event.decoded("DTSTART") for event in _events(body)]
        assert starts == list(expected.values())
        assert all(start.astimezone(LONDON).time() == time(10, 0) for start in starts)
        assert [event.decoded("DTEND") - event.decoded("DTSTART") for event in _events(body)] == [
            timedelta(minutes=30)
        ] * 4


def test_a_moved_check_in_keeps_its_uid_and_raises_its_sequence_and_a_cancelled_one_says_so(session, team, navigator):
    case = _case(session, team, navigator)
    moved = make_check_in(session, case=case, at=NOW + timedelta(days=2))
    cancelled = make_check_in(session, case=case, at=NOW + timedelta(days=9))
    before = _events(calendar.case_file(session, actor=navigator, case=case, now=NOW, link=_link))

    moved.scheduled_at = NOW + timedelta(days=3)
    cancelled.cancelled_at, cancelled.cancel_reason, cancelled.requested_by = NOW, "Holiday", "person"
    session.flush()
    after = _events(calendar.case_file(session, actor=navigator, case=case, now=NOW, link=_link))

    assert [str(e["UID"]) for e in before] == [str(e["UID"]) for e in after]
    assert len({str(e["UID"]) for e in after}) == 2
    assert after[0]["SEQUENCE"] > before[0]["SEQUENCE"]
    assert after[0].decoded("DTSTART") == NOW + timedelta(days=3)
    assert [str(e["STATUS"]) for e in after] == ["CONFIRMED", "CANCELLED"]


def test_a_long_place_with_commas_is_escaped_and_folded(session, team, navigator):
    place = (
        "Canolfan Gymunedol Llanfair, Ystafell 3; y llawr cyntaf, "
        "drws ochr \\ cefn, ger yr orsaf fysiau, Stryd Fawr, Llanfairpwllgwyngyll, LL61 5UJ \u2013 "
        "gofynnwch wrth y dderbynfa"
    )
    case = _case(session, team, navigator)
    make_check_in(session, case=case, at=NOW + timedelta(days=1), place=place)

    body = calendar.case_file(session, actor=navigator, case=case, now=NOW, link=_link)

    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "the long place should be folded"
    assert b"Llanfair\\, Ystafell 3\\; y llawr" in body.replace(b"\r\n ", b"")
    (event,) = _events(body)
    assert str(event["LOCATION"]) == place


def test_the_case_file_is_for_the_cases_team_and_is_recorded_as_a_disclosure(session, team, other_team, navigator):
    case = _case(session, team, navigator)
    make_check_in(session, case=case, at=NOW + timedelta(days=1))
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)

    calendar.case_file(session, actor=supervisor, case=case, now=NOW, link=_link)

    event = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()[-1]
    assert (event.action, event.actor_id, event.detail["check_ins"]) == ("case.calendar_downloaded", supervisor.id, 1)
    for outsider in (
        make_user(session, roles=[Role.NAVIGATOR], team=other_team),
        make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
        make_user(session, roles=[Role.ADMINISTRATOR], team=team),
    ):
        with pytest.raises(NotFound if outsider.team_id != team.id else NotPermitted):
            calendar.case_file(session, actor=outsider, case=case, now=NOW, link=_link)


def test_the_feed_shows_initials_and_reference_of_the_navigators_own_open_cases_only(
    session, team, other_team, navigator
):
    mine = _case(session, team, navigator, given_names="Jordan Lee", family_name="Blake")
    colleague = make_user(session, roles=[Role.NAVIGATOR], team=team)
    theirs = _case(session, team, colleague)
    closed = make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id)
    kept = make_check_in(session, case=mine, at=NOW + timedelta(days=1), place="12 Acacia Avenue, Durham")
    make_check_in(session, case=mine, at=NOW - timedelta(days=31))  # older than the feed reaches
    for case in (theirs, closed):
        make_check_in(session, case=case, at=NOW + timedelta(days=1))
    token = calendar.create_feed(session, actor=navigator, now=NOW)

    body = calendar.feed_file(session, token=token, now=NOW, link=_link)

    (event,) = _events(body)
    assert str(event["SUMMARY"]) == f"Check-in: J. B. ({mine.reference})"
    assert str(event["URL"]) == _link(kept)
    assert "LOCATION" not in event
    for personal in (b"Jordan", b"Blake", b"Acacia", theirs.reference.encode(), closed.reference.encode()):
        assert personal not in body


def test_only_the_hash_is_stored_and_a_new_address_or_revoking_stops_the_old(session, team, navigator):
    first = calendar.create_feed(session, actor=navigator, now=NOW)
    (stored,) = session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == navigator.id)).all()
    assert stored.token_sha256 == calendar.digest(first) and first not in stored.token_sha256
    assert len(first) >= 40

    second = calendar.create_feed(session, actor=navigator, now=NOW + timedelta(minutes=1))
    with pytest.raises(calendar.FeedRevoked):
        calendar.feed_file(session, token=first, now=NOW, link=_link)
    calendar.feed_file(session, token=second, now=NOW + timedelta(minutes=2), link=_link)
    assert calendar.active_feed(session, actor=navigator).last_used_at == NOW + timedelta(minutes=2)

    assert calendar.revoke_feed(session, actor=navigator, now=NOW + timedelta(minutes=3))
    with pytest.raises(calendar.FeedRevoked):
        calendar.feed_file(session, token=second, now=NOW, link=_link)
    assert calendar.active_feed(session, actor=navigator) is None
    with pytest.raises(NotFound):
        calendar.feed_file(session, token="not-a-token", now=NOW, link=_link)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == navigator.id)).all()
    assert actions[-3:] == ["calendar.feed_created", "calendar.feed_created", "calendar.feed_revoked"]


def test_a_deactivated_navigators_feed_stops(session, team, navigator):
    token = calendar.create_feed(session, actor=navigator, now=NOW)
    administrator = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    accounts.deactivate_user(session, actor=administrator, user=navigator, seen_version=navigator.version, now=NOW)
    with pytest.raises(calendar.FeedRevoked):
        calendar.feed_file(session, token=token, now=NOW, link=_link)


def test_only_navigators_have_feeds(session, team):
    for role in (Role.SUPERVISOR, Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR):
        with pytest.raises(NotPermitted):
            calendar.create_feed(session, actor=make_user(session, roles=[role], team=team), now=NOW)
