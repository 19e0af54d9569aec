"""Operator commands: the first administrator, demo data and the health check on a new database."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from casework import create_app
from casework.domain.roles import Role
from casework.migrate import MIGRATIONS, head_revision
from casework.models import User
from casework.services import authentication
from tests.conftest import NOW

ARGS = [
    "create-user",
    "--username",
    "first.admin",
    "--full-name",
    "Jo Ellis",
    "--email",
    "jo@example.police.uk",
    "--organisation",
    "Test Constabulary",
    "--team",
    "Headquarters",
]


def test_create_user_makes_the_first_administrator(app, session):
    result = app.test_cli_runner().invoke(args=ARGS, env={"CASEWORK_NEW_PASSPHRASE": "granite willow ferry"})
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "first.admin"))
    assert user.roles == {Role.ADMINISTRATOR} and user.team.name == "Headquarters"
    assert authentication.sign_in(session, username="first.admin", passphrase="granite willow ferry", now=NOW)


def test_create_user_refuses_a_weak_passphrase_and_creates_nothing(app, session):
    result = app.test_cli_runner().invoke(args=ARGS, env={"CASEWORK_NEW_PASSPHRASE": "password1234"})
    assert result.exit_code == 1
    assert "Not created: Passphrase is too easy to guess" in result.output
    assert session.scalar(select(User).where(User.username == "first.admin")) is None


def test_seed_demo_is_idempotent(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "supervisor.darlington" in first.output
    count = session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["seed-demo"])
    assert "nothing changed" in second.output
    assert session.scalar(select(func.count()).select_from(User)) == count
    roles = {role for user in session.scalars(select(User)) for role in user.roles}
    assert roles == set(Role)


def test_healthz_fails_on_an_unmigrated_database(fresh_database):
    app = create_app(
        {"database_url": fresh_database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] is True and body["migrations_at_head"] is False
    app.extensions["casework.engine"].dispose()


def _revisions() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@pytest.mark.parametrize("migrate_on_start", [True, False])
def test_db_upgrade_on_a_fresh_database_names_every_revision_applied(fresh_database, migrate_on_start):
    """Whether start-up (CASEWORK_MIGRATE_ON_START) or the command itself applied them, the
    operator is told which revisions went in, oldest first; a second run says nothing was due."""
    app = create_app(
        {
            "database_url": fresh_database.url,
            "migrate_on_start": migrate_on_start,
            "secure_cookies": False,
            "secret_key": "k",
        }
    )
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.splitlines() if line.startswith("  ")]
    assert listed == _revisions()
    assert "accounts, sessions and audit trail" in result.output
    assert ("as the application started" in result.output) is migrate_on_start
    assert f"now at the latest migration ({head_revision()})" in result.output

    again = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert again.exit_code == 0
    assert (
        again.output.strip()
        == f"Nothing to apply: the database is already at the latest migration ({head_revision()})."
    )
    app.extensions["casework.engine"].dispose()
