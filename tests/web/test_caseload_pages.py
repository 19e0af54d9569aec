"""The caseload's lists at any size: few statements whatever the number of rows, counts that stop
at a limit, and searches that read the team's cases through their own indexes."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.services import caseload
from tests.conftest import make_case, make_person, make_user, sign_in_quickly

# What the issue allows a list page, whatever it shows.
MOST_STATEMENTS = 8
# Statements a test's shared connection adds around each request (tests/conftest.py), not the page's.
NOT_THE_PAGE = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _statements(connection, client, path: str) -> int:
    counted = []

    def count(_conn, _cursor, statement, *_):
        if not statement.lstrip().upper().startswith(NOT_THE_PAGE):
            counted.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", count)
    return len(counted)


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _cases(session, team, navigator, count: int, **values):
    return [
        make_case(
            session, team=team, navigator_id=navigator.id, person=make_person(session, creator=navigator), **values
        )
        for _ in range(count)
    ]


def test_each_list_and_search_runs_at_most_eight_statements_for_10_rows_and_for_100(
    client, session, connection, team, navigator
):
    known = make_person(
        session, creator=navigator, family_name="Quillfeather", pnc_id="19/0004321B", date_of_birth=date(1988, 5, 4)
    )
    case = make_case(session, team=team, navigator_id=navigator.id, person=known)
    _cases(session, team, navigator, 9)
    session.commit()
    sign_in_quickly(client, session, navigator)
    paths = [
        "/navigator",
        "/cases/?tab=mine",
        "/cases/?tab=team&sort=deadline",
        "/cases/?tab=team&sort=name",
        "/cases/?tab=closed",
        "/cases/?tab=team&search=qui",
        f"/cases/?tab=team&search={case.reference}",
        "/cases/?tab=team&search=19/4321B",
        "/cases/?tab=team&search=4/5/1988",
    ]
    for path in paths:
        client.get(path)  # the session's touch and anything cached are not the page's
    ten = {path: _statements(connection, client, path) for path in paths}
    _cases(session, team, navigator, 90)
    _cases(session, team, navigator, 100, state=CaseState.COMPLETED)
    session.commit()
    hundred = {path: _statements(connection, client, path) for path in paths}
    assert ten == hundred
    assert max(ten.values()) <= MOST_STATEMENTS, ten


def test_a_list_too_long_to_count_says_more_than_and_pages_on(client, session, team, navigator, monkeypatch):
    assert caseload.COUNT_LIMIT == 1000  # as README.md says; a smaller one keeps the test short
    monkeypatch.setattr(caseload, "COUNT_LIMIT", 3)
    _cases(session, team, navigator, 28)
    session.commit()
    sign_in_quickly(client, session, navigator)
    first = _soup(client.get("/cases/?tab=team"))
    assert "More than 3 cases" in first.select_one("caption").get_text()
    assert len(first.select("tbody tr")) == 25
    assert first.select_one(".govuk-pagination p").get_text(strip=True) == "Page 1"
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    last = _soup(client.get(first.select_one(".govuk-pagination__next a")["href"]))
    assert len(last.select("tbody tr")) == 3
    assert last.select_one(".govuk-pagination__next") is None
    assert last.select_one(".govuk-pagination__prev a") is not None


def test_a_counted_list_says_how_many_and_how_many_pages(client, session, team, navigator):
    _cases(session, team, navigator, 27)
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = _soup(client.get("/cases/?tab=team"))
    assert page.select_one("caption").get_text(strip=True) == "27 cases"
    assert "Page 1 of 2" in page.select_one(".govuk-pagination").get_text()
    second = _soup(client.get("/cases/?tab=team&page=9"))  # beyond the end: the last page
    assert len(second.select("tbody tr")) == 2 and second.select_one(".govuk-pagination__next") is None


def test_a_search_too_long_is_an_error_by_its_field_keeping_what_was_typed(client, session, team, navigator):
    kept = make_case(session, team=team, navigator_id=navigator.id, person=make_person(session, creator=navigator))
    session.commit()
    sign_in_quickly(client, session, navigator)
    typed = "Quill" * 21  # 105 characters
    response = client.get(f"/cases/?tab=team&search={typed}&state=referred&sort=name")
    assert response.status_code == 200
    page = _soup(response)
    assert page.select_one(".govuk-error-summary a[href='#search']").get_text(strip=True) == (
        "Search must be 100 characters or fewer"
    )
    field = page.select_one("#search")
    assert field["value"] == typed and "govuk-input--error" in field["class"]
    assert "search-error" in field["aria-describedby"]
    assert "Search must be 100 characters or fewer" in page.select_one("#search-error").get_text()
    assert page.select_one("#state option[selected]")["value"] == "referred"  # the other choices kept
    assert kept.reference in page.select_one("tbody").get_text()  # the list, unfiltered
