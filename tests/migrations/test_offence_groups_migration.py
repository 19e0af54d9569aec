"""Revision 0043_offence_groups: every offence already in the catalogue gets its group (an offence
an administrator added gets "other"), the column is then required and held to the known codes, and
the revision comes off again without losing an offence or the cases that name them."""

from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from casework.domain.offence_groups import GROUP_CODES
from casework.migrate import current_revision, downgrade, upgrade

installed = importlib.import_module("migrations.versions.0003_durham_reference_data")
BEFORE = "0042_report_indexes"


def _groups(connection) -> dict[str, str]:
    return dict(connection.execute(sa.text("SELECT code, offence_group FROM offences")).all())


def test_installed_offences_get_their_groups_and_a_later_one_is_other(fresh_database):
    upgrade(fresh_database.engine, BEFORE)
    with fresh_database.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO offences (code, title, mode_of_trial, s127_applies, gravity_base, "
                "domestic_abuse, hate, sexual, driving, weapon) "
                "VALUES ('CRUELTY-ANIMAL', 'Animal cruelty', 'either_way', false, 3, false, false, false, false, false)"
            )
        )
        theft = connection.scalar(sa.text("SELECT id FROM offences WHERE code = 'THEFT-SHOP'"))
        rules_before = connection.scalar(sa.text("SELECT count(*) FROM offence_inclusions"))
    upgrade(fresh_database.engine)

    with fresh_database.engine.connect() as connection:
        groups = _groups(connection)
        # Every offence 0003 installed is named in the mapping, and none of the Durham list is left "other".
        assert set(groups) == {row[0] for row in installed.OFFENCES} | {"CRUELTY-ANIMAL"}
        assert groups["THEFT-SHOP"] == groups["THEFT-OTHER"] == "theft"
        assert groups["BURGLARY-DWELLING"] == groups["BURGLARY-OTHER"] == "burglary"
        assert groups["CRIM-DAMAGE"] == groups["CRIM-DAMAGE-RA"] == "criminal_damage"
        assert {groups[c] for c in ("DRUG-POSS-A", "DRUG-POSS-B", "DRUG-POSS-C", "DRUG-SUPPLY-LOW")} == {"drugs"}
        assert groups["FRAUD-FALSE-REP"] == "fraud"
        assert {groups[c] for c in ("PO-S4", "PO-S4A", "PO-S5")} == {"public_order"}
        assert {groups[c] for c in ("ASSAULT-COMMON", "ASSAULT-ABH", "ASSAULT-EMERGENCY")} == {"violence"}
        assert groups["ASSAULT-COMMON-DA"] == "domestic"
        assert groups["BLADE-POSS"] == groups["WEAPON-POSS"] == "weapons"
        assert groups["HARASSMENT"] == groups["MALICIOUS-COMMS"] == "harassment"
        assert {groups[c] for c in ("DRINK-DRIVE", "ROBBERY", "SEXUAL-ASSAULT")} == {"other"}
        assert groups["CRUELTY-ANIMAL"] == "other"
        assert set(groups.values()) <= set(GROUP_CODES)
        # The offences were kept with their ids, and the rules that point at them.
        assert connection.scalar(sa.text("SELECT id FROM offences WHERE code = 'THEFT-SHOP'")) == theft
        assert connection.scalar(sa.text("SELECT count(*) FROM offence_inclusions")) == rules_before


@pytest.mark.parametrize("group", ["shoplifting", None])
def test_an_unknown_or_missing_group_is_refused_by_the_database(fresh_database, group):
    upgrade(fresh_database.engine)
    with pytest.raises(IntegrityError), fresh_database.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE offences SET offence_group = :group WHERE code = 'THEFT-SHOP'"), {"group": group}
        )


def test_the_groups_come_off_again_and_go_back_on(fresh_database):
    upgrade(fresh_database.engine)
    downgrade(fresh_database.engine, BEFORE)
    with fresh_database.engine.connect() as connection:
        assert current_revision(connection) == BEFORE
        columns = {column["name"] for column in sa.inspect(connection).get_columns("offences")}
        assert "offence_group" not in columns
        assert connection.scalar(sa.text("SELECT count(*) FROM offences")) == len(installed.OFFENCES)
        assert connection.scalar(sa.text("SELECT count(*) FROM offence_inclusions")) > 0
    upgrade(fresh_database.engine)
    with fresh_database.engine.connect() as connection:
        assert _groups(connection)["ASSAULT-ABH"] == "violence"
