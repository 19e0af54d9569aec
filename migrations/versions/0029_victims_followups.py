"""the victim of a case, the Victims' Code updates owed to them, and the 12- and 24-month
reoffending follow-ups of every case closed after referral

Revision ID: 0029_victims_followups
Revises: 0024_breaches
Create Date: 2026-12-04 17:17:12.458572
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_victims_followups"
down_revision = "0028_completion"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reoffending_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("counted_from", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("source_detail", sa.String(length=200), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "basis IN ('contract_start', 'offence', 'closure')", name=op.f("ck_reoffending_follow_ups_known_basis")
        ),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('reoffended', 'not_reoffended', 'unknown')",
            name=op.f("ck_reoffending_follow_ups_known_result"),
        ),
        sa.CheckConstraint(
            "source IS NULL OR source IN ('pnc', 'force_system', 'other')",
            name=op.f("ck_reoffending_follow_ups_known_source"),
        ),
        sa.CheckConstraint(
            "(result IS NULL) = (checked_on IS NULL) AND (result IS NULL) = (source IS NULL) AND (result IS NULL) = (recorded_by_id IS NULL)",
            name=op.f("ck_reoffending_follow_ups_result_has_details"),
        ),
        sa.CheckConstraint("months IN (12, 24)", name=op.f("ck_reoffending_follow_ups_known_period")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reoffending_follow_ups_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_reoffending_follow_ups_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reoffending_follow_ups")),
        sa.UniqueConstraint("case_id", "months", name="once_per_case_and_period"),
    )
    with op.batch_alter_table("reoffending_follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reoffending_follow_ups_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_reoffending_follow_ups_due_on", ["due_on"], unique=False)

    op.create_table(
        "victim_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("views", sa.String(length=20), nullable=False),
        sa.Column("not_sought_reason", sa.Text(), nullable=True),
        sa.Column("views_in_words", sa.Text(), nullable=True),
        sa.Column("wants_restorative", sa.Boolean(), nullable=False),
        sa.Column("enhanced_ground", sa.String(length=30), nullable=True),
        sa.Column("wants_updates", sa.Boolean(), nullable=False),
        sa.Column("contact_method", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("contact_address", sa.String(length=300), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "contact_method IN ('phone', 'email', 'letter', 'through_officer')",
            name=op.f("ck_victim_records_known_contact_method"),
        ),
        sa.CheckConstraint(
            "enhanced_ground IS NULL OR enhanced_ground IN ('most_serious', 'persistently_targeted', 'vulnerable_or_intimidated')",
            name=op.f("ck_victim_records_known_ground"),
        ),
        sa.CheckConstraint(
            "views <> 'not_sought' OR not_sought_reason IS NOT NULL",
            name=op.f("ck_victim_records_not_sought_has_reason"),
        ),
        sa.CheckConstraint(
            "views IN ('supports', 'does_not_support', 'not_sought')", name=op.f("ck_victim_records_known_views")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_victim_records_case_id_cases")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_victim_records_changed_by_id_users")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_victim_records_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_records")),
        sa.UniqueConstraint("case_id", name="one_victim_record_per_case"),
    )
    op.create_table(
        "victim_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("breach_id", sa.Integer(), nullable=True),
        sa.Column("event_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("not_owed_reason", sa.String(length=20), nullable=True),
        sa.Column("enhanced", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "event IN ('contract_started', 'breach_decided', 'outcome')", name=op.f("ck_victim_updates_known_event")
        ),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('phone', 'email', 'letter', 'in_person', 'through_officer')",
            name=op.f("ck_victim_updates_known_method"),
        ),
        sa.CheckConstraint(
            "not_owed_reason IS NULL OR not_owed_reason IN ('no_victim', 'declined_updates')",
            name=op.f("ck_victim_updates_known_reason"),
        ),
        sa.CheckConstraint(
            "(due_on IS NOT NULL AND not_owed_reason IS NULL) OR (due_on IS NULL AND not_owed_reason IS NOT NULL)",
            name=op.f("ck_victim_updates_owed_has_due_date"),
        ),
        sa.CheckConstraint(
            "(given_on IS NULL) = (given_by_id IS NULL) AND (given_on IS NULL) = (method IS NULL) AND (given_on IS NULL) = (summary IS NULL)",
            name=op.f("ck_victim_updates_given_has_details"),
        ),
        sa.CheckConstraint(
            "given_on IS NULL OR due_on IS NOT NULL", name=op.f("ck_victim_updates_given_only_when_owed")
        ),
        sa.ForeignKeyConstraint(["breach_id"], ["breaches.id"], name=op.f("fk_victim_updates_breach_id_breaches")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_victim_updates_case_id_cases")),
        sa.ForeignKeyConstraint(["given_by_id"], ["users.id"], name=op.f("fk_victim_updates_given_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_updates")),
        sa.UniqueConstraint("case_id", "event", "subject_id", name="once_per_event"),
    )
    with op.batch_alter_table("victim_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_victim_updates_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_victim_updates_due_on_given_on", ["due_on", "given_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("victim_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_victim_updates_due_on_given_on")
        batch_op.drop_index(batch_op.f("ix_victim_updates_case_id"))

    op.drop_table("victim_updates")
    op.drop_table("victim_records")
    with op.batch_alter_table("reoffending_follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_reoffending_follow_ups_due_on")
        batch_op.drop_index(batch_op.f("ix_reoffending_follow_ups_case_id"))

    op.drop_table("reoffending_follow_ups")
