"""Putting items into a real archive for tests: accounts, a capture, its original export file as
a WARC resource record, and items whose versions point at it (or at a record of their own)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from archiver.accounts import add_account
from archiver.archive import Archive
from archiver.config import AccountSpec
from archiver.db.models import Account, Capture, CaptureSource, Item, ItemVersion
from tests.conftest import actor


@dataclass(frozen=True)
class Post:
    platform_id: str
    text: str
    created_at: datetime | None
    kind: str = "post"
    state: str = "active"
    parent: str = ""  # platform_id of the item it replies to
    author: str = ""


@dataclass
class Export:
    capture_id: int
    export_record_id: str  # WARC-Record-ID of the original export file
    items: dict[str, int] = field(default_factory=dict)  # platform_id -> item id
    item_records: dict[str, str] = field(default_factory=dict)  # platform_id -> own record


def account(
    archive: Archive,
    handle: str,
    *,
    platform: str = "facebook",
    kind: str = "official",
    administrators: tuple[str, ...] = (),
) -> int:
    view = add_account(
        archive,
        actor("records"),
        AccountSpec(platform=platform, handle=handle, kind=kind, administrators=administrators),
    )
    return view.id


def when(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def ingest(
    archive: Archive,
    account_id: int,
    posts: list[Post],
    *,
    own_records: bool = False,
    captured: datetime | None = None,
) -> Export:
    """One capture: the export file as a resource record; each item's version points at it, or
    (``own_records``) at a resource record of its own plus a metadata record referring to it."""
    now = captured or archive.clock()
    with archive.unit() as session:
        capture = Capture(
            account_id=account_id,
            source_kind="export",
            source_format="test-json",
            source_path="export.json",
            complete=True,
            operator="records",
            tool_version="test",
            started_at=now,
            finished_at=now,
            outcome="succeeded",
            counts={},
        )
        session.add(capture)
        session.flush()
        capture_id = capture.id
    body = json.dumps([p.__dict__ for p in posts], default=str, ensure_ascii=False).encode()
    with archive.warc_unit(actor("records"), capture_id=capture_id) as unit:
        session = unit.session
        platform = session.get(Account, account_id).platform  # type: ignore[union-attr]
        export = unit.writer.write_resource(
            f"urn:archiver:export:{capture_id}/export.json", body, content_type="application/json"
        )
        (export_row,) = unit.register(export)
        session.add(
            CaptureSource(
                capture_id=capture_id,
                name="export.json",
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                warc_record_id=export_row.id,
            )
        )
        result = Export(capture_id, export.record_id)
        for post in posts:
            record_row = export_row
            if own_records:
                data = json.dumps(post.__dict__, default=str).encode()
                own = unit.writer.write_resource(
                    f"urn:archiver:item:{platform}/{post.platform_id}", data
                )
                meta = unit.writer.write_metadata(
                    f"urn:archiver:meta:{post.platform_id}",
                    b'{"via":"test"}',
                    refers_to=own.record_id,
                )
                record_row, _meta = unit.register(own, meta)
                result.item_records[post.platform_id] = own.record_id
            parent = result.items.get(post.parent) if post.parent else None
            digest = hashlib.sha256(post.text.encode()).hexdigest()
            item = Item(
                account_id=account_id,
                platform=platform,
                platform_id=post.platform_id,
                kind=post.kind,
                parent_id=parent,
                root_id=parent,
                author_name=post.author,
                created_at=post.created_at,
                text=post.text,
                state=post.state,
                state_changed_at=post.created_at if post.state != "active" else None,
                first_seen_at=now,
                last_seen_at=now,
                content_hash=digest,
                extra={},
            )
            session.add(item)
            session.flush()
            session.add(
                ItemVersion(
                    item_id=item.id,
                    version_no=1,
                    content_hash=digest,
                    text=post.text,
                    data={},
                    first_observed_at=now,
                    last_observed_at=now,
                    capture_id=capture_id,
                    warc_record_id=record_row.id,
                    source_position=post.platform_id,
                )
            )
            result.items[post.platform_id] = item.id
    return result


def item_ids(archive: Archive) -> set[int]:
    with archive.db.read() as session:
        return set(session.scalars(select(Item.id)))
