"""Two supervisors sign off one completion at the same moment: one wins, the other is told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, CaseOutcome
from tests.conftest import hidden_fields, make_case, make_contract, make_team, make_user
from tests.races import all_read_before_any_write, race, race_track, soup

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


def test_two_supervisors_signing_off_at_once_complete_the_case_once(track):
    with track.sessions() as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        first, second = (make_user(session, roles=[Role.SUPERVISOR], team=team, passphrase=None) for _ in range(2))
        case = make_case(session, team=team, state=CaseState.COMPLETION_REVIEW, navigator_id=navigator.id)
        contract = make_contract(
            session, case=case, created_by=navigator, starts_on=TODAY - timedelta(days=120), ends_on=TODAY
        )
        contract.conditions[1].status = "met"
        session.commit()
        case_id = case.id
    page = f"/cases/{case_id}/completion"
    clients = [track.signed_in(first), track.signed_in(second)]
    forms = [
        {
            **hidden_fields(client, page, f"{page}/sign-off"),
            "rationale": "All conditions met and no breaches.",
            "exit_not_done_reason": "The person declined it.",
        }
        for client in clients
    ]
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(
            *(lambda c=c, f=f: c.post(f"{page}/sign-off", data=f) for c, f in zip(clients, forms, strict=True))
        )
    assert not gave_up
    assert sorted(r.status_code for r in responses) == [302, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert "Someone else changed" in soup(loser).select_one(".govuk-error-summary").get_text()
    assert track.count(CaseOutcome, CaseOutcome.case_id == case_id) == 1
    assert track.audited("case.complete", case_id=case_id) == 1
