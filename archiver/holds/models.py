"""Tables of legal holds: the hold and its scope, the items it covers (now and captured later),
custodians, notices and acknowledgments.

Vocabulary: LegalHold.status: active | released; HoldNotice.kind: notice | reminder | release.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archiver.db.base import Base


class LegalHold(Base):
    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # H-2026-001
    matter_name: Mapped[str] = mapped_column(Text)
    matter_number: Mapped[str] = mapped_column(String(128), default="")
    issued_by: Mapped[str] = mapped_column(String(255))
    issued_by_name: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[dict[str, Any]] = mapped_column()
    ack_due_days: Mapped[int] = mapped_column(Integer, default=7)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_at: Mapped[datetime]
    released_at: Mapped[datetime | None]
    released_by: Mapped[str] = mapped_column(String(255), default="")
    release_reason: Mapped[str] = mapped_column(Text, default="")


class HoldItem(Base):
    """An item a hold covers, and how it matched (kept after release, for the record)."""

    __tablename__ = "hold_items"

    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True, index=True)
    matched_by: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime]


class HoldCustodian(Base):
    __tablename__ = "hold_custodians"
    __table_args__ = (UniqueConstraint("hold_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255), default="")
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str] = mapped_column(String(255), default="")
    acknowledgment: Mapped[str] = mapped_column(Text, default="")


class HoldNotice(Base):
    __tablename__ = "hold_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), index=True)
    custodian_id: Mapped[int] = mapped_column(ForeignKey("hold_custodians.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime]
    sent_by: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text, default="")
