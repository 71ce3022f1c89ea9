"""The removals benchmark still runs (with a handful of removals; figures are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "removals.py"), "--removals", "4"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "record_removal" in done.stdout and "raw sqlite3 inserts" in done.stdout
