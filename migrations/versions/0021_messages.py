"""Messages: the outbox, people's consent to reminders and the reminder times, staff notification
choices and the notifications given

Revision ID: 0021_messages
Revises: 0019_check_ins
Create Date: 2026-12-04

Nobody has consented to reminders yet: the columns start false for everyone, and a navigator
records each person's answer. Every scheme version gets the default times, 48 and 2 hours.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_messages"
down_revision = "0019_check_ins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "choice IN ('email', 'digest', 'off')", name=op.f("ck_notification_preferences_known_choice")
        ),
        sa.CheckConstraint(
            "event IN ('check_in_missed', 'explanation_overdue', 'first_contact_overdue', 'completion_review_due', 'charge_deadline_warning', 'reminder_failed')",
            name=op.f("ck_notification_preferences_known_event"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", "event", name="one_choice_per_event"),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=5), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("check_in_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f("ck_outbox_messages_known_channel")),
        sa.CheckConstraint("language IN ('en', 'cy')", name=op.f("ck_outbox_messages_known_language")),
        sa.CheckConstraint(
            "purpose IN ('reminder', 'staff_notification', 'digest')", name=op.f("ck_outbox_messages_known_purpose")
        ),
        sa.CheckConstraint(
            "status <> 'failed' OR last_error IS NOT NULL", name=op.f("ck_outbox_messages_failure_has_reason")
        ),
        sa.CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name=op.f("ck_outbox_messages_sent_has_time")),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name=op.f("ck_outbox_messages_known_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_messages_attempts_counted")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_outbox_messages_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["check_in_id"], ["check_ins.id"], name=op.f("fk_outbox_messages_check_in_id_check_ins")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_outbox_messages_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_messages_check_in_id"), ["check_in_id"], unique=False)
        batch_op.create_index(
            "ix_outbox_messages_due",
            ["next_attempt_at"],
            unique=False,
            sqlite_where=sa.text("status IN ('pending', 'sending')"),
            postgresql_where=sa.text("status IN ('pending', 'sending')"),
        )
        batch_op.create_index(batch_op.f("ix_outbox_messages_user_id"), ["user_id"], unique=False)

    op.create_table(
        "staff_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.Column("emailed_message_id", sa.Integer(), nullable=True),
        sa.Column("digest_message_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("choice IN ('email', 'digest', 'off')", name=op.f("ck_staff_notifications_known_choice")),
        sa.CheckConstraint(
            "event IN ('check_in_missed', 'explanation_overdue', 'first_contact_overdue', 'completion_review_due', 'charge_deadline_warning', 'reminder_failed')",
            name=op.f("ck_staff_notifications_known_event"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_staff_notifications_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["digest_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_staff_notifications_digest_message_id_outbox_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["emailed_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_staff_notifications_emailed_message_id_outbox_messages"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_notifications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_notifications")),
        sa.UniqueConstraint("user_id", "dedupe_key", name="notified_once"),
    )
    with op.batch_alter_table("staff_notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_staff_notifications_awaiting_digest",
            ["user_id", "created_at"],
            unique=False,
            sqlite_where=sa.text("choice = 'digest' AND digest_message_id IS NULL"),
            postgresql_where=sa.text("choice = 'digest' AND digest_message_id IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_staff_notifications_case_id"), ["case_id"], unique=False)

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=False),
        sa.Column("hours_before", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=5), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f("ck_reminders_known_channel")),
        sa.CheckConstraint("status IN ('queued', 'sent', 'failed', 'skipped')", name=op.f("ck_reminders_known_status")),
        sa.CheckConstraint(
            "status <> 'queued' OR outbox_message_id IS NOT NULL", name=op.f("ck_reminders_queued_has_message")
        ),
        sa.CheckConstraint(
            "status NOT IN ('failed', 'skipped') OR note IS NOT NULL", name=op.f("ck_reminders_not_sent_says_why")
        ),
        sa.ForeignKeyConstraint(["check_in_id"], ["check_ins.id"], name=op.f("fk_reminders_check_in_id_check_ins")),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"], ["outbox_messages.id"], name=op.f("fk_reminders_outbox_message_id_outbox_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("check_in_id", "scheduled_for", "hours_before", "channel", name="one_reminder_per_time"),
        sa.UniqueConstraint("outbox_message_id", name=op.f("uq_reminders_outbox_message_id")),
    )
    op.create_index(op.f("ix_reminders_check_in_id"), "reminders", ["check_in_id"], unique=False)

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_by_email", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("reminder_by_sms", sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table("scheme_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_hours", sa.String(length=40), server_default="48,2", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("scheme_settings", schema=None) as batch_op:
        batch_op.drop_column("reminder_hours")

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("reminder_by_sms")
        batch_op.drop_column("reminder_by_email")

    with op.batch_alter_table("staff_notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_notifications_case_id"))
        batch_op.drop_index(
            "ix_staff_notifications_awaiting_digest",
            sqlite_where=sa.text("choice = 'digest' AND digest_message_id IS NULL"),
            postgresql_where=sa.text("choice = 'digest' AND digest_message_id IS NULL"),
        )

    op.drop_index(op.f("ix_reminders_check_in_id"), table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("staff_notifications")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_user_id"))
        batch_op.drop_index(
            "ix_outbox_messages_due",
            sqlite_where=sa.text("status IN ('pending', 'sending')"),
            postgresql_where=sa.text("status IN ('pending', 'sending')"),
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_check_in_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_case_id"))

    op.drop_table("outbox_messages")
    op.drop_table("notification_preferences")
