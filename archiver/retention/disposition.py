"""Disposition batches: propose what the schedule makes eligible, record the council's
resolution and the city attorney's written consent (Gov. Code § 34090), show and list batches.
Execution is in ``archiver.retention.execute``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import CaptureSource, FollowerSnapshot, ItemVersion, WarcRecord
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.holds.matching import held_items
from archiver.retention.models import DispositionBatch, DispositionEntry, RetentionSchedule
from archiver.retention.schedule import Schedule, add_duration, two_years_after
from archiver.retention.service import (
    active_schedule,
    item_facts,
    item_sizes,
    refresh_assignments,
)

OPEN_STATUSES = ("proposed", "executing")


@dataclass(frozen=True)
class SeriesLine:
    code: str
    citation: str
    entries: int
    bytes: int


@dataclass
class BatchView:
    id: int
    status: str
    schedule_version: str
    proposed_at: str
    proposed_by: str
    as_of: str
    note: str
    resolution_number: str
    resolution_date: str
    resolution_recorded_by: str
    consent_name: str
    consent_title: str
    consent_date: str
    consent_recorded_by: str
    executed_by: str
    started_at: str
    completed_at: str
    entries: int
    by_status: dict[str, int] = field(default_factory=dict)
    series: list[SeriesLine] = field(default_factory=list)
    excluded_held: list[int] = field(default_factory=list)

    @property
    def approvals_missing(self) -> list[str]:
        return approvals_missing_of(self.resolution_number, self.consent_name)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "approvals_missing": self.approvals_missing}


def approvals_missing_of(resolution_number: str, consent_name: str) -> list[str]:
    missing = []
    if not resolution_number:
        missing.append("council resolution (`archiver disposition approve-resolution`)")
    if not consent_name:
        missing.append("city attorney's written consent (`archiver disposition consent`)")
    return missing


def find_batch(session: Session, batch_id: int) -> DispositionBatch:
    batch = session.get(DispositionBatch, batch_id)
    if batch is None:
        raise NotFound(f"no disposition batch {batch_id}", hint="See `archiver disposition show`.")
    return batch


def batch_view(
    session: Session, batch: DispositionBatch, excluded: Sequence[int] = ()
) -> BatchView:
    schedule = session.get(RetentionSchedule, batch.schedule_id)
    entries = session.scalars(
        select(DispositionEntry).where(DispositionEntry.batch_id == batch.id)
    ).all()
    by_status: dict[str, int] = {}
    series: dict[str, list[int]] = {}
    citations: dict[str, str] = {}
    for entry in entries:
        by_status[entry.status] = by_status.get(entry.status, 0) + 1
        line = series.setdefault(entry.series_code, [0, 0])
        line[0] += 1
        line[1] += entry.size
        citations[entry.series_code] = entry.citation

    def d(value: object) -> str:
        return value.isoformat() if value is not None and hasattr(value, "isoformat") else ""

    return BatchView(
        id=batch.id,
        status=batch.status,
        schedule_version=schedule.version if schedule else "",
        proposed_at=d(batch.proposed_at),
        proposed_by=batch.proposed_by,
        as_of=d(batch.as_of),
        note=batch.note,
        resolution_number=batch.resolution_number,
        resolution_date=d(batch.resolution_date),
        resolution_recorded_by=batch.resolution_recorded_by,
        consent_name=batch.consent_name,
        consent_title=batch.consent_title,
        consent_date=d(batch.consent_date),
        consent_recorded_by=batch.consent_recorded_by,
        executed_by=batch.executed_by,
        started_at=d(batch.started_at),
        completed_at=d(batch.completed_at),
        entries=len(entries),
        by_status=by_status,
        series=[SeriesLine(c, citations[c], n, b) for c, (n, b) in sorted(series.items())],
        excluded_held=list(excluded),
    )


def _in_open_batches(session: Session) -> tuple[set[int], set[int]]:
    rows = session.execute(
        select(DispositionEntry.item_id, DispositionEntry.capture_source_id)
        .join(DispositionBatch, DispositionEntry.batch_id == DispositionBatch.id)
        .where(
            DispositionBatch.status.in_(OPEN_STATUSES),
            DispositionEntry.status.in_(("pending", "destroying")),
        )
    ).all()
    return {i for i, _ in rows if i is not None}, {s for _, s in rows if s is not None}


def orphan_sources(
    session: Session, schedule: Schedule, today: date
) -> list[tuple[CaptureSource, date]]:
    """Original export files whose items are all gone and whose own series has run out:
    (source, eligible date)."""
    if not schedule.source_series:
        return []
    series = schedule.get(schedule.source_series)
    duration = series.duration
    if duration is None or series.action != "destroy":
        return []
    holders = set(session.scalars(select(ItemVersion.capture_id).distinct()))
    holders |= set(session.scalars(select(FollowerSnapshot.capture_id).distinct()))
    pointed = set(
        session.scalars(
            select(ItemVersion.warc_record_id).where(ItemVersion.warc_record_id.is_not(None))
        )
    )
    found = []
    for source in session.scalars(
        select(CaptureSource)
        .where(CaptureSource.warc_record_id.is_not(None))
        .order_by(CaptureSource.id)
    ):
        if source.capture_id in holders or source.warc_record_id in pointed:
            continue
        captured = source.capture.started_at.date()
        due = max(add_duration(captured, duration), two_years_after(captured))
        if due <= today:
            found.append((source, due))
    return found


def propose(
    archive: Archive, actor: Actor, *, series: Sequence[str] = (), note: str = ""
) -> BatchView:
    """Create a batch of everything eligible for destruction today (optionally only some
    series). Held items and items already in an open batch are left out, and the held ones are
    listed."""
    actor.require("disposition.propose")
    now = archive.clock()
    today = now.date()
    with archive.unit() as session:
        row, schedule = active_schedule(session)
        for code in series:
            schedule.get(code)
        assignments, _changes = refresh_assignments(session, row.id, schedule, today, now)
        busy_items, busy_sources = _in_open_batches(session)
        chosen = [
            a
            for a in assignments
            if a.eligible
            and a.action == "destroy"
            and a.item_id not in busy_items
            and (not series or a.series_code in series)
        ]
        held = held_items(session, [a.item_id for a in chosen])
        chosen = [a for a in chosen if a.item_id not in held]
        sources = [
            (s, due)
            for s, due in orphan_sources(session, schedule, today)
            if s.id not in busy_sources and (not series or schedule.source_series in series)
        ]
        if not chosen and not sources:
            raise InvalidInput(
                f"nothing is eligible for destruction on {today}"
                + (f" ({len(held)} eligible items are under legal hold)" if held else ""),
                hint="See `archiver retention report`.",
            )
        batch = DispositionBatch(
            schedule_id=row.id,
            status="proposed",
            proposed_at=now,
            proposed_by=actor.login,
            as_of=today,
            note=note,
        )
        session.add(batch)
        session.flush()
        sizes = item_sizes(session, [a.item_id for a in chosen])
        dates = {f.id: f.record_date for f in item_facts(session, [a.item_id for a in chosen])}
        for a in chosen:
            s = schedule.get(a.series_code)
            session.add(
                DispositionEntry(
                    batch_id=batch.id,
                    item_id=a.item_id,
                    series_code=s.code,
                    citation=s.citation,
                    retention=s.retention,
                    record_date=dates.get(a.item_id),
                    eligible_on=a.eligible_on,
                    size=sizes.get(a.item_id, 0),
                    status="pending",
                    reason="",
                )
            )
        for source, due in sources:
            s = schedule.get(schedule.source_series)
            length = session.scalar(
                select(WarcRecord.payload_length).where(WarcRecord.id == source.warc_record_id)
            )
            session.add(
                DispositionEntry(
                    batch_id=batch.id,
                    capture_source_id=source.id,
                    series_code=s.code,
                    citation=s.citation,
                    retention=s.retention,
                    record_date=source.capture.started_at.date(),
                    eligible_on=due,
                    size=int(length or 0),
                    status="pending",
                    reason="",
                )
            )
        session.flush()
        audit.record(
            session,
            actor,
            "disposition.proposed",
            now=now,
            object_type="disposition_batch",
            object_id=batch.id,
            details={
                "schedule_version": schedule.version,
                "items": len(chosen),
                "original_exports": len(sources),
                "series": sorted({a.series_code for a in chosen}),
                "excluded_held": sorted(held),
            },
        )
        return batch_view(session, batch, sorted(held))


def _open_for_approval(session: Session, batch_id: int) -> DispositionBatch:
    batch = find_batch(session, batch_id)
    if batch.status != "proposed":
        raise Conflict(
            f"batch {batch.id} is {batch.status}; approvals are recorded before execution",
            hint="Propose a new batch with `archiver disposition propose`.",
        )
    return batch


def _past_or_today(value: date, today: date, what: str) -> None:
    if value > today:
        raise InvalidInput(f"the {what} date {value} is in the future")


def record_resolution(
    archive: Archive, actor: Actor, batch_id: int, *, number: str, adopted_on: date
) -> BatchView:
    """Record the council resolution approving this destruction (Gov. Code § 34090)."""
    actor.require("disposition.record_resolution")
    if not number.strip():
        raise InvalidInput("a resolution needs its number (e.g. 2026-31)")
    now = archive.clock()
    _past_or_today(adopted_on, now.date(), "resolution")
    with archive.unit() as session:
        batch = _open_for_approval(session, batch_id)
        batch.resolution_number, batch.resolution_date = number.strip(), adopted_on
        batch.resolution_recorded_by = actor.login
        audit.record(
            session,
            actor,
            "disposition.resolution_recorded",
            now=now,
            object_type="disposition_batch",
            object_id=batch.id,
            details={
                "resolution_number": batch.resolution_number,
                "adopted_on": adopted_on.isoformat(),
            },
        )
        return batch_view(session, batch)


def record_consent(
    archive: Archive,
    actor: Actor,
    batch_id: int,
    *,
    consented_on: date,
    statement: str = "",
    title: str = "",
) -> BatchView:
    """Record the city attorney's written consent: name and title (of the acting attorney),
    date and statement (Gov. Code § 34090)."""
    actor.require("disposition.consent")
    title = title or actor.title
    if not title:
        raise InvalidInput("the consent needs the attorney's title", hint="Pass --title.")
    now = archive.clock()
    _past_or_today(consented_on, now.date(), "consent")
    with archive.unit() as session:
        batch = _open_for_approval(session, batch_id)
        batch.consent_name, batch.consent_title = actor.display, title
        batch.consent_date, batch.consent_recorded_by = consented_on, actor.login
        batch.consent_statement = statement or (
            f"I consent in writing to the destruction of the records listed in disposition "
            f"batch {batch.id}, pursuant to Gov. Code § 34090."
        )
        audit.record(
            session,
            actor,
            "disposition.consent_recorded",
            now=now,
            object_type="disposition_batch",
            object_id=batch.id,
            details={
                "name": batch.consent_name,
                "title": title,
                "date": consented_on.isoformat(),
                "statement": batch.consent_statement,
            },
        )
        return batch_view(session, batch)


def show_batch(archive: Archive, batch_id: int) -> BatchView:
    with archive.db.read() as session:
        return batch_view(session, find_batch(session, batch_id))


def list_batches(archive: Archive) -> list[BatchView]:
    with archive.db.read() as session:
        return [
            batch_view(session, b)
            for b in session.scalars(select(DispositionBatch).order_by(DispositionBatch.id))
        ]


def batch_entries(archive: Archive, batch_id: int) -> list[dict[str, object]]:
    with archive.db.read() as session:
        find_batch(session, batch_id)
        rows = session.scalars(
            select(DispositionEntry)
            .where(DispositionEntry.batch_id == batch_id)
            .order_by(DispositionEntry.id)
        )
        return [
            {
                "item_id": e.item_id,
                "capture_source_id": e.capture_source_id,
                "series": e.series_code,
                "record_date": e.record_date.isoformat() if e.record_date else "",
                "eligible_on": e.eligible_on.isoformat() if e.eligible_on else "",
                "size": e.size,
                "status": e.status,
                "reason": e.reason,
            }
            for e in rows
        ]
