"""Recording normalized items: new items, new versions, what was seen again, and what is gone.

Rules (docs/ingest.md):
- An item is identified by (account, platform id).
- A version is a distinct ``NormalizedItem.content_hash()``: text, author, parent, media and the
  non-volatile ``data``. Counts under ``data["metrics"]`` and edit times do not make a version.
  An observation with the latest version's content is that version observed again. One with an
  earlier version's content is that version observed again only when the source dates its
  versions and the dates agree (``edited_at``: X's edit chains, Facebook's edit history), so
  re-reading an export that lists several versions of a post adds nothing; otherwise the
  content came back (an edit reverted) and is a new version.
- The item's state follows the source for ``hidden`` and ``deleted_by_author``; a new version of
  an active item whose text changed makes it ``edited`` (the same text seen through another
  source format, with other fields, is a new version but no edit); an item seen again after
  being missing gets its state back. States set by the City (``removed_by_city``,
  ``destroyed``...) are never changed here.

Items are written in batches with one multi-row INSERT or UPDATE per table, so the work per item
is a hash and a few dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from archiver.db.models import Capture, Item, ItemVersion, Media
from archiver.sources.base import NormalizedItem

CHUNK = 500
# Core tables: executemany through Core is several times faster than the ORM's bulk paths.
ITEMS = cast(Table, Item.__table__)
VERSIONS = cast(Table, ItemVersion.__table__)
MEDIA = cast(Table, Media.__table__)
SOURCE_STATES = ("active", "hidden", "deleted_by_author")
OPEN_STATES = ("active", "edited", "hidden", "missing_from_source")
CITY_STATES = ("removed_by_city", "removed_by_platform", "destroyed")
THREAD_KINDS = ("comment", "reply")
LINK_KEYS = ("parent_platform_id", "root_platform_id")


@dataclass
class KindCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    reappeared: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class SourceFile:
    """Where one file of the export is in the archive."""

    name: str
    size: int
    sha256: str
    warc_record_id: int


@dataclass
class _Known:
    """An item as this batch sees it: from the database, or new in this ingest."""

    id: int | None
    kind: str
    state: str
    content_hash: str
    version_count: int
    latest: int | None  # the latest version's row id (None: written this batch)
    # (content hash, edited_at) of every version -> its row id (None: written this batch)
    hashes: dict[tuple[str, datetime | None], int | None]
    outcome: str = "unchanged"  # new | changed | unchanged
    row: dict[str, Any] = field(default_factory=dict)  # new or changed columns of the item
    reappeared: bool = False
    parent: str | None = None  # platform ids of the thread links of a new item
    root: str | None = None
    text: str = ""  # the current version's text: a new version is an edit only if this changes


class ItemStore:
    """Adds a stream of normalized items to the archive, in batches."""

    def __init__(
        self,
        session: Session,
        capture: Capture,
        now: datetime,
        sources: dict[str, SourceFile],
        *,
        batch_size: int = 1000,
    ) -> None:
        self.session = session
        self.capture = capture
        self.now = now
        self.sources = sources
        self.batch_size = batch_size
        self.counts: dict[str, KindCounts] = {}
        self.changed_ids: list[int] = []
        self.seen_accounts: set[int] = set()
        self._pending: list[tuple[int, NormalizedItem]] = []
        self._recent: dict[tuple[int, str], int] = {}
        self._unresolved: list[tuple[int, int, str | None, str | None]] = []

    # -- intake ------------------------------------------------------------------------------
    def add(self, account_id: int, item: NormalizedItem) -> None:
        if len(self._pending) >= self.batch_size:
            last_account, last = self._pending[-1]
            if (last_account, last.platform_id) != (account_id, item.platform_id):
                self.flush()  # never split the versions of one item across two batches
        self._pending.append((account_id, item))
        self.seen_accounts.add(account_id)

    def finish(self) -> None:
        self.flush()
        self._link_unresolved()
        for account_id in sorted(self.seen_accounts):
            link_waiting(self.session, account_id)

    def count(self, kind: str) -> KindCounts:
        return self.counts.setdefault(kind, KindCounts())

    # -- one batch ---------------------------------------------------------------------------
    def flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        known = self._load(batch)
        versions: list[tuple[tuple[int, str], NormalizedItem, int, str]] = []  # + number, hash
        observed: list[int] = []
        fetched: list[tuple[int, str]] = []  # media of items seen again whose bytes are here
        for account_id, item in batch:
            key = (account_id, item.platform_id)
            digest = item.content_hash()
            entry = known.get(key)
            if entry is None:
                entry = _Known(
                    None, item.kind, item.state, digest, 1, None, {(digest, item.edited_at): None},
                    "new",
                )  # fmt: skip
                entry.text = item.text
                entry.row = _item_row(account_id, item, digest, self.now)
                entry.parent, entry.root = item.parent_platform_id, item.root_platform_id
                known[key] = entry
                versions.append((key, item, 1, digest))
                continue
            if digest == entry.content_hash or (
                item.edited_at is not None and (digest, item.edited_at) in entry.hashes
            ):
                version_id = (
                    entry.latest
                    if digest == entry.content_hash
                    else entry.hashes[(digest, item.edited_at)]
                )
                if version_id is not None:
                    observed.append(version_id)
                if entry.id is not None:
                    fetched += [(entry.id, m.uri) for m in item.media if m.uri in self.sources]
                self._follow_state(entry, item)
                continue
            entry.version_count += 1
            entry.hashes[(digest, item.edited_at)] = None
            entry.latest = None
            entry.content_hash = digest
            versions.append((key, item, entry.version_count, digest))
            entry.row.update(_content_columns(item, digest))
            entry.row["version_count"] = entry.version_count
            if entry.outcome != "new":
                entry.outcome = "changed"
            if entry.state in ("active", "missing_from_source") and item.text != entry.text:
                self._set_state(entry, "edited")  # the same text from another source is no edit
            entry.text = item.text
            self._follow_state(entry, item)
        self._write(known, versions, observed)
        self._link_media(fetched)

    def _follow_state(self, entry: _Known, item: NormalizedItem) -> None:
        if entry.state in CITY_STATES or entry.state == "deleted_by_author":
            return
        if entry.state == "missing_from_source":
            entry.reappeared = True
            self._set_state(entry, "edited" if entry.version_count > 1 else "active")
            entry.row["missing_since"] = None
        if item.state in ("hidden", "deleted_by_author") and entry.state != item.state:
            self._set_state(entry, item.state)
        elif item.state == "active" and entry.state == "hidden":
            self._set_state(entry, "edited" if entry.version_count > 1 else "active")

    def _set_state(self, entry: _Known, state: str) -> None:
        if entry.state == state:
            return
        entry.state = state
        entry.row["state"] = state
        if entry.outcome != "new":
            entry.row["state_changed_at"] = self.now
            if entry.outcome == "unchanged":
                entry.outcome = "changed"

    def _load(self, batch: Sequence[tuple[int, NormalizedItem]]) -> dict[tuple[int, str], _Known]:
        keys = {(a, i.platform_id) for a, i in batch}
        known: dict[tuple[int, str], _Known] = {}
        by_account: dict[int, list[str]] = {}
        for account_id, platform_id in keys:
            by_account.setdefault(account_id, []).append(platform_id)
        for account_id, platform_ids in by_account.items():
            for chunk in _chunks(platform_ids, CHUNK):
                rows = self.session.execute(
                    select(
                        Item.id,
                        Item.platform_id,
                        Item.kind,
                        Item.state,
                        Item.content_hash,
                        Item.version_count,
                        Item.text,
                    ).where(Item.account_id == account_id, Item.platform_id.in_(chunk))
                )
                for row in rows:
                    known[(account_id, row.platform_id)] = _Known(
                        row.id,
                        row.kind,
                        row.state,
                        row.content_hash,
                        row.version_count,
                        None,
                        {},
                        text=row.text,
                    )
        by_id = {k.id: k for k in known.values() if k.id is not None}
        for chunk in _chunks(list(by_id), CHUNK):
            for item_id, digest, edited_at, number, version_id in self.session.execute(
                select(
                    ItemVersion.item_id,
                    ItemVersion.content_hash,
                    ItemVersion.edited_at,
                    ItemVersion.version_no,
                    ItemVersion.id,
                ).where(ItemVersion.item_id.in_(chunk))
            ):
                entry = by_id[item_id]
                entry.hashes[(digest, edited_at)] = version_id
                if number == entry.version_count:
                    entry.latest = version_id
        return known

    def _write(
        self,
        known: dict[tuple[int, str], _Known],
        versions: list[tuple[tuple[int, str], NormalizedItem, int, str]],
        observed: list[int],
    ) -> None:
        self._insert_new(known)
        changed = [e for e in known.values() if e.outcome == "changed"]
        if changed:
            rows = [dict(e.row, id=e.id, last_seen_at=self.now) for e in changed]
            for group in _same_keys(rows):
                self._update_by_id(group)
        untouched = [e.id for e in known.values() if e.outcome == "unchanged" and e.id]
        for chunk in _chunks(untouched, CHUNK):
            self.session.execute(
                update(Item).where(Item.id.in_(chunk)).values(last_seen_at=self.now)
            )
        for chunk in _chunks(observed, CHUNK):
            self.session.execute(
                update(ItemVersion)
                .where(ItemVersion.id.in_(chunk))
                .values(last_observed_at=self.now)
            )
        self._write_versions(known, versions)
        for entry in known.values():
            counts = self.count(entry.kind)
            setattr(counts, entry.outcome, getattr(counts, entry.outcome) + 1)
            if entry.reappeared:
                counts.reappeared += 1
            if entry.outcome != "unchanged" and entry.id is not None:
                self.changed_ids.append(entry.id)
        self._recent.update({k: e.id for k, e in known.items() if e.id is not None})
        if len(self._recent) > 50_000:
            self._recent.clear()

    def _write_versions(
        self,
        known: dict[tuple[int, str], _Known],
        versions: list[tuple[tuple[int, str], NormalizedItem, int, str]],
    ) -> None:
        if not versions:
            return
        rows, media = [], []
        existing_media = self._existing_media(
            [i for k, _item, n, _h in versions if n > 1 and (i := known[k].id) is not None]
        )
        for key, item, number, digest in versions:
            item_id = known[key].id
            assert item_id is not None
            source = self.sources.get(item.source.file)
            rows.append(
                {
                    "item_id": item_id,
                    "version_no": number,
                    "content_hash": digest,
                    "text": item.text,
                    "data": _version_data(item),
                    "edited_at": item.edited_at,
                    "first_observed_at": self.now,
                    "last_observed_at": self.now,
                    "capture_id": self.capture.id,
                    "warc_record_id": source.warc_record_id if source else None,
                    "source_position": item.source.position,
                }
            )
            for ref in item.media:
                if (item_id, ref.uri) in existing_media or not ref.uri:
                    continue
                existing_media.add((item_id, ref.uri))
                stored = self.sources.get(ref.uri)
                media.append(
                    {
                        "item_id": item_id,
                        "kind": ref.kind,
                        "source_uri": ref.uri,
                        "mime_type": ref.mime_type,
                        "size": stored.size if stored else None,
                        "sha256": stored.sha256 if stored else "",
                        "description": ref.description,
                        "warc_record_id": stored.warc_record_id if stored else None,
                    }
                )
        self.session.execute(insert(VERSIONS), rows)
        if media:
            self.session.execute(insert(MEDIA), media)

    def _link_media(self, fetched: list[tuple[int, str]]) -> None:
        """Media rows without their bytes (a capture that could not fetch them), linked to the
        file or response that now holds them."""
        wanted = set(fetched)
        rows = []
        for chunk in _chunks(sorted({i for i, _uri in wanted}), CHUNK):
            for media_id, item_id, uri in self.session.execute(
                select(Media.id, Media.item_id, Media.source_uri).where(
                    Media.item_id.in_(chunk), Media.warc_record_id.is_(None)
                )
            ):
                if (item_id, uri) in wanted:
                    stored = self.sources[uri]
                    rows.append(
                        {
                            "_id": media_id,
                            "_warc": stored.warc_record_id,
                            "_size": stored.size,
                            "_sha256": stored.sha256,
                        }
                    )
        if rows:
            self.session.execute(
                update(MEDIA)
                .where(MEDIA.c.id == bindparam("_id"))
                .values(
                    warc_record_id=bindparam("_warc"),
                    size=bindparam("_size"),
                    sha256=bindparam("_sha256"),
                ),
                rows,
            )

    def _existing_media(self, item_ids: list[int]) -> set[tuple[int, str]]:
        found: set[tuple[int, str]] = set()
        for chunk in _chunks(item_ids, CHUNK):
            found.update(
                (row.item_id, row.source_uri)
                for row in self.session.execute(
                    select(Media.item_id, Media.source_uri).where(Media.item_id.in_(chunk))
                )
            )
        return found

    # -- threads -----------------------------------------------------------------------------
    def _insert_new(self, known: dict[tuple[int, str], _Known]) -> None:
        """Insert new items parents first (posts, then comments, then replies: one multi-row
        INSERT per generation), so each row is written with its thread links already set."""
        pending = {k: e for k, e in known.items() if e.outcome == "new"}
        ids = {k: e.id for k, e in known.items() if e.id is not None}
        while pending:
            ready = [
                (k, e)
                for k, e in pending.items()
                if (k[0], e.parent) not in pending and (k[0], e.root) not in pending
            ] or list(pending.items())  # a cycle in the source: write the rest, link later
            rows = []
            for (account_id, _pid), entry in ready:
                parent = self._lookup(ids, account_id, entry.parent)
                root = self._lookup(ids, account_id, entry.root)
                rows.append(entry.row | {"parent_id": parent, "root_id": root})
            # A plain executemany and a SELECT of the new ids: RETURNING over many rows makes
            # a statement text per batch size, and SQLite keeps each prepared (memory grows).
            self.session.execute(insert(ITEMS), rows)
            for account_id in {k[0] for k, _e in ready}:
                names = [k[1] for k, _e in ready if k[0] == account_id]
                for chunk in _chunks(names, CHUNK):
                    for item_id, platform_id in self.session.execute(
                        select(ITEMS.c.id, ITEMS.c.platform_id).where(
                            ITEMS.c.account_id == account_id, ITEMS.c.platform_id.in_(chunk)
                        )
                    ):
                        ids[(account_id, platform_id)] = item_id
                        known[(account_id, platform_id)].id = item_id
            for (account_id, _pid), entry in ready:
                del pending[(account_id, _pid)]
                assert entry.id is not None
                parent_missing = entry.parent and not self._lookup(ids, account_id, entry.parent)
                root_missing = entry.root and not self._lookup(ids, account_id, entry.root)
                if parent_missing or root_missing:
                    self._unresolved.append((entry.id, account_id, entry.parent, entry.root))

    def _update_by_id(self, rows: list[dict[str, Any]]) -> None:
        _update_items(self.session, rows)

    def _lookup(
        self, ids: Mapping[tuple[int, str], int], account_id: int, platform_id: str | None
    ) -> int | None:
        if not platform_id:
            return None
        key = (account_id, platform_id)
        return ids.get(key) or self._recent.get(key)

    def _link_unresolved(self) -> None:
        """Parents that were not in the same or a recent batch: look them up in the archive."""
        pending = self._unresolved
        self._unresolved = []
        for chunk in _chunks(pending, CHUNK):
            wanted = {(a, p) for _i, a, parent, root in chunk for p in (parent, root) if p}
            ids: dict[tuple[int, str], int | None] = {}
            for account_id in {a for a, _p in wanted}:
                names = [p for a, p in wanted if a == account_id]
                for row in self.session.execute(
                    select(Item.id, Item.platform_id).where(
                        Item.account_id == account_id, Item.platform_id.in_(names)
                    )
                ):
                    ids[(account_id, row.platform_id)] = row.id
            updates = [
                {
                    "id": item_id,
                    "parent_id": ids.get((account_id, parent)) if parent else None,
                    "root_id": ids.get((account_id, root)) if root else None,
                }
                for item_id, account_id, parent, root in chunk
            ]
            updates = [u for u in updates if u["parent_id"] or u["root_id"]]
            if updates:
                self._update_by_id(updates)


def link_waiting(session: Session, account_id: int) -> int:
    """Comments and replies recorded before the item they answer (on an earlier page of a
    capture, in an earlier export), linked once that item is in the archive. Returns how many
    were linked."""
    waiting = session.execute(
        select(ITEMS.c.id, ITEMS.c.parent_id, ITEMS.c.root_id, ITEMS.c.extra).where(
            ITEMS.c.account_id == account_id,
            ITEMS.c.kind.in_(THREAD_KINDS),
            (ITEMS.c.parent_id.is_(None)) | (ITEMS.c.root_id.is_(None)),
        )
    ).all()
    wanted = sorted(
        {str(pid) for row in waiting for key in LINK_KEYS if (pid := (row.extra or {}).get(key))}
    )
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted, CHUNK):
        ids.update(
            (platform_id, item_id)
            for item_id, platform_id in session.execute(
                select(ITEMS.c.id, ITEMS.c.platform_id).where(
                    ITEMS.c.account_id == account_id, ITEMS.c.platform_id.in_(chunk)
                )
            )
        )
    updates = []
    for row in waiting:
        extra = row.extra or {}
        parent = row.parent_id or ids.get(str(extra.get("parent_platform_id") or ""))
        root = row.root_id or ids.get(str(extra.get("root_platform_id") or ""))
        if (parent, root) != (row.parent_id, row.root_id):
            updates.append({"id": row.id, "parent_id": parent, "root_id": root})
    if updates:
        _update_items(session, updates)
    return len(updates)


def _update_items(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE of items by id; every row has the same keys."""
    columns = [k for k in rows[0] if k != "id"]
    statement = (
        update(ITEMS)
        .where(ITEMS.c.id == bindparam("_id"))
        .values({c: bindparam(f"_{c}") for c in columns})
    )
    session.execute(statement, [{f"_{k}": v for k, v in r.items()} for r in rows])


