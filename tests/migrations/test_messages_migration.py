"""Revision 0021_messages: people on record before it have agreed to no reminders; every scheme
version gets the default reminder times."""

from __future__ import annotations

from sqlalchemy import text

from casework.migrate import downgrade, upgrade


def test_existing_people_and_scheme_versions_get_safe_defaults(fresh_database):
    engine = fresh_database.engine
    upgrade(engine, "0019_check_ins")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO teams (name, area) VALUES ('Old team', 'Area')"))
        team_id = connection.execute(text("SELECT id FROM teams WHERE name = 'Old team'")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO users (username, full_name, email, organisation, team_id, is_active, created_at, version) "
                "VALUES ('old.user', 'Old User', 'old@example.org', 'Org', :team, :yes, '2026-01-01 10:00:00', 1)"
            ),
            {"team": team_id, "yes": True},
        )
        user_id = connection.execute(text("SELECT id FROM users WHERE username = 'old.user'")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO people (given_names, family_name, family_name_folded, date_of_birth, address_line_1, "
                "town, postcode, preferred_language, interpreter_needed, appropriate_adult_needed, created_at, "
                "created_by_id, version) VALUES ('Sam', 'Old', 'old', '1990-01-01', '1 Street', 'Town', 'DH1 1AA', "
                "'en', :no, :no, '2026-01-01 10:00:00', :user, 1)"
            ),
            {"no": False, "user": user_id},
        )
    upgrade(engine)
    with engine.connect() as connection:
        consent = connection.execute(text("SELECT reminder_by_email, reminder_by_sms FROM people")).one()
        assert tuple(bool(value) for value in consent) == (False, False)
        hours = set(connection.execute(text("SELECT reminder_hours FROM scheme_settings")).scalars())
        assert hours == {"48,2"}
    downgrade(engine, "0019_check_ins")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM people")).scalar_one() == 1
