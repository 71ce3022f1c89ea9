"""The clerk's query language, parsed into free text plus field filters (engine-neutral).

``elm street closure platform:facebook from:2024-03 to:2024-05 -state:hidden`` is the free text
``elm street closure`` (AND/OR/NOT, "phrases" and prefix* are the engine's to parse) and the
filters platform = facebook, created March 1 – May 31 2024 in the City's time zone, state not
hidden. A field repeated, or given a comma list, means any of those values.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from archiver.db.models import ITEM_KINDS, ITEM_STATES
from archiver.errors import InvalidInput

FILTER_FIELDS = (
    "platform",
    "account",
    "author",
    "kind",
    "state",
    "thread",
    "hashtag",
    "mention",
    "series",
)
DATE_FIELDS = ("from", "to")
SORTS = ("relevance", "date", "oldest")

_FILTER_RE = re.compile(
    r'(?:(?<=\s)|^)(?P<neg>-|NOT\s+)?(?P<field>[a-z]+):(?P<value>"[^"]*"|\S+)', re.IGNORECASE
)
_DANGLING = re.compile(r"^(?:\s*\b(?:AND|OR)\b)+|(?:\b(?:AND|OR|NOT)\b\s*)+$")


@dataclass(frozen=True)
class SearchFilters:
    """Filters on item fields. Each tuple means "any of these"; ``exclude`` holds negated ones
    as ``(field, value)``. Dates are whole days in the City's time zone, both included."""

    platform: tuple[str, ...] = ()
    account: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    thread: tuple[str, ...] = ()
    hashtag: tuple[str, ...] = ()
    mention: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    exclude: tuple[tuple[str, str], ...] = ()

    def values(self, name: str) -> tuple[str, ...]:
        found: tuple[str, ...] = getattr(self, name)
        return found

    def merged(self, other: SearchFilters) -> SearchFilters:
        """Both sets of filters: values of one field are ORed, the narrower dates win."""
        changes: dict[str, Any] = {
            name: tuple(dict.fromkeys(self.values(name) + other.values(name)))
            for name in FILTER_FIELDS
        }
        starts = [d for d in (self.date_from, other.date_from) if d is not None]
        ends = [d for d in (self.date_to, other.date_to) if d is not None]
        changes["date_from"] = max(starts) if starts else None
        changes["date_to"] = min(ends) if ends else None
        changes["exclude"] = tuple(dict.fromkeys(self.exclude + other.exclude))
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return self == SearchFilters()

    def as_dict(self) -> dict[str, Any]:
        """Only the filters in use, JSON-friendly (stored with saved searches)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if key in ("date_from", "date_to"):
                if value is not None:
                    out[key] = value.isoformat()
            elif value:
                out[key] = [list(v) for v in value] if key == "exclude" else list(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchFilters:
        unknown = set(data) - {*FILTER_FIELDS, "date_from", "date_to", "exclude"}
        if unknown:
            raise InvalidInput(f"unknown search filter(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {k: tuple(str(v) for v in data.get(k, ())) for k in FILTER_FIELDS}
        values["exclude"] = tuple((str(f), str(v)) for f, v in data.get("exclude", ()))
        for key in ("date_from", "date_to"):
            if data.get(key):
                values[key] = date.fromisoformat(str(data[key]))
        filters = cls(**values)
        _check(filters)
        return filters


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: SearchFilters = field(default_factory=SearchFilters)


def parse_query(query: str) -> ParsedQuery:
    """Split ``query`` into free text and filters; raises InvalidInput naming a bad filter."""
    found: dict[str, list[str]] = {}
    exclude: list[tuple[str, str]] = []
    dates: dict[str, date] = {}
    kept: list[str] = []
    position = 0
    for match in _FILTER_RE.finditer(query):
        name = match["field"].lower()
        if name not in FILTER_FIELDS and name not in DATE_FIELDS:
            continue  # "12:30" or "re:" stays free text
        kept.append(query[position : match.start()])
        position = match.end()
        raw = match["value"].strip('"')
        if name in DATE_FIELDS:
            if match["neg"]:
                raise InvalidInput(f"{name}: cannot be negated", hint="Use from: and to: instead.")
            dates[name] = parse_date(raw, end=name == "to", where=match.group(0))
            continue
        for value in (v.strip() for v in raw.split(",")):
            if not value:
                continue
            if match["neg"]:
                exclude.append((name, value))
            else:
                found.setdefault(name, []).append(value)
    kept.append(query[position:])
    text = _DANGLING.sub("", " ".join(part.strip() for part in kept if part.strip())).strip()
    filters = SearchFilters(
        **{name: tuple(values) for name, values in found.items()},
        date_from=dates.get("from"),
        date_to=dates.get("to"),
        exclude=tuple(exclude),
    )
    _check(filters)
    return ParsedQuery(text, filters)


def parse_date(text: str, *, end: bool, where: str = "") -> date:
    """``2024``, ``2024-03`` or ``2024-03-15``; a year or month means its first day for
    ``from:`` and its last day for ``to:``."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1 and len(parts[0]) == 4:
            return date(numbers[0], 12, 31) if end else date(numbers[0], 1, 1)
        if len(numbers) == 2:
            year, month = numbers
            last = monthrange(year, month)[1]
            return date(year, month, last if end else 1)
        if len(numbers) == 3:
            return date(*numbers)
    except ValueError:
        pass
    raise InvalidInput(
        f"{where or text!r}: {text!r} is not a date",
        hint="Write dates as 2024, 2024-03 or 2024-03-15 (in the City's time zone).",
    )


def _check(filters: SearchFilters) -> None:
    for name, allowed in (("kind", ITEM_KINDS), ("state", ITEM_STATES)):
        values = list(filters.values(name)) + [v for f, v in filters.exclude if f == name]
        for value in values:
            if value not in allowed:
                raise InvalidInput(
                    f"{name}:{value} is not a known {name}",
                    hint=f"Use one of: {', '.join(allowed)}.",
                )
    for value in list(filters.thread) + [v for f, v in filters.exclude if f == "thread"]:
        if not value.isdigit():
            raise InvalidInput(f"thread:{value} is not an item id", hint="Example: thread:1234.")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(
            f"from:{filters.date_from} is after to:{filters.date_to}",
            hint="Swap the dates: from: is the first day, to: the last.",
        )
