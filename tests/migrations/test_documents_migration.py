"""Revision 0015_documents: every offence installed by 0003 has its Welsh title and legislation."""

from __future__ import annotations

import importlib
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import select

from casework.migrate import upgrade
from casework.models import Offence

installed = importlib.import_module("migrations.versions.0003_durham_reference_data")


def test_every_installed_offence_has_a_welsh_title_and_its_legislation(session):
    offences = {o.code: o for o in session.scalars(select(Offence))}
    for code, title, *_ in installed.OFFENCES:
        offence = offences[code]
        assert offence.title == title
        assert offence.title_cy and offence.title_cy != offence.title, code
        assert offence.legislation.startswith("section"), code
        assert offence.legislation_cy.startswith("adran"), code


def _insert(connection, table_name: str, **values) -> int:
    """A row with every required column filled, whatever 0011's schema asks for."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    fillers = {sa.Integer: 1, sa.String: "x", sa.Text: "x", sa.Boolean: False, sa.Date: date(2026, 11, 24)}
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.primary_key or column.nullable or column.server_default is not None:
            continue
        if isinstance(column.type, sa.DateTime):
            row[column.name] = datetime(2026, 11, 24, 10)
        elif isinstance(column.type, sa.JSON):
            row[column.name] = {}
        else:
            row[column.name] = next(value for kind, value in fillers.items() if isinstance(column.type, kind))
    return connection.execute(table.insert().values(row)).inserted_primary_key[0]


def test_upgrading_a_database_with_signed_contracts_keeps_every_condition_and_document(fresh_database):
    """The new reference columns are added in place: copying `contracts` on SQLite would delete its
    conditions (ON DELETE CASCADE) or be blocked by its issued documents."""
    upgrade(fresh_database.engine, "0011")
    with fresh_database.engine.begin() as connection:
        team = _insert(connection, "teams", name="Durham")
        user = _insert(connection, "users", team_id=team, username="navigator", is_active=True)
        person = _insert(connection, "people", created_by_id=user, preferred_language="en")
        case = _insert(
            connection, "cases", person_id=person, team_id=team, opened_by_id=user, state="eligibility_draft"
        )
        contract = _insert(
            connection,
            "contracts",
            case_id=case,
            created_by_id=user,
            status="signed",
            agreement="agrees",
            signed_at=datetime(2026, 11, 24, 10),
            starts_on=date(2026, 11, 24),
            ends_on=date(2027, 3, 24),
            signed_by_navigator_id=user,
        )
        _insert(connection, "contract_conditions", contract_id=contract, position=1)
        _insert(connection, "contract_documents", contract_id=contract, language="en", pdf=b"%PDF")
    upgrade(fresh_database.engine)
    with fresh_database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM contract_conditions")).scalar() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM contract_documents")).scalar() == 1
        recorded = connection.execute(sa.text("SELECT signing_recorded_by_id FROM contracts")).scalar()
        assert recorded == user
