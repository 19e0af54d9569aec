"""Caseload, search and case page timings at force scale, against two floors in the same run.

    .venv/bin/python bench/caseload.py [--database sqlite|postgresql] [--cases N] [--rounds 30]
                                       [--open-share 0.2] [--database-url URL] [--app-root PATH]

Generates a force's cases (100,000 on SQLite, 1,000,000 on PostgreSQL by default; see
bench/caseload_data.py), signs in through the sign-in form as the navigator with the most open
cases, and times each page through the app's test client, all pages in turn round after round.
Each page is compared with the signed-in floor (a page in the product's layout behind sign-in that
reads one case by primary key) and the bare floor (a route with no session that runs the same
query), and its SQL statements are counted. Prints a Markdown table.

--database-url keeps the data: an empty database (created if missing on PostgreSQL) is migrated,
filled and kept; one that already holds cases is brought to this code's migrations and reused.
--app-root imports `casework` from another checkout, to time older code on the same data: give it
a database made by that code (its migrations, then the same generator), time it, then run again
without --app-root, which applies this code's migrations to the same data and times it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.caseload_data as data  # noqa: E402  -- this checkout's bench, before --app-root is on the path

PASSPHRASE = "benchmark walnut compass"
AUDIT_KEY = "be" * 32  # a fixed key, so runs of different checkouts can sign one database's trail


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, help="default 100,000 on SQLite, 1,000,000 on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--open-share", type=float, default=0.2, help="share of cases still open (the rest closed)")
    parser.add_argument("--database-url", help="generate into this database and keep it, or reuse it if it has cases")
    parser.add_argument("--app-root", type=Path, help="a checkout whose casework package is timed")
    args = parser.parse_args()
    if args.database_url:
        args.database = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    if args.cases is None:
        args.cases = 1_000_000 if args.database == "postgresql" else 100_000
    return args


def _ensure_postgres_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _add_navigators(engine, now: datetime) -> dict[int, list[int]]:
    """Ten teams of ten navigators, all with the bench's passphrase."""
    from faker import Faker

    from casework.db import make_session_factory
    from casework.models import Team, User, UserRole
    from casework.services.passwords import hash_passphrase

    fake = Faker("en_GB")
    Faker.seed(7)
    stored = hash_passphrase(PASSPHRASE)
    navigators: dict[int, list[int]] = {}
    with make_session_factory(engine)() as session:
        for n in range(data.TEAMS):
            team = Team(name=f"Bench team {n + 1}", area=f"Area {n + 1}")
            session.add(team)
            session.flush()
            users = [
                User(
                    username=f"bench.{n + 1}.{m + 1}",
                    full_name=fake.name(),
                    email=f"bench.{n + 1}.{m + 1}@example.police.uk",
                    organisation="Bench Constabulary",
                    team_id=team.id,
                    password_hash=stored,
                    password_changed_at=now,
                    is_active=True,
                    created_at=now,
                )
                for m in range(data.NAVIGATORS_PER_TEAM)
            ]
            session.add_all(users)
            session.flush()
            session.add_all(UserRole(user_id=user.id, role="navigator") for user in users)
            navigators[team.id] = [user.id for user in users]
        session.commit()
    return navigators


def prepare(engine, args) -> list[str]:
    """Migrates and fills an empty database, or brings one with cases to this code's migrations.
    Returns what to print about it."""
    from sqlalchemy import inspect, text

    from casework.migrate import current_revision, head_revision, upgrade

    with engine.connect() as connection:
        has_cases = inspect(connection).has_table("cases") and connection.scalar(text("SELECT 1 FROM cases LIMIT 1"))
        revision = current_revision(connection) if has_cases else None
    if has_cases:
        if args.app_root and revision != head_revision():
            # Older code cannot apply, or even name, a later migration: its schema is left as it is.
            return [f"reused the data at migration {revision} as it is (this code's latest is {head_revision()})"]
        started = time.perf_counter()
        applied = upgrade(engine)
        notes = [f"reused the data at migration {revision}"]
        if applied:
            data.analyze(engine)
            notes.append(f"applied {', '.join(applied)} and analysed in {time.perf_counter() - started:.0f} s")
        return notes
    started = time.perf_counter()
    upgrade(engine)
    migrated = time.perf_counter() - started
    now = datetime.now(UTC)
    loaded = data.load(engine, args.cases, navigators=_add_navigators(engine, now), now=now, open_share=args.open_share)
    analyse = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    steps = ", ".join(
        f"{step} {loaded.seconds[step]:.1f} s" for step in ("copy", "indexes", "foreign keys") if step in loaded.seconds
    )
    return [
        f"migrated in {migrated:.1f} s; generated {args.cases:,} cases in {loaded.seconds['load']:.1f} s"
        + (f" ({steps})" if steps else "")
        + f"; {analyse} took {loaded.seconds['analyze']:.1f} s"
    ]


def _code_version(root: Path) -> str:
    found = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


@dataclass(frozen=True)
class Run:
    notes: list[str]
    cases: int
    targets: object
    results: dict


def run(url: str, args: argparse.Namespace) -> Run:
    """Fills or reuses the database at `url`, then times every page on it with the imported casework."""
    from sqlalchemy import func, select

    import bench.caseload_pages as timing
    from casework import create_app
    from casework.db import make_engine
    from casework.models import Case

    engine = make_engine(url)
    notes = prepare(engine, args)
    with engine.connect() as connection:
        targets = timing.choose_targets(connection)
        cases = connection.scalar(select(func.count(Case.id)))
    engine.dispose()
    # The bench migrates; the app must not, as older code cannot read a later migration.
    settings = {"database_url": url, "secure_cookies": False, "secret_key": "bench", "audit_key": AUDIT_KEY}
    app = create_app({**settings, "migrate_on_start": False})
    timing.add_floors(app)
    client = timing.sign_in(app, targets.username, PASSPHRASE)
    shows = timing.found_on_page(targets)
    results = timing.time_pages(app, client, timing.pages(targets), rounds=args.rounds, shows=shows)
    app.extensions["casework.engine"].dispose()
    return Run(notes=notes, cases=cases, targets=targets, results=results)


def run_on_database(args, run):
    """`run(url, args)` on the database the arguments name: the one at --database-url (created on
    PostgreSQL if need be, and kept), or a throwaway one of --database, dropped afterwards."""
    from bench.sign_in import _database

    with tempfile.TemporaryDirectory() as workdir:
        if args.database_url:
            if args.database == "postgresql":
                _ensure_postgres_database(args.database_url)
            url, drop = args.database_url, lambda: None
        else:
            url, drop = _database(args.database, workdir)
        try:
            return run(url, args)
        finally:
            drop()


def main() -> None:
    args = _arguments()
    if args.app_root:
        sys.path.insert(0, str(args.app_root.resolve()))
    import bench.caseload_pages as timing
    import casework

    code = Path(casework.__file__).resolve().parent.parent  # where casework really came from
    done = run_on_database(args, run)
    print(f"{args.database}, {done.cases:,} cases, code {_code_version(code)} ({code}), {args.rounds} rounds")
    for note in done.notes:
        print(f"  {note}")
    print(f"  signed in as {done.targets.username}; case page {done.targets.case_id}")
    print()
    print("\n".join(timing.table(done.results)))


if __name__ == "__main__":
    main()
