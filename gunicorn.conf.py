"""gunicorn settings for casework: `gunicorn 'casework:create_app()'` run from the repository root
reads this file by itself (gunicorn looks for ./gunicorn.conf.py); from elsewhere pass `-c PATH`.
Settings given on the command line win over these.

The web workers serve pages only: the scheduler is its own process (`flask --app casework scheduler`),
never started here (DESIGN.md §5).
"""

from __future__ import annotations

import os

# Loopback by default: production puts a buffering proxy (nginx, a load balancer) in front, which
# sync workers need so that a slow client cannot hold a worker. `--bind` overrides.
bind = [f"127.0.0.1:{os.environ.get('PORT', '5000')}"]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container's share)
    except AttributeError:
        return os.cpu_count() or 1


# One sync worker per core, and never fewer than two. A request here is mostly Python work (the ORM
# and templates) over a database a millisecond away, so a worker seldom waits on I/O: the classic
# 2 x cores + 1 suits workers that wait, and here would only add switching, a database connection
# each, and on SQLite more processes queueing for the one write lock. Two at least, so a slow
# request (a contract PDF takes about a second) never stops every other page.
workers = int(os.environ.get("CASEWORK_WEB_WORKERS") or max(2, _cores()))
worker_class = "sync"

# A worker silent for this long is killed and replaced. The slowest page (a first contract PDF) takes
# about a second, so 30 s only ever catches a stuck worker.
timeout = 30
# On stop or reload (SIGTERM/SIGHUP), requests in flight get this long to finish before the workers
# are killed.
graceful_timeout = 30
# Seconds to wait for the next request on a kept-alive connection. Sync workers close every
# connection after its response and ignore this; it applies if worker_class changes to gthread.
keepalive = 2

# Each worker is replaced after about this many requests, so a slow leak cannot grow without end;
# the jitter spreads the restarts so the workers never restart together.
max_requests = 1000
max_requests_jitter = 100

# The app is loaded once in the master and the workers are forked from it: start-up work (migrations
# when CASEWORK_MIGRATE_ON_START is on, making the instance keys) runs once, not once per worker,
# and a replaced worker starts at once. Database connections must not cross a fork: see post_fork.
preload_app = True

# The access log: no query string (searches are GET forms that carry names and dates of birth), no
# client address, no Referer or User-Agent; paths name records only by number. %(U)s is the path
# alone; %(M)s the duration in milliseconds; %(B)s the body size in bytes.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def post_fork(server, worker):
    """A forked worker must open its own database connections: drop (without closing) any the
    master's engine pooled while loading the app, as SQLAlchemy advises for forked processes."""
    app = server.app.wsgi()
    engine = getattr(app, "extensions", {}).get("casework.engine")
    if engine is not None:
        engine.dispose(close=False)
