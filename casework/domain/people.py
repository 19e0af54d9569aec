"""Rules about a person's identifying details."""

from __future__ import annotations

import re
from datetime import date

# Police National Computer id: two-digit year, a serial of up to seven digits, a check letter.
_PNC = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def normalise_pnc_id(text: str) -> str:
    """'2019/123a' and '19/0000123A' are the same id; store the short-year, padded form."""
    match = _PNC.match(text.strip().upper().replace(" ", ""))
    if not match:
        raise ValueError("Enter a PNC ID in the correct format, like 19/1234567A")
    year, serial, check = match.groups()
    return f"{year[-2:]}/{int(serial):07d}{check}"


def normalise_postcode(text: str) -> str:
    compact = text.strip().upper().replace(" ", "")
    if not _POSTCODE.match(compact):
        raise ValueError("Enter a real postcode, like DH1 3HP")
    return f"{compact[:-3]} {compact[-3:]}"


def age_on(date_of_birth: date, day: date) -> int:
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


# Self-defined ethnicity: the 18 census categories police forces record ("18+1"), plus "not stated".
ETHNICITIES = [
    ("asian_indian", "Asian or Asian British: Indian"),
    ("asian_pakistani", "Asian or Asian British: Pakistani"),
    ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_chinese", "Asian or Asian British: Chinese"),
    ("asian_other", "Any other Asian background"),
    ("black_african", "Black, Black British, Caribbean or African: African"),
    ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
    ("black_other", "Any other Black, Black British or Caribbean background"),
    ("mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or multiple: White and Black African"),
    ("mixed_white_asian", "Mixed or multiple: White and Asian"),
    ("mixed_other", "Any other Mixed or multiple ethnic background"),
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_other", "Any other White background"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other_any", "Any other ethnic group"),
    ("not_stated", "Not stated"),
]
SEXES = [("female", "Female"), ("male", "Male"), ("not_stated", "Not stated")]
DISABILITY = [("yes", "Yes"), ("no", "No"), ("not_stated", "Not stated")]


# The custody desk searches the whole force, so a search must name someone: a few letters of a name,
# or an identifier typed in full. A letter or two (or a lone "%") would list strangers.
NAME_SEARCH_LETTERS = 3
SEARCH_TOO_SHORT = (
    f"Enter at least {NAME_SEARCH_LETTERS} letters of the person's name, "
    "or their full date of birth or PNC ID, like 27/3/1990 or 19/1234567A"
)


def name_search_words(text: str) -> list[str]:
    """The words of a name search, folded; ValueError when they hold too few letters to name anyone."""
    words = text.lower().split()
    if sum(character.isalpha() for character in "".join(words)) < NAME_SEARCH_LETTERS:
        raise ValueError(SEARCH_TOO_SHORT)
    return words
