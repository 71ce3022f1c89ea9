"""Where an interrupted capture stands: one cursor per account and endpoint.

A row exists only while a capture is unfinished. The runner advances it after each page's WARC
records and items are committed, and deletes the account's rows when the capture succeeds; a
run that finds rows resumes that capture (same capture id) from the stored cursors.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archiver.db.base import Base


class CaptureCursor(Base):
    __tablename__ = "capture_cursors"
    __table_args__ = (UniqueConstraint("account_id", "endpoint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(255))
    cursor: Mapped[str] = mapped_column(Text, default="")  # opaque to the runner; never a secret
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
