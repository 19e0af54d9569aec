"""The victim's record: views at the offer (from the checklist), changes later by the allocated
navigator or a supervisor, and who may see it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent
from casework.services import victims
from casework.services.victims import VictimDetails
from tests.conftest import NOW, fake, make_case, make_user


def details(**overrides) -> VictimDetails:
    values = dict(
        views="supports",
        not_sought_reason="",
        views_in_words="Wants him to get help with his drinking rather than go to court.",
        wants_restorative=True,
        enhanced_ground="",
        wants_updates=True,
        contact_method="phone",
        contact_name=fake.name(),
        contact_phone="07700 900123",
    )
    values.update(overrides)
    return VictimDetails(**values)


@pytest.fixture
def people(session, team, other_team):
    return {
        "sergeant": make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team),
        "navigator": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "colleague": make_user(session, roles=[Role.NAVIGATOR], team=team),
        "supervisor": make_user(session, roles=[Role.SUPERVISOR], team=team),
        "stranger": make_user(session, roles=[Role.NAVIGATOR], team=other_team),
        "their_supervisor": make_user(session, roles=[Role.SUPERVISOR], team=other_team),
    }


def _draft(session, team, view="objects"):
    return make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT, gate_answers={"victim_view": view})


def _audit(session, case, action):
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == action)))


def test_the_sergeant_records_the_victim_at_the_offer_with_the_checklists_views(session, team, people):
    case = _draft(session, team, view="objects")
    record = victims.record_at_offer(
        session, actor=people["sergeant"], case=case, details=details(views=None), seen_version=0, now=NOW
    )
    assert record.views == "does_not_support"  # the checklist's "objects", not asked twice
    assert record.wants_restorative and record.wants_updates and not record.enhanced_rights
    [event] = _audit(session, case, "victim.recorded")
    assert event.detail["views"] == "does_not_support"
    # Identifiers and codes only: neither the victim's words nor their phone number enter the trail.
    assert "07700" not in str(event.detail) and "drinking" not in str(event.detail)


def test_the_sergeant_is_refused_when_the_checklist_says_there_is_no_victim_or_has_no_answer(session, team, people):
    for view, words in (("no_victim", "no identifiable victim"), (None, "Answer the checklist")):
        case = _draft(session, team, view=view)
        with pytest.raises(IllegalTransition, match=words):
            victims.record_at_offer(
                session, actor=people["sergeant"], case=case, details=details(), seen_version=0, now=NOW
            )
        assert victims.for_case(session, case=case) is None


def test_the_sergeant_cannot_record_once_the_case_has_left_the_desk(session, team, people):
    case = make_case(session, team=team, state=CaseState.REFERRED, gate_answers={"victim_view": "supports"})
    with pytest.raises(IllegalTransition, match="navigator or a supervisor"):
        victims.record_at_offer(
            session, actor=people["sergeant"], case=case, details=details(), seen_version=0, now=NOW
        )
    with pytest.raises(NotPermitted):
        victims.record_later(session, actor=people["sergeant"], case=case, details=details(), seen_version=0, now=NOW)


def test_bad_details_are_refused_field_by_field(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    bad = details(
        views="not_sought",
        not_sought_reason="  ",
        wants_restorative=None,
        wants_updates=None,
        contact_method="email",
        contact_name="",
        contact_phone="",
        contact_email="",
        enhanced_ground="made_up",
    )
    with pytest.raises(FieldErrors) as refused:
        victims.record_later(session, actor=people["navigator"], case=case, details=bad, seen_version=0, now=NOW)
    fields = {problem.field for problem in refused.value.problems}
    assert fields == {
        "not_sought_reason",
        "wants_restorative",
        "wants_updates",
        "contact_name",
        "contact_email",
        "enhanced_ground",
    }
    assert victims.for_case(session, case=case) is None


def test_the_allocated_navigator_and_a_supervisor_change_it_later_with_a_version_check(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    record = victims.record_later(
        session, actor=people["navigator"], case=case, details=details(), seen_version=0, now=NOW
    )
    seen = record.version
    victims.record_later(
        session,
        actor=people["supervisor"],
        case=case,
        details=details(enhanced_ground="vulnerable_or_intimidated", wants_restorative=False),
        seen_version=seen,
        now=NOW,
    )
    assert record.enhanced_rights and not record.wants_restorative and record.changed_by_id == people["supervisor"].id
    with pytest.raises(StaleRecord):
        victims.record_later(
            session, actor=people["navigator"], case=case, details=details(), seen_version=seen, now=NOW
        )
    assert [e.detail["enhanced"] for e in _audit(session, case, "victim.changed")] == [True]


def test_only_the_allocated_navigator_of_the_team_sees_the_victim(session, team, people):
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=people["navigator"].id)
    assert victims.access_refusal(people["navigator"], case) is None
    assert victims.access_refusal(people["supervisor"], case) is None
    assert "allocated" in victims.access_refusal(people["colleague"], case)
    with pytest.raises(NotPermitted):
        victims.record_later(session, actor=people["colleague"], case=case, details=details(), seen_version=0, now=NOW)
    for outsider in (people["stranger"], people["their_supervisor"]):
        with pytest.raises(NotFound):
            victims.access_refusal(outsider, case)
        with pytest.raises(NotFound):
            victims.record_later(session, actor=outsider, case=case, details=details(), seen_version=0, now=NOW)
