"""Assessments recorded whole before drafts existed come through the migration as completed, with
their domains and their safeguarding flags, on both databases.

On SQLite the migration rebuilds the assessments table; with foreign keys enforced, dropping the old
table used to delete every domain row through ON DELETE CASCADE (migrations/env.py now turns the
keys off around migrations, as SQLite's documentation prescribes)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

from casework.domain.roles import Role
from casework.migrate import MIGRATIONS, upgrade
from casework.models import User
from casework.services import assessment
from tests.conftest import NOW, make_team

REVISION = "0018_assessment"


def _active_case_row(session: Session, *, team, opener) -> int:
    """An active case as the schema before this revision holds it: raw SQL, because the models
    describe the newest schema, with columns later revisions add."""
    person_id = session.execute(
        text(
            "INSERT INTO people (given_names, family_name, family_name_folded, date_of_birth, address_line_1, "
            "town, postcode, preferred_language, interpreter_needed, appropriate_adult_needed, created_at, "
            "created_by_id, version) VALUES ('Sam', 'Jones', 'jones', '1990-01-01', '1 Street', 'Durham', "
            "'DH1 1AA', 'en', :no, :no, :at, :by, 1) RETURNING id"
        ),
        {"no": False, "at": NOW.replace(tzinfo=None), "by": opener.id},
    ).scalar_one()
    values = {"team": team.id, "person": person_id, "by": opener.id, "at": NOW.replace(tzinfo=None)}
    return session.execute(
        text(
            "INSERT INTO cases (reference, person_id, team_id, state, version, opened_by_id, opened_at, "
            "gate_answers, reason_codes, provisional_eligible, consent_at, first_appointment_at, "
            "first_appointment_place, referred_at) VALUES ('CP-26-000001', :person, :team, 'active', 1, :by, "
            ":at, '{}', '[]', :yes, :at, :at, 'Navigator office', :at) RETURNING id"
        ),
        {**values, "yes": True},
    ).scalar_one()


def _navigator_row(session: Session, *, team) -> User:
    """A navigator as raw rows: making one through the service would write an audit event, whose
    table has gained columns since this revision."""
    user_id = session.execute(
        text(
            "INSERT INTO users (username, full_name, email, organisation, team_id, is_active, created_at, version) "
            "VALUES ('nav.old', 'Nav Old', 'nav@example.police.uk', 'Test', :team, :yes, :at, 1) RETURNING id"
        ),
        {"team": team.id, "yes": True, "at": NOW.replace(tzinfo=None)},
    ).scalar_one()
    session.execute(
        text("INSERT INTO user_roles (user_id, role) VALUES (:user, :role)"),
        {"user": user_id, "role": Role.NAVIGATOR.value},
    )
    return session.get(User, user_id)


def test_recorded_assessments_become_completed_with_their_flags(fresh_database):
    before = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    upgrade(fresh_database.engine, before)
    with Session(fresh_database.engine) as setup:
        team = make_team(setup)
        navigator = _navigator_row(setup, team=team)
        case_id, navigator_id = _active_case_row(setup, team=team, opener=navigator), navigator.id
        at = {"case": case_id, "by": navigator_id, "at": NOW.replace(tzinfo=None)}
        setup.execute(
            text(
                "INSERT INTO assessments (case_id, stage, assessed_at, assessed_by_id, version) "
                "VALUES (:case, 'entry', :at, :by, 1)"
            ),
            at,
        )
        setup.execute(
            text(
                "INSERT INTO assessment_domains (assessment_id, domain, need_level, linked_to_offending, "
                "consent_to_refer) SELECT id, 'drugs', 3, :yes, :no FROM assessments"
            ),
            {"yes": True, "no": False},
        )
        setup.execute(
            text(
                "INSERT INTO safeguarding_flags (case_id, flag, action_taken, recorded_at, recorded_by_id) "
                "VALUES (:case, 'self_harm', 'Crisis team called', :at, :by)"
            ),
            at,
        )
        setup.commit()

    upgrade(fresh_database.engine)  # on SQLite this rebuilds `assessments`, which domains reference

    if fresh_database.kind == "sqlite":  # the migration's connection goes back to the pool enforcing keys again
        with fresh_database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with Session(fresh_database.engine) as check:
        from casework.models import Case, User

        summary = assessment.summary(check, actor=check.get(User, navigator_id), case=check.get(Case, case_id))
        entry = summary.by_stage["entry"]
        assert entry.status == "completed" and entry.started_by_id == navigator_id
        assert entry.started_at == entry.assessed_at == entry.flags_reviewed_at == NOW
        assert [s.domain for s in summary.priorities] == ["drugs"]
        assert [(f.flag, f.assessment_id) for f in summary.flags] == [("self_harm", entry.id)]
