"""Caseload and case page timings on 100,000 generated people and cases.

    .venv/bin/python bench/caseload.py [--database sqlite|postgresql] [--cases 100000] [--rounds 30]

Compares each page with a floor: a bare route on the same app and database that runs one indexed
query (SELECT a case by primary key) and returns a few bytes. Prints a Markdown table row.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faker import Faker
from sqlalchemy import insert, select, text

from bench.sign_in import _database
from casework import create_app
from casework.domain.lifecycle import CaseState
from casework.models import Case, CaseOffence, Offence, Person, SignInSession, Team, User, UserRole
from casework.services.accounts import token_digest
from casework.web.access import collect_rules, public

TEAMS = 10
STATES = [
    CaseState.REFERRED,
    CaseState.ASSESSMENT,
    CaseState.ACTIVE,
    CaseState.ACTIVE,
    CaseState.CONTRACT_DRAFT,
    CaseState.COMPLETED,
    CaseState.CLOSED_CHARGED,
    CaseState.INELIGIBLE,
]


def generate(session, count: int) -> tuple[int, int]:
    """Bulk-insert teams, navigators, people and cases; returns a navigator id and a case id."""
    fake = Faker("en_GB")
    Faker.seed(7)
    rng = random.Random(7)
    now = datetime.now(UTC)
    teams = [Team(name=f"Bench team {n}", area=f"Area {n}") for n in range(TEAMS)]
    session.add_all(teams)
    session.flush()
    navigators = []
    for team in teams:
        for n in range(8):
            user = User(
                username=f"bench.{team.id}.{n}",
                full_name=fake.name(),
                email=f"b{team.id}{n}@example.police.uk",
                organisation="Bench",
                team_id=team.id,
                is_active=True,
                created_at=now,
            )
            session.add(user)
            session.flush()
            session.add(UserRole(user_id=user.id, role="navigator"))
            navigators.append(user)
    offence_ids = list(session.scalars(select(Offence.id)))
    surnames = [fake.last_name() for _ in range(2000)]
    given = [fake.first_name() for _ in range(500)]
    batch = 5000
    for start in range(0, count, batch):
        people = []
        for n in range(start, min(count, start + batch)):
            family = rng.choice(surnames)
            people.append(
                dict(
                    id=n + 1,
                    given_names=rng.choice(given),
                    family_name=family,
                    family_name_folded=family.lower(),
                    date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(15000)),
                    pnc_id=f"{rng.randrange(0, 25):02d}/{n:07d}A",
                    address_line_1="1 Bench Street",
                    town="Durham",
                    postcode="DH1 1AA",
                    preferred_language="en",
                    interpreter_needed=False,
                    appropriate_adult_needed=False,
                    created_at=now,
                    created_by_id=navigators[0].id,
                    version=1,
                )
            )
        session.execute(insert(Person), people)
        cases, links = [], []
        for person in people:
            state = rng.choice(STATES)
            navigator = rng.choice(navigators)
            opened = now - timedelta(days=rng.randrange(1, 300))
            deadline = (opened + timedelta(days=rng.randrange(100, 160))).date()
            cases.append(
                dict(
                    id=person["id"],
                    reference=f"CP-26-{person['id']:06d}",
                    person_id=person["id"],
                    team_id=navigator.team_id,
                    state=state.value,
                    version=1,
                    opened_by_id=navigator.id,
                    opened_at=opened,
                    closed_at=now if state.is_terminal else None,
                    crime_reference=f"DC/{person['id']}",
                    offence_first_on=opened.date(),
                    offence_last_on=opened.date(),
                    gate_answers={},
                    reason_codes=[],
                    provisional_eligible=True,
                    consent_at=opened,
                    first_appointment_at=opened + timedelta(days=2),
                    first_appointment_place="Office",
                    referred_at=None if state is CaseState.INELIGIBLE else opened,
                    latest_charge_on=deadline + timedelta(days=21),
                    decision_deadline_on=deadline,
                    navigator_id=navigator.id if rng.random() > 0.1 else None,
                )
            )
            links.append(dict(case_id=person["id"], offence_id=rng.choice(offence_ids)))
        session.execute(insert(Case), cases)
        session.execute(insert(CaseOffence), links)
    session.commit()
    busiest = session.execute(
        text(
            "SELECT navigator_id FROM cases WHERE navigator_id IS NOT NULL GROUP BY navigator_id "
            "ORDER BY count(*) DESC LIMIT 1"
        )
    ).scalar_one()
    team_id = session.get(User, busiest).team_id
    case_id = session.scalar(select(Case.id).where(Case.team_id == team_id).limit(1))
    return busiest, case_id


def _timed(client, path: str, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(args.database, workdir)
        try:
            app = create_app({"database_url": url, "secure_cookies": False, "secret_key": "bench"})

            @app.get("/bench-floor/<int:case_id>")
            @public
            def floor(case_id: int):
                with app.extensions["casework.engine"].connect() as connection:
                    connection.execute(text("SELECT id FROM cases WHERE id = :id"), {"id": case_id}).scalar_one()
                return "ok"

            collect_rules(app)
            started = time.perf_counter()
            with app.extensions["casework.sessions"]() as session:
                navigator_id, case_id = generate(session, args.cases)
                token = secrets.token_urlsafe(16)
                session.add(
                    SignInSession(
                        token_hash=token_digest(token),
                        user_id=navigator_id,
                        started_at=datetime.now(UTC),
                        last_seen_at=datetime.now(UTC),
                    )
                )
                session.commit()
            generated = time.perf_counter() - started
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie.update(sid=token, _user_id=str(navigator_id), _fresh=True)
            pages = {
                "floor": f"/bench-floor/{case_id}",
                "my caseload": "/navigator",
                "team tab by deadline": "/cases/?tab=team&sort=deadline",
                "search by surname": "/cases/?tab=team&search=smith",
                "case page": f"/cases/{case_id}",
            }
            results = {name: _summary(_timed(client, path, args.rounds)) for name, path in pages.items()}
            app.extensions["casework.engine"].dispose()
        finally:
            drop()
    floor_median = results["floor"][0]
    print(f"{args.database}: {args.cases:,} cases generated in {generated:.0f} s")
    print("| database | page | median / p95 | median / floor |")
    print("|---|---|---|---|")
    for name, (median, p95) in results.items():
        print(f"| {args.database} | {name} | {median:.1f} / {p95:.1f} ms | {median / floor_median:.1f}x |")


if __name__ == "__main__":
    main()
