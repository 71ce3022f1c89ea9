"""What happens to the removal trail when retention lawfully destroys an item.

The removal, its revisions, the review-queue classifications and block evidence are the City's
record of its own decisions; they are detached from the destroyed item (``item_id`` set to NULL)
rather than deleted, and keep naming it by ``platform:platform_id``. Disposition
(``archiver.retention.execute``) calls ``detach_destroyed_items`` in the transaction that deletes
the items, before the rows go.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.orm import Session

from archiver.removals.models import BlockEvidence, Classification, Removal


def detach_destroyed_items(session: Session, item_ids: Collection[int]) -> None:
    """Unlink removal-trail rows from items about to be deleted (idempotent)."""
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for model in (Removal, Classification, BlockEvidence):
            session.execute(update(model).where(model.item_id.in_(chunk)).values(item_id=None))
