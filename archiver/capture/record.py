"""Feeding captured items into the archive: the seam to the ingest pipeline's recording.

``record_capture`` is the only function the capture runner calls to store items. The ingest
pipeline (``archiver.ingest``) owns item recording, change detection and missing-from-source for
exports and captures alike; until it is part of this build, the body below is a **minimal
adapter** with the same contract, to be replaced by a call to it:

- items may come in several calls sharing one ``capture_id`` (one per page); recording is
  idempotent, so a page recorded twice after a crash adds nothing;
- an item whose content hash differs from its latest version gets a new version (nothing is
  overwritten); an unchanged one only has its ``last_seen_at`` moved;
- the platform's hidden flag sets and clears the ``hidden`` state; an item seen again after
  being missing is active again;
- the call with ``complete=True`` closes the capture: every item of the account that an earlier
  capture of the same kind (API or web) had seen, and that this capture did not see, becomes
  ``missing_from_source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Capture, Item, ItemVersion, Media, WarcRecord
from archiver.sources.base import NormalizedItem

CAPTURE_STATES = ("active", "edited", "hidden", "missing_from_source")


@dataclass
class RecordCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    state_changed: int = 0

    def add(self, other: RecordCounts) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def record_capture(
    archive: Archive,
    actor: Actor,
    account: int,
    items: Iterable[NormalizedItem],
    complete: bool,
    capture_id: int,
) -> RecordCounts:
    """Record ``items`` of ``account`` (its id) observed by capture ``capture_id``."""
    actor.require("capture.run")
    items = list(items)
    with archive.unit() as session:
        capture = session.get(Capture, capture_id)
        assert capture is not None and capture.account_id == account
        batch = _Batch(session, account, capture_id, archive.clock())
        with session.no_autoflush:
            batch.preload(items)
            for item in items:
                batch.record(item)
            session.flush()
            batch.record_media()
        session.flush()
        counts = batch.counts
        # this call's items find their parents; the closing call (no items) links any reply
        # that was recorded before its parent
        _link_threads(session, account, list(batch.rows.values()) if items else None)
        if complete:
            counts.missing = _mark_missing(session, capture, batch.now)
        if counts.new or counts.changed or counts.missing or counts.state_changed:
            audit.record(
                session,
                actor,
                "capture.recorded",
                now=batch.now,
                object_type="capture",
                object_id=capture_id,
                details={"account_id": account, **counts.as_dict()},
            )
    return counts


@dataclass
class _Batch:
    """One call's items, with the rows they touch loaded in a few queries."""

    session: Session
    account: int
    capture_id: int
    now: datetime
    counts: RecordCounts = field(default_factory=RecordCounts)
    rows: dict[str, Item] = field(default_factory=dict)
    warc_ids: dict[str, int] = field(default_factory=dict)
    media_records: dict[str, WarcRecord] = field(default_factory=dict)
    versions: dict[str, list[ItemVersion]] = field(default_factory=dict)
    with_media: list[tuple[Item, NormalizedItem]] = field(default_factory=list)

    def preload(self, items: list[NormalizedItem]) -> None:
        ids = sorted({i.platform_id for i in items})
        sources = sorted({i.source.file for i in items if i.source.file})
        uris = sorted({m.uri for i in items for m in i.media})
        for chunk in _chunks(ids):
            rows = select(Item).where(Item.account_id == self.account, Item.platform_id.in_(chunk))
            self.rows.update((row.platform_id, row) for row in self.session.scalars(rows))
        by_id = {row.id: pid for pid, row in self.rows.items()}
        for chunk in _chunks(sorted(by_id)):
            known = select(ItemVersion).where(ItemVersion.item_id.in_(chunk))
            for version in self.session.scalars(known):
                self.versions.setdefault(by_id[version.item_id], []).append(version)
        for chunk in _chunks(sources):
            pairs = select(WarcRecord.record_id, WarcRecord.id).where(
                WarcRecord.record_id.in_(chunk)
            )
            self.warc_ids.update((key, value) for key, value in self.session.execute(pairs))
        for chunk in _chunks(uris):
            fetched = (
                select(WarcRecord)
                .where(
                    WarcRecord.capture_id == self.capture_id,
                    WarcRecord.record_type == "response",
                    WarcRecord.target_uri.in_(chunk),
                )
                .order_by(WarcRecord.id)
            )
            self.media_records.update((r.target_uri, r) for r in self.session.scalars(fetched))

    def record(self, item: NormalizedItem) -> None:
        digest = item.content_hash()
        row = self.rows.get(item.platform_id)
        if row is None:
            row = self._new_item(item, digest)
            self._add_version(row, 1, item, digest)
            self.with_media += [(row, item)] if item.media else []
            self.counts.new += 1
            return
        row.last_seen_at = self.now
        if _update_state(row, item, self.now):
            self.counts.state_changed += 1
        self.with_media += [(row, item)] if item.media else []
        seen = _same_version(self.versions.get(item.platform_id, []), row, item, digest)
        if seen is not None:
            seen.last_observed_at = self.now
            self.counts.unchanged += 1
            return
        row.version_count += 1
        row.content_hash, row.text = digest, item.text
        if row.state == "active":
            row.state, row.state_changed_at = "edited", self.now
        self._add_version(row, row.version_count, item, digest)
        self.counts.changed += 1

    def _new_item(self, item: NormalizedItem, digest: str) -> Item:
        row = Item(
            account_id=self.account,
            platform=item.platform,
            platform_id=item.platform_id,
            id_synthesized=item.id_synthesized,
            kind=item.kind,
            author_name=item.author_name,
            author_handle=item.author_handle,
            author_platform_id=item.author_platform_id,
            created_at=item.created_at,
            permalink=item.permalink,
            text=item.text,
            state="hidden" if item.state == "hidden" else "active",
            first_seen_at=self.now,
            last_seen_at=self.now,
            content_hash=digest,
            version_count=1,
            extra=_links(item),
        )
        self.session.add(row)
        self.rows[item.platform_id] = row
        return row

    def _add_version(self, row: Item, number: int, item: NormalizedItem, digest: str) -> None:
        data: dict[str, Any] = dict(item.data)
        data["media"] = [asdict(m) for m in item.media]
        version = ItemVersion(
            item=row,
            version_no=number,
            content_hash=digest,
            text=item.text,
            data=data,
            edited_at=item.edited_at,
            first_observed_at=self.now,
            last_observed_at=self.now,
            capture_id=self.capture_id,
            warc_record_id=self.warc_ids.get(item.source.file),
            source_position=item.source.position,
        )
        self.session.add(version)
        self.versions.setdefault(item.platform_id, []).append(version)

    def record_media(self) -> None:
        """After the flush that gave new items their ids."""
        for row, item in self.with_media:
            _record_media(self.session, row, item, self.media_records)


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _same_version(
    versions: list[ItemVersion], row: Item, item: NormalizedItem, digest: str
) -> ItemVersion | None:
    """The stored version this observation repeats: the latest one when the content is
    unchanged, or — for a platform that lists an item's versions (X edits), each with its
    ``edited_at`` — the older version with that content and time. Content that merely returns
    to an earlier text (an edit reverted) is a new version."""
    if digest == row.content_hash:
        return next((v for v in versions if v.version_no == row.version_count), None)
    if item.edited_at is None:
        return None
    return next(
        (v for v in versions if v.content_hash == digest and v.edited_at == item.edited_at), None
    )


