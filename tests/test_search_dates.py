"""Date ranges become the fewest day/month/year tokens covering exactly the range."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from archiver.search.dates import date_tokens, range_tokens

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(days, st.integers(min_value=0, max_value=1200))
def test_tokens_cover_exactly_the_range(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    tokens = set(range_tokens(start, end))
    for offset in range(-3, length + 4):
        day = start + timedelta(days=offset)
        inside = start <= day <= end
        assert bool(tokens & set(date_tokens(day))) == inside, day
    # never more than the ragged ends in days and months, plus whole years
    assert sum(t.startswith("d") for t in tokens) <= 60
    assert sum(t.startswith("m") for t in tokens) <= 22


def test_whole_months_and_years_collapse() -> None:
    assert range_tokens(date(2024, 3, 1), date(2024, 5, 31)) == ["m202403", "m202404", "m202405"]
    assert range_tokens(date(2023, 1, 1), date(2024, 1, 31)) == ["y2023", "m202401"]
    assert range_tokens(date(2024, 2, 28), date(2024, 3, 1)) == [
        "d20240228",
        "d20240229",
        "d20240301",
    ]
