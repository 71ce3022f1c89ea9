"""The retention schedule as plain data, and the pure rules over it.

``assign(schedule, facts, today)`` gives an item's series, trigger date and eligible-for-
disposition date. The first series whose rules all match takes the item; an item no series
matches goes to the default series and is flagged as unmatched. Nothing here reads the clock or
the database.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from archiver.errors import InvalidInput, Problem, ValidationFailed
from archiver.validation import schema_problems

TWO_YEARS = "P2Y"  # Gov. Code § 34090(d): no record under two years old may be destroyed
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0


def parse_duration(text: str) -> Duration | None:
    """An ISO 8601 date duration (``P2Y``, ``P18M``, ``P90D``); ``None`` for ``permanent``."""
    if text == "permanent":
        return None
    found = _DURATION.match(text)
    if not found or text == "P":
        raise InvalidInput(f"{text!r} is not an ISO 8601 duration such as P2Y, P18M or P90D")
    years, months, weeks, days = (int(g) if g else 0 for g in found.groups())
    return Duration(years, months, weeks * 7 + days)


def add_duration(start: date, duration: Duration) -> date:
    """``start`` plus the duration; the 29th of February plus a year is the 28th."""
    months = start.month - 1 + duration.months + 12 * duration.years
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() + duration.days)


def two_years_after(start: date) -> date:
    return add_duration(start, Duration(years=2))


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about an item (and its account)."""

    id: int
    platform: str
    kind: str
    state: str
    account: str  # platform:handle
    account_kind: str = "official"
    department: str = ""
    created_at: datetime | None = None
    first_seen_at: datetime | None = None
    state_changed_at: datetime | None = None
    account_terminated_on: date | None = None
    request_closed_on: date | None = None

    @property
    def record_date(self) -> date | None:
        """The record's own date: created on the platform, else first captured."""
        moment = self.created_at or self.first_seen_at
        return moment.date() if moment else None


@dataclass(frozen=True)
class Match:
    platform: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    account_kind: tuple[str, ...] = ()
    account: tuple[str, ...] = ()
    department: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (self.platform, self.kind, self.state, self.account_kind, self.account, self.department)
        )

    def matches(self, facts: ItemFacts) -> bool:
        if self.empty:
            return False
        checks = (
            (self.platform, facts.platform),
            (self.kind, facts.kind),
            (self.state, facts.state),
            (self.account_kind, facts.account_kind),
            (self.account, facts.account),
            (self.department, facts.department),
        )
        return all(not accepted or value in accepted for accepted, value in checks)


@dataclass(frozen=True)
class Series:
    code: str
    title: str
    retention: str
    trigger: str
    action: str
    citation: str
    match: Match = field(default_factory=Match)
    notes: str = ""

    @property
    def duration(self) -> Duration | None:
        return parse_duration(self.retention)


@dataclass(frozen=True)
class Schedule:
    name: str
    version: str
    default_series: str
    series: tuple[Series, ...]
    adopted_by: str = ""
    adopted_on: date | None = None
    source_series: str = ""

    def get(self, code: str) -> Series:
        for series in self.series:
            if series.code == code:
                return series
        raise InvalidInput(f"the schedule {self.version} has no series {code!r}")


@dataclass(frozen=True)
class Assignment:
    item_id: int
    series_code: str
    matched: bool
    action: str
    trigger_date: date | None  # None: the trigger has not happened yet
    eligible_on: date | None  # None: never (permanent) or not yet known (trigger pending)
    eligible: bool  # eligible on ``today`` for the series' action


def trigger_date(trigger: str, facts: ItemFacts) -> date | None:
    if trigger == "created":
        return facts.record_date
    if trigger == "captured":
        return facts.first_seen_at.date() if facts.first_seen_at else None
    if trigger == "account_terminated":
        return facts.account_terminated_on
    if trigger == "superseded":
        current = facts.state in ("active", "hidden")
        return None if current or facts.state_changed_at is None else facts.state_changed_at.date()
    if trigger == "state_changed":
        return facts.state_changed_at.date() if facts.state_changed_at else None
    if trigger == "request_closed":
        return facts.request_closed_on
    raise InvalidInput(f"unknown retention trigger {trigger!r}")


