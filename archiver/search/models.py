"""Saved searches: the record of a reasonable search, and of each time it was run again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archiver.db.base import Base, JSONType


class SavedSearch(Base):
    """A named query with its filters, as a clerk ran it (``archiver search ... --save NAME``)."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    query: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sort: Mapped[str] = mapped_column(String(16), default="relevance")
    request_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]

    runs: Mapped[list[SavedSearchRun]] = relationship(
        back_populates="saved_search", order_by="SavedSearchRun.id"
    )


class SavedSearchRun(Base):
    """One run of a saved search: who, when, and every matching item id at that moment."""

    __tablename__ = "saved_search_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id"), index=True)
    run_by: Mapped[str] = mapped_column(String(255))
    run_at: Mapped[datetime]
    request_number: Mapped[str] = mapped_column(String(64), default="")
    result_count: Mapped[int] = mapped_column(Integer)
    result_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)

    saved_search: Mapped[SavedSearch] = relationship(back_populates="runs")
