"""Case views are queued, then chained onto the audit trail by the next change, by the scheduler's
minute, or before anyone reads or verifies the trail; each exactly once, in the order queued."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework import create_app
from casework.db import make_session_factory
from casework.domain.clock import FixedClock
from casework.domain.roles import Role
from casework.jobs.registry import JOBS, JobContext, run_job
from casework.models import AuditChainHead, AuditEvent, PendingConsultation
from casework.services import audit, case_views, consultation_queue
from casework.services.audit_integrity import verify
from casework.services.scheduler_lock import scheduler_lock
from tests.conftest import NOW, make_case, make_team, make_user

SEAL_JOB = next(job for job in JOBS if job.name == "seal_consultations")


def _view(session, actor, case, *, page="cases.show", minutes=0):
    case_views.record_consultation(
        session, actor=actor, case=case, page=page, scope="full", now=NOW + timedelta(minutes=minutes)
    )


def _viewed(session) -> list[tuple]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.viewed").order_by(AuditEvent.sequence)
    ).all()
    return [(e.actor_id, e.case_id, e.team_id, e.detail, e.occurred_at) for e in events]


def _queued(session) -> int:
    return session.scalar(select(func.count()).select_from(PendingConsultation))


def test_a_view_is_queued_and_the_next_change_chains_it_first_in_order(session, team):
    navigator, colleague = (make_user(session, roles=[Role.NAVIGATOR], team=team) for _ in range(2))
    case = make_case(session, team=team)
    head = session.get(AuditChainHead, 1).last_sequence
    _view(session, navigator, case, page="cases.show", minutes=1)
    _view(session, colleague, case, page="cases.notes", minutes=2)
    assert _queued(session) == 2 and not _viewed(session)
    assert session.get(AuditChainHead, 1).last_sequence == head  # the chain did not move for a view

    change = audit.record(session, actor=colleague, action="case.note_added", now=NOW + timedelta(minutes=3))
    assert _queued(session) == 0
    assert _viewed(session) == [
        (navigator.id, case.id, team.id, {"page": "cases.show", "scope": "full"}, NOW + timedelta(minutes=1)),
        (colleague.id, case.id, team.id, {"page": "cases.notes", "scope": "full"}, NOW + timedelta(minutes=2)),
    ]
    sequences = session.scalars(
        select(AuditEvent.sequence).where(AuditEvent.sequence > head).order_by(AuditEvent.sequence)
    ).all()
    assert sequences == [head + 1, head + 2, head + 3] and change.sequence == head + 3
    assert verify(session).ok


def test_a_change_rolled_back_leaves_the_views_queued(session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team)
    _view(session, navigator, case)
    session.commit()
    audit.record(session, actor=navigator, action="case.note_added", now=NOW)
    session.rollback()
    assert _queued(session) == 1 and not _viewed(session)


def test_a_change_chains_at_most_a_batch_of_views_and_the_rest_stay_queued(session, team, monkeypatch):
    monkeypatch.setattr(consultation_queue, "WITH_A_CHANGE", 3)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team)
    for minute in range(5):
        _view(session, navigator, case, minutes=minute)
    audit.record(session, actor=navigator, action="case.note_added", now=NOW)
    assert [viewed[-1] for viewed in _viewed(session)] == [NOW + timedelta(minutes=m) for m in range(3)]
    assert _queued(session) == 2


def test_nothing_queued_costs_a_change_one_select(session, connection, team):
    from sqlalchemy import event

    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    session.commit()
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_):
        if not statement.startswith(("SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        audit.record(session, actor=navigator, action="case.note_added", now=NOW)
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert sum("pending_consultations" in s for s in statements) == 1
    assert len(statements) == 4  # lock the head, look at the queue, insert the event, move the head


# ---- the scheduler, and two sealers at once, with real commits --------------------------------------


@pytest.fixture
def sessions(migrated_database):
    return make_session_factory(migrated_database.engine)


def _queue_views(sessions, count: int) -> tuple[int, int]:
    with sessions() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        case = make_case(session, team=team)
        session.commit()
        for n in range(count):
            _view(session, navigator, case, page=f"page.{n}", minutes=n)
        session.commit()
        return navigator.id, case.id


def test_the_scheduler_chains_every_queued_view_in_batches_and_a_second_run_finds_none(sessions, migrated_database):
    _queue_views(sessions, 250)  # more than one batch of 100
    clock = FixedClock(NOW + timedelta(hours=1))
    lock = scheduler_lock(migrated_database.engine, clock=clock)
    assert lock.acquire()
    context = JobContext(sessions=sessions, clock=clock, lock=lock)
    try:
        assert SEAL_JOB.interval == timedelta(minutes=1) and SEAL_JOB.batch == 100
        first, second = run_job(SEAL_JOB, context), run_job(SEAL_JOB, context)
    finally:
        lock.release()
    assert (first.outcome, first.handled, second.outcome, second.handled) == ("ok", 250, "ok", 0)
    with sessions() as session:
        assert _queued(session) == 0
        pages = [detail["page"] for *_, detail, _ in _viewed(session)]
        assert pages == [f"page.{n}" for n in range(250)]  # in the order they were queued
        assert verify(session).ok


def test_two_sealers_at_once_chain_each_view_exactly_once(sessions):
    _queue_views(sessions, 60)
    start, problems = threading.Barrier(2, timeout=30), []

    def seal():
        try:
            with sessions() as session:
                start.wait()
                consultation_queue.seal(session, limit=40)
                session.commit()
        except BaseException as problem:
            problems.append(problem)

    threads = [threading.Thread(target=seal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not problems, problems
    with sessions() as session:
        pages = [detail["page"] for *_, detail, _ in _viewed(session)]
        assert pages == [f"page.{n}" for n in range(60)] and _queued(session) == 0
        assert verify(session).ok


def test_audit_verify_chains_the_queue_first_and_says_how_many(sessions, migrated_database):
    _queue_views(sessions, 3)
    app = create_app(
        {"database_url": migrated_database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"}
    )
    try:
        result = app.test_cli_runner().invoke(args=["audit-verify"])
    finally:
        app.extensions["casework.engine"].dispose()
    assert result.exit_code == 0, result.output
    assert "Case views chained from the queue first: 3." in result.output
    assert "Case views still queued, not yet on the chain: 0." in result.output
    assert "Audit trail verified" in result.output
    with sessions() as session:
        assert len(_viewed(session)) == 3 and _queued(session) == 0
