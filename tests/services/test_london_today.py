"""Every date a person types is judged against the London date, at 23:30 and 00:30 either side of
both daylight-saving changes. At 00:30 BST the UTC date is still yesterday: "today" must not be."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.domain.clock import local_today
from casework.domain.errors import FieldError
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Condition, Contract
from casework.services import cases, progress, referrals
from casework.services.cases import CustodyDetails
from casework.services.referrals import ServiceDetails
from tests.conftest import make_case, make_user
from tests.domain.test_clock import AROUND_THE_CHANGES

INSTANTS = [instant for instant, _ in AROUND_THE_CHANGES]


def _signed_contract(session, case, *, navigator, now) -> Condition:
    """A contract signed the day before `now`, with one sessions condition to record against."""
    starts = local_today(now) - timedelta(days=1)
    contract = Contract(
        case_id=case.id,
        version_number=1,
        status="signed",
        created_by_id=navigator.id,
        created_at=now - timedelta(days=2),
        changed_at=now - timedelta(days=1),
        agreement="agrees",
        signed_at=now - timedelta(days=1),
        signed_by_navigator_id=navigator.id,
        starts_on=starts,
        ends_on=starts + timedelta(days=120),
    )
    condition = Condition(position=1, type="education", wording="Attend the course", rule="sessions", target=3)
    contract.conditions.append(condition)
    session.add(contract)
    session.flush()
    return condition


@pytest.mark.parametrize("now", INSTANTS)
def test_progress_can_be_recorded_for_the_london_today_and_not_tomorrow(session, team, now):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    condition = _signed_contract(session, case, navigator=navigator, now=now)
    values = dict(actor=navigator, case=case, condition_id=condition.id, amount=1, evidence="partner_confirmation")
    with pytest.raises(FieldError) as refused:
        progress.record_progress(
            session, happened_on=local_today(now) + timedelta(days=1), note="", at_risk=False, now=now, **values
        )
    assert refused.value.field == "happened_on"
    recorded = progress.record_progress(
        session, happened_on=local_today(now), note="", at_risk=False, now=now, **values
    )
    assert recorded.achieved == 1


@pytest.mark.parametrize("now", INSTANTS)
def test_a_referral_sent_on_the_london_today_is_accepted(session, team, now):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    service = referrals.add_service(
        session,
        actor=supervisor,
        now=now,
        details=ServiceDetails(name="Recovery Hub", pathway="drugs", data_accepted="Name", phone="0191 555 0100"),
    )
    values = dict(
        actor=navigator,
        case=case,
        service_id=service.id,
        need_domain="drugs",
        method="secure_email",
        data_shared=["name"],
        consent_recorded=True,
        now=now,
    )
    with pytest.raises(FieldError):
        referrals.send_referral(session, sent_on=local_today(now) + timedelta(days=1), **values)
    assert referrals.send_referral(session, sent_on=local_today(now), **values).sent_on == local_today(now)


@pytest.mark.parametrize("now", INSTANTS)
def test_an_offence_committed_on_the_london_today_can_be_recorded(session, team, now):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    draft = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT, opened_by=sergeant)
    today = local_today(now)
    details = CustodyDetails(
        custody_suite="Durham",
        crime_reference="DC/1",
        custody_record_number="CR1",
        arrested_at=now - timedelta(minutes=10),
        offence_first_on=today,
        offence_last_on=today,
        offence_codes=("ASSAULT-COMMON",),
        offence_place="Market Place, Durham",
        offence_description="Took goods from a shop without paying",
    )
    cases.record_custody_details(
        session, actor=sergeant, case=draft, details=details, seen_version=draft.version, now=now
    )
    assert draft.offence_last_on == today
