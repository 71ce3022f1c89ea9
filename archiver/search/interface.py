"""The search index as the rest of the archiver sees it, whatever engine implements it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from archiver.search.query import ParsedQuery


@dataclass(frozen=True)
class IndexDocument:
    """One item as the index holds it. ``digest`` covers every other field, so comparing
    digests with the store finds any stale document (``verify_index``)."""

    item_id: int
    text: str
    earlier_text: str  # every earlier version's text, so an edit never hides what was said
    platform: str
    account: tuple[str, ...]  # id, handle and platform:handle, folded
    kind: str
    author: str  # name, handle, @handle and platform id
    created: datetime  # created_at, else when first captured
    captured: datetime
    date_tokens: tuple[str, ...]  # day, month, year of ``created`` in the City's time zone
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    state: str
    parent: str
    thread: str  # the root item's id (its own id for a root)
    series: str  # retention series (empty until retention exists)
    hold: bool  # under a legal hold (False until holds exist)
    digest: str


@dataclass(frozen=True)
class EngineHit:
    item_id: int
    score: float


@dataclass(frozen=True)
class EngineResults:
    hits: list[EngineHit]
    total: int


class IndexWriter(Protocol):
    def put(self, document: IndexDocument) -> None: ...

    def delete(self, item_id: int) -> None: ...


class SearchIndex(Protocol):
    """An engine. One writer at a time: ``writer`` raises ``archiver.errors.Busy`` if another
    holds the index past ``timeout`` seconds; readers never wait."""

    def exists(self) -> bool: ...

    def writer(self, timeout: float) -> AbstractContextManager[IndexWriter]: ...

    def rebuild(self, documents: Iterable[IndexDocument], timeout: float) -> int: ...

    def search(
        self, query: ParsedQuery, *, sort: str, offset: int, limit: int
    ) -> EngineResults: ...

    def matching_ids(self, query: ParsedQuery) -> list[int]: ...

    def snippets(self, query: ParsedQuery, texts: Mapping[int, str]) -> dict[int, str]: ...

    def digests(self) -> Iterator[tuple[int, str]]: ...

    def close(self) -> None: ...
