"""Tables of the removal audit trail. Rows here are only ever added: a correction is a new
revision, a reclassification a new classification, an unblock a row of its own. When retention
lawfully destroys an item, these rows are detached from it (``item_id`` set to NULL, see
``archiver.removals.disposal``) and keep naming it by ``platform:platform_id``.

Vocabulary (checked by the library, documented in docs/data-model.md):
- Removal.origin: recorded | review | attestation
- RemovalRevision.platform_action: hidden | deleted
- Classification.outcome: removed_by_city | deleted_by_author | removed_by_platform | unknown
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archiver.db.base import Base, JSONType

PLATFORM_ACTIONS = ("hidden", "deleted")
OUTCOMES = ("removed_by_city", "deleted_by_author", "removed_by_platform", "unknown")
ORIGINS = ("recorded", "review", "attestation")


class Removal(Base):
    """The City took an item down. Poster and content are snapshotted as captured; the grounds,
    note and platform action live in revisions (the newest is current)."""

    __tablename__ = "removals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL once the item is lawfully destroyed; the snapshot below still names it
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), unique=True)
    item_platform: Mapped[str] = mapped_column(String(32))
    item_platform_id: Mapped[str] = mapped_column(String(255))
    item_kind: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16))
    removed_at: Mapped[datetime] = mapped_column(index=True)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(255))
    catalog_id: Mapped[str] = mapped_column(String(64))
    policy_source: Mapped[str] = mapped_column(Text)
    poster_name: Mapped[str] = mapped_column(String(255), default="")
    poster_handle: Mapped[str] = mapped_column(String(255), default="")
    poster_platform_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    posted_at: Mapped[datetime | None]
    permalink: Mapped[str] = mapped_column(Text, default="")
    # Every version retained when the removal was recorded: version_no, content_hash, WARC record
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    attestation_capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))

    revisions: Mapped[list[RemovalRevision]] = relationship(
        back_populates="removal", order_by="RemovalRevision.revision_no"
    )


class RemovalRevision(Base):
    """One statement of a removal's grounds, note and platform action. Revision 1 is the
    original record; each amendment adds the next, with the reason for the change."""

    __tablename__ = "removal_revisions"
    __table_args__ = (UniqueConstraint("removal_id", "revision_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    removal_id: Mapped[int] = mapped_column(ForeignKey("removals.id"), index=True)
    revision_no: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(255))
    # Snapshots from the catalog at the time: code, title, clause, text, categories, applies_to
    grounds: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    platform_action: Mapped[str] = mapped_column(String(16))
    change_reason: Mapped[str] = mapped_column(Text, default="")
    audit_seq: Mapped[int] = mapped_column(Integer)

    removal: Mapped[Removal] = relationship(back_populates="revisions")


class Classification(Base):
    """Why an item went missing from its source, as staff determined it (the review queue)."""

    __tablename__ = "removal_classifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    item_ref: Mapped[str] = mapped_column(String(300))  # platform:platform_id, kept after disposal
    missing_since: Mapped[datetime | None]
    classified_at: Mapped[datetime]
    classified_by: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    previous_state: Mapped[str] = mapped_column(String(32))
    removal_id: Mapped[int | None] = mapped_column(ForeignKey("removals.id"))
    audit_seq: Mapped[int] = mapped_column(Integer)


class Block(Base):
    """The City blocked a platform user, with grounds and the evidence items by that user."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    user_handle: Mapped[str] = mapped_column(String(255), default="", index=True)
    user_platform_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    user_name: Mapped[str] = mapped_column(String(255), default="")
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    blocked_at: Mapped[datetime] = mapped_column(index=True)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(255))
    catalog_id: Mapped[str] = mapped_column(String(64))
    policy_source: Mapped[str] = mapped_column(Text)
    grounds: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    blocking_clause: Mapped[str] = mapped_column(Text, default="")
    min_violations: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    audit_seq: Mapped[int] = mapped_column(Integer)

    evidence: Mapped[list[BlockEvidence]] = relationship(order_by="BlockEvidence.id")
    unblock: Mapped[Unblock | None] = relationship(back_populates="block")


class BlockEvidence(Base):
    """One post by the blocked user. ``item_id`` is NULL once the item is lawfully destroyed;
    ``item_ref`` still names it."""

    __tablename__ = "block_evidence"
    __table_args__ = (UniqueConstraint("block_id", "item_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    item_ref: Mapped[str] = mapped_column(String(300))


class Unblock(Base):
    """The block was lifted: a row of its own, so the block row is never changed."""

    __tablename__ = "unblocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id"), unique=True)
    unblocked_at: Mapped[datetime] = mapped_column(index=True)
    recorded_by: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text)
    audit_seq: Mapped[int] = mapped_column(Integer)

    block: Mapped[Block] = relationship(back_populates="unblock")
