"""``ingest``: one platform export (zip, folder or saved file) into the archive.

1. Open the export safely (``archiver.sources.files``): every file is checked and measured.
2. Pick the reader by content (``archiver.sources.registry``) and match the export to a
   registered account (``archiver.ingest.matching``).
3. If the account's latest capture of this kind was this very export (same files, same bytes),
   stop: nothing is added.
4. In one WARC unit of work: a capture row (provenance), every original file as a WARC
   ``resource`` record, the items and their versions linked to the record and position they came
   from, media, follower snapshots, ``missing_from_source`` marks for a complete export, the
   capture's counts and one audit event. Any failure rolls the transaction back and cuts the
   WARC bytes off again: nothing is half-ingested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import __version__, audit
from archiver.actors import Actor
from archiver.archive import Archive, WarcUnit
from archiver.db.models import Account, Capture, CaptureSource
from archiver.governance import govern_recorded_items
from archiver.ingest.matching import hint_with_file_name, match_platform_id, resolve_account
from archiver.ingest.observations import mark_missing, store_files, store_followers
from archiver.ingest.store import ItemStore, KindCounts, SourceFile
from archiver.search.indexing import index_changed
from archiver.sources import registry
from archiver.sources.base import AccountHint, Reader
from archiver.sources.files import ExportLimits, ExportSource, open_export

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class IngestOptions:
    account: str | None = None  # --account: id, platform:handle, handle or platform id
    complete: bool = False  # the export holds everything the account has (--complete)
    limits: ExportLimits = field(default_factory=ExportLimits)
    batch_size: int = 1000
    progress: Progress | None = None
    update_index: bool = True  # False: leave indexing to the caller (benchmarks measure it apart)


@dataclass
class IngestResult:
    source: str
    layout: str
    platform: str
    account: str
    complete: bool
    export_sha256: str
    files: int
    bytes: int
    capture_id: int | None = None
    already_ingested: int | None = None  # the capture that holds this exact export already
    files_stored: int = 0
    files_reused: int = 0
    counts: dict[str, KindCounts] = field(default_factory=dict)
    accounts: list[str] = field(default_factory=list)
    changed_item_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = {k: v.as_dict() for k, v in sorted(self.counts.items())}
        return data

    def totals(self) -> KindCounts:
        total = KindCounts()
        for kind, counts in self.counts.items():
            if kind == "follower_snapshot":
                continue
            for name, value in counts.as_dict().items():
                setattr(total, name, getattr(total, name) + value)
        return total


def ingest(
    archive: Archive, actor: Actor, path: Path, options: IngestOptions | None = None
) -> IngestResult:
    """Ingest one export; see the module docstring and docs/ingest.md."""
    actor.require("ingest.run")
    options = options or IngestOptions()
    with open_export(path, options.limits) as export:
        reader_class = registry.detect(export, source=path.name)
        reader = reader_class(export)
        hint = hint_with_file_name(
            reader.account(), path, reader.layout, explicit=bool(options.account)
        )
        with archive.db.read() as session:
            account = resolve_account(
                session, hint, options.account, source=path.name, layout=reader.layout
            )
            family = reader_class.layout
            previous = _identical_capture(session, account.id, export, family, options.complete)
        result = IngestResult(
            source=path.name,
            layout=reader.layout,
            platform=reader.platform,
            account=f"{account.platform}:{account.handle}",
            complete=options.complete,
            export_sha256=export.digest,
            files=len(export.entries),
            bytes=export.total_bytes,
        )
        if previous is not None:
            return _already_ingested(result, previous)
        job = _Job(archive, actor, path, export, reader, family, account, hint, options, result)
        job.run()
    if options.update_index:
        index_changed(archive, result.changed_item_ids)
    return result


def _already_ingested(result: IngestResult, previous: Capture) -> IngestResult:
    result.already_ingested = previous.id
    result.files_reused = result.files
    result.accounts = [result.account]
    for kind, values in (previous.counts or {}).get("kinds", {}).items():
        seen = sum(values.get(k, 0) for k in ("new", "changed", "unchanged"))
        result.counts[kind] = KindCounts(unchanged=seen)
    return result


@dataclass
class _Job:
    """One ingest's steps, in one WARC unit of work."""

    archive: Archive
    actor: Actor
    path: Path
    export: ExportSource
    reader: Reader
    family: str
    account: Account
    hint: AccountHint
    options: IngestOptions
    result: IngestResult

    def run(self) -> None:
        info = {
            "export": self.path.name,
            "export-sha256": self.export.digest,
            "export-format": self.reader.layout,
        }
        with self.archive.warc_unit(self.actor, info=info) as unit:
            capture = self._open_capture(unit)
            sources, written = store_files(
                unit, self.export, capture, self.reader.platform, self.options.progress
            )
            self.result.files_stored = written
            self.result.files_reused = len(sources) - written
            self._record(unit.session, capture, sources, unit.now)
            self._close_capture(unit.session, capture, unit.now)
            if self.options.progress:
                self.options.progress("committing", 1, 1)

    def _open_capture(self, unit: WarcUnit) -> Capture:
        capture = Capture(
            account_id=self.account.id,
            source_kind="export",
            source_format=self.reader.layout,
            source_path=str(self.path),
            complete=self.options.complete,
            operator=self.actor.login,
            tool_version=__version__,
            started_at=unit.now,
            outcome="running",
            counts={},
        )
        unit.session.add(capture)
        unit.session.flush()
        unit.capture_id = capture.id  # WARC records written from here on point at it
        return capture

    def _record(
        self, session: Session, capture: Capture, sources: dict[str, SourceFile], now: datetime
    ) -> None:
        """Items and versions, follower snapshots, and (complete exports) what is missing."""
        store = ItemStore(session, capture, now, sources, batch_size=self.options.batch_size)
        route = _Router(session, self.account, self.hint)
        progress = self.options.progress
        for number, item in enumerate(self.reader.items(), 1):
            store.add(route(item.platform, item.account_platform_id), item)
            if progress and number % 500 == 0:
                progress("reading items", number, None)
        store.finish()
        followers = list(self.reader.followers())
        if followers:
            store.counts["follower_snapshot"] = store_followers(
                session, self.account.id, capture, followers, sources, now
            )
        if self.options.complete:
            for account_id in store.seen_accounts | {self.account.id}:
                for kind, ids in mark_missing(session, account_id, self.family, now).items():
                    store.count(kind).missing += len(ids)
                    store.changed_ids.extend(ids)
        govern_recorded_items(session, store.changed_ids, now)
        self.result.counts = store.counts
        self.result.changed_item_ids = store.changed_ids
        self.result.accounts = route.names()

    def _close_capture(self, session: Session, capture: Capture, now: datetime) -> None:
        result = self.result
        result.capture_id = capture.id
        kinds = {k: v.as_dict() for k, v in sorted(result.counts.items())}
        capture.counts = {
            "export_sha256": self.export.digest,
            "files": result.files,
            "files_stored": result.files_stored,
            "bytes": result.bytes,
            "kinds": kinds,
        }
        capture.finished_at, capture.outcome = self.archive.clock(), "succeeded"
        audit.record(
            session,
            self.actor,
            "ingest.completed",
            now=now,
            object_type="capture",
            object_id=capture.id,
            details={
                "source": self.path.name,
                "format": self.reader.layout,
                "accounts": result.accounts,
                "complete": self.options.complete,
                "export_sha256": self.export.digest,
                "files": result.files,
                "counts": kinds,
            },
        )


