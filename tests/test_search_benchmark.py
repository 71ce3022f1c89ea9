"""The search benchmark still runs end to end at a small size (figures are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_search_benchmark_runs_every_comparison() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "search.py"),
            "--items",
            "600",
            "--queries",
            "40",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for line in (
        "bare Whoosh writer",
        "archiver index (2 processes)",
        "SQLite FTS5",
        "naive DateRange",
        "mean of all queries",
    ):
        assert line in done.stdout, done.stdout
