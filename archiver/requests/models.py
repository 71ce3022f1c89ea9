"""Tables of public-records requests: the request, its timeline, extensions, searches, the
responsive set with its decisions, redactions, and the packages produced.

Vocabulary (strings, checked by the library):
- PublicRequest.law: CPRA | FOIA;  status: open | closed
- RequestItem.decision: pending | release | redact | withhold
- Redaction.field: text | author;  Redaction.status: suggested | accepted | rejected
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archiver.db.base import Base, JSONType

DECISIONS = ("pending", "release", "redact", "withhold")
REDACTION_STATES = ("suggested", "accepted", "rejected")
OUTCOMES = (
    "fulfilled",
    "fulfilled_in_part",
    "denied",
    "no_responsive_records",
    "withdrawn",
    "not_a_records_request",
    "referred_to_other_agency",
)


class PublicRequest(Base):
    __tablename__ = "public_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    law: Mapped[str] = mapped_column(String(8))
    requester_name: Mapped[str] = mapped_column(String(255), default="")
    requester_contact: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text)
    litigation: Mapped[bool] = mapped_column(Boolean, default=False)
    received_on: Mapped[date] = mapped_column(Date)
    original_due_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    entered_at: Mapped[datetime]
    entered_by: Mapped[str] = mapped_column(String(255))
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(64), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")

    events: Mapped[list[RequestEvent]] = relationship(order_by="RequestEvent.id")
    extensions: Mapped[list[RequestExtension]] = relationship(order_by="RequestExtension.id")


class RequestEvent(Base):
    """One entry of the request's timeline (mirrors the audit events that concern it)."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class RequestExtension(Base):
    __tablename__ = "request_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    ground: Mapped[str] = mapped_column(String(16))
    notice_text: Mapped[str] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(String(255))
    signer_title: Mapped[str] = mapped_column(String(255))
    previous_due_on: Mapped[date] = mapped_column(Date)
    new_due_on: Mapped[date] = mapped_column(Date)
    requester_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    extended_at: Mapped[datetime]
    extended_by: Mapped[str] = mapped_column(String(255))


class RequestSearch(Base):
    """A search run for the request, kept as the record of a reasonable search."""

    __tablename__ = "request_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    item_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    run_at: Mapped[datetime]
    run_by: Mapped[str] = mapped_column(String(255))


class RequestItem(Base):
    """An item of the responsive set and the reviewer's decision on it."""

    __tablename__ = "request_items"
    __table_args__ = (UniqueConstraint("request_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    added_via: Mapped[str] = mapped_column(String(255), default="")
    added_at: Mapped[datetime]
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    exemption: Mapped[str] = mapped_column(String(16), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    reviewer_login: Mapped[str] = mapped_column(String(255), default="")
    reviewer_name: Mapped[str] = mapped_column(String(255), default="")
    reviewer_title: Mapped[str] = mapped_column(String(255), default="")
    decided_at: Mapped[datetime | None]


class Redaction(Base):
    """A span of a version's text (character offsets, end exclusive) or the author field."""

    __tablename__ = "request_redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("item_versions.id"))
    field: Mapped[str] = mapped_column(String(16), default="text")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(32), default="manual")
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    exemption: Mapped[str] = mapped_column(String(16), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    reviewer_login: Mapped[str] = mapped_column(String(255), default="")
    reviewer_name: Mapped[str] = mapped_column(String(255), default="")
    reviewer_title: Mapped[str] = mapped_column(String(255), default="")
    decided_at: Mapped[datetime | None]


class RequestPackage(Base):
    __tablename__ = "request_packages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("public_requests.id"), index=True)
    built_at: Mapped[datetime]
    built_by: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    bates_prefix: Mapped[str] = mapped_column(String(32))
    bates_first: Mapped[int] = mapped_column(Integer)
    bates_last: Mapped[int] = mapped_column(Integer)
    tagmanifest_sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
