"""offence groups: each offence in the catalogue belongs to one, so reports can be read by group

Revision ID: 0043_offence_groups
Revises: 0042_report_indexes
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0043_offence_groups"
down_revision = "0042_report_indexes"
branch_labels = None
depends_on = None

# Frozen here as they stood (casework.domain.offence_groups may grow later, in its own migration).
GROUP_CODES = (
    "theft",
    "burglary",
    "criminal_damage",
    "drugs",
    "fraud",
    "public_order",
    "violence",
    "weapons",
    "harassment",
    "child_neglect",
    "domestic",
    "cyber",
    "other",
)
KNOWN_GROUP = "offence_group IN (" + ", ".join(f"'{code}'" for code in GROUP_CODES) + ")"

# Every offence 0003 installed, by code. An offence an administrator added since is "other" until
# they choose its group.
INSTALLED_GROUPS = {
    "DRUG-POSS-A": "drugs",
    "DRUG-POSS-B": "drugs",
    "DRUG-POSS-C": "drugs",
    "DRUG-SUPPLY-LOW": "drugs",
    "THEFT-SHOP": "theft",
    "THEFT-OTHER": "theft",
    "BURGLARY-DWELLING": "burglary",
    "BURGLARY-OTHER": "burglary",
    "CRIM-DAMAGE": "criminal_damage",
    "CRIM-DAMAGE-RA": "criminal_damage",
    "PO-S4": "public_order",
    "PO-S4A": "public_order",
    "PO-S5": "public_order",
    "ASSAULT-COMMON": "violence",
    # Durham lists domestic-related crime apart, under its own terms (DOMAIN.md §2.2).
    "ASSAULT-COMMON-DA": "domestic",
    "ASSAULT-EMERGENCY": "violence",
    "ASSAULT-ABH": "violence",
    "BLADE-POSS": "weapons",
    "WEAPON-POSS": "weapons",
    "FRAUD-FALSE-REP": "fraud",
    "HARASSMENT": "harassment",
    "MALICIOUS-COMMS": "harassment",
    # Excluded everywhere, and in none of Durham's groups.
    "DRINK-DRIVE": "other",
    "ROBBERY": "other",
    "SEXUAL-ASSAULT": "other",
}


def upgrade() -> None:
    # Added in place and filled before it is required: the column cannot be NOT NULL while empty.
    with op.batch_alter_table("offences", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("offence_group", sa.String(length=30), nullable=True))
    offences = sa.table("offences", sa.column("code"), sa.column("offence_group"))
    for code, group in INSTALLED_GROUPS.items():
        op.execute(offences.update().where(offences.c.code == code).values(offence_group=group))
    op.execute(offences.update().where(offences.c.offence_group.is_(None)).values(offence_group="other"))
    # On SQLite this copies the table; env.py turns the foreign keys off around it, so the inclusion
    # rules and case offences that point at `offences` are kept.
    with op.batch_alter_table("offences", schema=None) as batch_op:
        batch_op.alter_column("offence_group", existing_type=sa.String(length=30), nullable=False)
        batch_op.create_check_constraint(op.f("ck_offences_known_offence_group"), KNOWN_GROUP)


def downgrade() -> None:
    with op.batch_alter_table("offences", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_offences_known_offence_group"), type_="check")
        batch_op.drop_column("offence_group")
