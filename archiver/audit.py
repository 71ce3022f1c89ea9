"""The tamper-evident audit log: append-only, hash-chained.

Each event stores the previous event's hash; its own hash covers its sequence number, the
previous hash, the time, the actor, the action, the object and the details. ``verify`` recomputes
the chain and names the first event that does not fit. A chain can still be rewritten wholesale
by someone with write access to the database, so every WARC file the archiver opens carries the
chain's head at that moment in its ``warcinfo`` record (an anchor in append-only storage):
``verify_anchors`` checks that each anchor is still in the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from archiver.actors import Actor
from archiver.db.models import AuditEvent

GENESIS = "0" * 64
PG_AUDIT_LOCK = 0x41524348  # advisory lock key serializing appends on PostgreSQL


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    seq: int,
    prev_hash: str,
    occurred_at: datetime,
    actor: str,
    actor_roles: str,
    action: str,
    object_type: str,
    object_id: str,
    details: str,
) -> str:
    material = canonical_json(
        [
            seq,
            prev_hash,
            occurred_at.isoformat(),
            actor,
            actor_roles,
            action,
            object_type,
            object_id,
            details,
        ]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        event.seq,
        event.prev_hash,
        event.occurred_at,
        event.actor,
        event.actor_roles,
        event.action,
        event.object_type,
        event.object_id,
        event.details,
    )


def head(session: Session) -> tuple[int, str]:
    """The last event's (seq, hash), or (0, GENESIS) for an empty log."""
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    now: datetime,
    object_type: str = "",
    object_id: str | int = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (the caller commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_AUDIT_LOCK})
    seq, prev = head(session)
    payload = dict(details or {})
    if actor.single_user:
        payload.setdefault("single_user_mode", True)
    event = AuditEvent(
        seq=seq + 1,
        occurred_at=now,
        actor=actor.login,
        actor_roles=",".join(sorted(actor.roles)),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=canonical_json(payload),
        prev_hash=prev,
        hash="",
    )
    event.hash = _hash_of(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditReport:
    events: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem


def verify_events(events: Iterable[AuditEvent]) -> AuditReport:
    """Check an ordered stream of events: sequence, links and hashes."""
    expected_seq, prev, count = 1, GENESIS, 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            kind = "missing or reordered" if event.seq > expected_seq else "duplicated or reordered"
            return AuditReport(
                count,
                event.seq,
                event.hash,
                event.seq,
                f"event {event.seq}: expected seq {expected_seq} ({kind} events)",
            )
        if event.prev_hash != prev:
            return AuditReport(
                count,
                event.seq,
                event.hash,
                event.seq,
                f"event {event.seq}: does not link to event {expected_seq - 1} "
                "(an event before it was changed, removed or inserted)",
            )
        if _hash_of(event) != event.hash:
            return AuditReport(
                count,
                event.seq,
                event.hash,
                event.seq,
                f"event {event.seq}: contents do not match its hash (edited)",
            )
        prev, expected_seq = event.hash, expected_seq + 1
    return AuditReport(count, expected_seq - 1, prev)


def verify(session: Session, anchors: Iterable[tuple[int, str, str]] = ()) -> AuditReport:
    """Verify the whole chain, then the anchors ``(seq, hash, where)`` found in WARC files."""
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000)
    report = verify_events(events)
    if not report.ok:
        return report
    hashes = dict(session.execute(select(AuditEvent.seq, AuditEvent.hash)).all())
    for seq, digest, where in anchors:
        if seq == 0:
            continue
        if seq not in hashes:
            return AuditReport(
                report.events,
                report.head_seq,
                report.head_hash,
                seq,
                f"event {seq}, anchored in {where}, is no longer in the log "
                "(events were removed from the end)",
            )
        if hashes[seq] != digest:
            return AuditReport(
                report.events,
                report.head_seq,
                report.head_hash,
                seq,
                f"event {seq} differs from its anchor in {where} (the chain was rewritten)",
            )
    return report
