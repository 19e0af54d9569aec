"""A case page records its consultation without waiting for anyone: the view is queued with one
INSERT, and the audit chain's head, which every change (and once every view) locks, is not touched.
Whoever reads the trail on the audit page sees the view all the same."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

import pytest
from sqlalchemy import event, select, text

from casework.domain.roles import Role
from casework.models import AuditEvent, PendingConsultation
from tests.audit_queue import chain_queued_views
from tests.conftest import backend, make_case, make_team, make_user, sign_in_quickly
from tests.races import race_track, soup

DEADLINE = 5  # seconds: a page that answers later than this was waiting for the head


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


@pytest.mark.skipif(backend() != "postgresql", reason="SQLite has one writer at a time, whatever it locks")
def test_two_case_pages_answer_while_someone_holds_the_audit_chain_head(track):
    with track.sessions() as setup:
        team = make_team(setup)
        first, second = (make_user(setup, roles=[Role.NAVIGATOR], team=team) for _ in range(2))
        case = make_case(setup, team=team, navigator_id=first.id)
        setup.commit()
    browsers = track.signed_in(first), track.signed_in(second)
    pool = ThreadPoolExecutor(max_workers=2)
    with track.engine.connect() as holder:
        # As a change in progress (or, before views were queued, another user's case view) holds it.
        holding = holder.begin()
        held_at = holder.execute(text("SELECT last_sequence FROM audit_chain_head WHERE id = 1 FOR UPDATE")).scalar()
        try:
            pages = [pool.submit(browser.get, f"/cases/{case.id}") for browser in browsers]
            _answered, waiting = wait(pages, timeout=DEADLINE)
            queued = track.count(PendingConsultation, PendingConsultation.case_id == case.id)
        finally:
            holding.rollback()  # lets a page that waited finish, so the test fails rather than hangs
            pool.shutdown(wait=True)
    assert not waiting, f"{len(waiting)} case pages waited for the audit chain's head"
    assert [page.result().status_code for page in pages] == [200, 200]
    assert queued == 2
    with track.sessions() as check:
        assert check.scalar(text("SELECT last_sequence FROM audit_chain_head")) == held_at
        chain_queued_views(check)
        viewed = check.scalars(
            select(AuditEvent.actor_id).where(AuditEvent.case_id == case.id, AuditEvent.action == "case.viewed")
        ).all()
    assert sorted(viewed) == sorted([first.id, second.id])


def test_a_case_page_queues_its_view_in_one_statement_and_leaves_the_chain_alone(client, session, connection, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    client.get(f"/cases/{case.id}")  # warm-up: the session touch and caches
    statements: list[str] = []

    def run(_conn, _cursor, statement, *_):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", run)
    try:
        assert client.get(f"/cases/{case.id}").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", run)
    assert not [s for s in statements if "audit_chain_head" in s or "audit_events" in s]
    assert [s.split("(")[0].strip() for s in statements if "pending_consultations" in s] == [
        "INSERT INTO pending_consultations"
    ]


def test_the_audit_page_shows_a_view_made_a_moment_before(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert client.get(f"/cases/{case.id}/notes").status_code == 200
    sign_in_quickly(client, session, supervisor)
    page = soup(client.get(f"/audit/?case_id={case.id}&action=case.viewed"))
    rows = [row.get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert len(rows) == 1 and navigator.username in rows[0], rows
    assert not session.scalars(select(PendingConsultation)).all()
