"""The check-in days a term generates, and the two working days to explain an absence."""

from datetime import date

import pytest

from casework.domain import bank_holidays
from casework.domain.check_ins import Pattern, explanation_due_on, pattern_dates

DEFAULT = Pattern(weekly=4, then_every_days=14)


def test_weekly_for_four_weeks_then_fortnightly_to_the_end():
    days = pattern_dates(date(2026, 11, 24), date(2027, 3, 24), DEFAULT)
    assert days == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2027, 1, 5),
        date(2027, 1, 19),
        date(2027, 2, 2),
        date(2027, 2, 16),
        date(2027, 3, 2),
        date(2027, 3, 16),
    ]


def test_bank_holidays_and_weekends_move_to_the_next_working_day():
    # Signed on Friday 18 December 2026: a week later is Christmas Day, and Monday 28 December is the
    # substitute Boxing Day, so the first check-in is Tuesday 29 December; New Year's Day moves to Monday.
    days = pattern_dates(date(2026, 12, 18), date(2027, 4, 18), DEFAULT)
    assert days[:3] == [date(2026, 12, 29), date(2027, 1, 4), date(2027, 1, 8)]
    assert all(bank_holidays.is_working_day(day) for day in days)


def test_a_day_pushed_past_the_end_comes_back_to_the_last_working_day_and_never_twice():
    # The last pattern day is Good Friday 2027 (26 March), the contract's last day is Easter Monday.
    days = pattern_dates(date(2026, 12, 25), date(2027, 3, 29), Pattern(weekly=0, then_every_days=91))
    assert days == [date(2027, 3, 25)]
    assert len(set(pattern_dates(date(2027, 3, 19), date(2027, 4, 2), Pattern(weekly=2, then_every_days=7)))) == 2


def test_a_scheme_can_change_the_rhythm():
    assert pattern_dates(date(2026, 11, 24), date(2026, 12, 31), Pattern(weekly=0, then_every_days=28)) == [
        date(2026, 12, 22)
    ]
    assert len(pattern_dates(date(2026, 11, 24), date(2027, 3, 24), Pattern(weekly=12, then_every_days=28))) == 13


@pytest.mark.parametrize(
    ("missed_on", "due_on"),
    [
        (date(2026, 12, 1), date(2026, 12, 3)),  # Tuesday -> Thursday
        (date(2026, 12, 4), date(2026, 12, 8)),  # Friday -> Tuesday, over the weekend
        (date(2026, 12, 23), date(2026, 12, 29)),  # Christmas and the substitute Boxing Day
    ],
)
def test_the_person_has_two_working_days_to_explain(missed_on, due_on):
    assert explanation_due_on(missed_on) == due_on


def test_the_bank_holiday_list_is_read_offline_and_says_how_far_it_runs(monkeypatch):
    import requests

    asked = []
    monkeypatch.setattr(requests, "get", lambda *args, **kwargs: asked.append(args) or (_ for _ in ()).throw(OSError))
    bank_holidays._england_and_wales.cache_clear()
    assert bank_holidays.is_bank_holiday(date(2027, 5, 31))
    assert asked == []  # the bundled list, never a download
    assert not bank_holidays.is_bank_holiday(date(2027, 6, 1))
    assert bank_holidays.known_until() >= date(2027, 12, 31)
