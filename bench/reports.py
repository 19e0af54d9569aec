"""The report dashboard and every report page at force scale, against two floors in the same run.

    .venv/bin/python bench/reports.py [--database sqlite|postgresql] [--cases N] [--rounds 15]
                                      [--database-url URL]

Generates a force's history (100,000 cases on SQLite, 1,000,000 on PostgreSQL by default; see
bench/reports_data.py), signs in through the sign-in form as a performance lead and as one team's
supervisor, and times through the app's test client: the dashboard (GET /reports/) for the lead
over every team and for the supervisor over their own team, both over the default twelve months,
and each report in services.reports.REPORTS for the lead over every team. Each page is compared
with the signed-in floor (a page in the product's layout behind sign-in reading one case by primary
key) and the bare floor (no session, the same query), all pages in turn round after round, and its
SQL statements are counted. Prints a Markdown table.

--database-url keeps the data: an empty database (created if missing on PostgreSQL) is migrated,
filled and kept; one that already holds cases is brought to this code's migrations and reused.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.reports_data as data  # noqa: E402

PASSPHRASE = "benchmark walnut compass"
TEAMS = 10
NAVIGATORS_PER_TEAM = 10
LEAD = "bench.lead"
SUPERVISOR = "bench.1.supervisor"  # the supervisor of the first team


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, help="default 100,000 on SQLite, 1,000,000 on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database-url", help="generate into this database and keep it, or reuse it if it has cases")
    args = parser.parse_args(argv)
    if args.database_url:
        args.database = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    if args.cases is None:
        args.cases = 1_000_000 if args.database == "postgresql" else 100_000
    return args


def _add_staff(engine, now: datetime) -> data.Staff:
    """Ten teams, each with ten navigators, a supervisor and four partner services; one performance
    lead for the force. All sign in with the bench's passphrase."""
    from faker import Faker

    from casework.db import make_session_factory
    from casework.models import PartnerService, Team, User, UserRole
    from casework.services.passwords import hash_passphrase

    fake = Faker("en_GB")
    Faker.seed(12)
    stored = hash_passphrase(PASSPHRASE)

    def user(username: str, team_id: int) -> User:
        return User(
            username=username,
            full_name=fake.name(),
            email=f"{username}@example.police.uk",
            organisation="Bench Constabulary",
            team_id=team_id,
            password_hash=stored,
            password_changed_at=now,
            is_active=True,
            created_at=now,
        )

    navigators, supervisors, partners = {}, {}, {}
    with make_session_factory(engine)() as session:
        for n in range(TEAMS):
            team = Team(name=f"Bench team {n + 1}", area=f"Area {n + 1}")
            session.add(team)
            session.flush()
            team_navigators = [user(f"bench.{n + 1}.{m + 1}", team.id) for m in range(NAVIGATORS_PER_TEAM)]
            supervisor = user(f"bench.{n + 1}.supervisor", team.id)
            services = {
                pathway: PartnerService(
                    team_id=team.id, name=f"{pathway.title()} service {n + 1}", pathway=pathway, data_accepted="name"
                )
                for pathway in data.PARTNER_PATHWAYS
            }
            session.add_all([*team_navigators, supervisor, *services.values()])
            if n == 0:
                lead = user(LEAD, team.id)
                session.add(lead)
            session.flush()
            session.add_all(UserRole(user_id=u.id, role="navigator") for u in team_navigators)
            session.add(UserRole(user_id=supervisor.id, role="supervisor"))
            navigators[team.id] = [u.id for u in team_navigators]
            supervisors[team.id] = supervisor.id
            partners[team.id] = {pathway: service.id for pathway, service in services.items()}
        session.add(UserRole(user_id=lead.id, role="performance_lead"))
        session.commit()
    return data.Staff(navigators, supervisors, partners)


def prepare(engine, args) -> list[str]:
    """Migrates and fills an empty database, or brings one with cases to this code's migrations.
    Returns what to print about it."""
    from sqlalchemy import inspect, text

    from casework.migrate import current_revision, upgrade

    with engine.connect() as connection:
        has_cases = inspect(connection).has_table("cases") and connection.scalar(text("SELECT 1 FROM cases LIMIT 1"))
        revision = current_revision(connection) if has_cases else None
    if has_cases:
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
    loaded = data.load(engine, args.cases, staff=_add_staff(engine, now), now=now)
    analyse = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    steps = ", ".join(
        f"{step} {loaded.seconds[step]:.1f} s" for step in ("copy", "indexes", "foreign keys") if step in loaded.seconds
    )
    return [
        f"migrated in {migrated:.1f} s; generated {args.cases:,} cases in {loaded.seconds['load']:.1f} s"
        + (f" ({steps})" if steps else "")
        + f"; {analyse} took {loaded.seconds['analyze']:.1f} s"
    ]


