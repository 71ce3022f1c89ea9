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

from collections.abc import Iterable
from dataclasses import asdict, dataclass
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
    counts = RecordCounts()
    with archive.unit() as session:
        now = archive.clock()
        capture = session.get(Capture, capture_id)
        assert capture is not None and capture.account_id == account
        for item in items:
            _record_one(session, account, capture_id, item, now, counts)
        session.flush()
        _link_threads(session, account)
        if complete:
            counts.missing = _mark_missing(session, capture, now)
        if counts.new or counts.changed or counts.missing or counts.state_changed:
            audit.record(
                session,
                actor,
                "capture.recorded",
                now=now,
                object_type="capture",
                object_id=capture_id,
                details={"account_id": account, **counts.as_dict()},
            )
    return counts


def _record_one(
    session: Session,
    account: int,
    capture_id: int,
    item: NormalizedItem,
    now: datetime,
    counts: RecordCounts,
) -> None:
    row = session.scalars(
        select(Item).where(Item.account_id == account, Item.platform_id == item.platform_id)
    ).first()
    digest = item.content_hash()
    if row is None:
        row = Item(
            account_id=account,
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
            first_seen_at=now,
            last_seen_at=now,
            content_hash=digest,
            version_count=1,
            extra=_links(item),
        )
        session.add(row)
        session.flush()
        session.add(_version(row, 1, item, digest, capture_id, now, session))
        _record_media(session, row, item, capture_id)
        counts.new += 1
        return
    row.last_seen_at = now
    if _update_state(row, item, now):
        counts.state_changed += 1
    _record_media(session, row, item, capture_id)
    seen = _same_version(session, row, item, digest)
    if seen is not None:
        seen.last_observed_at = now
        counts.unchanged += 1
        return
    row.version_count += 1
    row.content_hash, row.text = digest, item.text
    if row.state == "active":
        row.state, row.state_changed_at = "edited", now
    session.add(_version(row, row.version_count, item, digest, capture_id, now, session))
    counts.changed += 1


def _same_version(
    session: Session, row: Item, item: NormalizedItem, digest: str
) -> ItemVersion | None:
    """The stored version this observation repeats: the latest one when the content is
    unchanged, or — for a platform that lists an item's versions (X edits), each with its
    ``edited_at`` — the older version with that content and time. Content that merely returns
    to an earlier text (an edit reverted) is a new version."""
    query = select(ItemVersion).where(ItemVersion.item_id == row.id)
    if digest == row.content_hash:
        return session.scalars(query.where(ItemVersion.version_no == row.version_count)).one()
    if item.edited_at is None:
        return None
    return session.scalars(
        query.where(ItemVersion.content_hash == digest, ItemVersion.edited_at == item.edited_at)
    ).first()


def _record_media(session: Session, row: Item, item: NormalizedItem, capture_id: int) -> None:
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
        stored = session.scalars(
            select(WarcRecord)
            .where(
                WarcRecord.capture_id == capture_id,
                WarcRecord.target_uri == ref.uri,
                WarcRecord.record_type == "response",
            )
            .order_by(WarcRecord.id.desc())
            .limit(1)
        ).first()
        if stored is not None and media.warc_record_id != stored.id:
            media.warc_record_id = stored.id
            media.size, media.sha256 = stored.payload_length, stored.payload_sha256
            media.mime_type = media.mime_type or ref.mime_type


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


def _version(
    row: Item,
    number: int,
    item: NormalizedItem,
    digest: str,
    capture_id: int,
    now: datetime,
    session: Session,
) -> ItemVersion:
    warc = session.scalars(
        select(WarcRecord.id).where(WarcRecord.record_id == item.source.file)
    ).first()
    data: dict[str, Any] = dict(item.data)
    data["media"] = [asdict(m) for m in item.media]
    return ItemVersion(
        item_id=row.id,
        version_no=number,
        content_hash=digest,
        text=item.text,
        data=data,
        edited_at=item.edited_at,
        first_observed_at=now,
        last_observed_at=now,
        capture_id=capture_id,
        warc_record_id=warc,
        source_position=item.source.position,
    )


def _links(item: NormalizedItem) -> dict[str, Any]:
    return {
        "parent_platform_id": item.parent_platform_id,
        "root_platform_id": item.root_platform_id,
    }


def _link_threads(session: Session, account: int) -> None:
    """Point replies at their parents once both are recorded (in any order, any call)."""
    loose = session.scalars(
        select(Item).where(Item.account_id == account, Item.parent_id.is_(None))
    ).all()
    wanted = {
        pid for row in loose for pid in (row.extra or {}).values() if isinstance(pid, str) and pid
    }
    if not wanted:
        return
    ids = dict(
        session.execute(
            select(Item.platform_id, Item.id).where(
                Item.account_id == account, Item.platform_id.in_(wanted)
            )
        ).all()
    )
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
