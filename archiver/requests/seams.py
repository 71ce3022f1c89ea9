"""Where requests meet subsystems built alongside them: saved searches, legal holds, removals.

Each seam is one small function with a stand-in body, so wiring the real subsystem means
changing this file only:

- ``saved_search_item_ids(session, name, settings)``: the item ids a saved search returns: those
  of its latest run (``archiver.search.saved``); a file ``<archive>/saved_searches/<name>.txt``
  listing item ids (one per line, ``#`` comments) still serves when no search has that name.
- ``is_held(session, item_ids)``: which of these items are under an active legal hold
  (``archiver.holds.matching.held_items``).
- ``removed_by_city(item)``: the item was removed by the City (already on the spine's model).
- ``removal_records(session, item_ids)`` / ``missing_classifications(session, item_ids)``: the
  removal audit trail of these items (``archiver.removals.history``), by item id.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from archiver.config import Settings
from archiver.db.models import Item
from archiver.errors import InvalidInput, NotFound
from archiver.holds.matching import held_items
from archiver.removals.history import classifications_for, removal_records_for
from archiver.removals.views import ClassificationRecord, RemovalRecord
from archiver.search.saved import last_result_ids


def saved_search_item_ids(session: Session, name: str, settings: Settings) -> list[int]:
    """The item ids of the saved search ``name``: the ids its latest run found
    (``archiver search ... --save NAME``), else the ids listed in the stand-in file."""
    saved = last_result_ids(session, name)
    if saved is not None:
        return saved
    if not name or "/" in name or name.startswith("."):
        raise InvalidInput(f"{name!r} is not a saved-search name")
    path = settings.root / "saved_searches" / f"{name}.txt"
    if not path.is_file():
        raise NotFound(
            f"no saved search {name!r}",
            hint=f"Save the search first (it is read from saved_searches/{name}.txt).",
        )
    ids: list[int] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if not value.isdigit():
            raise InvalidInput(f"saved_searches/{name}.txt line {number}: {value!r} is not an id")
        ids.append(int(value))
    return ids


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