def pages(case_id: int, first_day: date, last_day: date) -> tuple[dict[str, str], dict[str, str]]:
    """Every page timed (name to path) and which client asks for it: "lead", "supervisor" or "bare"."""
    from bench.caseload_pages import BARE_FLOOR, SIGNED_IN_FLOOR
    from casework.services.reports import REPORTS

    dates = f"first_day={first_day.isoformat()}&last_day={last_day.isoformat()}"
    paths = {
        SIGNED_IN_FLOOR: f"/bench-floor/signed-in/{case_id}",
        BARE_FLOOR: f"/bench-floor/{case_id}",
        "dashboard, lead, every team": f"/reports/?{dates}&team=all",
        "dashboard, supervisor, own team": f"/reports/?{dates}",
    }
    who = {SIGNED_IN_FLOOR: "supervisor", BARE_FLOOR: "bare", "dashboard, supervisor, own team": "supervisor"}
    for kind in REPORTS:
        paths[f"{kind.key} report, lead, every team"] = f"/reports/{kind.key}?{dates}&team=all"
    return paths, {name: who.get(name, "lead") for name in paths}


@dataclass(frozen=True)
class Run:
    notes: list[str]
    cases: int
    in_range: int
    results: dict


def run(url: str, args: argparse.Namespace) -> Run:
    """Fills or reuses the database at `url`, then times the dashboard and each report on it."""
    from sqlalchemy import func, select

    import bench.caseload_pages as timing
    from casework import create_app
    from casework.db import make_engine
    from casework.models import Case, User
    from casework.services.report_scope import ReportScope
    from casework.services.reports import REPORTS
    from casework.web.forms.report_range import default_range

    engine = make_engine(url)
    notes = prepare(engine, args)
    first_day, last_day = default_range(datetime.now(UTC).date())  # the dashboard's own default
    every_team = ReportScope(first_day, last_day, None, "Every team", today=last_day)
    with engine.connect() as connection:
        cases = connection.scalar(select(func.count(Case.id)))
        in_range = connection.scalar(select(func.count(Case.id)).where(*every_team.cases()))
        # The signed-in floor needs VIEW_CASE, which the supervisor holds for their own team's cases.
        team_id = select(User.team_id).where(User.username == SUPERVISOR).scalar_subquery()
        case_id = connection.scalar(select(func.min(Case.id)).where(Case.team_id == team_id))
    engine.dispose()
    settings = {"database_url": url, "secure_cookies": False, "secret_key": "bench", "audit_key": "be" * 32}
    app = create_app({**settings, "migrate_on_start": False})
    timing.add_floors(app)
    clients = {
        "lead": timing.sign_in(app, LEAD, PASSPHRASE),
        "supervisor": timing.sign_in(app, SUPERVISOR, PASSPHRASE),
        "bare": app.test_client(),
    }
    paths, who = pages(case_id, first_day, last_day)
    # Every report's title on the dashboards, and each report page's own, before anything is timed.
    shows = {name: kind.title for kind in REPORTS for name in paths if name.startswith(f"{kind.key} report")}
    for name in ("dashboard, lead, every team", "dashboard, supervisor, own team"):
        page = clients[who[name]].get(paths[name]).text
        assert all(kind.title in page for kind in REPORTS), (name, "does not show every report")
    results = _time(app, clients, paths, who, shows, rounds=args.rounds)
    app.extensions["casework.engine"].dispose()
    return Run(notes=notes, cases=cases, in_range=in_range, results=results)


def _time(app, clients, paths, who, shows, *, rounds: int) -> dict:
    """caseload_pages.time_pages, with each page asked for by its own signed-in client."""
    import bench.caseload_pages as timing

    for name, expected in shows.items():
        assert expected in clients[who[name]].get(paths[name]).text, (name, "does not show", expected)
    for name, path in paths.items():
        for _ in range(min(2, rounds)):
            timing._get(clients[who[name]], path)
    counts = {name: timing.statements(app, clients[who[name]], path) for name, path in paths.items()}
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            samples[name].append(timing._get(clients[who[name]], path))
    return {name: timing.Timing(*timing._summary(samples[name]), counts[name]) for name in paths}


def main() -> None:
    args = _arguments()
    import bench.caseload_pages as timing
    from bench.caseload import _code_version, run_on_database

    done = run_on_database(args, run)
    print(f"{args.database}, {done.cases:,} cases, code {_code_version(ROOT)}, {args.rounds} rounds")
    for note in done.notes:
        print(f"  {note}")
    print(f"  {done.in_range:,} cases in the twelve months for every team")
    print()
    print("\n".join(timing.table(done.results)))


if __name__ == "__main__":
    main()
