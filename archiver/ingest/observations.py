"""What an ingest records besides items: the original files, follower snapshots, and items a
complete export no longer contains."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from archiver.archive import WarcUnit
from archiver.db.models import (
    Capture,
    CaptureSource,
    FollowerSnapshot,
    Item,
    ItemVersion,
    WarcRecord,
)
from archiver.db.models import Follower as FollowerRow
from archiver.errors import IntegrityError
from archiver.ingest.store import CHUNK, KindCounts, SourceFile
from archiver.sources.base import FollowerList
from archiver.sources.files import ExportSource
from archiver.warc.store import Written

Progress = Callable[[str, int, int | None], None]
CONTENT_TYPES = {".json": "application/json", ".js": "application/javascript", ".csv": "text/csv"}


def export_uri(platform: str, export_digest: str, name: str) -> str:
    """The stable WARC-Target-URI of one file of an export: the same export gives the same URIs."""
    return f"urn:export:{platform}:{export_digest}:{quote(name, safe='/')}"


def content_type(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def store_files(
    unit: WarcUnit,
    export: ExportSource,
    capture: Capture,
    platform: str,
    progress: Progress | None = None,
) -> tuple[dict[str, SourceFile], int]:
    """Every file of the export as a WARC ``resource`` record, byte for byte; a file whose exact
    bytes the archive already holds points at that record instead of storing a copy. Returns
    the files by name, and how many were newly written."""
    session = unit.session
    names = export.names()
    have: dict[str, int] = {}
    for start in range(0, len(names), CHUNK):
        digests = {export.entry(n).sha256 for n in names[start : start + CHUNK]}
        for record_id, sha256, length in session.execute(
            select(WarcRecord.id, WarcRecord.payload_sha256, WarcRecord.payload_length).where(
                WarcRecord.payload_sha256.in_(digests), WarcRecord.record_type == "resource"
            )
        ):
            have.setdefault(f"{sha256}:{length}", record_id)
    stored: dict[str, SourceFile] = {}
    written, done, total = 0, 0, export.total_bytes
    waiting: list[tuple[str, Written]] = []  # written, registered in batches (one flush each)
    for name in names:
        entry = export.entry(name)
        key = f"{entry.sha256}:{entry.size}"
        if key not in have:
            with export.seekable(name) as stream:
                record = unit.writer.write_resource(
                    export_uri(platform, export.digest, name),
                    stream,
                    content_type=content_type(name),
                    length=entry.size,
                )
            if record.payload_sha256 != entry.sha256:
                raise IntegrityError(
                    f"{name} changed while it was being ingested (its SHA-256 differs from "
                    "the one measured when the export was opened)",
                    hint="Make sure nothing writes to the export folder, then ingest again.",
                )
            have[key] = -1
            waiting.append((key, record))
            written += 1
        stored[name] = SourceFile(name, entry.size, entry.sha256, have[key])
        done += entry.size
        if len(waiting) >= CHUNK:
            _register(unit, waiting, have)
        if progress:
            progress("storing files", done, total)
    _register(unit, waiting, have)
    stored = {
        n: SourceFile(f.name, f.size, f.sha256, have[f"{f.sha256}:{f.size}"])
        for n, f in stored.items()
    }
    session.execute(
        insert(CaptureSource),
        [
            {
                "capture_id": capture.id,
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "warc_record_id": f.warc_record_id,
            }
            for f in stored.values()
        ],
    )
    return stored, written


def _register(unit: WarcUnit, waiting: list[tuple[str, Written]], have: dict[str, int]) -> None:
    rows = unit.register(*(record for _key, record in waiting))
    for (key, _record), row in zip(waiting, rows, strict=True):
        have[key] = row.id
    waiting.clear()


def store_followers(
    session: Session,
    account_id: int,
    capture: Capture,
    lists: list[FollowerList],
    sources: dict[str, SourceFile],
    now: datetime,
) -> KindCounts:
    """A follower snapshot per list (an export's list of followers, or a capture's count
    alone, which has no follower rows), unless it equals the account's latest one."""
    counts = KindCounts()
    for followers in lists:
        digest = _followers_digest(followers)
        latest = session.scalars(
            select(FollowerSnapshot.content_hash)
            .where(FollowerSnapshot.account_id == account_id)
            .order_by(FollowerSnapshot.taken_at.desc(), FollowerSnapshot.id.desc())
            .limit(1)
        ).first()
        if latest == digest:
            counts.unchanged += 1
            continue
        source = sources.get(followers.source.file)
        snapshot = FollowerSnapshot(
            account_id=account_id,
            capture_id=capture.id,
            taken_at=followers.taken_at or now,
            follower_count=followers.total,
            content_hash=digest,
            warc_record_id=source.warc_record_id if source else None,
        )
        session.add(snapshot)
        session.flush()
        rows = [
            {
                "snapshot_id": snapshot.id,
                "name": f.name[:255],
                "handle": f.handle[:255],
                "platform_user_id": f.platform_user_id[:255],
                "followed_at": f.followed_at,
            }
            for f in followers.followers
        ]
        if rows:
            session.execute(insert(FollowerRow), rows)
        counts.new += 1
    return counts


def _followers_digest(followers: FollowerList) -> str:
    """What makes a snapshot distinct: the list (as before counts were kept), with the stated
    count when the source gives one."""
    listed = sorted(
        [f.name, f.handle, f.platform_user_id, f.followed_at.isoformat() if f.followed_at else ""]
        for f in followers.followers
    )
    material: object = listed
    if followers.count is not None:
        material = {"count": followers.count, "followers": listed}
    encoded = json.dumps(material, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def mark_missing(
    session: Session,
    account_id: int,
    family: str,
    now: datetime,
    *,
    seen_since: datetime | None = None,
) -> dict[str, list[int]]:
    """Items of the account once seen in a capture of this family (an export layout, or a live
    capture's ``<platform>-api``/``-web``) and not seen since ``seen_since`` (default ``now``: a
    capture that recorded over several runs passes its start): marked ``missing_from_source``
    with the time noticed. Nothing is deleted. Returns ids by kind."""
    seen_in_family = (
        select(ItemVersion.item_id)
        .join(Capture, Capture.id == ItemVersion.capture_id)
        .where(Capture.source_format.startswith(family, autoescape=True))
    )
    rows = session.execute(
        select(Item.id, Item.kind).where(
            Item.account_id == account_id,
            Item.state.in_(("active", "edited", "hidden")),
            Item.last_seen_at < (seen_since or now),
            Item.id.in_(seen_in_family),
        )
    ).all()
    by_kind: dict[str, list[int]] = {}
    for item_id, kind in rows:
        by_kind.setdefault(kind, []).append(item_id)
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(Item)
            .where(Item.id.in_(ids[start : start + CHUNK]))
            .values(state="missing_from_source", missing_since=now, state_changed_at=now)
        )
    return by_kind
