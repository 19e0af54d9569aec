"""Pages run on the app's clock, not the machine's: what a navigator types as "today" at 00:30 BST
is accepted, and the dates shown are London dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, PartnerService
from tests.conftest import csrf_token, hidden_fields, make_case, make_user, sign_in_quickly

# 00:30 BST on Monday 30 March 2026: the UTC date is still Sunday 29 March.
HALF_PAST_MIDNIGHT_BST = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)


def test_first_contact_typed_just_after_midnight_bst_is_accepted(client, session, team, clock):
    clock.set(HALF_PAST_MIDNIGHT_BST)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(
        session, team=team, navigator_id=navigator.id, referred_at=HALF_PAST_MIDNIGHT_BST - timedelta(days=1)
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/first-contact"
    typed = {"csrf_token": csrf_token(client, path), "version": case.version, "method": "phone"}
    ahead = client.post(path, data={**typed, "contact_date": "30/3/26", "contact_time": "00:45"})
    assert "must be in the past" in BeautifulSoup(ahead.text, "html.parser").select_one(".govuk-error-summary").text
    done = client.post(path, data={**typed, "contact_date": "30/3/26", "contact_time": "00:20"})
    assert done.status_code == 302
    session.expire_all()
    recorded = session.get(Case, case.id)
    assert recorded.case_state is CaseState.ASSESSMENT
    assert recorded.first_contact_at == datetime(2026, 3, 29, 23, 20, tzinfo=UTC)


def test_a_referral_dated_today_just_after_midnight_bst_is_accepted(client, session, team, clock):
    clock.set(HALF_PAST_MIDNIGHT_BST)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    service = PartnerService(
        team_id=team.id, name="Recovery Hub", pathway="drugs", phone="0191 555 0100", data_accepted="Name"
    )
    session.add(service)
    session.commit()
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/referrals/new"
    response = client.post(
        path,
        data={
            **hidden_fields(client, path),
            "service_id": service.id,
            "need_domain": "drugs",
            "sent_on": "30/3/2026",
            "method": "secure_email",
            "data_shared": ["name"],
            "consent_recorded": "y",
        },
    )
    assert response.status_code == 302, BeautifulSoup(response.text, "html.parser").select_one("main").text
