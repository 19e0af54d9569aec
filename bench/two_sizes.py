"""What the sweep benchmarks share: the same measurements on a small and a big throw-away database
(each generated, then timed), and the Markdown table of medians with the big database over the small
one and over its own floor."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from bench.sign_in import _database
from casework.db import make_engine
from casework.domain.audit_chain import Keyring, audit_key
from casework.migrate import upgrade
from casework.services import audit_keys

# A size's name and what builds it: fills a migrated database and says what it holds, for the log.
Builder = Callable[[Engine], str]


def measure_sizes(
    database: str, sizes: Sequence[tuple[str, Builder]], measure: Callable[[Engine], dict[str, float]]
) -> dict[str, dict[str, float]]:
    """Medians by size, then by measurement name; each size on a database of its own, dropped after."""
    # The sweeps write audit events, signed as the app signs them (it installs the key when it starts).
    audit_keys.install(Keyring(current=audit_key("bench-" + "k" * 58)))
    medians = {}
    with tempfile.TemporaryDirectory() as workdir:
        for size, build in sizes:
            folder = Path(workdir, size)
            folder.mkdir()
            url, drop = _database(database, str(folder))
            engine = make_engine(url)
            try:
                upgrade(engine)
                started = time.perf_counter()
                holds = build(engine)
                print(f"{database} {size}: {holds} in {time.perf_counter() - started:.0f} s", flush=True)
                medians[size] = measure(engine)
            finally:
                engine.dispose()
                drop()
    return medians


def print_table(database: str, medians: dict[str, dict[str, float]], *, ratio_digits: int = 1) -> None:
    print("| database | sweep | small: median | big: median | big / small | big / floor |")
    print("|---|---|---|---|---|---|")
    floor = medians["big"]["floor"]
    for name in medians["small"]:
        small, big = medians["small"][name], medians["big"][name]
        print(
            f"| {database} | {name} | {small:.1f} ms | {big:.1f} ms | {big / small:.{ratio_digits}f}x "
            f"| {big / floor:.0f}x |"
        )
