"""Queuing case views: the trail written before keeps verifying, and the queue cannot be dropped
by a downgrade while a view in it is not yet on the chain."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from casework.migrate import current_revision, downgrade, upgrade
from casework.services import audit, case_views, consultation_queue
from tests.conftest import NOW, make_case, make_team, make_user
from tests.migrations.test_audit_keyed_chain_migration import _plain_events

BEFORE = "0033_session_resume"


def test_the_trail_still_verifies_and_a_downgrade_waits_for_queued_views_to_be_chained(fresh_database):
    upgrade(fresh_database.engine, BEFORE)
    with fresh_database.engine.begin() as connection:
        _plain_events(connection, 1)  # written before the queue
    upgrade(fresh_database.engine)
    with Session(fresh_database.engine) as session:
        team = make_team(session)
        user, case = make_user(session, team=team), make_case(session, team=team)
        case_views.record_consultation(session, actor=user, case=case, page="cases.show", scope="full", now=NOW)
        session.commit()
    with pytest.raises(RuntimeError, match="1 consultations are still queued"):
        downgrade(fresh_database.engine, BEFORE)
    with Session(fresh_database.engine) as session:
        assert consultation_queue.seal(session) == 1
        session.commit()
        assert audit.verify(session).ok
    downgrade(fresh_database.engine, BEFORE)
    with fresh_database.engine.connect() as connection:
        assert current_revision(connection) == BEFORE
    with Session(fresh_database.engine) as session:
        assert audit.verify(session).ok  # the sealed view stays on the chain, without its queue link
