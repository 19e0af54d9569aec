"""Rules every template keeps, read from the template files themselves."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Reflow (WCAG 1.4.10): each table sits in a region that scrolls sideways on its own; axe asks for
# a scrollable region to be focusable and named.
TABLE_IN_REGION = re.compile(
    r'<div class="app-table-container" role="region" aria-label="[^"]+" tabindex="0"(?: id="[^"]+")?>\s*<table\b'
)


def test_every_table_scrolls_inside_its_own_labelled_region():
    tables = {path.relative_to(TEMPLATES): path.read_text().count("<table") for path in TEMPLATES.rglob("*.html")}
    wrapped = {
        path.relative_to(TEMPLATES): len(TABLE_IN_REGION.findall(path.read_text()))
        for path in TEMPLATES.rglob("*.html")
    }
    assert sum(tables.values()) >= 9
    assert {p: n for p, n in tables.items() if n} == {p: n for p, n in wrapped.items() if n}
