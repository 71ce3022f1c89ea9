"""Items as the index sees them: the pure document builder, and reading items from the store
into documents. Nothing here reads legal holds, so the hold query matcher can use it too
(``archiver.search.matcher``); ``archiver.search.documents`` adds the hold flag.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.db.models import Account, Item, ItemVersion
from archiver.retention.models import ItemRetention
from archiver.search.analysis import fold
from archiver.search.dates import date_tokens, local_date
from archiver.search.interface import IndexDocument
from archiver.search.query import SearchFilters

BATCH = 500
_TAG_KEYS = ("tag", "text", "handle", "screen_name", "username", "name", "did", "id")


def item_documents(
    session: Session, items: Sequence[Item], timezone: str, held: Collection[int] = ()
) -> list[IndexDocument]:
    """The documents of ``items``, with their retention series; ``held`` are flagged as held."""
    ids = [item.id for item in items]
    accounts = {
        a.id: a
        for a in session.scalars(
            select(Account).where(Account.id.in_({item.account_id for item in items}))
        )
    }
    versions: dict[int, list[ItemVersion]] = {}
    for version in session.scalars(
        select(ItemVersion)
        .where(ItemVersion.item_id.in_(ids))
        .order_by(ItemVersion.item_id, ItemVersion.version_no)
    ):
        versions.setdefault(version.item_id, []).append(version)
    series = _retention_series(session, ids)
    return [
        document(
            item,
            accounts[item.account_id],
            versions.get(item.id, []),
            timezone,
            series=series.get(item.id, ""),
            hold=item.id in held,
        )
        for item in items
    ]


def iter_item_documents(
    session: Session, item_ids: Collection[int] | None, timezone: str
) -> Iterator[IndexDocument]:
    """The documents (without hold flags) of ``item_ids``, or of every item, in id order, a
    batch of ``BATCH`` at a time."""
    if item_ids is not None:
        ids = sorted(set(item_ids))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            items = session.scalars(select(Item).where(Item.id.in_(chunk)).order_by(Item.id))
            yield from item_documents(session, items.all(), timezone)
        return
    last = 0
    while True:
        batch = session.scalars(
            select(Item).where(Item.id > last).order_by(Item.id).limit(BATCH)
        ).all()
        if not batch:
            return
        yield from item_documents(session, batch, timezone)
        last = batch[-1].id


def resolve_threads(session: Session, filters: SearchFilters) -> SearchFilters:
    """``thread:`` names a thread by any of its items: each value becomes the thread's root."""
    named = [v for v in filters.thread] + [v for f, v in filters.exclude if f == "thread"]
    if not named:
        return filters
    roots = {
        str(i): str(r or i)
        for i, r in session.execute(
            select(Item.id, Item.root_id).where(Item.id.in_([int(v) for v in named]))
        )
    }
    return replace(
        filters,
        thread=tuple(roots.get(v, v) for v in filters.thread),
        exclude=tuple((f, roots.get(v, v) if f == "thread" else v) for f, v in filters.exclude),
    )


def _retention_series(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """Each item's retention series (items no schedule has classified have none)."""
    rows = session.execute(
        select(ItemRetention.item_id, ItemRetention.series_code).where(
            ItemRetention.item_id.in_(item_ids)
        )
    )
    return {item_id: code for item_id, code in rows}


def document(
    item: Item,
    account: Account,
    versions: Sequence[ItemVersion],
    timezone: str,
    *,
    series: str = "",
    hold: bool = False,
) -> IndexDocument:
    """The index document of one item: its current text, earlier versions' texts, and every
    field a clerk filters on."""
    earlier = _unique(v.text for v in versions if v.text and v.text != item.text)
    created = item.created_at or item.first_seen_at
    datas: list[dict[str, Any]] = [item.extra or {}, *(v.data or {} for v in versions)]
    handle = account.handle
    author_handle = item.author_handle.lstrip("@")
    values: dict[str, Any] = {
        "item_id": item.id,
        "text": item.text,
        "earlier_text": "\n".join(earlier),
        "platform": item.platform,
        "account": tuple(
            dict.fromkeys(
                [str(account.id), fold(handle), fold(f"{account.platform}:{handle}")]
                + ([fold(account.platform_account_id)] if account.platform_account_id else [])
            )
        ),
        "kind": item.kind,
        "author": " ".join(
            part
            for part in (
                item.author_name,
                author_handle,
                f"@{author_handle}" if author_handle else "",
                item.author_platform_id,
            )
            if part
        ),
        "created": created,
        "captured": item.first_seen_at,
        "date_tokens": tuple(date_tokens(local_date(created, timezone))),
        "hashtags": _tags(datas, "hashtags"),
        "mentions": _tags(datas, "mentions"),
        "state": item.state,
        "parent": str(item.parent_id) if item.parent_id else "",
        "thread": str(item.root_id or item.id),
        "series": fold(series),
        "hold": hold,
        "digest": "",
    }
    values["digest"] = _digest(values)
    return IndexDocument(**values)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _tags(datas: Iterable[dict[str, Any]], key: str) -> tuple[str, ...]:
    """Hashtags or mentions from the items' ``data``: strings or objects, without '#'/'@'."""
    found: list[str] = []
    for data in datas:
        for entry in data.get(key) or ():
            value = entry
            if isinstance(entry, dict):
                value = next((entry[k] for k in _TAG_KEYS if entry.get(k)), "")
            text = fold(str(value)).strip().lstrip("#@")
            if text and " " not in text:
                found.append(text)
    return tuple(sorted(set(found)))


def _digest(values: dict[str, Any]) -> str:
    material = {k: v for k, v in values.items() if k != "digest"}
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
