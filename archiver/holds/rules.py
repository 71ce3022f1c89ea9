"""Pure hold matching: which items a hold's scope covers.

A hold covers its explicit items, plus every item that meets all the criteria it gives: from
one of its sources (an account it names, an account one of its custodians administers, or an
item a custodian wrote), inside its date range, and found by its search query. Nothing here
reads the clock or the database: query hits are passed in as a set of item ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from archiver.errors import InvalidInput
from archiver.search.dates import local_date
from archiver.search.query import parse_query


@dataclass(frozen=True)
class HoldScope:
    accounts: tuple[str, ...] = ()  # platform:handle
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""
    custodians: tuple[str, ...] = ()
    item_ids: tuple[int, ...] = ()

    @property
    def has_criteria(self) -> bool:
        return bool(
            self.accounts or self.custodians or self.date_from or self.date_to or self.query
        )

    def check(self) -> None:
        if not self.has_criteria and not self.item_ids:
            raise InvalidInput(
                "a hold needs a scope: accounts, a date range, a search query, custodians or "
                "explicit items",
                hint="e.g. --account facebook:RanchoVerdeCity --from 2026-01-01 --query parking",
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput(f"the date range ends ({self.date_to}) before it starts")
        if self.query:
            parse_query(self.query)  # the search language: a bad filter is named now

    def as_dict(self) -> dict[str, Any]:
        return {
            "accounts": list(self.accounts),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "query": self.query,
            "custodians": list(self.custodians),
            "item_ids": list(self.item_ids),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HoldScope:
        return cls(
            accounts=tuple(data.get("accounts") or ()),
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
            query=data.get("query") or "",
            custodians=tuple(data.get("custodians") or ()),
            item_ids=tuple(int(i) for i in data.get("item_ids") or ()),
        )


@dataclass(frozen=True)
class HoldFacts:
    id: int
    account: str  # platform:handle
    administrators: tuple[str, ...] = ()
    author_name: str = ""
    author_handle: str = ""
    created_at: datetime | None = None
    first_seen_at: datetime | None = None
    timezone: str = "UTC"  # the City's (``archive.timezone``): its days bound a hold's range

    @property
    def record_date(self) -> date | None:
        """The day the item was made, in the City's time zone: a hold "to 2024-05-31" covers
        a post made at 8 pm that evening in California (3 am on June 1 in UTC), as the same
        range does inside a query (``to:2024-05-31``)."""
        moment = self.created_at or self.first_seen_at
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return local_date(moment, self.timezone)


def _fold(text: str) -> str:
    return text.strip().lstrip("@").casefold()


def _from_sources(scope: HoldScope, facts: HoldFacts) -> str | None:
    if facts.account in scope.accounts:
        return "account"
    custodians = {_fold(c) for c in scope.custodians}
    if custodians & {_fold(a) for a in facts.administrators}:
        return "custodian"
    if custodians & {_fold(facts.author_name), _fold(facts.author_handle)} - {""}:
        return "custodian"
    return None


def matched_by(scope: HoldScope, facts: HoldFacts, query_hits: set[int]) -> str | None:
    """How the scope covers the item (``explicit``, ``account+dates+query``...), or None."""
    if facts.id in scope.item_ids:
        return "explicit"
    if not scope.has_criteria:
        return None
    reasons: list[str] = []
    if scope.accounts or scope.custodians:
        source = _from_sources(scope, facts)
        if source is None:
            return None
        reasons.append(source)
    if scope.date_from or scope.date_to:
        day = facts.record_date
        if day is None:
            reasons.append("undated")  # an undated item cannot be ruled out: preserve it
        elif (scope.date_from and day < scope.date_from) or (scope.date_to and day > scope.date_to):
            return None
        else:
            reasons.append("dates")
    if scope.query:
        if facts.id not in query_hits:
            return None
        reasons.append("query")
    return "+".join(reasons)
