"""Coarse date tokens: how a date filter stays fast (docs/adr/0013-date-filters-as-tokens.md).

Each item carries the tokens of its day, month and year in the City's time zone
(``d20240315 m202403 y2024``). A date range becomes the fewest whole years, whole months and
single days that cover it exactly, ORed together: March to May 2024 is three month terms instead
of a numeric range over every timestamp in the index.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def date_tokens(day: date) -> list[str]:
    return [f"y{day.year:04d}", f"m{day.year:04d}{day.month:02d}", f"d{day:%Y%m%d}"]


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def range_tokens(start: date, end: date) -> list[str]:
    """The fewest tokens whose days are exactly ``start``..``end`` (both included)."""
    tokens: list[str] = []
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            tokens.append(f"y{day.year:04d}")
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _month_end(day) <= end:
            tokens.append(f"m{day.year:04d}{day.month:02d}")
            day = _month_end(day) + timedelta(days=1)
        else:
            tokens.append(f"d{day:%Y%m%d}")
            day += timedelta(days=1)
    return tokens
