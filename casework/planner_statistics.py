"""Fresh planner statistics: without them both databases choose plans for empty tables.

SQLite never gathers statistics by itself, and a PostgreSQL whose autovacuum is off gathers none
either: a freshly loaded database then reads a team's whole history for one page of its caseload
(bench/README.md). Migrations end with ANALYZE (they run as the schema's owner); on SQLite, which the
app owns, start-up and the scheduler also ANALYZE when the tables have outgrown their statistics.
On PostgreSQL the application's role owns no table and may not ANALYZE: keeping autovacuum on is the
operator's part (README.md), and start-up logs a warning when it is off.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

# The table whose growth stands for the database's: every list and search starts from cases.
MEASURE = "cases"
# Statistics are stale once the table holds under half or over twice the rows they were made from;
# below this many rows every plan is cheap and nothing is gathered.
SMALL = 1000


def analyze(connection: Connection) -> None:
    connection.exec_driver_sql("ANALYZE")


def refresh_if_stale(engine: Engine) -> bool:
    """ANALYZE a SQLite database whose statistics are missing or stale; True if it did. On PostgreSQL
    warn if nothing keeps them fresh."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            _warn_without_autovacuum(connection)
        return False
    if not sqlite_statistics_stale(engine):
        return False
    with engine.begin() as connection:
        analyze(connection)
    log.info("planner statistics gathered (ANALYZE)")
    return True


def sqlite_statistics_stale(engine: Engine) -> bool:
    # Read outside any transaction (the driver's own connection): a BEGIN IMMEDIATE here would wait for
    # whichever process is writing, only to find out that nothing needs doing.
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if not cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MEASURE,)).fetchone():
            return False
        rows = cursor.execute(f"SELECT count(*) FROM {MEASURE}").fetchone()[0]
        if rows < SMALL:
            return False
        if not cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return True
        # sqlite_stat1's "stat" starts with the number of rows the index held when it was analysed.
        recorded = cursor.execute(
            "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = ?", (MEASURE,)
        ).fetchone()[0]
        return not recorded or not (recorded / 2 <= rows <= recorded * 2)
    finally:
        connection.close()


def _warn_without_autovacuum(connection: Connection) -> None:
    if connection.scalar(text("SHOW autovacuum")) != "on":
        log.warning(
            "PostgreSQL's autovacuum is off: planner statistics will go stale as cases are added, and "
            "case lists will slow down. Turn it on, or ANALYZE as the schema's owner regularly."
        )