def series_for(schedule: Schedule, facts: ItemFacts) -> tuple[Series, bool]:
    """The first series whose rules match, or the default series (``False``: unmatched)."""
    for series in schedule.series:
        if series.match.matches(facts):
            return series, True
    return schedule.get(schedule.default_series), False


def eligible_on(series: Series, facts: ItemFacts) -> tuple[date | None, date | None]:
    """(trigger date, eligible date): never earlier than two years after the record's date."""
    start = trigger_date(series.trigger, facts)
    duration = series.duration
    if start is None or duration is None:
        return start, None
    due = add_duration(start, duration)
    if facts.record_date is not None:
        due = max(due, two_years_after(facts.record_date))
    return start, due


def assign(schedule: Schedule, facts: ItemFacts, today: date) -> Assignment:
    series, matched = series_for(schedule, facts)
    start, due = eligible_on(series, facts)
    return Assignment(
        item_id=facts.id,
        series_code=series.code,
        matched=matched,
        action=series.action,
        trigger_date=start,
        eligible_on=due,
        eligible=due is not None and due <= today,
    )


# -- reading a schedule file -----------------------------------------------------------------


def read_document(path: Path) -> dict[str, Any]:
    """Parse a TOML or YAML schedule file, naming the position of a syntax error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValidationFailed(str(path), [Problem("", f"YAML syntax: {exc}")]) from None
        if not isinstance(loaded, dict):
            raise ValidationFailed(str(path), [Problem("(top level)", "expected a mapping")])
        plain: dict[str, Any] = _plain(loaded)
        return plain
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(str(path), [Problem("", f"TOML syntax: {exc}")]) from None


def _plain(value: Any) -> Any:
    """YAML reads dates as dates; the schema (like TOML here) expects strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def document_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Schema problems, then the rules a schema cannot say (unique codes, default exists)."""
    problems = schema_problems(document, "retention_schedule")
    if problems:
        return problems
    codes: dict[str, int] = {}
    for index, entry in enumerate(document["series"]):
        if entry["code"] in codes:
            problems.append(
                Problem(
                    f"series[{index}].code",
                    f"{entry['code']!r} is already the code of series[{codes[entry['code']]}]",
                )
            )
        codes.setdefault(entry["code"], index)
    for key in ("default_series", "source_series"):
        code = document["schedule"].get(key)
        if code and code not in codes:
            problems.append(
                Problem(f"schedule.{key}", f"{code!r} is not the code of any series below")
            )
    default = document["schedule"]["default_series"]
    if default in codes and document["series"][codes[default]]["action"] == "destroy":
        problems.append(
            Problem(
                f"series[{codes[default]}].action",
                "the default series takes unmatched items: its action must be review or "
                "transfer, so nothing is destroyed without a series that names it",
            )
        )
    return problems


def schedule_from_document(document: Mapping[str, Any]) -> Schedule:
    head = document["schedule"]
    return Schedule(
        name=head["name"],
        version=head["version"],
        default_series=head["default_series"],
        source_series=head.get("source_series", ""),
        adopted_by=head.get("adopted_by", ""),
        adopted_on=date.fromisoformat(head["adopted_on"]) if head.get("adopted_on") else None,
        series=tuple(
            Series(
                code=s["code"],
                title=s["title"],
                retention=s["retention"],
                trigger=s["trigger"],
                action=s["action"],
                citation=s["citation"],
                notes=s.get("notes", ""),
                match=Match(**{k: tuple(v) for k, v in s.get("match", {}).items()}),
            )
            for s in document["series"]
        ),
    )


def load_schedule_file(path: Path) -> tuple[Schedule, dict[str, Any], str]:
    """Read and validate a schedule file: (schedule, document, SHA-256 of the bytes)."""
    document = read_document(path)
    problems = document_problems(document)
    if problems:
        raise ValidationFailed(
            str(path), problems, hint="See docs/retention.md for the schedule file's format."
        )
    return schedule_from_document(document), document, hashlib.sha256(path.read_bytes()).hexdigest()
