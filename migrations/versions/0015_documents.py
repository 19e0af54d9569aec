"""Documents: offence place and description on the case; Welsh titles and legislation in the
offence catalogue; who recorded a signing apart from the navigator who signs; standard wordings
and the signed condition a variation's condition continues

Revision ID: 0015_documents
Revises: 0012_gate
Create Date: 2026-11-24

The catalogue's Welsh titles and legislation are seeded for every offence 0003 installed;
administrators change them through the catalogue pages afterwards.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_documents"
down_revision = "0012_gate"
branch_labels = None
depends_on = None

# code: (Welsh title, legislation, legislation in Welsh). Legislation is what follows "contrary to".
CATALOGUE = {
    "DRUG-POSS-A": (
        "Meddu ar gyffur a reolir, Dosbarth A",
        "section 5(2) of the Misuse of Drugs Act 1971",
        "adran 5(2) o Ddeddf Camddefnyddio Cyffuriau 1971",
    ),
    "DRUG-POSS-B": (
        "Meddu ar gyffur a reolir, Dosbarth B",
        "section 5(2) of the Misuse of Drugs Act 1971",
        "adran 5(2) o Ddeddf Camddefnyddio Cyffuriau 1971",
    ),
    "DRUG-POSS-C": (
        "Meddu ar gyffur a reolir, Dosbarth C",
        "section 5(2) of the Misuse of Drugs Act 1971",
        "adran 5(2) o Ddeddf Camddefnyddio Cyffuriau 1971",
    ),
    "DRUG-SUPPLY-LOW": (
        "Ymwneud â chyflenwi cyffur a reolir (lefel isel, cyflenwi cymdeithasol)",
        "section 4(3)(b) of the Misuse of Drugs Act 1971",
        "adran 4(3)(b) o Ddeddf Camddefnyddio Cyffuriau 1971",
    ),
    "THEFT-SHOP": ("Dwyn o siop", "section 1 of the Theft Act 1968", "adran 1 o Ddeddf Dwyn 1968"),
    "THEFT-OTHER": ("Dwyn (ac eithrio o siop)", "section 1 of the Theft Act 1968", "adran 1 o Ddeddf Dwyn 1968"),
    "BURGLARY-DWELLING": ("Byrgleriaeth annedd", "section 9 of the Theft Act 1968", "adran 9 o Ddeddf Dwyn 1968"),
    "BURGLARY-OTHER": (
        "Byrgleriaeth adeilad nad yw'n annedd",
        "section 9 of the Theft Act 1968",
        "adran 9 o Ddeddf Dwyn 1968",
    ),
    "CRIM-DAMAGE": (
        "Difrod troseddol (gwerth £5,000 neu lai)",
        "section 1(1) of the Criminal Damage Act 1971",
        "adran 1(1) o Ddeddf Difrod Troseddol 1971",
    ),
    "CRIM-DAMAGE-RA": (
        "Difrod troseddol wedi'i waethygu ar sail hil neu grefydd",
        "section 30 of the Crime and Disorder Act 1998",
        "adran 30 o Ddeddf Trosedd ac Anhrefn 1998",
    ),
    "PO-S4": (
        "Achosi ofn neu ysgogi trais (Deddf Trefn Gyhoeddus 1986 a.4)",
        "section 4 of the Public Order Act 1986",
        "adran 4 o Ddeddf Trefn Gyhoeddus 1986",
    ),
    "PO-S4A": (
        "Aflonyddu, braw neu ofid bwriadol (Deddf Trefn Gyhoeddus 1986 a.4A)",
        "section 4A of the Public Order Act 1986",
        "adran 4A o Ddeddf Trefn Gyhoeddus 1986",
    ),
    "PO-S5": (
        "Aflonyddu, braw neu ofid (Deddf Trefn Gyhoeddus 1986 a.5)",
        "section 5 of the Public Order Act 1986",
        "adran 5 o Ddeddf Trefn Gyhoeddus 1986",
    ),
    "ASSAULT-COMMON": (
        "Ymosodiad cyffredin",
        "section 39 of the Criminal Justice Act 1988",
        "adran 39 o Ddeddf Cyfiawnder Troseddol 1988",
    ),
    "ASSAULT-COMMON-DA": (
        "Ymosodiad cyffredin (domestig)",
        "section 39 of the Criminal Justice Act 1988",
        "adran 39 o Ddeddf Cyfiawnder Troseddol 1988",
    ),
    "ASSAULT-EMERGENCY": (
        "Ymosod ar weithiwr brys",
        "section 1 of the Assaults on Emergency Workers (Offences) Act 2018",
        "adran 1 o Ddeddf Ymosodiadau ar Weithwyr Brys (Troseddau) 2018",
    ),
    "ASSAULT-ABH": (
        "Ymosodiad sy'n achosi gwir niwed corfforol",
        "section 47 of the Offences against the Person Act 1861",
        "adran 47 o Ddeddf Troseddau yn erbyn y Person 1861",
    ),
    "BLADE-POSS": (
        "Meddu ar eitem â llafn mewn man cyhoeddus",
        "section 139 of the Criminal Justice Act 1988",
        "adran 139 o Ddeddf Cyfiawnder Troseddol 1988",
    ),
    "WEAPON-POSS": (
        "Meddu ar arf ymosodol mewn man cyhoeddus",
        "section 1 of the Prevention of Crime Act 1953",
        "adran 1 o Ddeddf Atal Troseddu 1953",
    ),
    "FRAUD-FALSE-REP": (
        "Twyll drwy gynrychiolaeth ffug",
        "sections 1 and 2 of the Fraud Act 2006",
        "adrannau 1 a 2 o Ddeddf Twyll 2006",
    ),
    "HARASSMENT": (
        "Aflonyddu (Deddf Diogelu rhag Aflonyddu 1997 a.2)",
        "section 2 of the Protection from Harassment Act 1997",
        "adran 2 o Ddeddf Diogelu rhag Aflonyddu 1997",
    ),
    "MALICIOUS-COMMS": (
        "Anfon cyfathrebiad maleisus",
        "section 1 of the Malicious Communications Act 1988",
        "adran 1 o Ddeddf Cyfathrebiadau Maleisus 1988",
    ),
    "DRINK-DRIVE": (
        "Gyrru â gormod o alcohol",
        "section 5(1)(a) of the Road Traffic Act 1988",
        "adran 5(1)(a) o Ddeddf Traffig Ffyrdd 1988",
    ),
    "ROBBERY": ("Lladrad", "section 8 of the Theft Act 1968", "adran 8 o Ddeddf Dwyn 1968"),
    "SEXUAL-ASSAULT": (
        "Ymosodiad rhywiol",
        "section 3 of the Sexual Offences Act 2003",
        "adran 3 o Ddeddf Troseddau Rhywiol 2003",
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offence_place", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("offence_description", sa.String(length=300), nullable=True))
    with op.batch_alter_table("offences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_cy", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("legislation", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("legislation_cy", sa.String(length=200), nullable=True))
    _add_reference("contracts", "signing_recorded_by_id", "users")
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("standard_wording", sa.String(length=60), nullable=True))
    _add_reference("contract_conditions", "copied_from_id", "contract_conditions")

    offences = sa.table(
        "offences", sa.column("code"), sa.column("title_cy"), sa.column("legislation"), sa.column("legislation_cy")
    )
    for code, (title_cy, legislation, legislation_cy) in CATALOGUE.items():
        op.execute(
            offences.update()
            .where(offences.c.code == code)
            .values(title_cy=title_cy, legislation=legislation, legislation_cy=legislation_cy)
        )
    # Until now whoever pressed "sign" was recorded as the navigator, so they also recorded it.
    contracts = sa.table("contracts", sa.column("signing_recorded_by_id"), sa.column("signed_by_navigator_id"))
    op.execute(
        contracts.update()
        .where(contracts.c.signed_by_navigator_id.is_not(None))
        .values(signing_recorded_by_id=contracts.c.signed_by_navigator_id)
    )


def _add_reference(table: str, column: str, referred: str) -> None:
    """A nullable foreign-key column added in place. Batch mode would copy the table on SQLite, and
    dropping the original fires the foreign keys that point at it: contract conditions would be
    deleted with their contract (ON DELETE CASCADE) and issued documents would block the copy."""
    name = f"fk_{table}_{column}_{referred}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {referred} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, referred, [column], ["id"])


def downgrade() -> None:
    # SQLite does not name a column's own REFERENCES clause when reflecting it: the constraint goes
    # with the column there, when batch mode copies the table.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("contract_conditions", schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint("fk_contract_conditions_copied_from_id_contract_conditions", type_="foreignkey")
        batch_op.drop_column("copied_from_id")
        batch_op.drop_column("standard_wording")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint("fk_contracts_signing_recorded_by_id_users", type_="foreignkey")
        batch_op.drop_column("signing_recorded_by_id")
    # Plain columns are dropped in place: copying `offences` on SQLite would trip the foreign keys
    # of the inclusion rules that point at it.
    with op.batch_alter_table("offences", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("legislation_cy")
        batch_op.drop_column("legislation")
        batch_op.drop_column("title_cy")
    with op.batch_alter_table("cases", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("offence_description")
        batch_op.drop_column("offence_place")
