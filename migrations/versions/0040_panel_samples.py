"""scrutiny panel samples: a seeded draw of closed cases in drawn order, and the panel's rating of each

Revision ID: 0040_panel_samples
Revises: 0039_performance_leads
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0040_panel_samples"
down_revision = "0039_performance_leads"
branch_labels = None
depends_on = None

RATINGS = "rating IN ('appropriate', 'appropriate_with_observations', 'inappropriate', 'not_agreed')"


def upgrade() -> None:
    op.create_table(
        "panel_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("size_asked", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("closed_cases", sa.Integer(), nullable=False),
        sa.Column("drawn_count", sa.Integer(), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("last_day >= first_day", name=op.f("ck_panel_samples_days_ordered")),
        sa.CheckConstraint("size_asked > 0", name=op.f("ck_panel_samples_size_positive")),
        sa.CheckConstraint("drawn_count BETWEEN 0 AND size_asked", name=op.f("ck_panel_samples_drawn_at_most_asked")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_panel_samples_team_id_teams")),
        sa.ForeignKeyConstraint(["drawn_by_id"], ["users.id"], name=op.f("fk_panel_samples_drawn_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_samples")),
    )
    op.create_index(op.f("ix_panel_samples_team_id"), "panel_samples", ["team_id"], unique=False)
    op.create_table(
        "panel_sample_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("position > 0", name=op.f("ck_panel_sample_cases_position_positive")),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["panel_samples.id"],
            name=op.f("fk_panel_sample_cases_sample_id_panel_samples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_panel_sample_cases_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_sample_cases")),
        sa.UniqueConstraint("sample_id", "position", name="one_per_position"),
        sa.UniqueConstraint("sample_id", "case_id", name="case_once_per_sample"),
    )
    op.create_index(op.f("ix_panel_sample_cases_case_id"), "panel_sample_cases", ["case_id"], unique=False)
    op.create_table(
        "panel_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_case_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=40), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("panel_member", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(RATINGS, name=op.f("ck_panel_ratings_known_rating")),
        sa.CheckConstraint("length(panel_member) > 0", name=op.f("ck_panel_ratings_has_panel_member")),
        sa.ForeignKeyConstraint(
            ["sample_case_id"],
            ["panel_sample_cases.id"],
            name=op.f("fk_panel_ratings_sample_case_id_panel_sample_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_panel_ratings_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_ratings")),
        sa.UniqueConstraint("sample_case_id", name="one_per_sampled_case"),
    )


def downgrade() -> None:
    op.drop_table("panel_ratings")
    op.drop_index(op.f("ix_panel_sample_cases_case_id"), table_name="panel_sample_cases")
    op.drop_table("panel_sample_cases")
    op.drop_index(op.f("ix_panel_samples_team_id"), table_name="panel_samples")
    op.drop_table("panel_samples")
