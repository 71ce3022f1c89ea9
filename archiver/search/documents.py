"""The document builder: the one place that reads the store to make index documents.

Retention series and hold flags are read here too (``archiver.search.items`` and ``_held``): when
a schedule or a hold changes, ``index_items`` (or ``archiver index rebuild``) brings them up to
date, and ``archiver index verify`` reports documents whose series or hold flag is stale.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.db.models import Item
from archiver.search.interface import IndexDocument
from archiver.search.items import BATCH, document, item_documents

__all__ = ["BATCH", "build_documents", "document", "iter_all_documents"]


def build_documents(
    session: Session, item_ids: Sequence[int], timezone: str
) -> tuple[list[IndexDocument], list[int]]:
    """Documents for the items that exist, and the ids that no longer do (to delete)."""
    items = session.scalars(select(Item).where(Item.id.in_(item_ids))).all()
    found = {item.id for item in items}
    return _documents(session, items, timezone), [i for i in item_ids if i not in found]


def iter_all_documents(session: Session, timezone: str) -> Iterator[IndexDocument]:
    """Every item of the store, in id order, a batch of ``BATCH`` at a time."""
    last = 0
    while True:
        items = session.scalars(
            select(Item).where(Item.id > last).order_by(Item.id).limit(BATCH)
        ).all()
        if not items:
            return
        yield from _documents(session, items, timezone)
        last = items[-1].id
        session.expunge_all()


def _documents(session: Session, items: Sequence[Item], timezone: str) -> list[IndexDocument]:
    return item_documents(session, items, timezone, _held(session, [i.id for i in items]))


def _held(session: Session, item_ids: Sequence[int]) -> set[int]:
    """The items under an active legal hold."""
    # Imported here: hold matching evaluates queries with this package (``search.matcher``),
    # so the search package must not need the holds package while it loads.
    from archiver.holds.matching import held_items

    return set(held_items(session, item_ids))
