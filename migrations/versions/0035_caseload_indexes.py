"""the caseload's lists read in deadline order from indexes on generated columns saying whether a case
is closed or in progress, and a name search within a team reads copies of the person's names kept on
the case by triggers

Revision ID: 0035_caseload_indexes
Revises: 0034_consultation_queue
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_caseload_indexes"
down_revision = "0034_consultation_queue"
branch_labels = None
depends_on = None

# As casework.models.cases spells them when this was written (a migration must not follow later code).
UNCLOSED_SQL = (
    "state NOT IN ('closed_alternative', 'closed_charged', 'closed_evidential', 'closed_time_barred', "
    "'completed', 'declined', 'ineligible', 'withdrawn_in_error')"
)
OPEN_SQL = (
    "state IN ('active', 'assessment', 'breach_review', 'completion_review', 'contract_awaiting_approval', "
    "'contract_draft', 'referred', 'suspended')"
)
SEARCH_NAME = sa.String(120).with_variant(sa.String(120, collation="C"), "postgresql")

# The names as the search compares them: the family name already folded by the service, the given
# names lower-cased as the search has always compared them.
_FAMILY = "(SELECT family_name_folded FROM people WHERE people.id = {case}.person_id)"
_GIVEN = "(SELECT lower(given_names) FROM people WHERE people.id = {case}.person_id)"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("search_family_name", SEARCH_NAME, nullable=True))
        batch_op.add_column(sa.Column("search_given_names", SEARCH_NAME, nullable=True))
    op.execute(
        f"UPDATE cases SET search_family_name = {_FAMILY.format(case='cases')}, "
        f"search_given_names = {_GIVEN.format(case='cases')}"
    )
    if op.get_bind().dialect.name == "postgresql":
        _triggers_on_postgresql()
    else:
        _triggers_on_sqlite()
    # Generated from the state by the database: STORED on PostgreSQL (its only kind), VIRTUAL on SQLite
    # (the only kind ALTER TABLE can add there); either can be indexed.
    kind = "STORED" if op.get_bind().dialect.name == "postgresql" else "VIRTUAL"
    for column, condition in (("unclosed", UNCLOSED_SQL), ("in_progress", OPEN_SQL)):
        op.execute(f"ALTER TABLE cases ADD COLUMN {column} BOOLEAN GENERATED ALWAYS AS ({condition}) {kind}")
    op.create_index("ix_cases_team_unclosed_deadline", "cases", ["team_id", "unclosed", "decision_deadline_on", "id"])
    op.create_index(
        "ix_cases_navigator_open_deadline",
        "cases",
        ["navigator_id", "in_progress", "team_id", "decision_deadline_on", "id"],
    )
    op.create_index("ix_cases_team_family_name", "cases", ["team_id", "unclosed", "search_family_name", "id"])
    op.create_index("ix_cases_team_given_names", "cases", ["team_id", "unclosed", "search_given_names", "id"])
    op.create_index("ix_people_date_of_birth", "people", ["date_of_birth"])


def _triggers_on_postgresql() -> None:
    op.execute(
        f"""
        CREATE FUNCTION cases_copy_person_names() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_family_name := {_FAMILY.format(case="NEW")};
            NEW.search_given_names := {_GIVEN.format(case="NEW")};
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER cases_person_names BEFORE INSERT OR UPDATE OF person_id ON cases "
        "FOR EACH ROW EXECUTE FUNCTION cases_copy_person_names()"
    )
    op.execute(
        """
        CREATE FUNCTION people_names_to_cases() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE cases SET search_family_name = NEW.family_name_folded,
                             search_given_names = lower(NEW.given_names)
             WHERE person_id = NEW.id;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER people_names_to_cases AFTER UPDATE OF family_name_folded, given_names ON people "
        "FOR EACH ROW EXECUTE FUNCTION people_names_to_cases()"
    )


def _triggers_on_sqlite() -> None:
    # SQLite has no BEFORE trigger that can change the new row: the copy is written just after it.
    copy = (
        f"UPDATE cases SET search_family_name = {_FAMILY.format(case='NEW')}, "
        f"search_given_names = {_GIVEN.format(case='NEW')} WHERE id = NEW.id;"
    )
    op.execute(f"CREATE TRIGGER cases_person_names_on_insert AFTER INSERT ON cases BEGIN {copy} END")
    op.execute(f"CREATE TRIGGER cases_person_names_on_move AFTER UPDATE OF person_id ON cases BEGIN {copy} END")
    op.execute(
        "CREATE TRIGGER people_names_to_cases AFTER UPDATE OF family_name_folded, given_names ON people BEGIN "
        "UPDATE cases SET search_family_name = NEW.family_name_folded, search_given_names = lower(NEW.given_names) "
        "WHERE person_id = NEW.id; END"
    )


def downgrade() -> None:
    for name in (
        "ix_cases_team_unclosed_deadline",
        "ix_cases_navigator_open_deadline",
        "ix_cases_team_family_name",
        "ix_cases_team_given_names",
    ):
        op.drop_index(name, table_name="cases")
    for column in ("in_progress", "unclosed"):
        op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
    op.drop_index("ix_people_date_of_birth", table_name="people")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER people_names_to_cases ON people")
        op.execute("DROP TRIGGER cases_person_names ON cases")
        op.execute("DROP FUNCTION people_names_to_cases()")
        op.execute("DROP FUNCTION cases_copy_person_names()")
    else:
        for trigger in ("people_names_to_cases", "cases_person_names_on_move", "cases_person_names_on_insert"):
            op.execute(f"DROP TRIGGER {trigger}")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("search_given_names")
        batch_op.drop_column("search_family_name")
