"""The caseload's name search reads copies of each person's names on their cases: the migration fills
them for the cases already there, triggers keep them, and the statistics are gathered afterwards."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from casework.domain.roles import Role
from casework.migrate import downgrade, upgrade
from casework.models import Case, User
from casework.services import caseload
from casework.services.caseload import CaseloadQuery, Tab
from tests.conftest import NOW, make_case, make_person, make_team, make_user

BEFORE = "0034_consultation_queue"


def _found(session: Session, actor, text_typed: str) -> list[int]:
    query = CaseloadQuery(tab=Tab.TEAM, search=text_typed)
    return [row.case.id for row in caseload.caseload(session, actor=actor, query=query, now=NOW).rows]


def _rows_the_planner_knows(connection) -> int | None:
    """How many cases the statistics (only ANALYZE writes them) say there are."""
    if connection.dialect.name == "postgresql":
        analysed = connection.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = 'cases'"))
        return (
            int(connection.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'cases'"))) if analysed else None
        )
    return connection.scalar(text("SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'cases'"))


def test_cases_from_before_are_found_by_name_and_the_statistics_are_fresh_after_migrating(fresh_database):
    upgrade(fresh_database.engine)
    with Session(fresh_database.engine) as session:
        team = make_team(session)
        navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
        kept = make_case(
            session, team=team, person=make_person(session, creator=navigator, given_names="Ola", family_name="Nwosu")
        )
        for _ in range(11):
            make_case(session, team=team, person=make_person(session, creator=navigator))
        session.commit()
        kept_id, navigator_id = kept.id, navigator.id
    downgrade(fresh_database.engine, BEFORE)  # the copies and their triggers go...
    upgrade(fresh_database.engine)  # ...and come back filled from the people

    with fresh_database.engine.connect() as connection:
        assert _rows_the_planner_knows(connection) == 12
    with Session(fresh_database.engine) as session:
        navigator = session.get(User, navigator_id)
        assert _found(session, navigator, "nwo") == [kept_id]
        assert _found(session, navigator, "ola nwosu") == [kept_id]
        session.execute(
            text("UPDATE people SET family_name = 'Nwosu-Hart', family_name_folded = 'nwosu-hart' WHERE id = :id"),
            {"id": session.get(Case, kept_id).person_id},
        )
        session.commit()
        assert _found(session, navigator, "nwosu-h") == [kept_id]
