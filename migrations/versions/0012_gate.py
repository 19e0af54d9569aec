"""custody gate: requirements with offence terms; ending a referral for no contact; withdrawal in error

Revision ID: 0012_gate
Revises: 0017_races
Create Date: 2026-11-24 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_gate"
down_revision = "0017_races"
branch_labels = None
depends_on = None

# What Durham's terms ask (migration 0003), as requirements the product enforces at referral.
DURHAM_REQUIREMENTS = {
    "DRUG-SUPPLY-LOW": ["sergeant_confirms"],
    "BURGLARY-DWELLING": ["supervisor_agreement", "victim_not_objecting"],
    "ASSAULT-COMMON-DA": ["sergeant_confirms"],
    "BLADE-POSS": ["sergeant_confirms"],
    "WEAPON-POSS": ["sergeant_confirms"],
}


def upgrade() -> None:
    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requirements", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    bind = op.get_bind()
    as_json = sa.bindparam("requirements", type_=sa.JSON)
    # Every rule with terms asks at least for the sergeant's confirmation that they are met...
    bind.execute(
        sa.text(
            "UPDATE offence_inclusions SET requirements = :requirements WHERE inclusion = 'included_with_terms'"
        ).bindparams(as_json),
        {"requirements": ["sergeant_confirms"]},
    )
    # ...and Durham's own terms ask for what they say.
    for code, requirements in DURHAM_REQUIREMENTS.items():
        bind.execute(
            sa.text(
                "UPDATE offence_inclusions SET requirements = :requirements WHERE terms IS NOT NULL "
                "AND inclusion = 'included_with_terms' AND offence_id IN (SELECT id FROM offences WHERE code = :code)"
            ).bindparams(as_json),
            {"requirements": requirements, "code": code},
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("termination_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_detail", sa.Text(), nullable=True))
    # Cases withdrawn before a reason was asked for (none in production; demo data only).
    bind.execute(sa.text("UPDATE cases SET withdrawal_reason = 'opened_by_mistake' WHERE state = 'withdrawn_in_error'"))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_cases_withdrawn_has_reason"),
            "state <> 'withdrawn_in_error' OR withdrawal_reason IS NOT NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_withdrawn_has_reason"), type_="check")
        batch_op.drop_column("withdrawal_detail")
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("termination_reason")
    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.drop_column("requirements")
