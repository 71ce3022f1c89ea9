"""Tables of retention and disposition: schedule versions, each item's series and eligible date,
disposition batches and their entries, the WARC records they destroy, files they rewrote, and the
tombstones left behind.

Vocabulary (strings, checked by the library):
- DispositionBatch.status: proposed | executing | completed
- DispositionEntry.status: pending | refused | destroying | destroyed
- DispositionRecord.status: pending | destroyed | kept
- WarcRewrite.status: rewritten | done
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archiver.db.base import Base


class RetentionSchedule(Base):
    """One loaded version of the City's retention schedule; older versions are kept."""

    __tablename__ = "retention_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(64))
    adopted_by: Mapped[str] = mapped_column(String(255), default="")
    adopted_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(255))


class ItemRetention(Base):
    """The series and eligible-for-disposition date of one item under one schedule version."""

    __tablename__ = "item_retention"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("retention_schedules.id"), index=True)
    series_code: Mapped[str] = mapped_column(String(64), index=True)
    matched: Mapped[bool] = mapped_column(Boolean, default=True)
    trigger_date: Mapped[date | None] = mapped_column(Date)
    eligible_on: Mapped[date | None] = mapped_column(Date, index=True)
    computed_at: Mapped[datetime]


class DispositionBatch(Base):
    """A proposed destruction: its approvals, its execution and its certificate's facts."""

    __tablename__ = "disposition_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("retention_schedules.id"))
    status: Mapped[str] = mapped_column(String(32), default="proposed", index=True)
    proposed_at: Mapped[datetime]
    proposed_by: Mapped[str] = mapped_column(String(255))
    as_of: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    resolution_number: Mapped[str] = mapped_column(String(64), default="")
    resolution_date: Mapped[date | None] = mapped_column(Date)
    resolution_recorded_by: Mapped[str] = mapped_column(String(255), default="")
    consent_name: Mapped[str] = mapped_column(String(255), default="")
    consent_title: Mapped[str] = mapped_column(String(255), default="")
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_statement: Mapped[str] = mapped_column(Text, default="")
    consent_recorded_by: Mapped[str] = mapped_column(String(255), default="")
    executed_by: Mapped[str] = mapped_column(String(255), default="")
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]


class DispositionEntry(Base):
    """One item of a batch, or one original export file whose items are all gone
    (``capture_source_id``). Neither is a foreign key: the rows go, the entry stays."""

    __tablename__ = "disposition_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposition_batches.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    capture_source_id: Mapped[int | None] = mapped_column(Integer)
    series_code: Mapped[str] = mapped_column(String(64))
    citation: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(String(32), default="")
    record_date: Mapped[date | None] = mapped_column(Date)
    eligible_on: Mapped[date | None] = mapped_column(Date)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(32), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]


class DispositionRecord(Base):
    """A WARC record a batch destroys (or keeps, with the reason), by its WARC-Record-ID."""

    __tablename__ = "disposition_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposition_batches.id"), index=True)
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    warc_file: Mapped[str] = mapped_column(String(255))
    record_type: Mapped[str] = mapped_column(String(16))
    target_uri: Mapped[str] = mapped_column(Text, default="")
    block_digest: Mapped[str] = mapped_column(String(128))
    payload_length: Mapped[int] = mapped_column(BigInteger, default=0)
    role: Mapped[str] = mapped_column(String(32))  # item_content | original_export | dependent
    status: Mapped[str] = mapped_column(String(32), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")


class WarcRewrite(Base):
    """A WARC file rewritten without destroyed records; ``old_name`` is removed once committed."""

    __tablename__ = "warc_rewrites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposition_batches.id"), index=True)
    old_name: Mapped[str] = mapped_column(String(255))
    new_name: Mapped[str] = mapped_column(String(255))
    old_size: Mapped[int] = mapped_column(BigInteger)
    new_size: Mapped[int] = mapped_column(BigInteger)
    old_sha256: Mapped[str] = mapped_column(String(64))
    new_sha256: Mapped[str] = mapped_column(String(64))
    records_removed: Mapped[int] = mapped_column(Integer)
    records_kept: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32), default="rewritten")
    rewritten_at: Mapped[datetime]


class Tombstone(Base):
    """The minimum left of a destroyed item: id, series, dates, digest, batch."""

    __tablename__ = "tombstones"

    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    platform: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    series_code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    eligible_on: Mapped[date | None] = mapped_column(Date)
    destroyed_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("disposition_batches.id"), index=True)
