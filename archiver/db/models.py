"""The archive's core tables. Later subsystems (retention, holds, removals, requests, search)
add their own modules and tables by migration; these tables already carry what they hang on:
stable item ids, item state, thread links, and WARC locators for every original byte.

Vocabulary (strings, checked by the library, documented in docs/data-model.md):
- Account.kind: official | council_member | official_personal
- Account.status: active | terminated
- Capture.source_kind: export | api | web | attestation
- Capture.outcome: running | succeeded | failed | interrupted
- Item.kind: post | comment | reply | media | follower_snapshot | profile | blog_entry | web_page
  | video
- Item.state: active | edited | missing_from_source | hidden | removed_by_city
  | deleted_by_author | removed_by_platform | destroyed
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archiver.db.base import Base, JSONType

ACCOUNT_KINDS = ("official", "council_member", "official_personal")
ITEM_KINDS = (
    "post",
    "comment",
    "reply",
    "media",
    "follower_snapshot",
    "profile",
    "blog_entry",
    "web_page",
    "video",
)
ITEM_STATES = (
    "active",
    "edited",
    "missing_from_source",
    "hidden",
    "removed_by_city",
    "deleted_by_author",
    "removed_by_platform",
    "destroyed",
)


class Account(Base):
    """The registry of the City's social-media sites (Carson IV.B, Claremont B: a list of sites)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    platform_account_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    department: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(32), default="official")
    status: Mapped[str] = mapped_column(String(32), default="active")
    approved_by: Mapped[str] = mapped_column(String(255), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    administrators: Mapped[list[str]] = mapped_column(JSONType, default=list)
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(255))


class WarcFile(Base):
    """A WARC file the archiver wrote. ``size``/``sha256`` are set when the file is closed."""

    __tablename__ = "warc_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))


class WarcRecord(Base):
    """Where one WARC record lives: file, offset and length of its gzip member."""

    __tablename__ = "warc_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)  # WARC-Record-ID urn:uuid
    warc_file_id: Mapped[int] = mapped_column(ForeignKey("warc_files.id"), index=True)
    offset: Mapped[int] = mapped_column(BigInteger)
    length: Mapped[int] = mapped_column(BigInteger)
    record_type: Mapped[str] = mapped_column(String(16))
    target_uri: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(255), default="")
    block_digest: Mapped[str] = mapped_column(String(128))
    payload_digest: Mapped[str] = mapped_column(String(128), default="")
    payload_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    payload_length: Mapped[int] = mapped_column(BigInteger, default=0)
    warc_date: Mapped[datetime]
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)

    warc_file: Mapped[WarcFile] = relationship()


class Capture(Base):
    """Provenance of one ingest or capture run."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    source_kind: Mapped[str] = mapped_column(String(32))
    source_format: Mapped[str] = mapped_column(String(64), default="")
    source_path: Mapped[str] = mapped_column(Text, default="")
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    operator: Mapped[str] = mapped_column(String(255))
    tool_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(32), default="running")
    error: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)

    account: Mapped[Account | None] = relationship()
    sources: Mapped[list[CaptureSource]] = relationship(back_populates="capture")


class CaptureSource(Base):
    """One original file (or HTTP exchange) of a capture, with its size, digest and WARC record."""

    __tablename__ = "capture_sources"
    __table_args__ = (UniqueConstraint("capture_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    warc_record_id: Mapped[int | None] = mapped_column(ForeignKey("warc_records.id"), index=True)

    capture: Mapped[Capture] = relationship(back_populates="sources")
    warc_record: Mapped[WarcRecord | None] = relationship()


class Item(Base):
    """A normalized record: post, comment, reply, media, profile, blog entry, web page..."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("account_id", "platform_id"),
        Index("ix_items_account_created", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    platform: Mapped[str] = mapped_column(String(32))
    platform_id: Mapped[str] = mapped_column(String(255))
    id_synthesized: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    root_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    author_name: Mapped[str] = mapped_column(String(255), default="")
    author_handle: Mapped[str] = mapped_column(String(255), default="")
    author_platform_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    created_at: Mapped[datetime | None] = mapped_column(index=True)
    permalink: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32), default="active", index=True)
    state_changed_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    missing_since: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    version_count: Mapped[int] = mapped_column(Integer, default=1)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    account: Mapped[Account] = relationship()
    versions: Mapped[list[ItemVersion]] = relationship(
        back_populates="item", order_by="ItemVersion.version_no"
    )


class ItemVersion(Base):
    """One distinct observed content of an item: an edit is a new version, nothing is
    overwritten."""

    __tablename__ = "item_versions"
    __table_args__ = (
        UniqueConstraint("item_id", "version_no"),
        Index("ix_item_versions_item_hash", "item_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    version_no: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    edited_at: Mapped[datetime | None]  # when the platform says the edit happened, if it does
    first_observed_at: Mapped[datetime]
    last_observed_at: Mapped[datetime]
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    warc_record_id: Mapped[int | None] = mapped_column(ForeignKey("warc_records.id"), index=True)
    source_position: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship(back_populates="versions")
    warc_record: Mapped[WarcRecord | None] = relationship()


class Media(Base):
    """A media file (photo, video) of an item, stored byte for byte in the WARC."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("item_id", "source_uri"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="photo")
    source_uri: Mapped[str] = mapped_column(Text)
    mime_type: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    warc_record_id: Mapped[int | None] = mapped_column(ForeignKey("warc_records.id"), index=True)


class FollowerSnapshot(Base):
    """A dated list of an account's followers: a record in its own right (Carson IV.C.3)."""

    __tablename__ = "follower_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    taken_at: Mapped[datetime]
    follower_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    warc_record_id: Mapped[int | None] = mapped_column(ForeignKey("warc_records.id"))

    followers: Mapped[list[Follower]] = relationship(back_populates="snapshot")


class Follower(Base):
    __tablename__ = "followers"
    __table_args__ = (Index("ix_followers_snapshot_handle", "snapshot_id", "handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("follower_snapshots.id"))
    name: Mapped[str] = mapped_column(String(255), default="")
    handle: Mapped[str] = mapped_column(String(255), default="")
    platform_user_id: Mapped[str] = mapped_column(String(255), default="")
    followed_at: Mapped[datetime | None]

    snapshot: Mapped[FollowerSnapshot] = relationship(back_populates="followers")


class AuditEvent(Base):
    """Append-only, hash-chained log of every state change (see archiver.audit)."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(255))
    actor_roles: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[str] = mapped_column(String(255), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
