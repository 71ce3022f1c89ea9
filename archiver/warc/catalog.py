"""The SQL side of the WARC store: which files and records exist, and where."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver.db.models import WarcFile, WarcRecord
from archiver.warc.store import Locator, Written


def appendable_file(session: Session, directory_sizes: dict[str, int]) -> str | None:
    """The newest open file whose size on disk is exactly the end of its last registered record:
    safe to append to. A file with unregistered bytes at its end (a crash) is left alone."""
    newest = session.scalars(
        select(WarcFile).where(WarcFile.closed_at.is_(None)).order_by(WarcFile.id.desc()).limit(1)
    ).first()
    if newest is None or newest.name not in directory_sizes:
        return None
    end = session.scalar(
        select(func.max(WarcRecord.offset + WarcRecord.length)).where(
            WarcRecord.warc_file_id == newest.id
        )
    )
    return newest.name if end == directory_sizes[newest.name] else None


def register(
    session: Session, written: Iterable[Written], capture_id: int | None, now: datetime
) -> dict[str, WarcRecord]:
    """Add rows for records just written (after ``WarcWriter.sync()``, before commit)."""
    files: dict[str, WarcFile] = {}
    rows: dict[str, WarcRecord] = {}
    for item in written:
        name = item.locator.file
        if name not in files:
            found = session.scalars(select(WarcFile).where(WarcFile.name == name)).first()
            if found is None:
                found = WarcFile(name=name, created_at=now)
                session.add(found)
                session.flush()
            files[name] = found
        row = WarcRecord(
            record_id=item.record_id,
            warc_file_id=files[name].id,
            offset=item.locator.offset,
            length=item.locator.length,
            record_type=item.record_type,
            target_uri=item.target_uri,
            content_type=item.content_type,
            block_digest=item.block_digest,
            payload_digest=item.payload_digest,
            payload_sha256=item.payload_sha256,
            payload_length=item.payload_length,
            warc_date=item.warc_date,
            capture_id=capture_id,
        )
        session.add(row)
        rows[item.record_id] = row
    session.flush()
    return rows


def mark_closed(
    session: Session, names: Iterable[str], sizes: dict[str, int], now: datetime
) -> None:
    for name in names:
        row = session.scalars(select(WarcFile).where(WarcFile.name == name)).first()
        if row is not None and row.closed_at is None:
            row.closed_at, row.size = now, sizes.get(name)


def locator(row: WarcRecord) -> Locator:
    return Locator(row.warc_file.name, row.offset, row.length)
