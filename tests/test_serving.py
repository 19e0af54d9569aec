"""gunicorn with the repository's own settings (gunicorn.conf.py), as production and `make run` serve."""

from __future__ import annotations

import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError

import pytest

from casework import ROOT
from tests.messaging import free_port


def _get(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except HTTPError as refused:
        return refused.code


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_gunicorn_runs_the_configured_workers_and_logs_requests_without_their_query_strings(
    migrated_database, tmp_path
):
    port = free_port()
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": migrated_database.url,
        "CASEWORK_SECRET_KEY": "k",
        "CASEWORK_SECURE_COOKIES": "0",
        "CASEWORK_MIGRATE_ON_START": "0",
        "CASEWORK_WEB_WORKERS": "3",
        "PORT": str(port),
    }
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        # From the repository root with no -c: gunicorn finds ./gunicorn.conf.py itself.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casework:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _answers(f"{base}/healthz"), 60), log_path.read_text()
        # A search for a person, signed out: sent to sign in, and logged.
        assert _get(f"{base}/cases/?search=Smith+03%2F02%2F1980") == 302
        assert _wait_for(lambda: '"GET /cases/"' in log_path.read_text(), 10), log_path.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    output = log_path.read_text()
    search = next(line for line in output.splitlines() if '"GET /cases/"' in line)
    assert re.search(r'"GET /cases/" 302 \d+ \d+ms$', search), search
    assert "Smith" not in output and "1980" not in output and "search" not in output
    assert "127.0.0.1 " not in search  # nor who asked
    assert len(re.findall(r"Booting worker with pid", output)) == 3, output
    assert server.returncode == 0, output


def _answers(url: str) -> bool:
    try:
        return _get(url) == 200
    except OSError:
        return False


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (6, 6)])
def test_without_a_setting_there_is_a_worker_per_core_and_never_fewer_than_two(monkeypatch, cores, workers):
    monkeypatch.delenv("CASEWORK_WEB_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == workers


def test_the_settings_the_readme_explains_are_the_ones_gunicorn_reads():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "sync"
    assert (settings["timeout"], settings["graceful_timeout"]) == (30, 30)
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (1000, 100)
    assert settings["preload_app"] is True and settings["accesslog"] == "-"
