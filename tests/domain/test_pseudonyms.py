"""Pseudonyms: a keyed hash of a record's id, the same under one key, unrelated across keys and kinds."""

from __future__ import annotations

from casework.domain.pseudonyms import pseudonym

KEY = "11" * 32
OTHER_KEY = "22" * 32


def test_the_same_key_gives_the_same_pseudonym_and_the_format_a_reader_expects():
    first = pseudonym(KEY, "person", 7)
    assert first == pseudonym(KEY, "person", 7)
    assert first.startswith("P-") and len(first) == 18 and first[2:] == first[2:].upper()
    assert pseudonym(KEY, "case", 7).startswith("C-")


def test_another_key_another_id_or_another_kind_gives_an_unrelated_pseudonym():
    seen = {
        pseudonym(KEY, "person", 7),
        pseudonym(OTHER_KEY, "person", 7),
        pseudonym(KEY, "person", 8),
        pseudonym(KEY, "case", 7)[2:],  # person 7 and case 7 differ beyond their prefix
    }
    assert len(seen) == 4


def test_a_thousand_ids_give_a_thousand_pseudonyms():
    assert len({pseudonym(KEY, "person", number) for number in range(1000)}) == 1000
