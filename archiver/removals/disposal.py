"""What happens to the removal trail when retention lawfully destroys an item.

The removal, its revisions, the review-queue classifications and block evidence are the City's
record of its own decisions; they are detached from the destroyed item (``item_id`` set to NULL)
rather than deleted, and keep naming it by ``platform:platform_id``. Disposition calls
``detach_destroyed_items`` in the transaction that deletes the items, before the rows go: it is
registered in ``archiver.retention.execute.on_destroying`` when the removals library is loaded
(``archiver.removals.record`` imports this module; every process that can record a removal,
and the CLI, loads it).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.orm import Session

from archiver.removals.models import BlockEvidence, Classification, Removal
from archiver.retention import execute


def detach_destroyed_items(session: Session, item_ids: Collection[int]) -> None:
    """Unlink removal-trail rows from items about to be deleted (idempotent)."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for model in (Removal, Classification, BlockEvidence):
            session.execute(update(model).where(model.item_id.in_(chunk)).values(item_id=None))


def register() -> None:
    """Have disposition call ``detach_destroyed_items`` (once, however often this runs)."""
    if detach_destroyed_items not in execute.on_destroying:
        execute.on_destroying.append(detach_destroyed_items)


register()
