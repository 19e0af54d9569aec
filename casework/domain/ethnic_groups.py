"""The ONS headline ethnic groups (DOMAIN.md §8.3): the 18+1 self-defined categories a person gives
(casework.domain.people.ETHNICITIES) grouped into the five headline groups plus "not stated", as the
ONS groups the census categories, so that small groups can be reported together."""

from __future__ import annotations

ASIAN = "asian"
BLACK = "black"
MIXED = "mixed"
WHITE = "white"
OTHER = "other"
NOT_STATED = "not_stated"

HEADLINE_GROUPS = (
    (ASIAN, "Asian or Asian British"),
    (BLACK, "Black, Black British, Caribbean or African"),
    (MIXED, "Mixed or multiple ethnic groups"),
    (WHITE, "White"),
    (OTHER, "Other ethnic group"),
    (NOT_STATED, "Not stated"),
)

# Written out code by code rather than read off the code's first word: a prefix would put the Mixed
# "White and ..." categories under White if a code were ever renamed. Since 2011 the census counts
# Chinese under Asian, Gypsy or Irish Traveller under White and Arab under Other ethnic group.
HEADLINE_GROUP_OF = {
    "asian_indian": ASIAN,
    "asian_pakistani": ASIAN,
    "asian_bangladeshi": ASIAN,
    "asian_chinese": ASIAN,
    "asian_other": ASIAN,
    "black_african": BLACK,
    "black_caribbean": BLACK,
    "black_other": BLACK,
    "mixed_white_black_caribbean": MIXED,
    "mixed_white_black_african": MIXED,
    "mixed_white_asian": MIXED,
    "mixed_other": MIXED,
    "white_british": WHITE,
    "white_irish": WHITE,
    "white_gypsy_traveller": WHITE,
    "white_other": WHITE,
    "other_arab": OTHER,
    "other_any": OTHER,
    "not_stated": NOT_STATED,
}


def headline_group(ethnicity: str | None) -> str:
    """The headline group of a self-defined category; a person who gave none counts as not stated."""
    if ethnicity is None:
        return NOT_STATED
    try:
        return HEADLINE_GROUP_OF[ethnicity]
    except KeyError:
        raise ValueError(f"No headline ethnic group for {ethnicity!r}") from None


def categories_in(group: str) -> tuple[str, ...]:
    """The self-defined categories a headline group gathers, in the order people.ETHNICITIES lists them."""
    return tuple(code for code, headline in HEADLINE_GROUP_OF.items() if headline == group)
