"""Contract PDF render time against WeasyPrint's floor, and memory after many renders.

    .venv/bin/python bench/contract_render.py [--rounds 30] [--memory-renders 200]

The floor is a plain HTML document with the same text and no styling, rendered the same way.
"""

from __future__ import annotations

import argparse
import ctypes.util
import io
import resource
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from weasyprint import HTML

from contracts import ContractCondition, SupportContract, render_support_contract

CONTRACT = SupportContract(
    scheme_name="Checkpoint",
    force_name="Demonstration Constabulary",
    case_reference="CP-26-000123",
    version_number=1,
    crime_reference="DC/4521/26",
    custody_record_number="CR100200",
    person_name="Sam Example",
    date_of_birth=date(1990, 3, 27),
    address_lines=("1 High Street", "Durham", "DH1 1AA"),
    offences=("Common assault", "Criminal damage (value £5,000 or less)"),
    offence_dates="20/11/2026",
    admission="full_admission",
    starts_on=date(2026, 11, 24),
    ends_on=date(2027, 3, 24),
    length_months=4,
    conditions=tuple(
        ContractCondition(n, kind, wording * 3, partner, due, rule, target)
        for n, (kind, wording, partner, due, rule, target) in enumerate(
            [
                (
                    "offending",
                    "Do not commit any further offence while this contract lasts. ",
                    "",
                    None,
                    "whole_term",
                    None,
                ),
                (
                    "pathway",
                    "Attend an assessment and follow-up sessions at the recovery hub. ",
                    "Recovery Hub",
                    date(2027, 2, 1),
                    "sessions",
                    4,
                ),
                (
                    "pathway",
                    "Meet the housing options team and follow the plan you agree. ",
                    "Housing Options",
                    date(2027, 3, 1),
                    "sessions",
                    2,
                ),
                ("community", "Volunteer at the community garden on agreed days. ", "", None, "hours", 24),
                (
                    "restrictive",
                    "Do not go to the shop on Market Street during the contract. ",
                    "",
                    None,
                    "whole_term",
                    None,
                ),
            ],
            start=1,
        )
    ),
    first_appointment=datetime(2026, 12, 1, 10, tzinfo=UTC),
    navigator_name="Grace Johnson",
    team_phone="0191 496 0000",
    team_email="navigators@example.police.uk",
    partners=("Recovery Hub", "Housing Options"),
    retention_years=6,
    signed_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
    person_signature="Sam Example (typed)",
    navigator_signature="Grace Johnson",
    interpreter_present=False,
    appropriate_adult_present=False,
)


def timed(action, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--memory-renders", type=int, default=200)
    args = parser.parse_args()
    pdf = render_support_contract(CONTRACT).pdf
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    plain = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>"
    welsh = replace(CONTRACT, language="cy")
    contract_en = timed(lambda: render_support_contract(CONTRACT), args.rounds)
    contract_cy = timed(lambda: render_support_contract(welsh), args.rounds)
    floor = timed(lambda: HTML(string=plain).write_pdf(), args.rounds)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(args.memory_renders):
        render_support_contract(CONTRACT)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    subset = "present" if ctypes.util.find_library("harfbuzz-subset") else "absent"
    print(f"{len(reader.pages)}-page contract, libharfbuzz-subset0 {subset}")
    print("| document | median / p95 | median / floor |")
    print("|---|---|---|")
    for name, (median, p95) in [
        ("floor (plain text, same length)", floor),
        ("contract, English", contract_en),
        ("contract, Welsh", contract_cy),
    ]:
        print(f"| {name} | {median:.0f} / {p95:.0f} ms | {median / floor[0]:.1f}x |")
    print(f"Peak memory {before / 1024:.0f} MiB before and {after / 1024:.0f} MiB after {args.memory_renders} renders")


if __name__ == "__main__":
    main()
