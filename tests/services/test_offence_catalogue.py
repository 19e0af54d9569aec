"""The offence group in the administrator's catalogue: required on a new offence and on a correction,
only one of the known groups, and a change of group is named in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.errors import FieldError
from casework.domain.roles import Role
from casework.models import AuditEvent, Offence
from casework.services import offence_catalogue
from tests.conftest import NOW, make_user

WORDING = offence_catalogue.OffenceWording(
    title_cy="Achosi dioddefaint diangen i anifail",
    legislation="section 4 of the Animal Welfare Act 2006",
    legislation_cy="adran 4 o Ddeddf Lles Anifeiliaid 2006",
)


@pytest.fixture
def admin(session, team):
    return make_user(session, roles=[Role.ADMINISTRATOR], team=team)


def _add(session, admin, offence_group):
    return offence_catalogue.add_offence(
        session,
        actor=admin,
        code="CRUELTY-ANIMAL",
        title="Causing unnecessary suffering to an animal",
        mode_of_trial="either_way",
        s127_applies=False,
        gravity_base=3,
        offence_group=offence_group,
        flags=set(),
        inclusion="excluded",
        terms="",
        effective_from=local(NOW).date(),
        now=NOW,
        wording=WORDING,
    )


def _correct(session, admin, offence, offence_group):
    return offence_catalogue.update_offence(
        session,
        actor=admin,
        offence=offence,
        title=offence.title,
        mode_of_trial=offence.mode_of_trial,
        s127_applies=offence.s127_applies,
        gravity_base=offence.gravity_base,
        offence_group=offence_group,
        flags={flag for flag in offence_catalogue.OFFENCE_FLAGS if getattr(offence, flag)},
        now=NOW,
        wording=offence_catalogue.OffenceWording(offence.title_cy, offence.legislation, offence.legislation_cy),
    )


def _events(session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_new_offence_is_saved_in_its_group_and_the_audit_names_it(session, admin):
    offence = _add(session, admin, "other")
    assert session.get(Offence, offence.id).offence_group == "other"
    (event,) = _events(session, "offence.added")
    assert event.detail["offence_code"] == "CRUELTY-ANIMAL" and event.detail["offence_group"] == "other"


@pytest.mark.parametrize("group", ["", "shoplifting", None])
def test_a_new_offence_without_a_known_group_is_refused_by_the_field(session, admin, group):
    with pytest.raises(FieldError) as refused:
        _add(session, admin, group)
    assert (refused.value.field, refused.value.message) == ("offence_group", "Select the offence group")
    assert session.scalar(select(Offence).where(Offence.code == "CRUELTY-ANIMAL")) is None
    assert _events(session, "offence.added") == []


def test_moving_an_offence_to_another_group_is_audited_as_that_change(session, admin):
    offence = session.scalar(select(Offence).where(Offence.code == "ASSAULT-COMMON-DA"))
    assert offence.offence_group == "domestic"
    _correct(session, admin, offence, "violence")
    session.expire_all()
    assert session.get(Offence, offence.id).offence_group == "violence"
    (event,) = _events(session, "offence.changed")
    assert event.detail == {"offence_code": "ASSAULT-COMMON-DA", "fields": ["offence_group"]}


@pytest.mark.parametrize("group", ["", "assault"])
def test_a_correction_to_an_unknown_group_is_refused_and_changes_nothing(session, admin, group):
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    with pytest.raises(FieldError) as refused:
        _correct(session, admin, offence, group)
    assert refused.value.field == "offence_group"
    session.expire_all()
    assert session.get(Offence, offence.id).offence_group == "theft"
    assert _events(session, "offence.changed") == []
