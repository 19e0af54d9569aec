"""`flask --app casework ...` commands for operators."""

from __future__ import annotations

import logging
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from casework.domain.errors import DomainError
from casework.domain.roles import Role
from casework.migrate import head_revision, upgrade
from casework.models import Team, User
from casework.services import accounts, audit_keys, consultation_queue
from casework.services.accounts import AccountDetails
from casework.services.audit_checkpoints import CheckpointFile, latest, take
from casework.services.audit_integrity import verify
from casework.services.unit_of_work import Work, unit_of_work


def init_app(app: Flask) -> None:
    for command in (db_upgrade, db_grant_app_role, create_user, audit_verify, seed_demo, scheduler):
        app.cli.add_command(command)


def _work(acting_as: str | None = None):
    """One unit of work on the app's database and clock: committed once, rolled back on error."""
    return unit_of_work(
        current_app.extensions["casework.sessions"], clock=current_app.extensions["casework.clock"], acting_as=acting_as
    )


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every pending migration and say which were applied.

    With CASEWORK_MIGRATE_ON_START (the default) the app applies them as it starts, before this
    command runs; those are reported too rather than hidden behind "already up to date".
    """
    on_start = current_app.extensions.pop("casework.migrated_on_start", [])
    applied = upgrade(current_app.extensions["casework.engine"])
    if on_start:
        click.echo("Applied as the application started (CASEWORK_MIGRATE_ON_START):")
        click.echo("\n".join(f"  {revision}" for revision in on_start))
    if applied:
        click.echo("Applied:")
        click.echo("\n".join(f"  {revision}" for revision in applied))
    if not on_start and not applied:
        click.echo(f"Nothing to apply: the database is already at the latest migration ({head_revision()}).")
    else:
        click.echo(f"Database is now at the latest migration ({head_revision()}).")


@click.command("create-user")
@with_appcontext
@click.option("--username", prompt=True)
@click.option("--full-name", prompt=True)
@click.option("--email", prompt=True)
@click.option("--organisation", prompt=True, default=lambda: current_app.config["CASEWORK"].force_name)
@click.option("--team", "team_name", prompt=True, help="Team name; created if it does not exist.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    default=[Role.ADMINISTRATOR.value],
    show_default=True,
)
def create_user(username, full_name, email, organisation, team_name, roles) -> None:
    """Create an account (the first administrator, typically). The passphrase is read from
    CASEWORK_NEW_PASSPHRASE or prompted for; it is never taken as a command-line argument."""
    passphrase = os.environ.get("CASEWORK_NEW_PASSPHRASE") or click.prompt(
        "Passphrase", hide_input=True, confirmation_prompt=True
    )
    try:
        with _work() as work:
            user = _create(work, username, full_name, email, organisation, team_name, roles, passphrase)
    except DomainError as problem:
        click.echo(f"Not created: {problem.message}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.username} ({', '.join(roles)}) in team {team_name}.")


def _create(work: Work, username, full_name, email, organisation, team_name, roles, passphrase) -> User:
    """The account, in the named team (created if it does not exist yet), recorded as made by the system."""
    session, now = work.session, work.now
    team = session.query(Team).filter_by(name=team_name).one_or_none()
    if team is None:
        team = Team(name=team_name, area=team_name)
        session.add(team)
        session.flush()
    details = AccountDetails(
        username=username,
        full_name=full_name,
        email=email,
        organisation=organisation,
        team_id=team.id,
        roles=frozenset(Role(r) for r in roles),
    )
    user = accounts.create_user(session, actor=work.actor, details=details, now=now)
    accounts.set_initial_passphrase(session, user=user, passphrase=passphrase, now=now)
    return user


def checkpoint_file() -> CheckpointFile:
    return CheckpointFile(current_app.config["CASEWORK"].audit_checkpoints)


@click.command("audit-verify")
@with_appcontext
def audit_verify() -> None:
    """Walk the audit trail's chain and check it against the signed checkpoints; exit 1 naming the
    first event that does not verify, or a checkpoint line that is not genuine. When it verifies, a
    checkpoint of the head is written. Case views waiting in the queue are chained first."""
    file, keyring = checkpoint_file(), audit_keys.installed()
    found, forged = file.read(keyring)
    click.echo(f"Checkpoints: {len(found)} signed in {file.path}.")
    newest = latest(found)
    if newest:
        click.echo(f"  latest: {_describe(newest.checkpoint)} (line {newest.line})")
    for forgery in forged:
        click.echo(f"Checkpoint file line {forgery.line} is not genuine: {forgery.reason}.", err=True)
    # Case views queued for the chain are chained first, in their own commit, so the check covers them.
    sealed = _seal_queued_views()
    with _work() as work:
        result = verify(work.session, keyring=keyring, checkpoints=[f.checkpoint for f in found])
        written = take(work.session, file=file, now=work.now, verified=result) if result.ok else None
        queued = consultation_queue.waiting(work.session)
    if sealed is not None:
        click.echo(f"Case views chained from the queue first: {sealed}.")
    click.echo(f"Case views still queued, not yet on the chain: {queued}.")
    if not result.ok:
        click.echo(
            f"Audit trail FAILED verification at event {result.first_broken}: {result.reason} "
            f"({result.checked} events verified before it).",
            err=True,
        )
        sys.exit(1)
    keyed = f", keyed from event {result.keyed_from}" if result.keyed_from else ""
    click.echo(f"Audit trail verified: {result.checked} events, chain intact{keyed}.")
    if written:
        click.echo(f"Checkpoint written: {_describe(written)}")
    if forged:
        sys.exit(1)


def _seal_queued_views() -> int | None:
    """How many were chained; None, said why, if they could not be (a broken chain is still checked)."""
    try:
        with _work() as work:
            return consultation_queue.seal(work.session)
    except Exception as problem:
        click.echo(f"Case views in the queue could not be chained ({type(problem).__name__}).", err=True)
        return None


def _describe(checkpoint) -> str:
    return (
        f"event {checkpoint.sequence}, hash {checkpoint.hash[:16]}..., "
        f"signed {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC with key {checkpoint.key_id}"
    )


@click.command("db-grant-app-role")
@with_appcontext
@click.argument("role")
@click.option("--print-only", is_flag=True, help="Print the SQL without running it.")
def db_grant_app_role(role: str, print_only: bool) -> None:
    """PostgreSQL: give the application's own role (which must own nothing) what it needs and no
    more: only INSERT and SELECT on the audit trail. Run it as the owner, after db-upgrade."""
    from casework.services.database_roles import RoleProblem, grant_app_role, grant_statements

    engine = current_app.extensions["casework.engine"]
    if engine.dialect.name != "postgresql":
        click.echo("SQLite has no database roles: this is for PostgreSQL only.", err=True)
        sys.exit(1)
    with engine.begin() as connection:
        try:
            statements = grant_statements(connection, role) if print_only else grant_app_role(connection, role)
        except RoleProblem as problem:
            click.echo(f"Not granted: {problem}", err=True)
            sys.exit(1)
    click.echo(";\n".join(statements) + ";")
    if not print_only:
        click.echo(f"Granted to {role}. Connect the application as {role}; keep the owner for db-upgrade.")


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the demo credentials to this file.",
)
@click.option(
    "--cohort",
    is_flag=True,
    help="Also load the Checkpoint-shaped cohort of 500 people for the reports (a couple of minutes).",
)
def seed_demo(password_file, cohort) -> None:
    """Load generated demo data (never real people). Safe to run twice."""
    from casework.demo import seed

    def progress(walked: int, of: int) -> None:
        click.echo(f"Demo cohort: {walked} of {of} people walked through the services")

    with _work() as work:
        created = seed(work.session, now=work.now, cohort=cohort, progress=progress)
    if not created:
        click.echo("Demo data already present; nothing changed.")
        return
    lines = [f"{c.username:<22} {c.passphrase:<32} {c.roles}" for c in created]
    click.echo("Demo accounts (for demonstration only):")
    click.echo("\n".join(lines))
    if password_file:
        with open(password_file, "w") as handle:
            handle.write("\n".join(lines) + "\n")


@click.command("scheduler")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every job once at the current time, then exit.")
def scheduler(once: bool) -> None:
    """Run the scheduler's jobs (missed check-ins, reminders and sending them, flags): one process per
    deployment, never in a web worker. A second scheduler against the same database waits, and takes
    over if the first stops."""
    from casework.jobs.process import SchedulerProcess
    from casework.jobs.registry import every_job, run_once
    from casework.services.scheduler_lock import scheduler_lock
    from casework.services.transports import transports_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    sessions, clock = current_app.extensions["casework.sessions"], current_app.extensions["casework.clock"]
    lock = scheduler_lock(current_app.extensions["casework.engine"], clock=clock)
    jobs = every_job(transports_for(current_app.config["CASEWORK"].messaging), checkpoint_file())
    if not once:
        SchedulerProcess(sessions, clock, lock, jobs).serve()
        return
    try:
        results = run_once(sessions, clock, lock=lock, jobs=jobs)
    finally:
        lock.release()
    if results is None:
        click.echo("Another scheduler holds the lock: nothing was run.")
        return
    for result in results:
        detail = f"{result.handled} handled" if result.outcome == "ok" else result.error
        click.echo(f"{result.job}: {result.outcome} ({detail})")
    if any(result.outcome != "ok" for result in results):
        sys.exit(1)
