"""Throughput under gunicorn with the repository's settings: requests a second, p50 and p95.

    .venv/bin/python bench/serving.py [--runs sqlite:1 sqlite:2 postgresql:2] [--cases 20000]
                                      [--seconds 10] [--concurrency 16]

Each run is DATABASE:WORKERS. Per database: a throw-away database filled by bench/caseload.py's
generator, then gunicorn started with gunicorn.conf.py (sync workers, CASEWORK_WEB_WORKERS set to
the run's count) and signed in as the navigator with the most cases. Threads on keep-alive
connections (sync workers close each one, so most requests reconnect, as behind a proxy) keep
`--concurrency` requests in flight for `--seconds` on each page: the floor (GET /healthz, no
session) and my caseload (GET /navigator). The load generator shares the machine with the server:
compare runs made on the same machine. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.caseload import prepare
from bench.caseload_pages import BARE_FLOOR, SIGNED_IN_FLOOR, choose_targets, pages
from bench.sign_in import _database
from casework import create_app
from casework.db import make_engine
from casework.models import SignInSession
from casework.services.accounts import token_digest

ROOT = Path(__file__).resolve().parent.parent
MY_CASELOAD = "my caseload (/navigator)"
OPEN_SHARE = 0.2  # as bench/caseload.py generates by default
SECRET_KEY = secrets.token_hex(16)


@dataclass
class Load:
    seconds: float
    latencies_ms: list[float]
    failures: int

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def _fill(url: str, cases: int) -> tuple[str, dict[str, str]]:
    """bench/caseload.py's data (generated, or reused when the database already holds cases), and a
    signed cookie for its busiest navigator; with the pages to load."""
    engine = make_engine(url)
    for note in prepare(engine, argparse.Namespace(cases=cases, open_share=OPEN_SHARE, app_root=None)):
        print(f"  {note}", flush=True)
    with engine.connect() as connection:
        targets = choose_targets(connection)
    engine.dispose()
    settings = {"database_url": url, "secure_cookies": False, "secret_key": SECRET_KEY}
    app = create_app({**settings, "migrate_on_start": False})
    with app.extensions["casework.sessions"]() as session:
        token = secrets.token_urlsafe(16)
        now = datetime.now(UTC)
        signed_in = SignInSession(token_hash=token_digest(token), user_id=targets.navigator_id, started_at=now)
        signed_in.last_seen_at = now
        session.add(signed_in)
        session.commit()
    app.extensions["casework.engine"].dispose()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"sid": token, "_user_id": str(targets.navigator_id), "_fresh": True}
    )
    every = pages(targets)
    chosen = {name: every[name] for name in (BARE_FLOOR, SIGNED_IN_FLOOR, MY_CASELOAD)}
    return f"{app.config['SESSION_COOKIE_NAME']}={cookie}", chosen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _serve(url: str, workers: int, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": url,
        "CASEWORK_SECRET_KEY": SECRET_KEY,
        "CASEWORK_SECURE_COOKIES": "0",
        "CASEWORK_MIGRATE_ON_START": "0",
        "CASEWORK_WEB_WORKERS": str(workers),
        "PORT": str(port),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "bench.serving_app:app"]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz", "")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start:\n" + log_path.read_text()[-3000:])


def _drive(port: int, path: str, cookie: str, *, seconds: float, concurrency: int) -> Load:
    """`concurrency` threads, each sending its next request as soon as the last one is answered."""
    results: list[tuple[list[float], int]] = []
    start_together = threading.Barrier(concurrency + 1)
    deadline = 0.0

    def client() -> None:
        latencies, failures, connection = [], 0, None
        start_together.wait()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                failures += response.status != 200
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                failures += 1
                if connection is not None:
                    connection.close()
                connection = None
            latencies.append((time.perf_counter() - started) * 1000)
        if connection is not None:
            connection.close()
        results.append((latencies, failures))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline = began + seconds
    start_together.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return Load(elapsed, [ms for latencies, _ in results for ms in latencies], sum(f for _, f in results))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", nargs="+", default=["sqlite:1", "sqlite:2", "postgresql:2"])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sqlite-url", help="reuse (or fill and keep) this SQLite database")
    parser.add_argument("--postgresql-url", help="reuse (or fill and keep) this PostgreSQL database")
    args = parser.parse_args()
    runs = [(kind, int(workers)) for kind, workers in (run.split(":") for run in args.runs)]

    print(f"concurrency {args.concurrency}, {args.seconds:g} s a page, {os.cpu_count()} cores")
    print("\n| database | workers | page | requests/s | p50 ms | p95 ms | failed |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        # One audit key for this process and the server's, as every production process shares one.
        os.environ.setdefault("CASEWORK_AUDIT_KEY", secrets.token_hex(32))
        os.environ["CASEWORK_AUDIT_CHECKPOINTS"] = str(Path(workdir) / "audit-checkpoints.jsonl")
        for kind in dict.fromkeys(kind for kind, _ in runs):
            kept = getattr(args, f"{kind}_url")
            url, drop = (kept, lambda: None) if kept else _database(kind, workdir)
            try:
                cookie, chosen = _fill(url, args.cases)
                for workers in [w for k, w in runs if k == kind]:
                    server, port = _serve(url, workers, Path(workdir) / f"gunicorn-{kind}-{workers}.log")
                    try:
                        status, body = _get(port, "/navigator", cookie)
                        if status != 200 or b"caseload" not in body.lower():
                            raise SystemExit(f"not signed in: /navigator answered {status}")
                        for label, path in chosen.items():
                            _drive(port, path, cookie, seconds=1, concurrency=args.concurrency)  # warm up
                            load = _drive(port, path, cookie, seconds=args.seconds, concurrency=args.concurrency)
                            print(
                                f"| {kind} | {workers} | {label} | {load.per_second:.0f} | "
                                f"{load.percentile(0.5):.1f} | {load.percentile(0.95):.1f} | {load.failures} |",
                                flush=True,
                            )
                    finally:
                        server.send_signal(signal.SIGTERM)
                        server.wait(timeout=60)
            finally:
                drop()


if __name__ == "__main__":
    main()
