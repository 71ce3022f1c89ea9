"""What happens to every item the moment it is recorded or changes, whatever recorded it
(export ingest, live capture, staff attestation): active legal holds that cover it take it in,
and it gets its retention series. Runs inside the recording unit of work."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from archiver.holds.matching import apply_holds_to_new_items
from archiver.retention.service import assign_items


def govern_recorded_items(session: Session, item_ids: Collection[int], now: datetime) -> None:
    ids = sorted(set(item_ids))
    if not ids:
        return
    assign_items(session, ids, now)  # first: a hold's query may name a retention series
    apply_holds_to_new_items(session, ids, now)
