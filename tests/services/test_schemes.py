"""Scheme settings and offence rules: a version not yet in force before today can be corrected,
with the earlier values kept and the correction audited; one already in force cannot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.errors import FieldError
from casework.domain.roles import Role
from casework.models import AuditEvent, Offence, OffenceInclusion, SchemeSettings
from casework.services import offence_catalogue, schemes
from tests.conftest import NOW, make_user

TODAY = local(NOW).date()


def _values(version: SchemeSettings, **changes) -> dict:
    return {**{name: getattr(version, name) for name in schemes.EDITABLE}, **changes}


def _events(session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.sequence)))


@pytest.fixture
def admin(session, team):
    return make_user(session, roles=[Role.ADMINISTRATOR], team=team)


def test_a_version_taking_effect_today_is_corrected_and_the_first_values_stay_in_the_history(session, admin):
    installed = schemes.settings_on(session, TODAY)
    first = schemes.change_settings(
        session, actor=admin, values=_values(installed, min_age=19), effective_from=TODAY, reason="Pilot", now=NOW
    )
    later = NOW + timedelta(minutes=5)
    correction = schemes.change_settings(
        session,
        actor=admin,
        values=_values(installed, min_age=20, max_conditions=6),
        effective_from=TODAY,
        reason="Typed 19; the board agreed 20",
        now=later,
    )

    assert schemes.settings_on(session, TODAY).id == correction.id
    assert schemes.settings_on(session, TODAY).min_age == 20
    session.refresh(first)
    assert first.min_age == 19 and first.superseded_at == later
    assert correction.corrects_id == first.id and correction.changed_by_id == admin.id
    history = schemes.settings_history(session, actor=admin)
    assert [entry.settings.id for entry in history[:2]] == [correction.id, first.id]
    assert [(c.name, c.before, c.after) for c in history[0].changes] == [("max_conditions", 5, 6), ("min_age", 19, 20)]
    assert history[0].corrects_saved_at == NOW
    assert history[1].replaced_at == later
    (event,) = _events(session, "scheme.settings_corrected")
    assert event.actor_id == admin.id
    assert event.detail == {
        "settings_id": correction.id,
        "corrects": first.id,
        "effective_from": TODAY.isoformat(),
        "fields": ["max_conditions", "min_age"],
    }


def test_a_future_version_is_corrected_without_touching_the_one_in_force(session, admin):
    installed = schemes.settings_on(session, TODAY)
    next_month = TODAY + timedelta(days=30)
    schemes.change_settings(
        session, actor=admin, values=_values(installed, min_age=21), effective_from=next_month, reason="Pilot", now=NOW
    )
    schemes.change_settings(
        session, actor=admin, values=_values(installed, min_age=22), effective_from=next_month, reason="Fix", now=NOW
    )
    assert schemes.settings_on(session, TODAY).id == installed.id
    assert schemes.settings_on(session, next_month).min_age == 22


def test_a_version_already_in_force_before_today_cannot_be_rewritten(session, admin):
    installed = schemes.settings_on(session, TODAY)
    with pytest.raises(FieldError) as refused:
        schemes.change_settings(
            session,
            actor=admin,
            values=_values(installed, min_age=21),
            effective_from=installed.effective_from,
            reason="Rewrite the past",
            now=NOW,
        )
    assert refused.value.field == "effective_from" and "today or later" in refused.value.message

    schemes.change_settings(
        session, actor=admin, values=_values(installed, min_age=19), effective_from=TODAY, reason="Pilot", now=NOW
    )
    tomorrow = NOW + timedelta(days=1)
    with pytest.raises(FieldError, match="today or later"):
        schemes.change_settings(
            session,
            actor=admin,
            values=_values(installed, min_age=20),
            effective_from=TODAY,
            reason="Late",
            now=tomorrow,
        )
    assert schemes.settings_on(session, TODAY).min_age == 19
    assert not _events(session, "scheme.settings_corrected")


def test_a_correction_that_changes_nothing_is_refused(session, admin):
    installed = schemes.settings_on(session, TODAY)
    schemes.change_settings(
        session, actor=admin, values=_values(installed, min_age=19), effective_from=TODAY, reason="Pilot", now=NOW
    )
    with pytest.raises(FieldError, match="Nothing has changed"):
        schemes.change_settings(
            session, actor=admin, values=_values(installed, min_age=19), effective_from=TODAY, reason="Again", now=NOW
        )


def test_an_offence_rule_taking_effect_today_is_corrected_and_the_first_rule_kept(session, admin):
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    first = offence_catalogue.set_inclusion(
        session, actor=admin, offence=offence, inclusion="excluded", terms="", effective_from=TODAY, now=NOW
    )
    later = NOW + timedelta(minutes=3)
    correction = offence_catalogue.set_inclusion(
        session,
        actor=admin,
        offence=offence,
        inclusion="included_with_terms",
        terms="Only under £100",
        requirements=frozenset({"sergeant_confirms"}),
        effective_from=TODAY,
        now=later,
    )
    assert schemes.inclusion_on(session, offence, TODAY).id == correction.id
    session.refresh(first)
    assert first.inclusion == "excluded" and first.superseded_at == later
    assert correction.corrects_id == first.id
    history = offence_catalogue.inclusion_history(session, offence=offence)
    assert [rule.id for rule in history[:2]] == [correction.id, first.id]
    (event,) = _events(session, "offence.inclusion_corrected")
    assert event.detail == {
        "offence_code": "THEFT-SHOP",
        "inclusion": "included_with_terms",
        "requirements": ["sergeant_confirms"],
        "effective_from": TODAY.isoformat(),
        "corrects": first.id,
        "fields": ["inclusion", "terms", "requirements"],
    }


def test_an_offence_rule_in_force_before_today_cannot_be_rewritten(session, admin):
    offence = session.scalar(select(Offence).where(Offence.code == "THEFT-SHOP"))
    installed = schemes.inclusion_on(session, offence, TODAY)
    with pytest.raises(FieldError, match="today or later"):
        offence_catalogue.set_inclusion(
            session,
            actor=admin,
            offence=offence,
            inclusion="excluded",
            terms="",
            effective_from=installed.effective_from,
            now=NOW,
        )
    offence_catalogue.set_inclusion(
        session, actor=admin, offence=offence, inclusion="excluded", terms="", effective_from=TODAY, now=NOW
    )
    with pytest.raises(FieldError, match="Nothing has changed"):
        offence_catalogue.set_inclusion(
            session, actor=admin, offence=offence, inclusion="excluded", terms="", effective_from=TODAY, now=NOW
        )
    rules = session.scalars(select(OffenceInclusion).where(OffenceInclusion.offence_id == offence.id)).all()
    assert len(rules) == 2


def test_reminder_times_are_checked_and_stored_largest_first(session, admin):
    installed = schemes.settings_on(session, TODAY)
    assert installed.reminder_hours == "48,2"
    with pytest.raises(FieldError, match="from 1 to 168") as refused:
        schemes.change_settings(
            session,
            actor=admin,
            values=_values(installed, reminder_hours="0"),
            effective_from=TODAY,
            reason="x",
            now=NOW,
        )
    assert refused.value.field == "reminder_hours"
    changed = schemes.change_settings(
        session,
        actor=admin,
        values=_values(installed, reminder_hours="2, 24h"),
        effective_from=TODAY + timedelta(days=1),
        reason="A day ahead suits people better",
        now=NOW,
    )
    assert changed.reminder_hours == "24,2"
