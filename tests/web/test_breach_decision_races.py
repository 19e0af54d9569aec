"""Two supervisors deciding the same breach at once, with real concurrent requests and real commits
on SQLite and PostgreSQL (tests/races.py): one decision is recorded, the other supervisor is told
who decided and when, and nobody sees a server error."""

from __future__ import annotations

import pytest

from casework.domain.breaches import BreachStatus, Decision
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Breach, BreachWarning, Case
from tests.conftest import make_team, make_user
from tests.form_posts import shown_fields
from tests.races import all_read_before_any_write, race, race_track, soup
from tests.services.breach_decision_world import RATIONALE, breach_case, make_breach


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


def test_two_supervisors_deciding_one_breach_at_once(track):
    with track.sessions() as setup:
        team = make_team(setup)
        first, second = (make_user(setup, roles=[Role.SUPERVISOR], team=team) for _ in range(2))
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = breach_case(setup, team=team, navigator=navigator)
        breach = make_breach(setup, case=case)
        setup.commit()
    path = f"/breaches/{breach.id}/decide"
    browsers = track.signed_in(first), track.signed_in(second)
    forms = [shown_fields(browser, path) for browser in browsers]
    choices = (Decision.FINAL_WARNING.value, Decision.NO_ACTION.value)
    with all_read_before_any_write(Breach, 2) as gave_up:
        responses = race(
            *(
                lambda b=browser, f=form, d=decision: b.post(path, data={**f, "decision": d, "rationale": RATIONALE})
                for browser, form, decision in zip(browsers, forms, choices, strict=True)
            )
        )
    assert not gave_up
    statuses = [response.status_code for response in responses]
    assert all(status < 500 for status in statuses) and sorted(statuses).count(302) == 1, statuses
    won = 0 if statuses[0] == 302 else 1
    winner = first if won == 0 else second
    page = soup(responses[1 - won])
    assert page.title.get_text().startswith("Error:")
    refusal = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert winner.full_name in refusal and "10:00am on 24 November" in refusal, refusal
    assert track.audited("breach.decided", case_id=case.id) == 1
    with track.sessions() as check:
        stored = check.get(Breach, breach.id)
        assert stored.breach_status is BreachStatus.DECIDED and stored.decided_by_id == winner.id
        assert stored.decision == choices[won]
        assert check.get(Case, case.id).case_state is CaseState.ACTIVE
    warnings = track.count(BreachWarning, BreachWarning.breach_id == breach.id)
    assert warnings == (1 if choices[won] == Decision.FINAL_WARNING.value else 0)
