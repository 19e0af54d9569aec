"""Counting the SQL statements an action sends: the tests that check a list or a report runs the same
few queries however many rows it shows."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session


def count_statements(session: Session, action: Callable[[], object]) -> int:
    """Statements sent on the session's engine while `action` runs."""
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)
