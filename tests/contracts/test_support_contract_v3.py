"""The support contract PDF, template version 3: the check-in schedule (DOMAIN.md §5.4 item 7)
printed as a table whose cells are tagged under their column headers, in English and Welsh."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from contracts import ScheduledCheckIn, render_support_contract
from tests.contracts.pdf_structure import content_text, structure
from tests.contracts.test_support_contract_v2 import V2

SCHEDULE = (
    ScheduledCheckIn(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "in_person", "Recovery Hub, 3 Old Elvet, Durham"),
    # 29 March 2027 is in British Summer Time: 09:00 UTC is 10am in Durham.
    ScheduledCheckIn(datetime(2027, 3, 30, 9, 0, tzinfo=UTC), "video", "Link sent by text"),
)
V3 = replace(V2, check_ins=SCHEDULE)


def _squashed(text: str) -> str:
    return "".join(text.split())


def test_the_schedule_is_a_table_each_cell_under_its_column_header():
    rendered = render_support_contract(V3)
    assert rendered.template_version == "support_contract_v3"
    tree = structure(rendered.pdf)
    _details, schedule = tree.find("/Table")
    rows = schedule.find("/TR")
    assert [_squashed(cell.all_text()) for cell in rows[0].find("/TH")] == ["When", "How", "Where"]
    assert [[_squashed(cell.all_text()) for cell in row.find("/TD")] for row in rows[1:]] == [
        [_squashed(text) for text in ("Tuesday 1 December 2026 at 10:00am", "In person", SCHEDULE[0].place)],
        [_squashed(text) for text in ("Tuesday 30 March 2027 at 10:00am", "Video call", "Link sent by text")],
    ]
    for row in rows[1:]:
        headers = [str(header.attributes["/ID"]) for header in rows[0].find("/TH")]
        assert [str(cell.attributes["/A"]["/Headers"][0]) for cell in row.find("/TD")] == headers


def test_the_welsh_schedule_is_welsh_and_starts_each_cell_with_a_capital():
    text = content_text(render_support_contract(replace(V3, language="cy")).pdf)
    assert _squashed("Eich apwyntiadau gyda'r tîm llywio") in text
    assert _squashed("Dydd Mawrth 1 Rhagfyr 2026 am 10:00yb") in text
    assert _squashed("Galwad fideo") in text and _squashed("Video call") not in text


def test_a_contract_without_planned_check_ins_says_they_will_be_agreed():
    text = content_text(render_support_contract(V2).pdf)
    assert _squashed("Your navigator will agree your check-in times with you and give them to you in writing.") in text


def test_the_same_schedule_renders_to_the_same_bytes():
    assert render_support_contract(V3).pdf == render_support_contract(V3).pdf
