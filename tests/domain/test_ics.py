"""The calendar file's text rules: escaping and folding (RFC 5545 §3.1, §3.3.11)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from casework.domain import ics


def test_escaping_of_backslash_semicolon_comma_and_newlines():
    assert ics.escape('a\\b;c,d\ne\r\nf "g" :h') == 'a\\\\b\\;c\\,d\\ne\\nf "g" :h'


@pytest.mark.parametrize("filler", ["x", "ŵ", "€", "😀"])
def test_folded_lines_stay_within_75_octets_and_never_split_a_character(filler):
    line = "LOCATION:" + filler * 200
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if n else part for n, part in enumerate(parts)) == line


def test_a_short_line_is_left_alone():
    assert ics.fold("SUMMARY:Check-in") == "SUMMARY:Check-in"


def test_times_must_be_aware():
    with pytest.raises(ValueError):
        ics.calendar(
            name="x",
            events=[ics.Event(uid="u", sequence=1, starts_at=datetime(2026, 1, 1), summary="s")],
            now=datetime(2026, 1, 1) + timedelta(0),
        )
