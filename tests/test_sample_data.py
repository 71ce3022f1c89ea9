"""The committed sample files are exactly what make_samples.py generates, and check out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import SAMPLE


@pytest.mark.slow
def test_sample_data_regenerates_byte_for_byte() -> None:
    result = subprocess.run(
        [sys.executable, str(SAMPLE / "make_samples.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_sample_data_verifies() -> None:
    result = subprocess.run(
        [sys.executable, str(SAMPLE / "make_samples.py"), "--verify"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
