"""Work outside a request: one commit at the end, nothing kept when it fails, an explicit actor."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.db import make_session_factory
from casework.domain.clock import FixedClock
from casework.domain.errors import FieldError, NotPermitted
from casework.domain.roles import Role
from casework.models import AuditEvent, Team
from casework.services import accounts, audit
from casework.services.unit_of_work import unit_of_work
from tests.conftest import NOW, make_team, make_user


@pytest.fixture
def sessions(migrated_database):
    return make_session_factory(migrated_database.engine)


def _count(sessions, model) -> int:
    with sessions() as reader:
        return reader.scalar(select(func.count()).select_from(model))


def test_the_block_commits_once_at_the_end_with_the_clocks_instant(sessions):
    with unit_of_work(sessions, clock=FixedClock(NOW)) as work:
        assert work.now == NOW and work.actor is None
        make_team(work.session, name="Headquarters")
        audit.record(work.session, actor=work.actor, action="scheme.settings_changed", now=work.now)
    assert _count(sessions, Team) == 1
    with sessions() as reader:
        event = reader.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc())).first()
        assert event.actor_id is None and event.occurred_at == NOW  # the system acted, at the clock's time


def test_a_failure_keeps_nothing(sessions):
    events_before = _count(sessions, AuditEvent)
    with pytest.raises(FieldError), unit_of_work(sessions, clock=FixedClock(NOW)) as work:
        make_team(work.session, name="Headquarters")
        audit.record(work.session, actor=None, action="scheme.settings_changed", now=work.now)
        raise FieldError("name", "Something the command checked was wrong")
    assert _count(sessions, Team) == 0 and _count(sessions, AuditEvent) == events_before


def test_acting_as_someone_needs_their_active_account(sessions):
    with sessions() as setup:
        team = make_team(setup)
        admin = make_user(setup, roles=[Role.ADMINISTRATOR], team=team)
        gone = make_user(setup, roles=[Role.ADMINISTRATOR], team=team)
        accounts.deactivate_user(setup, actor=admin, user=gone, seen_version=gone.version, now=NOW)
        admin_name, gone_name = admin.username, gone.username
        setup.commit()
    with unit_of_work(sessions, clock=FixedClock(NOW), acting_as=admin_name.upper()) as work:
        assert work.actor.username == admin_name
    for who in (gone_name, "nobody.here"):
        with pytest.raises(NotPermitted), unit_of_work(sessions, clock=FixedClock(NOW), acting_as=who):
            pass
