"""The retention schedule in the archive: load a version (older ones are kept), compute every
item's series and eligible date, report what changed, what is unmatched and what is eligible."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Account, Item, ItemVersion, WarcRecord
from archiver.errors import ConfigError, NotFound
from archiver.retention.models import ItemRetention, RetentionSchedule
from archiver.retention.schedule import (
    Assignment,
    ItemFacts,
    Schedule,
    assign,
    load_schedule_file,
    schedule_from_document,
)


@dataclass(frozen=True)
class Change:
    item_id: int
    before: str  # series code (or "" when the item had none)
    after: str
    eligible_before: str
    eligible_after: str


@dataclass
class LoadResult:
    schedule_id: int
    version: str
    previous_version: str
    items: int
    unmatched: list[int] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    by_series: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class SeriesReport:
    code: str
    title: str
    action: str
    retention: str
    trigger: str
    citation: str
    items: int
    eligible: int
    eligible_bytes: int
    pending_trigger: int
    next_eligible_on: str


@dataclass
class RetentionReport:
    version: str
    as_of: str
    series: list[SeriesReport]
    unmatched: list[int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def active_schedule(session: Session) -> tuple[RetentionSchedule, Schedule]:
    row = session.scalars(
        select(RetentionSchedule)
        .where(RetentionSchedule.active.is_(True))
        .order_by(RetentionSchedule.id.desc())
    ).first()
    if row is None:
        raise NotFound(
            "no retention schedule is loaded",
            hint="Load one with `archiver retention load FILE` (sample: "
            "sample_data/retention_schedule.toml), or name it in the config's "
            "[retention] schedule.",
        )
    return row, schedule_from_document(row.document)


def item_facts(session: Session, item_ids: Collection[int] | None = None) -> list[ItemFacts]:
    query = select(Item, Account).join(Account, Item.account_id == Account.id).order_by(Item.id)
    if item_ids is not None:
        query = query.where(Item.id.in_(list(item_ids)))
    facts = []
    for item, account in session.execute(query).all():
        closed = (item.extra or {}).get("request_closed_on")
        facts.append(
            ItemFacts(
                id=item.id,
                platform=item.platform,
                kind=item.kind,
                state=item.state,
                account=f"{account.platform}:{account.handle}",
                account_kind=account.kind,
                department=account.department,
                created_at=item.created_at,
                first_seen_at=item.first_seen_at,
                state_changed_at=item.state_changed_at,
                account_terminated_on=account.terminated_on,
                request_closed_on=date.fromisoformat(closed) if closed else None,
            )
        )
    return facts


def compute(session: Session, schedule: Schedule, today: date) -> list[Assignment]:
    return [assign(schedule, f, today) for f in item_facts(session)]


def refresh_assignments(
    session: Session,
    schedule_id: int,
    schedule: Schedule,
    today: date,
    now: datetime,
    previous: Schedule | None = None,
) -> tuple[list[Assignment], list[Change]]:
    """Recompute every item's series and eligible date and store them; return what changed
    against ``previous`` (a schedule version) or else against the stored assignments."""
    assignments = compute(session, schedule, today)
    stored = {r.item_id: r for r in session.scalars(select(ItemRetention))}
    before: dict[int, tuple[str, str]] = {
        i: (r.series_code, r.eligible_on.isoformat() if r.eligible_on else "")
        for i, r in stored.items()
    }
    if previous is not None:
        before = {
            a.item_id: (a.series_code, a.eligible_on.isoformat() if a.eligible_on else "")
            for a in compute(session, previous, today)
        }
    changes: list[Change] = []
    for a in assignments:
        row = stored.get(a.item_id)
        eligible = a.eligible_on.isoformat() if a.eligible_on else ""
        if row is None:
            row = ItemRetention(item_id=a.item_id)
            session.add(row)
        old_series, old_eligible = before.get(a.item_id, ("", ""))
        if (old_series, old_eligible) != (a.series_code, eligible):
            changes.append(Change(a.item_id, old_series, a.series_code, old_eligible, eligible))
        row.schedule_id, row.series_code, row.matched = schedule_id, a.series_code, a.matched
        row.trigger_date, row.eligible_on, row.computed_at = a.trigger_date, a.eligible_on, now
    session.flush()
    return assignments, changes


def assign_items(session: Session, item_ids: Collection[int], now: datetime) -> None:
    """Give newly recorded or changed items their series and eligible date under the active
    schedule (ingest and capture call this in their unit of work). No schedule loaded: nothing
    to do yet; ``retention load`` assigns every item."""
    row = session.scalars(
        select(RetentionSchedule)
        .where(RetentionSchedule.active.is_(True))
        .order_by(RetentionSchedule.id.desc())
    ).first()
    if row is None or not item_ids:
        return
    schedule = schedule_from_document(row.document)
    stored = {
        r.item_id: r
        for r in session.scalars(
            select(ItemRetention).where(ItemRetention.item_id.in_(list(item_ids)))
        )
    }
    for facts in item_facts(session, item_ids):
        a = assign(schedule, facts, now.date())
        retention = stored.get(a.item_id)
        if retention is None:
            retention = ItemRetention(item_id=a.item_id)
            session.add(retention)
        retention.schedule_id, retention.series_code = row.id, a.series_code
        retention.matched, retention.trigger_date = a.matched, a.trigger_date
        retention.eligible_on, retention.computed_at = a.eligible_on, now
    session.flush()


def load_schedule(archive: Archive, actor: Actor, path: Path | None = None) -> LoadResult:
    """Load a schedule version (``path``, else the config's ``[retention] schedule``). The
    previous version is kept (inactive); every item's series and eligible date are recomputed;
    the result lists what changed and what no series matched."""
    actor.require("retention.manage")
    path = path or archive.settings.retention_schedule
    if path is None:
        raise ConfigError(
            "no retention schedule file was named",
            hint="Pass the file (`archiver retention load FILE`) or set [retention] schedule in "
            "the config.",
        )
    schedule, document, digest = load_schedule_file(path)
    now = archive.clock()
    with archive.unit() as session:
        previous = session.scalars(
            select(RetentionSchedule).where(RetentionSchedule.active.is_(True))
        ).all()
        for old in previous:
            old.active = False
        row = RetentionSchedule(
            name=schedule.name,
            version=schedule.version,
            adopted_by=schedule.adopted_by,
            adopted_on=schedule.adopted_on,
            source=path.name,
            sha256=digest,
            document=document,
            active=True,
            loaded_at=now,
            loaded_by=actor.login,
        )
        session.add(row)
        session.flush()
        earlier = schedule_from_document(previous[-1].document) if previous else None
        assignments, changes = refresh_assignments(
            session, row.id, schedule, now.date(), now, earlier
        )
        result = LoadResult(
            schedule_id=row.id,
            version=schedule.version,
            previous_version=previous[-1].version if previous else "",
            items=len(assignments),
            unmatched=[a.item_id for a in assignments if not a.matched],
            changes=changes,
        )
        for a in assignments:
            result.by_series[a.series_code] = result.by_series.get(a.series_code, 0) + 1
        audit.record(
            session,
            actor,
            "retention.schedule_loaded",
            now=now,
            object_type="retention_schedule",
            object_id=row.id,
            details={
                "version": schedule.version,
                "previous_version": result.previous_version,
                "sha256": digest,
                "source": path.name,
                "items": result.items,
                "unmatched": len(result.unmatched),
                "changed": len(changes),
            },
        )
    from archiver.search.indexing import index_changed  # search builds on retention

    index_changed(archive, [c.item_id for c in changes if c.before != c.after])  # series field
    return result


def show_schedule(archive: Archive) -> tuple[Schedule, dict[str, object]]:
    """The active schedule, and facts about it (loaded when/by whom, earlier versions)."""
    with archive.db.read() as session:
        row, schedule = active_schedule(session)
        versions = session.execute(
            select(RetentionSchedule.version, RetentionSchedule.loaded_at).order_by(
                RetentionSchedule.id
            )
        ).all()
        return schedule, {
            "id": row.id,
            "version": row.version,
            "loaded_at": row.loaded_at.isoformat(),
            "loaded_by": row.loaded_by,
            "sha256": row.sha256,
            "source": row.source,
            "versions": [{"version": v, "loaded_at": t.isoformat()} for v, t in versions],
        }


def item_sizes(session: Session, item_ids: Collection[int] | None = None) -> dict[int, int]:
    """Bytes of WARC payload each item's versions point at (a shared export counts once per
    item: the figure is what the item keeps alive, not what destroying it frees)."""
    query = (
        select(ItemVersion.item_id, func.sum(WarcRecord.payload_length))
        .join(WarcRecord, ItemVersion.warc_record_id == WarcRecord.id)
        .group_by(ItemVersion.item_id)
    )
    if item_ids is not None:
        query = query.where(ItemVersion.item_id.in_(list(item_ids)))
    return {i: int(s or 0) for i, s in session.execute(query).all()}


def retention_report(archive: Archive, *, today: date | None = None) -> RetentionReport:
    """What is eligible for disposition today, by series, with counts and sizes."""
    today = today or archive.clock().date()
    with archive.db.read() as session:
        _row, schedule = active_schedule(session)
        assignments = compute(session, schedule, today)
        sizes = item_sizes(session)
    rows: list[SeriesReport] = []
    for series in schedule.series:
        mine = [a for a in assignments if a.series_code == series.code]
        eligible = [a for a in mine if a.eligible]
        upcoming = sorted(a.eligible_on for a in mine if a.eligible_on and not a.eligible)
        rows.append(
            SeriesReport(
                code=series.code,
                title=series.title,
                action=series.action,
                retention=series.retention,
                trigger=series.trigger,
                citation=series.citation,
                items=len(mine),
                eligible=len(eligible),
                eligible_bytes=sum(sizes.get(a.item_id, 0) for a in eligible),
                pending_trigger=sum(1 for a in mine if a.trigger_date is None),
                next_eligible_on=upcoming[0].isoformat() if upcoming else "",
            )
        )
    return RetentionReport(
        version=schedule.version,
        as_of=today.isoformat(),
        series=rows,
        unmatched=[a.item_id for a in assignments if not a.matched],
    )
