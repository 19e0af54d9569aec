"""Every self-defined category a person can give is counted in exactly one ONS headline group."""

from __future__ import annotations

import pytest

from casework.domain import ethnic_groups
from casework.domain.ethnic_groups import HEADLINE_GROUP_OF, HEADLINE_GROUPS, headline_group
from casework.domain.people import ETHNICITIES

CODES = [code for code, _ in ETHNICITIES]


def test_every_category_a_person_can_choose_has_a_headline_group():
    # Fails when a category is added to people.ETHNICITIES without saying where reports count it.
    assert set(CODES) == set(HEADLINE_GROUP_OF)


def test_the_headline_groups_are_the_five_ons_groups_and_not_stated():
    assert [label for _, label in HEADLINE_GROUPS] == [
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "White",
        "Other ethnic group",
        "Not stated",
    ]
    assert set(HEADLINE_GROUP_OF.values()) == {code for code, _ in HEADLINE_GROUPS}


@pytest.mark.parametrize(
    ("category", "group"),
    [
        ("other_arab", ethnic_groups.OTHER),
        ("white_gypsy_traveller", ethnic_groups.WHITE),
        ("white_irish", ethnic_groups.WHITE),
        ("asian_chinese", ethnic_groups.ASIAN),
        ("mixed_white_black_caribbean", ethnic_groups.MIXED),
        ("mixed_white_asian", ethnic_groups.MIXED),
        ("black_african", ethnic_groups.BLACK),
        ("not_stated", ethnic_groups.NOT_STATED),
    ],
)
def test_categories_are_grouped_as_the_ons_groups_them(category, group):
    assert headline_group(category) == group


def test_each_category_sits_under_the_headline_its_label_names():
    # The labels in people.py begin with their section ("Mixed or multiple: White and Asian").
    for code, label in ETHNICITIES:
        section = dict(HEADLINE_GROUPS)[headline_group(code)].split(" ")[0].rstrip(",")
        assert section.lower() in label.lower(), (code, label)


def test_a_person_with_no_recorded_ethnicity_counts_as_not_stated():
    assert headline_group(None) == ethnic_groups.NOT_STATED


def test_an_unknown_category_is_refused_rather_than_dropped_from_the_counts():
    with pytest.raises(ValueError, match="roma"):
        headline_group("roma")


def test_a_headline_group_lists_its_categories_in_the_order_people_choose_them():
    assert ethnic_groups.categories_in(ethnic_groups.WHITE) == (
        "white_british",
        "white_irish",
        "white_gypsy_traveller",
        "white_other",
    )
    gathered = [code for group, _ in HEADLINE_GROUPS for code in ethnic_groups.categories_in(group)]
    assert sorted(gathered) == sorted(CODES)
