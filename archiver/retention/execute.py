"""Executing a disposition batch: per-record refusals, then real destruction.

1. Plan (one transaction): refuse, per entry, anything without both approvals, under two years
   old (Gov. Code § 34090(d)), under an active hold, no longer eligible under the active
   schedule, or that kept items reply to; list the WARC records to destroy, keeping any record
   that still holds kept items (an original export, see ADR 6).
2. One transaction per affected WARC file: write the file again without the destroyed records
   (verified, fsynced, under a new name), point the catalog at it, delete the destroyed
   records' rows; after the commit, remove the old file.
3. One transaction: delete the items (tombstones keep id, series, dates, digest, batch), write a
   PREMIS-style ``deletion`` event per record, complete the batch; then call ``on_destroyed``.

A crash at any point leaves every row pointing at bytes that exist, and running ``execute``
again finishes the batch (ADR 5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update
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
    WarcFile,
    WarcRecord,
)
from archiver.errors import IntegrityError
from archiver.holds.models import HoldItem
from archiver.retention import plan as planning
from archiver.retention.disposition import approvals_missing_of, find_batch
from archiver.retention.models import (
    DispositionEntry,
    DispositionRecord,
    ItemRetention,
    Tombstone,
    WarcRewrite,
)
from archiver.retention.rewrite import (
    Rewritten,
    file_lock,
    members,
    remove_file,
    rewrite_without,
    rewritten_name,
)

Checkpoint = Callable[[str], None]

# Called after a batch has destroyed items (and the search index has dropped them), with their
# ids. Hooks must be idempotent (a resumed batch calls them again).
on_destroyed: list[Callable[[Archive, list[int]], None]] = []
# Called in the transaction that deletes the items, before the rows go: subsystems whose tables
# point at items (removals, requests) delete or detach their rows here.
on_destroying: list[Callable[[Session, list[int]], None]] = []


def _detach_dependents(session: Session, ids: list[int]) -> None:
    """Before item rows go: the removal trail (the City's record of its own moderation
    decisions) is detached, not deleted; then any registered hooks run."""
    from archiver.removals.disposal import detach_destroyed_items  # removals builds on retention

    detach_destroyed_items(session, ids)
    for hook in on_destroying:
        hook(session, ids)


@dataclass(frozen=True)
class Refusal:
    item_id: int | None
    capture_source_id: int | None
    reason: str


@dataclass
class ExecutionReport:
    batch_id: int
    status: str
    destroyed_items: list[int] = field(default_factory=list)
    destroyed_sources: list[int] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    records_destroyed: int = 0
    records_kept: list[dict[str, str]] = field(default_factory=list)
    files_rewritten: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _noop(_step: str) -> None:
    return None


def execute(
    archive: Archive, actor: Actor, batch_id: int, *, checkpoint: Checkpoint | None = None
) -> ExecutionReport:
    """Execute (or resume) a batch. Executing a completed batch again only finishes what a crash
    may have left (old files, ``on_destroyed`` hooks). ``checkpoint`` is called with each step's
    name; tests use it to stop execution between steps."""
    actor.require("disposition.execute")
    step = checkpoint or _noop
    with archive.unit() as session:
        batch = find_batch(session, batch_id)
        completed = batch.status == "completed"
        if not completed:
            missing = approvals_missing_of(batch.resolution_number, batch.consent_name)
            if missing:
                return _refuse_all(session, archive, actor, batch_id, missing)
            planning.plan(session, archive, actor, batch)
    step("planned")
    finish_rewrites(archive, batch_id)
    if not completed:
        for name in _pending_files(archive, batch_id):
            _rewrite_file(archive, actor, batch_id, name, step)
        step("files_rewritten")
        _delete_rows(archive, actor, batch_id)
        step("rows_deleted")
    result = report(archive, batch_id)
    if result.destroyed_items:
        from archiver.search.indexing import index_changed  # search builds on retention

        index_changed(archive, result.destroyed_items)  # destroyed content leaves the index
        for hook in on_destroyed:
            hook(archive, result.destroyed_items)
    return result


def _refuse_all(
    session: Session, archive: Archive, actor: Actor, batch_id: int, missing: list[str]
) -> ExecutionReport:
    reason = "approvals missing: " + "; ".join(missing)
    entries = session.scalars(
        select(DispositionEntry).where(
            DispositionEntry.batch_id == batch_id, DispositionEntry.status == "pending"
        )
    ).all()
    refusals = [Refusal(e.item_id, e.capture_source_id, reason) for e in entries]
    audit.record(
        session,
        actor,
        "disposition.refused",
        now=archive.clock(),
        object_type="disposition_batch",
        object_id=batch_id,
        details={"reason": reason, "entries": len(refusals)},
    )
    batch = find_batch(session, batch_id)
    return ExecutionReport(batch_id, batch.status, refusals=refusals)


def finish_rewrites(archive: Archive, batch_id: int) -> None:
    """Finish what a crash interrupted: remove old files whose rewrite committed, and remove
    new files (and partial files) whose rewrite did not."""
    with archive.unit() as session:
        for rewrite in session.scalars(
            select(WarcRewrite).where(
                WarcRewrite.batch_id == batch_id, WarcRewrite.status == "rewritten"
            )
        ):
            remove_file(archive.warcs, rewrite.old_name)
            rewrite.status = "done"
        known = set(session.scalars(select(WarcFile.name)))
    suffix = f"-d{batch_id}.warc.gz"
    for name in archive.warcs.files():
        if name.endswith(suffix) and name not in known:
            remove_file(archive.warcs, name)
    for part in archive.warcs.directory.glob(f".*{suffix}.part"):
        part.unlink()


def _pending_files(archive: Archive, batch_id: int) -> list[str]:
    with archive.db.read() as session:
        return sorted(
            set(
                session.scalars(
                    select(DispositionRecord.warc_file).where(
                        DispositionRecord.batch_id == batch_id,
                        DispositionRecord.status == "pending",
                    )
                )
            )
        )


def _rewrite_file(
    archive: Archive, actor: Actor, batch_id: int, name: str, step: Checkpoint
) -> None:
    with file_lock(archive.warcs, name), archive.unit() as session:
        now = archive.clock()
        planning.keep_newly_held(session, batch_id)
        drop = set(
            session.scalars(
                select(DispositionRecord.record_id).where(
                    DispositionRecord.batch_id == batch_id,
                    DispositionRecord.warc_file == name,
                    DispositionRecord.status == "pending",
                )
            )
        )
        if not drop:
            return
        drop |= planning.add_dependents(session, batch_id, name, members(archive.warcs, name), drop)
        result = rewrite_without(archive.warcs, name, drop, rewritten_name(name, batch_id))
        step("file_written")
        _repoint_catalog(session, name, result.new_name, result.kept, drop, now, result)
        for record in session.scalars(
            select(DispositionRecord).where(
                DispositionRecord.batch_id == batch_id,
                DispositionRecord.record_id.in_(sorted(drop)),
                DispositionRecord.status == "pending",
            )
        ):
            record.status = "destroyed"
        rewrite = WarcRewrite(
            batch_id=batch_id,
            old_name=name,
            new_name=result.new_name,
            old_size=result.old_size,
            new_size=result.new_size,
            old_sha256=result.old_sha256,
            new_sha256=result.new_sha256,
            records_removed=len(result.removed),
            records_kept=len(result.kept),
            status="rewritten",
            rewritten_at=now,
        )
        session.add(rewrite)
        audit.record(
            session,
            actor,
            "warc.rewritten",
            now=now,
            object_type="warc_file",
            object_id=name,
            details={
                "batch": batch_id,
                "new_name": result.new_name,
                "old_sha256": result.old_sha256,
                "new_sha256": result.new_sha256,
                "records_removed": list(result.removed),
                "records_kept": len(result.kept),
            },
        )
        step("before_commit")
    step("committed")
    finish_rewrites(archive, batch_id)


def _repoint_catalog(
    session: Session,
    old_name: str,
    new_name: str,
    kept: dict[str, tuple[int, int]],
    drop: set[str],
    now: datetime,
    result: Rewritten,
) -> None:
    old = session.scalars(select(WarcFile).where(WarcFile.name == old_name)).one()
    new = WarcFile(
        name=new_name,
        created_at=now,
        closed_at=now,
        size=result.new_size,
        sha256=result.new_sha256,
    )
    session.add(new)
    session.flush()
    for row in session.scalars(select(WarcRecord).where(WarcRecord.warc_file_id == old.id)):
        if row.record_id in drop:
            for model in (ItemVersion, Media, CaptureSource, FollowerSnapshot):
                session.execute(
                    update(model).where(model.warc_record_id == row.id).values(warc_record_id=None)
                )
            session.delete(row)
        elif row.record_id in kept:
            row.warc_file_id, row.offset = new.id, kept[row.record_id][0]
        else:
            raise IntegrityError(
                f"record {row.record_id} is in the catalog for {old_name} but not in the file",
                hint="Run `archiver verify` and restore the file from backup before disposing.",
            )
    session.flush()
    session.delete(old)
    session.flush()


def _delete_rows(archive: Archive, actor: Actor, batch_id: int) -> None:
    now = archive.clock()
    with archive.unit() as session:
        batch = find_batch(session, batch_id)
        entries = session.scalars(
            select(DispositionEntry).where(
                DispositionEntry.batch_id == batch_id, DispositionEntry.status == "destroying"
            )
        ).all()
        item_entries = {e.item_id: e for e in entries if e.item_id is not None}
        # a hold placed while a resumed batch ran may have kept a reply: keep its thread too
        for item_id, reason in planning.dependent_reasons(session, set(item_entries)).items():
            entry = item_entries.pop(item_id)
            entry.status, entry.reason, entry.decided_at = "refused", reason, now
        entries = [e for e in entries if e.status == "destroying"]
        ids = sorted(item_entries)
        _detach_dependents(session, ids)
        items = session.scalars(select(Item).where(Item.id.in_(ids))).all()
        session.execute(update(Item).where(Item.id.in_(ids)).values(parent_id=None, root_id=None))
        for model in (ItemVersion, Media, ItemRetention, HoldItem):
            session.execute(delete(model).where(model.item_id.in_(ids)))
        authority = {
            "resolution": f"{batch.resolution_number} ({batch.resolution_date})",
            "consent": f"{batch.consent_name}, {batch.consent_title} ({batch.consent_date})",
        }
        for item in items:
            entry = item_entries[item.id]
            session.add(
                Tombstone(
                    item_id=item.id,
                    account_id=item.account_id,
                    platform=item.platform,
                    kind=item.kind,
                    series_code=entry.series_code,
                    created_at=item.created_at,
                    first_seen_at=item.first_seen_at,
                    eligible_on=entry.eligible_on,
                    destroyed_at=now,
                    content_hash=item.content_hash,
                    batch_id=batch_id,
                )
            )
            _premis(
                session, actor, now, "item", item.id, entry, batch_id, authority, item.content_hash
            )
            session.delete(item)
        for entry in entries:
            if entry.capture_source_id is not None:
                _premis(
                    session,
                    actor,
                    now,
                    "capture_source",
                    entry.capture_source_id,
                    entry,
                    batch_id,
                    authority,
                    "",
                )
            entry.status, entry.decided_at = "destroyed", now
        batch.status, batch.completed_at = "completed", now
        audit.record(
            session,
            actor,
            "disposition.completed",
            now=now,
            object_type="disposition_batch",
            object_id=batch_id,
            details={"items_destroyed": len(items), **authority},
        )


def _premis(
    session: Session,
    actor: Actor,
    now: datetime,
    object_type: str,
    object_id: int,
    entry: DispositionEntry,
    batch_id: int,
    authority: dict[str, str],
    content_hash: str,
) -> None:
    audit.record(
        session,
        actor,
        "premis.deletion",
        now=now,
        object_type=object_type,
        object_id=object_id,
        details={
            "eventType": "deletion",
            "eventDetail": f"destroyed under retention series {entry.series_code} "
            f"({entry.retention}); {entry.citation}",
            "eventOutcome": "success",
            "linkingAgent": actor.login,
            "batch": batch_id,
            "eligible_on": entry.eligible_on.isoformat() if entry.eligible_on else "",
            "content_hash": content_hash,
            **authority,
        },
    )


def report(archive: Archive, batch_id: int) -> ExecutionReport:
    with archive.db.read() as session:
        batch = find_batch(session, batch_id)
        entries = session.scalars(
            select(DispositionEntry).where(DispositionEntry.batch_id == batch_id)
        ).all()
        records = session.scalars(
            select(DispositionRecord).where(DispositionRecord.batch_id == batch_id)
        ).all()
        files = session.scalars(
            select(WarcRewrite.old_name).where(WarcRewrite.batch_id == batch_id)
        ).all()
        return ExecutionReport(
            batch_id=batch_id,
            status=batch.status,
            destroyed_items=sorted(
                e.item_id for e in entries if e.status == "destroyed" and e.item_id is not None
            ),
            destroyed_sources=sorted(
                e.capture_source_id
                for e in entries
                if e.status == "destroyed" and e.capture_source_id is not None
            ),
            refusals=[
                Refusal(e.item_id, e.capture_source_id, e.reason)
                for e in entries
                if e.status == "refused"
            ],
            records_destroyed=sum(1 for r in records if r.status == "destroyed"),
            records_kept=[
                {"record_id": r.record_id, "file": r.warc_file, "role": r.role, "reason": r.reason}
                for r in records
                if r.status == "kept"
            ],
            files_rewritten=sorted(files),
        )
