"""`flask --app casework scheduler`: once from the command line, and as the long-running process
that stops cleanly on SIGTERM and hands the lock on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework import ROOT, create_app
from casework.domain.clock import FixedClock, SystemClock
from casework.domain.roles import Role
from casework.jobs.registry import JOBS
from casework.migrate import upgrade
from casework.models import CaseFlag, SchedulerHeartbeat
from casework.services.scheduler_lock import scheduler_lock
from tests.conftest import NOW, make_case, make_team, make_user

REFERRED = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # first contact overdue at NOW
EVERY_JOB = len(JOBS) + 3  # the sweeps, sending messages, planner statistics and the audit checkpoint


def _app(database):
    return create_app(
        {"database_url": database.url, "migrate_on_start": True, "secure_cookies": False, "secret_key": "k"},
        clock=FixedClock(NOW),
    )


def _overdue_case(app) -> None:
    with app.extensions["casework.sessions"]() as session:
        team = make_team(session)
        make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        make_case(session, team=team, referred_at=REFERRED)
        session.commit()


def _count(app, model) -> int:
    with app.extensions["casework.sessions"]() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_scheduler_once_runs_every_job_at_the_apps_clock_and_a_rerun_changes_nothing(fresh_database):
    app = _app(fresh_database)
    _overdue_case(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "first_contact_overdue: ok (1 handled)" in result.output
    assert "deadline_warnings: ok (0 handled)" in result.output
    assert "send_messages: ok (0 handled)" in result.output
    assert "audit_checkpoint: ok (1 handled)" in result.output  # signed to the checkpoint file
    assert _count(app, CaseFlag) == 1 and _count(app, SchedulerHeartbeat) == EVERY_JOB

    again = runner.invoke(args=["scheduler", "--once"])
    assert "first_contact_overdue: ok (0 handled)" in again.output
    assert _count(app, CaseFlag) == 1
    app.extensions["casework.engine"].dispose()


def test_scheduler_once_does_nothing_while_another_scheduler_holds_the_lock(fresh_database):
    app = _app(fresh_database)
    _overdue_case(app)
    running = scheduler_lock(app.extensions["casework.engine"], clock=FixedClock(NOW), holder="running")
    assert running.acquire()
    result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0
    assert result.output.strip() == "Another scheduler holds the lock: nothing was run."
    assert _count(app, CaseFlag) == 0 and _count(app, SchedulerHeartbeat) == 0
    running.release()
    app.extensions["casework.engine"].dispose()


def _wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_the_scheduler_process_runs_its_jobs_then_stops_on_sigterm_and_frees_the_lock(fresh_database):
    upgrade(fresh_database.engine)
    env = {**os.environ, "CASEWORK_DATABASE_URL": fresh_database.url, "CASEWORK_SECRET_KEY": "k"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "casework", "scheduler"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # On taking the lock it runs every job at once, rather than an interval later.
        app = _app(fresh_database)
        assert _wait_for(lambda: _count(app, SchedulerHeartbeat) == EVERY_JOB), "the scheduler did not run its jobs"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    log = process.stderr.read()
    assert "Holding the scheduler lock" in log and "Stopping the scheduler (SIGTERM)" in log
    assert "Scheduler stopped" in log
    assert scheduler_lock(app.extensions["casework.engine"], clock=SystemClock()).acquire()  # at once, not in a minute
    app.extensions["casework.engine"].dispose()


def test_make_runs_procfile_starts_the_web_server_and_the_scheduler_and_ctrl_c_stops_both(fresh_database, tmp_path):
    """What `make run` runs after migrating and loading the demo: honcho with the Procfile, the web
    server being gunicorn with the repository's settings (its access log's format)."""
    import urllib.request

    from tests.messaging import free_port

    if fresh_database.kind != "sqlite":
        pytest.skip("make run serves the embedded SQLite database")
    upgrade(fresh_database.engine)
    port = free_port()
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": fresh_database.url,
        "CASEWORK_SECRET_KEY": "k",
        "CASEWORK_SECURE_COOKIES": "0",
        "PORT": str(port),
    }
    honcho = Path(sys.executable).with_name("honcho")
    process = subprocess.Popen(
        [str(honcho), "start"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )

    def web_answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        app = _app(fresh_database)
        assert _wait_for(web_answers, 60), "the web server did not answer"
        assert _wait_for(lambda: _count(app, SchedulerHeartbeat) == EVERY_JOB, 60), "the scheduler did not run"
        process.send_signal(signal.SIGINT)  # Ctrl-C in the terminal running make run
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    output = process.stdout.read()
    assert not web_answers(), output
    assert '"GET /healthz" 200 ' in output, output
    assert "Scheduler stopped" in output, output
    assert scheduler_lock(app.extensions["casework.engine"], clock=SystemClock()).acquire()
    app.extensions["casework.engine"].dispose()
