"""A report narrowed to one offence group counts the cases holding at least one offence in it, checked
against a hand count of a small cohort; a case with offences in two groups counts in each."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case
from casework.services import funnel, report_scope
from casework.services.report_scope import RangeError
from tests.conftest import NOW, make_case, make_user
from tests.statements import count_statements

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 31)
IN_RANGE = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)
BEFORE_THE_RANGE = datetime(2026, 9, 12, 10, 0, tzinfo=UTC)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def lead(session, other_team):
    return make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)


@pytest.fixture
def cohort(session, team, other_team):
    """Cases c1..c8; the tests' comments name them."""
    S = CaseState
    make_case(session, team=team, state=S.ACTIVE, opened_at=IN_RANGE, offence_codes=("THEFT-SHOP",))  # c1: theft
    make_case(  # c2: theft and violence
        session, team=team, state=S.ACTIVE, opened_at=IN_RANGE, offence_codes=("THEFT-SHOP", "ASSAULT-COMMON")
    )
    make_case(  # c3: two offences, both violence
        session, team=team, state=S.REFERRED, opened_at=IN_RANGE, offence_codes=("ASSAULT-ABH", "ASSAULT-EMERGENCY")
    )
    make_case(session, team=team, state=S.DECLINED, opened_at=IN_RANGE, offence_codes=("PO-S5",))  # c4: public order
    make_case(session, team=team, state=S.ELIGIBILITY_DRAFT, opened_at=IN_RANGE)  # c5: no offence recorded yet
    make_case(  # c6: theft, withdrawn in error: never counted
        session, team=team, state=S.WITHDRAWN_IN_ERROR, opened_at=IN_RANGE, offence_codes=("THEFT-OTHER",)
    )
    make_case(  # c7: theft, before the range
        session, team=team, state=S.ACTIVE, opened_at=BEFORE_THE_RANGE, offence_codes=("THEFT-SHOP",)
    )
    make_case(session, team=other_team, state=S.ACTIVE, opened_at=IN_RANGE, offence_codes=("THEFT-OTHER",))  # c8
    session.flush()


def _scope(session, actor, team_id, group):
    return report_scope.scope(
        session,
        actor=actor,
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        team_id=team_id,
        today=local(NOW).date(),
        offence_group=group,
    )


def _cases(session, scope) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*scope.cases()))


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (None, 5),  # c1, c2, c3, c4, c5
        ("theft", 2),  # c1, c2 (c6 withdrawn, c7 too early, c8 another team)
        ("violence", 2),  # c2, c3 (c3 once, for all its two assaults)
        ("public_order", 1),  # c4
        ("drugs", 0),
    ],
)
def test_choosing_an_offence_group_counts_only_the_cases_with_an_offence_in_it(
    session, team, supervisor, cohort, group, expected
):
    scope = _scope(session, supervisor, team.id, group)
    assert _cases(session, scope) == expected
    assert funnel.funnel(session, scope).stages[0].count == expected  # gate started


def test_a_case_with_offences_in_two_groups_counts_in_each(session, team, supervisor, cohort):
    every = _cases(session, _scope(session, supervisor, team.id, None))
    by_group = {g: _cases(session, _scope(session, supervisor, team.id, g)) for g in ("theft", "violence")}
    # c2 is in both, so the groups add up to more than the cases in them: 2 + 2 = 4 from c1, c2, c3.
    assert by_group == {"theft": 2, "violence": 2}
    assert every == 5


def test_a_performance_lead_sees_a_group_across_every_team(session, lead, cohort):
    assert _cases(session, _scope(session, lead, None, "theft")) == 3  # c1, c2 and c8


def test_an_unknown_offence_group_is_refused_by_its_field(session, team, supervisor, cohort):
    with pytest.raises(RangeError) as refused:
        _scope(session, supervisor, team.id, "shoplifting")
    assert (refused.value.field, refused.value.message) == ("offence_group", "Select an offence group from the list")


def test_the_group_is_named_in_the_audit_only_when_chosen(session, team, supervisor):
    assert "offence_group" not in _scope(session, supervisor, team.id, None).audit_detail
    chosen = _scope(session, supervisor, team.id, "violence")
    assert chosen.audit_detail["offence_group"] == "violence"
    assert chosen.offence_group_label == "Violence against the person"


def test_the_group_adds_no_query_to_the_funnel(session, team, supervisor, cohort):
    every, theft = _scope(session, supervisor, team.id, None), _scope(session, supervisor, team.id, "theft")
    assert count_statements(session, lambda: funnel.funnel(session, theft)) == count_statements(
        session, lambda: funnel.funnel(session, every)
    )
