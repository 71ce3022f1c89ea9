"""The planning step of a disposition: refusals per entry, and the WARC records to destroy.

A WARC record is destroyed only when nothing kept needs it: no kept item's version or media
points at it, and, for an original export file, no kept item came from its capture (ADR 6).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import (
    CaptureSource,
    FollowerSnapshot,
    Item,
    ItemVersion,
    Media,
    WarcRecord,
)
from archiver.holds.matching import held_items
from archiver.retention.models import (
    DispositionBatch,
    DispositionEntry,
    DispositionRecord,
    Tombstone,
)
from archiver.retention.rewrite import Member
from archiver.retention.schedule import Schedule, add_duration, assign, two_years_after
from archiver.retention.service import active_schedule, item_facts


def plan(session: Session, archive: Archive, actor: Actor, batch: DispositionBatch) -> None:
    now = archive.clock()
    today = now.date()
    _row, schedule = active_schedule(session)
    entries = session.scalars(
        select(DispositionEntry).where(
            DispositionEntry.batch_id == batch.id,
            DispositionEntry.status.in_(("pending", "destroying")),
        )
    ).all()
    reasons = _item_reasons(session, schedule, [e for e in entries if e.item_id is not None], today)
    destroying = {e.item_id for e in entries if e.item_id is not None and e.item_id not in reasons}
    reasons.update(dependent_reasons(session, destroying))
    destroying -= set(reasons)
    for entry in entries:
        if entry.capture_source_id is not None:
            why = _source_reason(session, entry.capture_source_id, destroying, today)
            if why:
                reasons[-entry.capture_source_id] = why
    for entry in entries:
        key = entry.item_id if entry.item_id is not None else -(entry.capture_source_id or 0)
        if key in reasons:
            entry.status, entry.reason, entry.decided_at = "refused", reasons[key], now
        else:
            entry.status = "destroying"
    session.flush()
    session.execute(
        delete(DispositionRecord).where(
            DispositionRecord.batch_id == batch.id, DispositionRecord.status != "destroyed"
        )
    )
    sources = [
        e.capture_source_id for e in entries if e.status == "destroying" and e.capture_source_id
    ]
    planned = _plan_records(session, schedule, batch.id, destroying, sources, today)
    batch.status = "executing"
    batch.started_at = batch.started_at or now
    batch.executed_by = actor.login
    audit.record(
        session,
        actor,
        "disposition.execution_started",
        now=now,
        object_type="disposition_batch",
        object_id=batch.id,
        details={
            "destroying": len(destroying) + len(sources),
            "records_planned": planned,
            "refusals": {str(k): v for k, v in sorted(reasons.items())},
        },
    )
    session.flush()


def _item_reasons(
    session: Session, schedule: Schedule, entries: Sequence[DispositionEntry], today: date
) -> dict[int, str]:
    ids = [e.item_id for e in entries if e.item_id is not None]
    facts = {f.id: f for f in item_facts(session, ids)}
    held = held_items(session, ids)
    gone = set(session.scalars(select(Tombstone.item_id).where(Tombstone.item_id.in_(ids))))
    reasons: dict[int, str] = {}
    for item_id in ids:
        fact = facts.get(item_id)
        if fact is None:
            reasons[item_id] = (
                "already destroyed" if item_id in gone else "no longer in the archive"
            )
            continue
        day = fact.record_date
        if day is None or two_years_after(day) > today:
            reasons[item_id] = (
                f"under two years old (Gov. Code § 34090(d)): dated {day}, may not be destroyed "
                f"before {two_years_after(day) if day else 'its date is known'}"
            )
        elif item_id in held:
            reasons[item_id] = f"under legal hold {', '.join(held[item_id])}"
        else:
            a = assign(schedule, fact, today)
            if a.action != "destroy" or not a.eligible:
                reasons[item_id] = (
                    f"not eligible under schedule {schedule.version}: series {a.series_code} "
                    f"({a.action}), eligible on {a.eligible_on or 'no date yet'}"
                )
    return reasons


def dependent_reasons(session: Session, destroying: set[int]) -> dict[int, str]:
    """Refuse an item while a kept item replies to it (thread context stays whole)."""
    reasons: dict[int, str] = {}
    going = set(destroying)
    while True:
        rows = session.execute(
            select(Item.id, Item.parent_id, Item.root_id).where(
                or_(Item.parent_id.in_(going), Item.root_id.in_(going)), Item.id.not_in(going)
            )
        ).all()
        kept_by: dict[int, list[int]] = {}
        for child, parent, root in rows:
            for target in {p for p in (parent, root) if p is not None} & going:
                kept_by.setdefault(target, []).append(child)
        if not kept_by:
            return reasons
        for target, children in kept_by.items():
            shown = ", ".join(map(str, sorted(children)[:5]))
            reasons[target] = f"{len(children)} kept item(s) reply to it ({shown})"
            going.discard(target)


def _source_reason(session: Session, source_id: int, destroying: set[int], today: date) -> str:
    source = session.get(CaptureSource, source_id)
    if source is None or source.warc_record_id is None:
        return "the original export is no longer in the archive"
    kept = _kept_holders(session, source.warc_record_id, destroying)
    if kept:
        return f"the original export still holds kept items ({', '.join(kept[:5])})"
    captured = source.capture.started_at.date()
    if two_years_after(captured) > today:
        return f"under two years old (Gov. Code § 34090(d)): captured {captured}"
    return ""


def _kept_holders(session: Session, record_id: int, destroying: Collection[int]) -> list[str]:
    """What kept thing needs this WARC record: items (by version, media or capture), snapshots."""
    going = list(destroying)
    holders = set(
        session.scalars(
            select(ItemVersion.item_id).where(
                ItemVersion.warc_record_id == record_id, ItemVersion.item_id.not_in(going)
            )
        )
    )
    holders |= set(
        session.scalars(
            select(Media.item_id).where(
                Media.warc_record_id == record_id, Media.item_id.not_in(going)
            )
        )
    )
    captures = list(
        session.scalars(
            select(CaptureSource.capture_id).where(CaptureSource.warc_record_id == record_id)
        )
    )
    if captures:
        holders |= set(
            session.scalars(
                select(ItemVersion.item_id).where(
                    ItemVersion.capture_id.in_(captures), ItemVersion.item_id.not_in(going)
                )
            )
        )
    found = [f"item {i}" for i in sorted(holders)]
    snapshots = session.scalars(
        select(FollowerSnapshot.id).where(
            or_(
                FollowerSnapshot.warc_record_id == record_id,
                FollowerSnapshot.capture_id.in_(captures),
            )
        )
    ).all()
    return found + [f"follower snapshot {s}" for s in snapshots]


def _plan_records(
    session: Session,
    schedule: Schedule,
    batch_id: int,
    destroying: set[int],
    sources: Sequence[int],
    today: date,
) -> int:
    going = list(destroying)
    candidates: set[int] = set(
        session.scalars(
            select(ItemVersion.warc_record_id).where(
                ItemVersion.item_id.in_(going), ItemVersion.warc_record_id.is_not(None)
            )
        )
    )
    candidates |= set(
        session.scalars(
            select(Media.warc_record_id).where(
                Media.item_id.in_(going), Media.warc_record_id.is_not(None)
            )
        )
    )
    captures = set(
        session.scalars(select(ItemVersion.capture_id).where(ItemVersion.item_id.in_(going)))
    )
    originals = {
        s.warc_record_id: s
        for s in session.scalars(
            select(CaptureSource).where(
                or_(CaptureSource.capture_id.in_(captures), CaptureSource.id.in_(list(sources))),
                CaptureSource.warc_record_id.is_not(None),
            )
        )
        if s.warc_record_id is not None
    }
    candidates |= set(originals)
    planned = 0
    for row in session.scalars(select(WarcRecord).where(WarcRecord.id.in_(sorted(candidates)))):
        source = originals.get(row.id)
        kept = _kept_holders(session, row.id, destroying)
        reason = f"still holds kept items: {', '.join(kept[:5])}" if kept else ""
        if not reason and source is not None:
            reason = _original_not_due(schedule, source, today)
        session.add(
            DispositionRecord(
                batch_id=batch_id,
                record_id=row.record_id,
                warc_file=row.warc_file.name,
                record_type=row.record_type,
                target_uri=row.target_uri,
                block_digest=row.block_digest,
                payload_length=row.payload_length,
                role="original_export" if source is not None else "item_content",
                status="kept" if reason else "pending",
                reason=reason,
            )
        )
        planned += 0 if reason else 1
    return planned


def _original_not_due(schedule: Schedule, source: CaptureSource, today: date) -> str:
    captured = source.capture.started_at.date()
    due = two_years_after(captured)
    code = schedule.source_series
    if code:
        series = schedule.get(code)
        if series.duration is None or series.action != "destroy":
            return f"original exports are kept under series {code} ({series.action})"
        due = max(due, add_duration(captured, series.duration))
    if due > today:
        return f"original export kept until {due} under series {code or 'Gov. Code § 34090(d)'}"
    return ""


def keep_newly_held(session: Session, batch_id: int) -> None:
    """Just before a file is rewritten: items a hold placed since planning now covers (and the
    items they reply to) are refused, and every pending record they need is kept."""
    entries = session.scalars(
        select(DispositionEntry).where(
            DispositionEntry.batch_id == batch_id,
            DispositionEntry.status == "destroying",
            DispositionEntry.item_id.is_not(None),
        )
    ).all()
    going = {e.item_id for e in entries if e.item_id is not None}
    held = held_items(session, going)
    if not held:
        return
    frozen, frontier = set(held), set(held)
    while frontier:
        rows = session.execute(
            select(Item.parent_id, Item.root_id).where(Item.id.in_(list(frontier)))
        ).all()
        frontier = {p for row in rows for p in row if p is not None} & going - frozen
        frozen |= frontier
    for entry in entries:
        if entry.item_id in held:
            entry.status, entry.reason = (
                "refused",
                f"under legal hold {', '.join(held[entry.item_id])}",
            )
        elif entry.item_id in frozen:
            entry.status, entry.reason = "refused", "a held item replies to it"
    going -= frozen
    for record in session.scalars(
        select(DispositionRecord).where(
            DispositionRecord.batch_id == batch_id, DispositionRecord.status == "pending"
        )
    ):
        row = session.scalars(
            select(WarcRecord).where(WarcRecord.record_id == record.record_id)
        ).first()
        if row is not None and _kept_holders(session, row.id, going):
            record.status, record.reason = "kept", "a legal hold was placed during execution"
    session.flush()


def add_dependents(
    session: Session, batch_id: int, name: str, listed: Sequence[Member], drop: set[str]
) -> set[str]:
    """Records in the file that only describe destroyed ones (``WARC-Refers-To``,
    ``WARC-Concurrent-To``: provenance metadata, the request of a destroyed response) go too,
    unless a kept row points at them."""
    added: set[str] = set()
    going = set(drop)
    changed = True
    while changed:
        changed = False
        for member in listed:
            if member.record_id in going or not set(member.refers_to) & going:
                continue
            row = session.scalars(
                select(WarcRecord).where(WarcRecord.record_id == member.record_id)
            ).first()
            if row is not None and _referenced(session, row.id):
                continue
            going.add(member.record_id)
            added.add(member.record_id)
            changed = True
            if row is not None:
                session.add(
                    DispositionRecord(
                        batch_id=batch_id,
                        record_id=row.record_id,
                        warc_file=name,
                        record_type=row.record_type,
                        target_uri=row.target_uri,
                        block_digest=row.block_digest,
                        payload_length=row.payload_length,
                        role="dependent",
                        status="pending",
                        reason="",
                    )
                )
    session.flush()
    return added


def _referenced(session: Session, record_id: int) -> bool:
    for model in (ItemVersion, Media, CaptureSource, FollowerSnapshot):
        if session.scalars(
            select(model.id).where(model.warc_record_id == record_id).limit(1)
        ).first():
            return True
    return False
