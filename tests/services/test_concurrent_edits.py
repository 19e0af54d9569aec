"""Two administrators saving the same account at the same moment, with real commits, on both
databases: the second is told, and the first one's change is kept."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from casework.db import make_session_factory
from casework.domain.errors import StaleRecord
from casework.domain.roles import Role
from casework.models import User
from casework.services import accounts
from casework.services.accounts import AccountDetails
from tests.conftest import make_team, make_user


def _details(user: User, full_name: str) -> AccountDetails:
    return AccountDetails(
        username=user.username,
        full_name=full_name,
        email=user.email,
        organisation=user.organisation,
        team_id=user.team_id,
        roles=user.roles,
    )


def test_simultaneous_saves_keep_the_first_and_refuse_the_second(migrated_database):
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        team = make_team(setup)
        admin_id = make_user(setup, roles=[Role.ADMINISTRATOR], team=team).id
        subject = make_user(setup, team=team)
        subject_id, seen = subject.id, subject.version
        setup.commit()

    first_loaded, outcome = threading.Event(), {}

    def first_admin() -> None:
        with sessions() as own:
            user = own.get(User, subject_id)
            first_loaded.set()
            accounts.update_user(
                own,
                actor=own.get(User, admin_id),
                user=user,
                seen_version=seen,
                details=_details(user, "Saved First"),
                now=datetime.now(UTC),
            )
            threading.Event().wait(0.3)  # still inside the transaction when the second admin saves
            own.commit()

    def second_admin() -> None:
        first_loaded.wait(timeout=10)
        with sessions() as own:
            try:
                user = own.get(User, subject_id)
                accounts.update_user(
                    own,
                    actor=own.get(User, admin_id),
                    user=user,
                    seen_version=seen,
                    details=_details(user, "Saved Second"),
                    now=datetime.now(UTC),
                )
                own.commit()
                outcome["second"] = "saved"
            except StaleRecord as refusal:
                own.rollback()
                outcome["second"] = refusal.message

    threads = [threading.Thread(target=first_admin, daemon=True), threading.Thread(target=second_admin, daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome["second"].startswith("Someone else changed")
    with sessions() as check:
        assert check.get(User, subject_id).full_name == "Saved First"
