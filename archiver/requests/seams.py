"""Where requests meet the other subsystems: saved searches, legal holds, removals. Each is one
small function, so the review and the package ask them the same way:

- ``saved_search_item_ids(session, name)``: the item ids of a saved search's latest run
  (``archiver.search.saved``).
- ``is_held(session, item_ids)``: which of these items are under an active legal hold
  (``archiver.holds.matching.held_items``).
- ``removed_by_city(item)``: the item was removed by the City (already on the spine's model).
- ``removal_records(session, item_ids)`` / ``missing_classifications(session, item_ids)``: the
  removal audit trail of these items (``archiver.removals.history``), by item id.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from archiver.db.models import Item
from archiver.errors import NotFound
from archiver.holds.matching import held_items
from archiver.removals.history import classifications_for, removal_records_for
from archiver.removals.views import ClassificationRecord, RemovalRecord
from archiver.search.saved import last_result_ids


def saved_search_item_ids(session: Session, name: str) -> list[int]:
    """The item ids the saved search ``name`` found at its latest run
    (``archiver search ... --save NAME``, re-run with ``archiver search saved rerun``)."""
    saved = last_result_ids(session, name)
    if saved is None:
        raise NotFound(
            f"no saved search {name!r}",
            hint="Save the search first: archiver search QUERY --save NAME --request NUMBER",
        )
    return saved


def is_held(session: Session, item_ids: Collection[int]) -> set[int]:
    """The ids among ``item_ids`` under an active legal hold."""
    return set(held_items(session, item_ids))


def removed_by_city(item: Item) -> bool:
    return item.state == "removed_by_city"


def removal_records(session: Session, item_ids: Collection[int]) -> dict[int, RemovalRecord]:
    """The City's removal of each of these items that it removed, with every amendment."""
    return {r.item_id: r for r in removal_records_for(session, item_ids) if r.item_id is not None}


def missing_classifications(
    session: Session, item_ids: Collection[int]
) -> dict[int, list[ClassificationRecord]]:
    """How staff classified each of these items that went missing from its source."""
    return classifications_for(session, item_ids)
