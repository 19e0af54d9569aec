"""Rate ratios for disproportionality (DOMAIN.md §8.3): how often people in one group reach a
stage of the funnel (offered out of eligible, say) against how often the reference group does,
with a 95% confidence interval by the log method of Katz et al. (Biometrics 34:469-474, 1978).

A ratio of 1 means the group fares as the reference group does; an interval that does not
include 1 is a difference unlikely to be chance alone, which a panel should ask the scheme to explain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

# The 97.5th centile of the normal distribution (1.95996...), not the rounded 1.96.
Z_95 = NormalDist().inv_cdf(0.975)

# Why a ratio or its interval cannot be given; pages show these words instead of a number.
EMPTY_GROUP = "No one in this group was counted at this stage"
EMPTY_REFERENCE = "No one in the reference group was counted at this stage"
NONE_IN_REFERENCE = "No one in the reference group reached this stage, so there is nothing to compare with"
NONE_IN_GROUP = "No one in this group reached this stage, so the interval cannot be worked out"


@dataclass(frozen=True)
class Rate:
    """So many people out of so many: `count` of `out_of` reached the stage."""

    count: int
    out_of: int

    def __post_init__(self):
        if self.out_of < 0 or not 0 <= self.count <= self.out_of:
            raise ValueError(f"{self.count} out of {self.out_of} is not a rate")

    @property
    def value(self) -> float | None:
        return self.count / self.out_of if self.out_of else None


@dataclass(frozen=True)
class ConfidenceInterval:
    lower: float
    upper: float

    def includes(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class RateRatio:
    """A group's rate divided by the reference group's. `ratio` is None when it cannot be worked out
    and `interval` is None when the log method gives none; `unavailable` says why in words."""

    group: Rate
    reference: Rate
    ratio: float | None
    interval: ConfidenceInterval | None
    unavailable: str | None = None


def rate_ratio(group: Rate, reference: Rate, *, z: float = Z_95) -> RateRatio:
    if group.out_of == 0:
        return RateRatio(group, reference, None, None, EMPTY_GROUP)
    if reference.out_of == 0:
        return RateRatio(group, reference, None, None, EMPTY_REFERENCE)
    if reference.count == 0:
        return RateRatio(group, reference, None, None, NONE_IN_REFERENCE)
    ratio = group.value / reference.value
    if group.count == 0:
        # ln(0) has no interval. We give none rather than add 0.5 to every cell (the Haldane
        # correction): the corrected interval would look precise while resting on an invented half
        # person, and a zero is below the suppression threshold anyway, so it is never published.
        return RateRatio(group, reference, ratio, None, NONE_IN_GROUP)
    standard_error = math.sqrt(1 / group.count - 1 / group.out_of + 1 / reference.count - 1 / reference.out_of)
    spread = z * standard_error
    interval = ConfidenceInterval(lower=math.exp(math.log(ratio) - spread), upper=math.exp(math.log(ratio) + spread))
    return RateRatio(group, reference, ratio, interval)
