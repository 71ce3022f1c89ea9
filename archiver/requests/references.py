"""Which public-records requests an item belongs to (asked by disposition: a record responsive to
a request is kept with the request's file)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.requests.models import PublicRequest, RequestItem


def requests_for_items(session: Session, item_ids: Collection[int]) -> dict[int, list[str]]:
    """item id → "NUMBER (open|closed)" of every request whose responsive set holds it."""
    ids = sorted(set(item_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(RequestItem.item_id, PublicRequest.number, PublicRequest.status)
            .join(PublicRequest, RequestItem.request_id == PublicRequest.id)
            .where(RequestItem.item_id.in_(ids[start : start + 500]))
            .order_by(PublicRequest.number)
        )
        for item_id, number, status in rows:
            found.setdefault(item_id, []).append(f"{number} ({status})")
    return found
