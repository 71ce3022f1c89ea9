"""The exemption catalog (data, validated) and the personal-information finder (pure)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.errors import InvalidInput, ValidationFailed
from archiver.requests.exemptions import load_catalog
from archiver.requests.suggest import find_personal_information


def test_shipped_catalog_has_the_sections_and_grounds() -> None:
    catalog = load_catalog()
    assert catalog.exemption("CPRA", "§ 7927.700").citation == "Gov. Code § 7927.700"
    assert catalog.exemption("CPRA", "7922.000").needs_note
    assert catalog.exemption("FOIA", "b(7)(C)").code == "b7C"
    assert {e.code for e in catalog.exemptions if e.law == "FOIA"} >= {
        "b1",
        "b2",
        "b3",
        "b4",
        "b5",
        "b6",
        "b7A",
        "b7C",
        "b8",
        "b9",
    }
    assert [g.code for g in catalog.grounds if g.law == "CPRA"] == ["c1", "c2", "c3", "c4", "c5"]
    with pytest.raises(InvalidInput, match="not a FOIA exemption"):
        catalog.exemption("FOIA", "7927.700")


def test_a_broken_catalog_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "exemptions.toml"
    path.write_text(
        '[[exemption]]\ncode = "x"\nlaw = "GDPR"\ncitation = "c"\n\n'
        '[[extension_ground]]\ncode = "g"\nlaw = "CPRA"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        load_catalog(path)
    where = {p.where for p in caught.value.problems}
    assert where == {"exemption[0]", "exemption[0].law", "extension_ground[0]"}


def test_finds_each_kind() -> None:
    text = (
        "Call (909) 555-0142 or 909.555.0143, write to me@home.example, I live at "
        "1200 N. Orange Grove Ave, SSN 123-45-6789, DOB: March 3, 1981."
    )
    found = [(f.kind, f.text) for f in find_personal_information(text)]
    assert found == [
        ("phone", "(909) 555-0142"),
        ("phone", "909.555.0143"),
        ("email", "me@home.example"),
        ("street_address", "1200 N. Orange Grove Ave"),
        ("ssn", "123-45-6789"),
        ("date_of_birth", "DOB: March 3, 1981"),
    ]
    assert find_personal_information("The meeting is at 7 pm on 3/4.") == []


@given(
    st.text(max_size=40),
    st.integers(200, 999),
    st.integers(200, 999),
    st.integers(0, 9999),
    st.text(max_size=40),
)
def test_a_phone_number_anywhere_is_found(
    before: str, area: int, exchange: int, line: int, after: str
) -> None:
    phone = f"{area}-{exchange}-{line:04d}"
    text = f"{before} {phone} {after}"
    found = find_personal_information(text)
    assert all(0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.text for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    start = len(before) + 1
    assert any(f.start <= start and start + len(phone) <= f.end for f in found), found