class _Router:
    """Which registered account each item belongs to: the export's own, or (for captures that
    hold several accounts, such as a Graph API capture of a Page and its Instagram) the one whose
    platform id the item names."""

    def __init__(self, session: Session, primary: Account, hint: AccountHint) -> None:
        self.session = session
        self.primary = primary
        self.hint = hint
        self.cache: dict[tuple[str, str], Account] = {}

    def __call__(self, platform: str, platform_account_id: str) -> int:
        primary = self.primary
        own = (primary.platform_account_id, self.hint.platform_account_id)
        if not platform_account_id or (platform == primary.platform and platform_account_id in own):
            return primary.id
        key = (platform, platform_account_id)
        if key not in self.cache:
            self.cache[key] = match_platform_id(self.session, platform, platform_account_id)
        return self.cache[key].id

    def names(self) -> list[str]:
        accounts = [self.primary, *self.cache.values()]
        return sorted({f"{a.platform}:{a.handle}" for a in accounts})


def _identical_capture(
    session: Session, account_id: int, export: ExportSource, family: str, complete: bool
) -> Capture | None:
    """The account's latest capture of this family, if it ingested exactly these files (and was
    at least as complete): re-ingesting it would add nothing."""
    latest = session.scalars(
        select(Capture)
        .where(
            Capture.account_id == account_id,
            Capture.outcome == "succeeded",
            Capture.source_format.startswith(family, autoescape=True),
        )
        .order_by(Capture.started_at.desc(), Capture.id.desc())
        .limit(1)
    ).first()
    if latest is None or (complete and not latest.complete):
        return None
    if (latest.counts or {}).get("export_sha256") not in (None, export.digest):
        return None
    files = {
        (name, sha256)
        for name, sha256 in session.execute(
            select(CaptureSource.name, CaptureSource.sha256).where(
                CaptureSource.capture_id == latest.id
            )
        )
    }
    ours = {(e.name, e.sha256) for e in export.entries.values()}
    return latest if files == ours else None
