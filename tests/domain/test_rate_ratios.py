"""Rate ratios and their 95% intervals, checked against arithmetic a reader can follow and against
a published example."""

from __future__ import annotations

import pytest

from casework.domain.rate_ratios import (
    EMPTY_GROUP,
    EMPTY_REFERENCE,
    NONE_IN_GROUP,
    NONE_IN_REFERENCE,
    Rate,
    rate_ratio,
)


def test_a_worked_example_by_hand():
    # 12 of 40 people in a group were offered the scheme; 30 of 60 in the reference group were.
    #   rates:            12/40 = 0.30       30/60 = 0.50
    #   rate ratio:       0.30 / 0.50 = 0.60
    #   SE of ln(ratio):  sqrt(1/12 - 1/40 + 1/30 - 1/60)
    #                   = sqrt(0.083333 - 0.025 + 0.033333 - 0.016667) = sqrt(0.075) = 0.273861
    #   ln(0.60) = -0.510826;  1.96 x 0.273861 = 0.536768
    #   lower: exp(-0.510826 - 0.536768) = exp(-1.047594) = 0.3508
    #   upper: exp(-0.510826 + 0.536768) = exp( 0.025942) = 1.0263
    result = rate_ratio(Rate(12, 40), Rate(30, 60))
    assert result.group.value == pytest.approx(0.30)
    assert result.reference.value == pytest.approx(0.50)
    assert result.ratio == pytest.approx(0.60)
    assert result.interval.lower == pytest.approx(0.3508, abs=0.0001)
    assert result.interval.upper == pytest.approx(1.0263, abs=0.0001)
    # The interval includes 1: on these numbers the gap could be chance.
    assert result.interval.includes(1.0)
    assert result.unavailable is None


def test_the_published_example_from_the_scipy_documentation():
    # scipy.stats.contingency.relative_risk (Katz method): 10 of 75 against 12 of 225 gives
    # 2.5 with the interval (1.1261564003469628, 5.549850800541033).
    result = rate_ratio(Rate(10, 75), Rate(12, 225))
    assert result.ratio == pytest.approx(2.5)
    assert result.interval.lower == pytest.approx(1.1261564003469628, rel=1e-12)
    assert result.interval.upper == pytest.approx(5.549850800541033, rel=1e-12)
    assert not result.interval.includes(1.0)


def test_swapping_the_groups_inverts_the_ratio_and_its_interval():
    forward = rate_ratio(Rate(10, 75), Rate(12, 225))
    backward = rate_ratio(Rate(12, 225), Rate(10, 75))
    assert backward.ratio == pytest.approx(1 / forward.ratio)
    assert backward.interval.lower == pytest.approx(1 / forward.interval.upper)
    assert backward.interval.upper == pytest.approx(1 / forward.interval.lower)


def test_a_group_where_everyone_reached_the_stage_still_has_an_interval():
    # 40 of 40 against 30 of 60: the group's terms 1/40 - 1/40 cancel, leaving sqrt(1/30 - 1/60).
    result = rate_ratio(Rate(40, 40), Rate(30, 60))
    assert result.ratio == pytest.approx(2.0)
    assert result.interval.lower == pytest.approx(1.5529, abs=0.0001)
    assert result.interval.upper == pytest.approx(2.5758, abs=0.0001)


def test_no_one_in_the_group_reaching_the_stage_gives_a_ratio_of_zero_and_no_interval():
    result = rate_ratio(Rate(0, 8), Rate(30, 60))
    assert result.ratio == 0.0
    assert result.interval is None
    assert result.unavailable == NONE_IN_GROUP


def test_no_one_in_the_reference_group_reaching_the_stage_gives_no_ratio():
    result = rate_ratio(Rate(3, 8), Rate(0, 60))
    assert (result.ratio, result.interval, result.unavailable) == (None, None, NONE_IN_REFERENCE)


def test_an_empty_reference_group_gives_no_ratio():
    result = rate_ratio(Rate(3, 8), Rate(0, 0))
    assert result.reference.value is None
    assert (result.ratio, result.interval, result.unavailable) == (None, None, EMPTY_REFERENCE)


def test_an_empty_group_gives_no_ratio():
    result = rate_ratio(Rate(0, 0), Rate(30, 60))
    assert result.group.value is None
    assert (result.ratio, result.interval, result.unavailable) == (None, None, EMPTY_GROUP)


@pytest.mark.parametrize(("count", "out_of"), [(-1, 5), (6, 5), (0, -1)])
def test_a_count_that_cannot_be_a_rate_is_refused(count, out_of):
    with pytest.raises(ValueError, match="not a rate"):
        Rate(count, out_of)


def test_a_rate_ratio_cannot_be_altered_once_worked_out():
    result = rate_ratio(Rate(12, 40), Rate(30, 60))
    with pytest.raises(AttributeError):
        result.ratio = 1.0
