"""Running a clerk's search, and expanding a result to its whole thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Item, ItemVersion
from archiver.errors import InvalidInput, NotFound
from archiver.search.indexing import open_index
from archiver.search.items import resolve_threads
from archiver.search.query import SORTS, ParsedQuery, SearchFilters, parse_query

PER_PAGE = 20
STATE_BADGES = {
    "active": "ACTIVE",
    "edited": "EDITED",
    "missing_from_source": "MISSING",
    "hidden": "HIDDEN",
    "removed_by_city": "REMOVED BY CITY",
    "deleted_by_author": "DELETED BY AUTHOR",
    "removed_by_platform": "REMOVED BY PLATFORM",
    "destroyed": "DESTROYED",
}


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    score: float
    platform: str
    account: str  # platform:handle
    kind: str
    author: str
    created_at: str  # in the City's time zone
    state: str
    state_badge: str
    permalink: str
    snippet: str  # matches in **bold**
    matched_earlier_version: bool  # the words are in an earlier version, not the current text
    thread_id: int


@dataclass(frozen=True)
class SearchPage:
    query: str
    filters: dict[str, Any]
    sort: str
    page: int
    per_page: int
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    request_number: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages": self.pages}


def prepare(session: Session, query: str, filters: SearchFilters | None, sort: str) -> ParsedQuery:
    """Parse the query, add the caller's filters, check the sort, and resolve ``thread:``
    (any item of a thread names the thread)."""
    if sort not in SORTS:
        raise InvalidInput(f"sort {sort!r} is not one of {', '.join(SORTS)}")
    parsed = parse_query(query)
    merged = resolve_threads(session, parsed.filters.merged(filters or SearchFilters()))
    return ParsedQuery(parsed.text, merged)


def search(
    archive: Archive,
    actor: Actor,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    request_number: str | None = None,
    *,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of results. Run for a public-records request (``request_number``), the search
    is written to the audit log: who searched what, when, and how many records matched."""
    actor.require("search.run")
    if page < 1 or per_page < 1:
        raise InvalidInput("page and page size start at 1")
    with archive.db.read() as session:
        parsed = prepare(session, query, filters, sort)
    with open_index(archive) as engine:
        found = engine.search(parsed, sort=sort, offset=(page - 1) * per_page, limit=per_page)
        ids = [hit.item_id for hit in found.hits]
        with archive.db.read() as session:
            items = _load(session, ids)
            earlier = _earlier_texts(session, ids)
        current = engine.snippets(parsed, {i: items[i].text for i in ids if i in items})
        previous = engine.snippets(parsed, {i: t for i, t in earlier.items() if i not in current})
    zone = ZoneInfo(archive.settings.timezone)
    hits = [
        _hit(items[h.item_id], h.score, current, previous, zone)
        for h in found.hits
        if h.item_id in items
    ]
    result = SearchPage(
        query=query,
        filters=parsed.filters.as_dict(),
        sort=sort,
        page=page,
        per_page=per_page,
        total=found.total,
        hits=hits,
        request_number=request_number or "",
    )
    if request_number:
        with archive.unit() as session:
            audit.record(
                session,
                actor,
                "search.run",
                now=archive.clock(),
                object_type="request",
                object_id=request_number,
                details={
                    "query": query,
                    "filters": result.filters,
                    "sort": sort,
                    "page": page,
                    "total": found.total,
                    "shown": ids,
                },
            )
    return result


def _load(session: Session, ids: Sequence[int]) -> dict[int, Item]:
    rows = session.scalars(
        select(Item).where(Item.id.in_(ids)).options(selectinload(Item.account))
    ).all()
    return {item.id: item for item in rows}


def _earlier_texts(session: Session, ids: Sequence[int]) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for item_id, text, current in session.execute(
        select(ItemVersion.item_id, ItemVersion.text, Item.text)
        .join(Item, Item.id == ItemVersion.item_id)
        .where(ItemVersion.item_id.in_(ids))
        .order_by(ItemVersion.item_id, ItemVersion.version_no)
    ):
        if text and text != current:
            texts.setdefault(item_id, []).append(text)
    return {i: "\n".join(dict.fromkeys(t)) for i, t in texts.items()}


def _hit(
    item: Item,
    score: float,
    current: dict[int, str],
    previous: dict[int, str],
    zone: ZoneInfo,
) -> SearchHit:
    snippet = current.get(item.id, "")
    earlier = not snippet and item.id in previous
    if earlier:
        snippet = previous[item.id]
    if not snippet:
        snippet = item.text[:200] + ("…" if len(item.text) > 200 else "")
    return SearchHit(
        item_id=item.id,
        score=round(score, 4),
        platform=item.platform,
        account=f"{item.account.platform}:{item.account.handle}",
        kind=item.kind,
        author=_author(item),
        created_at=_local(item.created_at or item.first_seen_at, zone),
        state=item.state,
        state_badge=STATE_BADGES.get(item.state, item.state.upper()),
        permalink=item.permalink,
        snippet=snippet,
        matched_earlier_version=earlier,
        thread_id=item.root_id or item.id,
    )


def _author(item: Item) -> str:
    handle = f"@{item.author_handle.lstrip('@')}" if item.author_handle else ""
    if item.author_name and handle:
        return f"{item.author_name} ({handle})"
    return item.author_name or handle or item.author_platform_id


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ThreadEntry:
    item_id: int
    depth: int
    kind: str
    author: str
    created_at: str
    state: str
    state_badge: str
    text: str
    permalink: str
    parent_id: int | None


@dataclass(frozen=True)
class ThreadView:
    root_id: int
    account: str
    entries: list[ThreadEntry]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def thread(archive: Archive, actor: Actor, item_id: int) -> ThreadView:
    """The post of ``item_id``'s thread with all its comments and replies, in reading order
    (each reply under what it answers, oldest first)."""
    actor.require("archive.read")
    with archive.db.read() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise NotFound(f"no item {item_id}", hint="Find items with `archiver search`.")
        root_id = item.root_id or item.id
        members = session.scalars(
            select(Item).where(or_(Item.id == root_id, Item.root_id == root_id))
        ).all()
        zone = ZoneInfo(archive.settings.timezone)
        children: dict[int | None, list[Item]] = {}
        known = {m.id for m in members}
        for member in members:
            parent: int | None = member.parent_id if member.parent_id in known else root_id
            if member.id == root_id:
                parent = None
            children.setdefault(parent, []).append(member)
        entries: list[ThreadEntry] = []
        stack = [(m, 0) for m in reversed(_ordered(children.get(None, [])))]
        while stack:
            member, depth = stack.pop()
            entries.append(_entry(member, depth, zone))
            stack += [(c, depth + 1) for c in reversed(_ordered(children.get(member.id, [])))]
        root = session.get(Item, root_id)
        account = f"{root.account.platform}:{root.account.handle}" if root else ""
        return ThreadView(root_id, account, entries)


def _ordered(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.created_at or i.first_seen_at, i.id))


def _entry(item: Item, depth: int, zone: ZoneInfo) -> ThreadEntry:
    return ThreadEntry(
        item_id=item.id,
        depth=depth,
        kind=item.kind,
        author=_author(item),
        created_at=_local(item.created_at or item.first_seen_at, zone),
        state=item.state,
        state_badge=STATE_BADGES.get(item.state, item.state.upper()),
        text=item.text,
        permalink=item.permalink,
        parent_id=item.parent_id,
    )
