"""Time signing in: the argon2id check alone, and a whole POST /sign-in through the app.

    .venv/bin/python bench/sign_in.py [--database sqlite|postgresql] [--rounds 30]

The floor is GET /healthz on the same app and database (one trivial query), so the ratio shows
what sign-in costs beyond any request. Uses a throw-away database; prints a Markdown table row.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from casework import create_app
from casework.domain.roles import Role
from casework.models import Team
from casework.services import accounts, passwords
from casework.services.accounts import AccountDetails

PASSPHRASE = "benchmark walnut compass"
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _timed(action, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _database(kind: str, workdir: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/bench.sqlite3", lambda: None
    name = f"casework_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))

    return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    stored = passwords.hash_passphrase(PASSPHRASE)
    verify = _timed(lambda: passwords.verify_passphrase(stored, PASSPHRASE), args.rounds)

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(args.database, workdir)
        try:
            app = create_app({"database_url": url, "secure_cookies": False, "secret_key": "bench"})
            with app.extensions["casework.sessions"]() as session:
                team = Team(name="Bench", area="Bench")
                session.add(team)
                session.flush()
                details = AccountDetails(
                    username="bench.user",
                    full_name="Bench User",
                    email="b@example.police.uk",
                    organisation="Bench",
                    team_id=team.id,
                    roles=frozenset({Role.NAVIGATOR}),
                )
                user = accounts.create_user(session, actor=None, details=details, now=datetime.now(UTC))
                accounts.set_initial_passphrase(session, user=user, passphrase=PASSPHRASE, now=datetime.now(UTC))
                session.commit()

            def post_sign_in() -> None:
                client = app.test_client()
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/sign-in").text).group(1)
                response = client.post(
                    "/sign-in", data={"csrf_token": token, "username": "bench.user", "passphrase": PASSPHRASE}
                )
                assert response.status_code == 302, response.status_code

            client = app.test_client()
            floor = _timed(lambda: client.get("/healthz"), args.rounds)
            sign_in = _timed(post_sign_in, args.rounds)
            app.extensions["casework.engine"].dispose()
        finally:
            drop()

    v_med, v_p95 = _summary(verify)
    s_med, s_p95 = _summary(sign_in)
    f_med, f_p95 = _summary(floor)
    print(
        "| database | argon2id verify median / p95 | GET+POST sign-in median / p95 | floor (GET /healthz) median / p95 "
        "| sign-in / floor |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| {args.database} | {v_med:.0f} / {v_p95:.0f} ms | {s_med:.0f} / {s_p95:.0f} ms "
        f"| {f_med:.1f} / {f_p95:.1f} ms | {s_med / f_med:.0f}x |"
    )


if __name__ == "__main__":
    main()