def _item_row(account_id: int, item: NormalizedItem, digest: str, now: datetime) -> dict[str, Any]:
    row = {
        "account_id": account_id,
        "platform": item.platform,
        "platform_id": item.platform_id,
        "id_synthesized": item.id_synthesized,
        "kind": item.kind,
        "created_at": item.created_at,
        "state": item.state if item.state in SOURCE_STATES else "active",
        "state_changed_at": None,
        "first_seen_at": now,
        "last_seen_at": now,
        "missing_since": None,
        "version_count": 1,
        # the thread links by platform id, so that a reply recorded before its parent is
        # linked when the parent arrives (link_waiting)
        "extra": {
            key: value
            for key, value in zip(
                LINK_KEYS, (item.parent_platform_id, item.root_platform_id), strict=True
            )
            if value
        },
        **_content_columns(item, digest),
    }
    return row


def _content_columns(item: NormalizedItem, digest: str) -> dict[str, Any]:
    return {
        "author_name": item.author_name[:255],
        "author_handle": item.author_handle[:255],
        "author_platform_id": item.author_platform_id[:255],
        "permalink": item.permalink,
        "text": item.text,
        "content_hash": digest,
    }


def _version_data(item: NormalizedItem) -> dict[str, Any]:
    data = dict(item.data)
    if item.media:
        data["media"] = [
            {"uri": m.uri, "kind": m.kind, "description": m.description} for m in item.media
        ]
    if item.parent_platform_id:
        data["parent_platform_id"] = item.parent_platform_id
    return data


def _same_keys(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Group rows by their key sets (one executemany per shape of UPDATE)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    yield from groups.values()


def _chunks(values: Sequence[Any] | Iterable[Any], size: int) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
