"""The conditions-not-met sweep's statement is one the database can answer from the partial index of
conditions neither met nor waived: a bound parameter where the index's predicate has a literal would
leave the index unusable, and the sweep would go back to reading every contract (bench/README.md)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from casework.models.contracts import UNSETTLED_SQL
from casework.services import breach_raising
from tests.breaches import TODAY, running_case
from tests.conftest import NOW

INDEX = "ix_conditions_unsettled_due"


def _overdue_statement(session) -> tuple[str, object]:
    captured = []

    def grab(_conn, _cursor, statement, parameters, _context, _executemany):
        if "FROM contract_conditions JOIN contracts" in statement and not captured:
            captured.append((statement, parameters))

    bind = session.connection()
    event.listen(bind, "before_cursor_execute", grab)
    try:
        breach_raising.due_conditions(session, now=NOW)
    finally:
        event.remove(bind, "before_cursor_execute", grab)
    return captured[0]


def test_the_sweep_reads_conditions_past_their_due_date_from_the_index_of_those_unsettled(session, team):
    world = running_case(session, team=team)
    world.contract.conditions[1].due_on = TODAY - timedelta(days=1)
    session.flush()
    statement, parameters = _overdue_statement(session)
    cursor = session.connection().connection.driver_connection.cursor()
    if session.get_bind().dialect.name == "sqlite":
        # INDEXED BY fails with "no query solution" unless the index can answer the statement.
        forced = statement.replace("FROM contract_conditions", f"FROM contract_conditions INDEXED BY {INDEX}", 1)
        assert cursor.execute(forced, parameters).fetchall()
    else:
        # PostgreSQL proves the index's predicate from the same constants in the query; with a handful
        # of rows it may well prefer another index, so what is checked is that the constants are there.
        assert UNSETTLED_SQL.removeprefix("status ") in statement
