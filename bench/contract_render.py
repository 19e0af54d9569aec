"""Contract PDF render time against WeasyPrint's floor, and memory after many renders.

    .venv/bin/python bench/contract_render.py [--rounds 30] [--memory-renders 200] [--app-root PATH]

The floor is a plain HTML document with the same text and no styling, rendered the same way.
Each round renders the floor and both contracts one after another, so a burst of load from
elsewhere on a shared machine falls on all three alike; the ratios compare medians of those
interleaved samples, in wall-clock time and in this process's CPU time. `--app-root` renders
another checkout's contracts package (an earlier commit, say) to compare.
"""

from __future__ import annotations

import argparse
import ctypes.util
import io
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path


def _app_root() -> Path:
    """--app-root must be on the path before contracts is imported."""
    for position, argument in enumerate(sys.argv):
        if argument == "--app-root" and position + 1 < len(sys.argv):
            return Path(sys.argv[position + 1]).resolve()
        if argument.startswith("--app-root="):
            return Path(argument.split("=", 1)[1]).resolve()
    return Path(__file__).resolve().parent.parent


sys.path.insert(0, str(_app_root()))

from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from contracts import ContractCondition, SupportContract, render_support_contract  # noqa: E402

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


def timed(actions: dict[str, Callable[[], object]], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per render, wall clock and CPU, with the actions taking turns in every round."""
    samples = {name: {"wall": [], "cpu": []} for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            samples[name]["cpu"].append((time.process_time() - cpu) * 1000)
            samples[name]["wall"].append((time.perf_counter() - wall) * 1000)
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--memory-renders", type=int, default=200)
    parser.add_argument("--app-root", help="render this checkout's contracts package instead")
    args = parser.parse_args()
    pdf = render_support_contract(CONTRACT).pdf
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    plain = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>"
    welsh = replace(CONTRACT, language="cy")
    HTML(string=plain).write_pdf()  # the contract was rendered once above: both start warm
    samples = timed(
        {
            "floor (plain text, same length)": lambda: HTML(string=plain).write_pdf(),
            "contract, English": lambda: render_support_contract(CONTRACT),
            "contract, Welsh": lambda: render_support_contract(welsh),
        },
        args.rounds,
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(args.memory_renders):
        render_support_contract(CONTRACT)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    subset = "present" if ctypes.util.find_library("harfbuzz-subset") else "absent"
    print(f"{len(reader.pages)}-page contract from {_app_root()}, libharfbuzz-subset0 {subset}")
    print("| document | median / p95 | median / floor | CPU median | CPU / floor |")
    print("|---|---|---|---|---|")
    floor = samples["floor (plain text, same length)"]
    for name, taken in samples.items():
        wall, cpu = statistics.median(taken["wall"]), statistics.median(taken["cpu"])
        print(
            f"| {name} | {wall:.0f} / {p95(taken['wall']):.0f} ms | {wall / statistics.median(floor['wall']):.2f}x "
            f"| {cpu:.0f} ms | {cpu / statistics.median(floor['cpu']):.2f}x |"
        )
    print(f"Peak memory {before / 1024:.0f} MiB before and {after / 1024:.0f} MiB after {args.memory_renders} renders")


if __name__ == "__main__":
    main()
