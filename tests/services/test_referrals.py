"""The partner directory and referrals: consent, minimum data, the status path, the disclosure record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, IllegalTransition, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import referrals
from casework.services.referrals import ServiceDetails
from tests.conftest import NOW, make_case, make_user

HUB = ServiceDetails(
    name="Recovery hub", pathway="drugs", data_accepted="Name, date of birth, phone", phone="0191 555 0199"
)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


def _send(session, actor, case, service, **overrides):
    values = dict(
        service_id=service.id,
        need_domain="drugs",
        sent_on=NOW.date(),
        method="secure_email",
        data_shared=["name", "date_of_birth", "reason"],
        consent_recorded=True,
        now=NOW,
    )
    values.update(overrides)
    return referrals.send_referral(session, actor=actor, case=case, **values)


def test_supervisors_keep_the_directory_and_navigators_cannot(session, supervisor, navigator):
    service = referrals.add_service(session, actor=supervisor, details=HUB, now=NOW)
    assert [s.name for s in referrals.directory(session, actor=navigator)] == ["Recovery hub"]
    with pytest.raises(NotPermitted):
        referrals.add_service(session, actor=navigator, details=HUB, now=NOW)
    with pytest.raises(FieldError) as refused:
        referrals.add_service(
            session, actor=supervisor, now=NOW, details=ServiceDetails(name="X", pathway="drugs", data_accepted="Name")
        )
    assert refused.value.field == "phone"
    assert service.team_id == supervisor.team_id


def test_a_referral_is_an_audited_disclosure_with_its_recipient(session, team, supervisor, navigator):
    service = referrals.add_service(session, actor=supervisor, details=HUB, now=NOW)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    referral = _send(session, navigator, case, service)
    assert referral.status == "sent" and [u.status for u in referral.updates] == ["sent"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.referral_sent")).one()
    assert event.detail["recipient"] == "Recovery hub"
    assert event.detail["data_shared"] == ["date_of_birth", "name", "reason"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_recorded": False}, "consent_recorded"),
        ({"data_shared": ["name", "health_history"]}, "data_shared"),
        ({"data_shared": []}, "data_shared"),
        ({"sent_on": NOW.date() + timedelta(days=1)}, "sent_on"),
        ({"method": "carrier pigeon"}, "method"),
        ({"need_domain": "astrology"}, "need_domain"),
    ],
)
def test_referral_refusals_name_the_field(session, team, supervisor, navigator, overrides, field):
    service = referrals.add_service(session, actor=supervisor, details=HUB, now=NOW)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    with pytest.raises(FieldError) as refused:
        _send(session, navigator, case, service, **overrides)
    assert refused.value.field == field


def test_another_teams_service_cannot_be_used(session, team, other_team, navigator):
    foreign = referrals.add_service(
        session, actor=make_user(session, roles=[Role.SUPERVISOR], team=other_team), details=HUB, now=NOW
    )
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    with pytest.raises(FieldError) as refused:
        _send(session, navigator, case, foreign)
    assert refused.value.field == "service_id"


def test_status_moves_along_its_path_and_attendance_needs_evidence(session, team, supervisor, navigator):
    service = referrals.add_service(session, actor=supervisor, details=HUB, now=NOW)
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    referral = _send(session, navigator, case, service)

    def update(status, evidence=""):
        return referrals.update_status(
            session,
            actor=navigator,
            referral=referral,
            case=case,
            status=status,
            happened_on=NOW.date(),
            evidence=evidence,
            note="",
            seen_version=referral.version,
            now=NOW,
        )

    with pytest.raises(IllegalTransition, match="can only become"):
        update("attended", "letter")
    update("acknowledged")
    update("appointment_offered")
    with pytest.raises(FieldError) as refused:
        update("attended")
    assert refused.value.field == "evidence"
    update("attended", "partner_confirmation")
    update("completed", "letter")
    assert [u.status for u in referral.updates] == [
        "sent",
        "acknowledged",
        "appointment_offered",
        "attended",
        "completed",
    ]
    with pytest.raises(IllegalTransition, match="closed"):
        update("declined")