def _record_media(
    session: Session, row: Item, item: NormalizedItem, fetched: dict[str, WarcRecord]
) -> None:
    """Media rows for the item's files, linked to the WARC response of this capture that holds
    their bytes (when it fetched them)."""
    for ref in item.media:
        media = session.scalars(
            select(Media).where(Media.item_id == row.id, Media.source_uri == ref.uri)
        ).first()
        if media is None:
            media = Media(
                item_id=row.id,
                kind=ref.kind,
                source_uri=ref.uri,
                mime_type=ref.mime_type,
                description=ref.description,
                sha256="",
            )
            session.add(media)
        stored = fetched.get(ref.uri)
        if stored is not None and media.warc_record_id != stored.id:
            media.warc_record_id = stored.id
            media.size, media.sha256 = stored.payload_length, stored.payload_sha256


def _update_state(row: Item, item: NormalizedItem, now: datetime) -> bool:
    if row.state not in CAPTURE_STATES:
        return False  # removed_by_city, destroyed…: decided in the archive, not by the platform
    wanted = row.state
    if item.state == "hidden":
        wanted = "hidden"
    elif row.state in ("hidden", "missing_from_source"):
        wanted = "edited" if row.version_count > 1 else "active"
    row.missing_since = None
    if wanted == row.state:
        return False
    row.state, row.state_changed_at = wanted, now
    return True


def _links(item: NormalizedItem) -> dict[str, Any]:
    return {
        "parent_platform_id": item.parent_platform_id,
        "root_platform_id": item.root_platform_id,
    }


def _link_threads(session: Session, account: int, rows: list[Item] | None) -> None:
    """Point replies at their parents and thread roots once both are recorded. ``rows``
    limits the work to those items; None looks at every unlinked item of the account."""
    if rows is None:
        rows = list(
            session.scalars(
                select(Item).where(Item.account_id == account, Item.parent_id.is_(None))
            )
        )
    loose = [r for r in rows if r.parent_id is None and (r.extra or {}).get("parent_platform_id")]
    wanted = sorted(
        {pid for row in loose for pid in (row.extra or {}).values() if isinstance(pid, str) and pid}
    )
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted):
        found = select(Item.platform_id, Item.id).where(
            Item.account_id == account, Item.platform_id.in_(chunk)
        )
        ids.update((key, value) for key, value in session.execute(found))
    for row in loose:
        extra = row.extra or {}
        row.parent_id = ids.get(extra.get("parent_platform_id") or "")
        row.root_id = ids.get(extra.get("root_platform_id") or "") or row.root_id


def _mark_missing(session: Session, capture: Capture, now: datetime) -> int:
    seen_by_kind = (
        select(ItemVersion.item_id)
        .join(Capture, Capture.id == ItemVersion.capture_id)
        .where(Capture.source_kind == capture.source_kind, Capture.id != capture.id)
    )
    vanished = session.scalars(
        select(Item).where(
            Item.account_id == capture.account_id,
            Item.state.in_(("active", "edited", "hidden")),
            Item.last_seen_at < capture.started_at,
            Item.id.in_(seen_by_kind),
        )
    ).all()
    for row in vanished:
        row.state, row.state_changed_at, row.missing_since = "missing_from_source", now, now
    return len(vanished)
