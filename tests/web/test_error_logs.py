"""A failure is logged as its class and a reference, never its message: a database error quotes
the statement's values and, on PostgreSQL, the failing row (a case note, a name). The person who
met it sees the same reference, to quote to the service desk.

The failing routes are added by the tests: no real page should fail like this."""

from __future__ import annotations

import logging
import re

import pytest
from bs4 import BeautifulSoup
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from casework.db import make_engine
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import CaseNote
from casework.web.access import collect_rules, signed_in
from casework.web.database import db
from tests.conftest import NOW, csrf_token, make_case, make_user, sign_in_quickly

MARKER = "Lives with her sister at 4 Mill Lane"


def _failing_route(app, view) -> None:
    app.add_url_rule("/test/failure", endpoint="test_failure", view_func=signed_in(view), methods=["POST"])
    collect_rules(app)


@pytest.fixture
def case(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    return case


def _reference(response) -> str:
    shown = BeautifulSoup(response.text, "html.parser").select_one("#error-reference")
    assert shown is not None, "the 500 page shows no reference"
    return shown.get_text(strip=True)


def test_a_failed_statement_logs_its_class_and_a_reference_but_not_the_note(app, client, case, caplog):
    def note_too_long():
        # Breaks the table's CHECK: PostgreSQL's error quotes the whole failing row, note and all.
        db().add(CaseNote(case_id=case.id, author_id=current_user.id, written_at=NOW, body=MARKER + "." * 12001))
        db().flush()

    _failing_route(app, note_too_long)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/test/failure", data={"csrf_token": csrf_token(client, "/cases/")})
    assert response.status_code == 500
    reference = _reference(response)
    assert re.fullmatch(r"[A-Z2-9]{8}", reference)
    assert reference in caplog.text
    assert "IntegrityError" in caplog.text  # what failed, and (the frames) where
    assert "note_too_long" in caplog.text
    assert MARKER not in caplog.text
    assert MARKER not in response.text


def test_an_error_message_is_never_logged_only_its_class(app, client, case, caplog):
    def fails():
        raise ValueError(f"could not send to {MARKER}")

    _failing_route(app, fails)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/test/failure", data={"csrf_token": csrf_token(client, "/cases/")})
    assert response.status_code == 500
    assert f"ValueError [reference {_reference(response)}]" in caplog.text
    assert MARKER not in caplog.text


def test_each_failure_has_its_own_reference(app, client, case, caplog):
    _failing_route(app, lambda: 1 / 0)
    token = csrf_token(client, "/cases/")
    first, second = (_reference(client.post("/test/failure", data={"csrf_token": token})) for _ in range(2))
    assert first != second


def test_a_failed_statements_error_does_not_carry_the_values_bound_to_it(database):
    """Whatever else logs a database error (a library, a worker's crash report), the values are not in it."""
    engine = make_engine(database.url)
    with pytest.raises(DBAPIError) as failed, engine.connect() as connection:
        connection.execute(text("SELECT body FROM no_such_table WHERE body = :body"), {"body": MARKER})
    engine.dispose()
    assert "no_such_table" in str(failed.value)
    assert MARKER not in str(failed.value)
