"""Forgiving date entry stops at years no record of the service can have."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.dates import DateProblem, parse_date


@pytest.mark.parametrize("typed", ["31/12/9999", "1/1/2200", "2200-01-01", "31 Dec 1899", "1/1/1000"])
def test_a_year_outside_the_services_range_is_not_a_real_date(typed):
    with pytest.raises(DateProblem):
        parse_date(typed)


def test_the_years_at_either_end_are_accepted():
    assert parse_date("1/1/1900") == date(1900, 1, 1)
    assert parse_date("31/12/2199") == date(2199, 12, 31)
