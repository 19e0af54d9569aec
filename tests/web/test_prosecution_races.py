"""Two decision makers recording the prosecution decision at once, and two confirmations of the
same outcome on force systems: one wins, the other is told, on SQLite and PostgreSQL (tests/races.py)."""

from __future__ import annotations

import pytest

from casework.domain.roles import Role
from casework.models import Case, CaseOutcome
from tests.conftest import make_team, make_user
from tests.form_posts import shown_fields
from tests.prosecution_cases import RATIONALE, waiting_case
from tests.races import all_read_before_any_write, race, race_track, soup


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


def _winner_and_loser(responses):
    statuses = [response.status_code for response in responses]
    assert all(status < 500 for status in statuses), statuses
    assert sorted(statuses) == [302, 400], statuses
    winner = next(r for r in responses if r.status_code == 302)
    return winner, next(r for r in responses if r is not winner)


def test_two_decision_makers_at_once_one_decision_is_recorded_and_the_other_told_who(track):
    with track.sessions() as setup:
        team = make_team(setup)
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=team)
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=team)
        case = waiting_case(setup, team, supervisor=supervisor)
        setup.commit()
    path = f"/cases/{case.id}/prosecution-decision"
    browsers = track.signed_in(supervisor), track.signed_in(sergeant)
    answers = (
        {"route": "evidential", "evidential_code": "15"},
        {"route": "no_further_action", "nfa_code": "21"},
    )
    forms = [{**shown_fields(b, path), **a, "rationale": RATIONALE} for b, a in zip(browsers, answers, strict=True)]
    with all_read_before_any_write(Case, 2) as gave_up:
        responses = race(*(lambda b=b, f=f: b.post(path, data=f) for b, f in zip(browsers, forms, strict=True)))
    assert not gave_up
    winner, loser = _winner_and_loser(responses)
    by_supervisor = winner is responses[0]
    refusal = soup(loser).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Someone else changed case" in refusal
    assert f"made by {(supervisor if by_supervisor else sergeant).full_name}" in refusal
    assert track.count(CaseOutcome, CaseOutcome.case_id == case.id) == 1
    assert track.only(CaseOutcome.code, CaseOutcome.case_id == case.id) == (15 if by_supervisor else 21)
    closing = "case.close_evidential" if by_supervisor else "case.close_alternative"
    assert track.audited(closing, case_id=case.id) == 1
    assert track.audited("case.close_alternative" if by_supervisor else "case.close_evidential", case_id=case.id) == 0


def test_two_confirmations_on_force_systems_at_once_record_one(track):
    with track.sessions() as setup:
        team = make_team(setup)
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=team)
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=team)
        case = waiting_case(setup, team, supervisor=supervisor)
        from casework.services import prosecution
        from tests.conftest import NOW

        prosecution.record_decision(
            setup,
            actor=supervisor,
            case=case,
            route="evidential",
            code=16,
            rationale=RATIONALE,
            seen_version=case.version,
            now=NOW,
        )
        setup.commit()
    path = f"/cases/{case.id}/outcome/force-record"
    browsers = track.signed_in(supervisor), track.signed_in(sergeant)
    forms = [{**shown_fields(b, path), "confirmed": "y", "force_reference": f"OCC/{n}"} for n, b in enumerate(browsers)]
    with all_read_before_any_write(CaseOutcome, 2) as gave_up:
        responses = race(*(lambda b=b, f=f: b.post(path, data=f) for b, f in zip(browsers, forms, strict=True)))
    assert not gave_up
    _winner, loser = _winner_and_loser(responses)
    refusal = soup(loser).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "already confirmed" in refusal or "Someone else changed the outcome" in refusal
    assert track.audited("case.outcome_recorded_on_force_system", case_id=case.id) == 1
