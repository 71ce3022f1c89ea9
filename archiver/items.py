"""Looking at archived items: a filtered list, and one item with every version, its provenance
(which capture, which file and position) and where its bytes are in the WARC files."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.accounts import find_account
from archiver.archive import Archive
from archiver.db.models import (
    ITEM_KINDS,
    ITEM_STATES,
    Capture,
    CaptureSource,
    Item,
    ItemVersion,
    Media,
)
from archiver.db.models import WarcRecord as WarcRecordRow
from archiver.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class ItemSummary:
    id: int
    account: str
    platform: str
    platform_id: str
    kind: str
    state: str
    created_at: str
    author: str
    text: str
    versions: int
    parent_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WarcLocation:
    file: str
    offset: int
    length: int
    record_id: str
    target_uri: str
    payload_sha256: str


@dataclass(frozen=True)
class VersionView:
    version_no: int
    content_hash: str
    text: str
    data: dict[str, Any]
    edited_at: str
    first_observed_at: str
    last_observed_at: str
    capture_id: int
    capture: dict[str, Any]
    source_file: str
    source_position: str
    warc: WarcLocation | None


@dataclass(frozen=True)
class MediaView:
    kind: str
    source_uri: str
    mime_type: str
    size: int | None
    sha256: str
    description: str
    warc: WarcLocation | None


@dataclass(frozen=True)
class ItemDetail:
    item: ItemSummary
    permalink: str
    id_synthesized: bool
    author_handle: str
    author_platform_id: str
    root_id: int | None
    first_seen_at: str
    last_seen_at: str
    missing_since: str
    state_changed_at: str
    versions: list[VersionView] = field(default_factory=list)
    media: list[MediaView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _summary(item: Item) -> ItemSummary:
    return ItemSummary(
        id=item.id,
        account=f"{item.account.platform}:{item.account.handle}",
        platform=item.platform,
        platform_id=item.platform_id,
        kind=item.kind,
        state=item.state,
        created_at=_iso(item.created_at),
        author=item.author_name or item.author_handle,
        text=item.text,
        versions=item.version_count,
        parent_id=item.parent_id,
    )


def list_items(
    archive: Archive,
    *,
    account: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ItemSummary]:
    """Items, newest first, filtered by account, kind and state."""
    if kind and kind not in ITEM_KINDS:
        raise InvalidInput(f"kind {kind!r} is not one of {', '.join(ITEM_KINDS)}")
    if state and state not in ITEM_STATES:
        raise InvalidInput(f"state {state!r} is not one of {', '.join(ITEM_STATES)}")
    with archive.db.read() as session:
        query = select(Item)
        if account:
            query = query.where(Item.account_id == find_account(session, account).id)
        if kind:
            query = query.where(Item.kind == kind)
        if state:
            query = query.where(Item.state == state)
        query = query.order_by(Item.created_at.desc(), Item.id.desc()).limit(limit).offset(offset)
        return [_summary(i) for i in session.scalars(query)]


def show_item(archive: Archive, item_id: int) -> ItemDetail:
    with archive.db.read() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise NotFound(f"no item {item_id}", hint="See `archiver items list`.")
        versions = session.scalars(
            select(ItemVersion)
            .where(ItemVersion.item_id == item.id)
            .order_by(ItemVersion.version_no)
        ).all()
        media = session.scalars(select(Media).where(Media.item_id == item.id)).all()
        return ItemDetail(
            item=_summary(item),
            permalink=item.permalink,
            id_synthesized=item.id_synthesized,
            author_handle=item.author_handle,
            author_platform_id=item.author_platform_id,
            root_id=item.root_id,
            first_seen_at=_iso(item.first_seen_at),
            last_seen_at=_iso(item.last_seen_at),
            missing_since=_iso(item.missing_since),
            state_changed_at=_iso(item.state_changed_at),
            versions=[_version(session, v) for v in versions],
            media=[
                MediaView(
                    kind=m.kind,
                    source_uri=m.source_uri,
                    mime_type=m.mime_type,
                    size=m.size,
                    sha256=m.sha256,
                    description=m.description,
                    warc=_location(session, m.warc_record_id),
                )
                for m in media
            ],
        )


def _version(session: Session, version: ItemVersion) -> VersionView:
    capture = session.get(Capture, version.capture_id)
    assert capture is not None
    location = _location(session, version.warc_record_id)
    source_file = ""
    if version.warc_record_id is not None:
        source_file = (
            session.scalars(
                select(CaptureSource.name).where(
                    CaptureSource.capture_id == capture.id,
                    CaptureSource.warc_record_id == version.warc_record_id,
                )
            ).first()
            or ""
        )
    return VersionView(
        version_no=version.version_no,
        content_hash=version.content_hash,
        text=version.text,
        data=dict(version.data or {}),
        edited_at=_iso(version.edited_at),
        first_observed_at=_iso(version.first_observed_at),
        last_observed_at=_iso(version.last_observed_at),
        capture_id=capture.id,
        capture={
            "source_kind": capture.source_kind,
            "source_format": capture.source_format,
            "source_path": capture.source_path,
            "complete": capture.complete,
            "operator": capture.operator,
            "tool_version": capture.tool_version,
            "started_at": _iso(capture.started_at),
        },
        source_file=source_file,
        source_position=version.source_position,
        warc=location,
    )


def _location(session: Session, record_id: int | None) -> WarcLocation | None:
    if record_id is None:
        return None
    row = session.get(WarcRecordRow, record_id)
    if row is None:
        return None
    return WarcLocation(
        file=row.warc_file.name,
        offset=row.offset,
        length=row.length,
        record_id=row.record_id,
        target_uri=row.target_uri,
        payload_sha256=row.payload_sha256,
    )
