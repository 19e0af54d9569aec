"""Table-driven tests of the plain-Python rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from casework.domain.dates import DateProblem, parse_date, parse_time
from casework.domain.passphrases import passphrase_problem
from casework.domain.roles import PERMISSIONS, Action, Role
from casework.domain.throttling import backoff_after, blocked_until


@pytest.mark.parametrize(
    ("passphrase", "accepted"),
    [
        ("tangerine harbour bicycle", True),
        ("correct horse battery staple", True),
        ("short", False),
        ("elevenchars", False),
        ("password1234", False),
        ("PASSWORD1234", False),  # the list is matched without regard to case
        ("qwertyuiop12", False),
        ("aaaaaaaaaaaaaaaa", False),
        ("abababababababab", False),
        ("abcdefghijklmnop", False),
        ("x" * 201, False),
    ],
)
def test_passphrase_policy(passphrase, accepted):
    assert (passphrase_problem(passphrase) is None) is accepted


def test_passphrase_may_not_be_mostly_the_username():
    assert passphrase_problem("jsmith.durham1", username="jsmith.durham") is not None
    assert passphrase_problem("jsmith likes long walks", username="jsmith") is None


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (50, 900)],
)
def test_backoff_grows_and_is_capped_never_permanent(failures, delay):
    assert backoff_after(failures) == timedelta(seconds=delay)


def test_blocked_until_is_measured_from_the_last_failure():
    last = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert blocked_until(4, last) is None
    assert blocked_until(5, last) == last + timedelta(seconds=30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1/1/26", date(2026, 1, 1)),
        ("01.01.2026", date(2026, 1, 1)),
        ("27/3/2026", date(2026, 3, 27)),
        ("2026-03-27", date(2026, 3, 27)),
        ("27 March 2026", date(2026, 3, 27)),
        ("27 mar 26", date(2026, 3, 27)),
        ("  5-11-2026 ", date(2026, 11, 5)),
    ],
)
def test_forgiving_dates(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["", "31/2/2026", "13/13/2026", "tomorrow", "1/1", "27 Smarch 2026"])
def test_impossible_dates_are_refused_with_an_example(typed):
    with pytest.raises(DateProblem):
        parse_date(typed)


def test_every_action_has_a_rule_and_administrators_get_no_casework():
    assert set(PERMISSIONS) == set(Action)
    assert Role.ADMINISTRATOR not in PERMISSIONS[Action.WORK_CASELOAD]
    assert Role.ADMINISTRATOR not in PERMISSIONS[Action.WORK_IN_CUSTODY]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9am", time(9, 0)),
        ("9.30am", time(9, 30)),
        ("14:30", time(14, 30)),
        ("1430", time(14, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("noon", time(12, 0)),
        (" 7:05 PM ", time(19, 5)),
    ],
)
def test_forgiving_times(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "25:00", "13pm", "9:75", "half nine"])
def test_impossible_times_are_refused(typed):
    with pytest.raises(DateProblem):
        parse_time(typed)
