"""The documentation stays navigable: ADRs are numbered once each, and every relative link in
the Markdown files points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

MARKDOWN = sorted(
    [REPO / "README.md", REPO / "CHANGELOG.md", *(REPO / "docs").rglob("*.md")],
    key=str,
)


def test_adr_numbers_are_unique_and_sequential() -> None:
    numbers = sorted(int(p.name[:4]) for p in (REPO / "docs" / "adr").glob("[0-9]*.md"))
    assert numbers == list(range(1, len(numbers) + 1))
    for path in (REPO / "docs" / "adr").glob("[0-9]*.md"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"# {int(path.name[:4])}. "), f"{path.name}: title {first!r}"


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file = target.split("#", 1)[0]
        assert (path.parent / file).exists(), f"{path.name} links to missing {target}"
