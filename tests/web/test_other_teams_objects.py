"""Another team's record answers exactly like one that does not exist: the same status and the same
page, so no one can learn which numbers are in use in another team by trying them. A role that may
not use a kind of page at all is still told so (403), whatever the number."""

from __future__ import annotations

import re

import pytest

from casework.domain.roles import Role
from tests.conftest import make_user, sign_in_quickly
from tests.web.test_consultations import _url, _world

MISSING = 2_000_000_000  # inside the database's range, and never reached by the tests' numbering

# Each page: the role that uses it, and the other team's record it names.
PAGES = [
    (Role.NAVIGATOR, "cases.case", "/cases/<case_id>"),
    (Role.NAVIGATOR, "contract.draft", "/cases/<case_id>/contract/"),
    (Role.NAVIGATOR, "check_ins.check_in", "/cases/<case_id>/check-ins/<check_in_id>"),
    (Role.NAVIGATOR, "cases.add_note", "/cases/<case_id>/notes"),
    (Role.SUPERVISOR, "breach_decisions.decide", "/breaches/<breach_id>/decide"),
    (Role.SUPERVISOR, "prosecution.decision_letter_pdf", "/cases/<case_id>/decision-letter.pdf"),
    (Role.SUPERVISOR, "completion.letter", "/cases/<case_id>/completion/letter.pdf"),
]


def _comparable(response) -> tuple[int, str]:
    # Only these may differ: the CSRF token in the page's forms is signed with the time, the first
    # request of the test moves the session's idle end on, and "Stay signed in" returns to the
    # address that was asked for.
    text = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", response.text)
    text = re.sub(r'name="next" value="[^"]*"', "", text)
    return response.status_code, re.sub(r'data-seconds-left="\d+"', "", text)


@pytest.fixture
def theirs(session, other_team):
    """A case in another team with a record of every kind: contract, check-ins, breach, letters."""
    _users, _case, values, values_for = _world(session, other_team)
    return values, values_for


@pytest.mark.parametrize(("role", "endpoint", "path"), PAGES, ids=[endpoint for _, endpoint, _ in PAGES])
def test_another_teams_record_answers_like_a_missing_one(app, client, session, team, theirs, role, endpoint, path):
    values, values_for = theirs
    their_values = values_for.get(endpoint, values)
    missing_values = dict.fromkeys(their_values, MISSING)
    sign_in_quickly(client, session, make_user(session, roles=[role], team=team))
    if endpoint == "cases.add_note":  # a form sent to another team's case, with a valid CSRF token
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/cases/").text).group(1)
        theirs_answer, missing_answer = (
            client.post(_url(path, chosen), data={"csrf_token": token, "body": "Probing"})
            for chosen in (their_values, missing_values)
        )
    else:
        theirs_answer, missing_answer = (client.get(_url(path, chosen)) for chosen in (their_values, missing_values))
    assert theirs_answer.status_code == 404
    assert _comparable(theirs_answer) == _comparable(missing_answer)


def test_our_case_with_another_teams_check_in_answers_like_a_missing_check_in(client, session, team, theirs):
    values, _ = theirs
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    ours = _world(session, team)[2]
    sign_in_quickly(client, session, navigator)
    their_check_in = client.get(f"/cases/{ours['case_id']}/check-ins/{values['check_in_id']}")
    missing = client.get(f"/cases/{ours['case_id']}/check-ins/{MISSING}")
    assert their_check_in.status_code == 404
    assert _comparable(their_check_in) == _comparable(missing)


def test_a_role_that_may_not_use_the_page_is_refused_whatever_the_number(client, session, team, theirs):
    values, _ = theirs
    sign_in_quickly(client, session, make_user(session, roles=[Role.NAVIGATOR], team=team))
    assert client.get(f"/breaches/{values['breach_id']}/decide").status_code == 403
    assert client.get(f"/breaches/{MISSING}/decide").status_code == 403
