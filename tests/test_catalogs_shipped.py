"""The shipped removal-ground catalogs validate against their schema."""

from __future__ import annotations

from importlib import resources

import pytest

from archiver.validation import read_toml, schema_problems

CATALOGS = sorted(
    p.name
    for p in resources.files("archiver").joinpath("catalogs").iterdir()
    if p.name.endswith(".toml")
)


def test_all_five_policies_ship() -> None:
    assert CATALOGS == [
        "carson.toml",
        "claremont.toml",
        "norwalk.toml",
        "policy702.toml",
        "torrance.toml",
    ]


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_is_valid(name: str) -> None:
    from pathlib import Path

    path = Path(str(resources.files("archiver").joinpath("catalogs", name)))
    data = read_toml(path)
    assert schema_problems(data, "policy_catalog") == []
    codes = [g["code"] for g in data["grounds"]]
    assert len(codes) == len(set(codes))
    assert data["policy"]["id"] == name.removesuffix(".toml")
