"""Reading the audit log (writing and verifying are in archiver.audit)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from archiver.archive import Archive
from archiver.db.models import AuditEvent


@dataclass(frozen=True)
class EventView:
    seq: int
    occurred_at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: str
    hash: str


def list_events(
    archive: Archive, *, limit: int = 50, action_prefix: str | None = None
) -> list[EventView]:
    with archive.db.read() as session:
        query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if action_prefix:
            query = query.where(AuditEvent.action.startswith(action_prefix))
        return [
            EventView(
                e.seq,
                e.occurred_at.isoformat(),
                e.actor,
                e.action,
                e.object_type,
                e.object_id,
                e.details,
                e.hash,
            )
            for e in session.scalars(query)
        ]
