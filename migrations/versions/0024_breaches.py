"""breaches and warnings, the outcome code table with effective dates, each closed case's outcome,
and the letters issued on a case

Revision ID: 0024_breaches
Revises: 0023_scheduler
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from casework.domain.outcome_codes import INITIAL_CODES, Route

revision = "0024_breaches"
down_revision = "0023_scheduler"
branch_labels = None
depends_on = None

ROUTES = ", ".join(f"'{route.value}'" for route in Route)


def upgrade() -> None:
    op.create_table(
        "case_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("template_version", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('warning', 'final_warning', 'breach_file', 'decision', 'completion')",
            name=op.f("ck_case_letters_known_kind"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_letters_case_id_cases")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_case_letters_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_letters")),
        sa.UniqueConstraint("case_id", "kind", "subject_id", "language", name="one_per_subject_and_language"),
    )
    op.create_index(op.f("ix_case_letters_case_id"), "case_letters", ["case_id"], unique=False)

    op.create_table(
        "breaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("condition_id", sa.Integer(), nullable=True),
        sa.Column("check_in_id", sa.Integer(), nullable=True),
        sa.Column("crime_reference", sa.String(length=40), nullable=True),
        sa.Column("reported_by", sa.String(length=40), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("evidence_note", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("review_reason", sa.String(length=30), nullable=True),
        sa.Column("review_requested_at", sa.DateTime(), nullable=True),
        sa.Column("review_requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_rationale", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('new_offence', 'unacceptable_absence', 'condition_not_met', 'conduct', 'withdrawal')",
            name=op.f("ck_breaches_known_kind"),
        ),
        sa.CheckConstraint("status IN ('open', 'warned', 'review', 'decided')", name=op.f("ck_breaches_known_status")),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('no_action', 'final_warning', 'vary', 'suspend', 'terminate')",
            name=op.f("ck_breaches_known_decision"),
        ),
        sa.CheckConstraint(
            "(status = 'decided') = (decision IS NOT NULL AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL "
            "AND decision_rationale IS NOT NULL)",
            name=op.f("ck_breaches_decided_has_decision"),
        ),
        sa.CheckConstraint(
            "status <> 'review' OR review_requested_at IS NOT NULL", name=op.f("ck_breaches_review_has_time")
        ),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR raised_by_id IS NULL OR decided_by_id <> raised_by_id",
            name=op.f("ck_breaches_not_own"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_breaches_case_id_cases")),
        sa.ForeignKeyConstraint(["raised_by_id"], ["users.id"], name=op.f("fk_breaches_raised_by_id_users")),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"], name=op.f("fk_breaches_contract_id_contracts")),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["contract_conditions.id"], name=op.f("fk_breaches_condition_id_contract_conditions")
        ),
        sa.ForeignKeyConstraint(["check_in_id"], ["check_ins.id"], name=op.f("fk_breaches_check_in_id_check_ins")),
        sa.ForeignKeyConstraint(
            ["review_requested_by_id"], ["users.id"], name=op.f("fk_breaches_review_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_breaches_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breaches")),
        sa.UniqueConstraint("check_in_id", name="once_per_check_in"),
        sa.UniqueConstraint("kind", "condition_id", name="once_per_condition_and_kind"),
    )
    op.create_index("ix_breaches_case_status", "breaches", ["case_id", "status"], unique=False)
    op.create_index(
        "ix_breaches_awaiting_review",
        "breaches",
        ["review_requested_at"],
        unique=False,
        sqlite_where=sa.text("status = 'review'"),
        postgresql_where=sa.text("status = 'review'"),
    )

    op.create_table(
        "breach_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("breach_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("level IN ('formal', 'final')", name=op.f("ck_breach_warnings_known_level")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_breach_warnings_case_id_cases")),
        sa.ForeignKeyConstraint(["breach_id"], ["breaches.id"], name=op.f("fk_breach_warnings_breach_id_breaches")),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_breach_warnings_issued_by_id_users")),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["case_letters.id"], name=op.f("fk_breach_warnings_letter_id_case_letters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breach_warnings")),
        sa.UniqueConstraint("breach_id", "level", name="one_per_breach_and_level"),
    )
    op.create_index(op.f("ix_breach_warnings_case_id"), "breach_warnings", ["case_id"], unique=False)

    codes = op.create_table(
        "outcome_codes",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.CheckConstraint(f"route IN ({ROUTES})", name=op.f("ck_outcome_codes_known_route")),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name=op.f("ck_outcome_codes_dates_ordered")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_outcome_codes")),
    )
    op.bulk_insert(
        codes,
        [
            {"code": row.code, "label": row.label, "route": row.route.value, "effective_from": row.effective_from}
            for row in INITIAL_CODES
        ],
    )

    op.create_table(
        "case_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("charge_wording", sa.Text(), nullable=True),
        sa.Column("charged_on", sa.Date(), nullable=True),
        sa.Column("court_date", sa.Date(), nullable=True),
        sa.Column("force_recorded_at", sa.DateTime(), nullable=True),
        sa.Column("force_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("force_reference", sa.String(length=60), nullable=True),
        sa.CheckConstraint(f"route IN ({ROUTES})", name=op.f("ck_case_outcomes_known_route")),
        sa.CheckConstraint("length(rationale) > 0", name=op.f("ck_case_outcomes_has_rationale")),
        sa.CheckConstraint(
            "route <> 'charged' OR charge_wording IS NOT NULL", name=op.f("ck_case_outcomes_charge_has_wording")
        ),
        sa.CheckConstraint(
            "(force_recorded_at IS NULL) = (force_recorded_by_id IS NULL)",
            name=op.f("ck_case_outcomes_force_record_has_author"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_outcomes_case_id_cases")),
        sa.ForeignKeyConstraint(["code"], ["outcome_codes.code"], name=op.f("fk_case_outcomes_code_outcome_codes")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_case_outcomes_decided_by_id_users")),
        sa.ForeignKeyConstraint(
            ["force_recorded_by_id"], ["users.id"], name=op.f("fk_case_outcomes_force_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_outcomes")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_outcomes_case_id")),
    )


def downgrade() -> None:
    op.drop_table("case_outcomes")
    op.drop_table("outcome_codes")
    op.drop_index(op.f("ix_breach_warnings_case_id"), table_name="breach_warnings")
    op.drop_table("breach_warnings")
    op.drop_index("ix_breaches_awaiting_review", table_name="breaches")
    op.drop_index("ix_breaches_case_status", table_name="breaches")
    op.drop_table("breaches")
    op.drop_index(op.f("ix_case_letters_case_id"), table_name="case_letters")
    op.drop_table("case_letters")
