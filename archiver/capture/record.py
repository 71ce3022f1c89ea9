"""Recording a captured page's items with the ingest pipeline's store (``archiver.ingest``).

The same ``ItemStore`` records exports and captures, so one place decides versions, states
(hidden, reappeared, missing from the source) and thread links (docs/ingest.md). What is
particular to capture is where an item came from: ``SourceRef.file`` is the ``WARC-Record-ID``
of the HTTP response it was read from (``position``: a JSON pointer into its body), and a media
file's bytes are the successful response that fetched its ``download_url`` (or its ``uri``).

A capture records in several units of work, one per page; recording is idempotent, so a page
recorded twice after a crash adds nothing. The closing call (``complete=True``, no items) marks
what the account's earlier captures of the same family (``facebook-api``, ``web-web``…) had
seen and this one did not see as missing from the source.

The follower count a connector read from the account's profile is recorded by
``record_followers`` with the function that records an export's follower lists
(``store_followers``): a dated snapshot with the count and no follower rows, unless the count
equals the latest snapshot's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Capture, WarcRecord
from archiver.governance import govern_recorded_items
from archiver.ingest.observations import mark_missing, store_followers
from archiver.ingest.store import CHUNK, ItemStore, KindCounts, SourceFile
from archiver.search.indexing import index_changed
from archiver.sources.base import FollowerList, NormalizedItem


def add_counts(total: KindCounts, more: KindCounts) -> None:
    for name in (f.name for f in fields(KindCounts)):
        setattr(total, name, getattr(total, name) + getattr(more, name))


def record_capture(
    archive: Archive,
    actor: Actor,
    account: int,
    items: Sequence[NormalizedItem],
    complete: bool,
    capture_id: int,
    fetched: Mapping[str, str] | None = None,
) -> KindCounts:
    """Record ``items`` of ``account`` (its id) observed by capture ``capture_id``; with
    ``complete``, close it by marking what it did not see. ``fetched``: the WARC-Record-ID of
    each media URL the page fetched successfully."""
    actor.require("capture.run")
    counts = KindCounts()
    changed: list[int] = []
    with archive.unit() as session:
        now = archive.clock()
        capture = session.get(Capture, capture_id)
        assert capture is not None and capture.account_id == account
        store = ItemStore(session, capture, now, _sources(session, items, fetched or {}))
        for item in items:
            store.add(account, item)
        store.finish()
        for kind_counts in store.counts.values():
            add_counts(counts, kind_counts)
        if complete:
            family = capture.source_format
            missing = mark_missing(session, account, family, now, seen_since=capture.started_at)
            for ids in missing.values():
                counts.missing += len(ids)
                store.changed_ids.extend(ids)
        govern_recorded_items(session, store.changed_ids, now)
        if store.changed_ids:
            audit.record(
                session,
                actor,
                "capture.recorded",
                now=now,
                object_type="capture",
                object_id=capture_id,
                details={"account_id": account, **counts.as_dict()},
            )
        changed = store.changed_ids
    index_changed(archive, changed)
    return counts


def record_followers(
    archive: Archive,
    actor: Actor,
    account: int,
    lists: Sequence[FollowerList],
    capture_id: int,
) -> KindCounts:
    """Record the follower counts a page of capture ``capture_id`` stated for ``account``:
    ``new`` counts the snapshots taken, ``unchanged`` the counts equal to the latest one."""
    actor.require("capture.run")
    with archive.unit() as session:
        now = archive.clock()
        capture = session.get(Capture, capture_id)
        assert capture is not None and capture.account_id == account
        record_ids = [f.source.file for f in lists if f.source.file]
        rows = session.scalars(select(WarcRecord).where(WarcRecord.record_id.in_(record_ids)))
        sources = {row.record_id: _source(row.record_id, row) for row in rows}
        counts = store_followers(session, account, capture, list(lists), sources, now)
        if counts.new:
            audit.record(
                session,
                actor,
                "capture.followers",
                now=now,
                object_type="capture",
                object_id=capture_id,
                details={"account_id": account, "follower_counts": [f.total for f in lists]},
            )
    return counts


def _sources(
    session: Session, items: Sequence[NormalizedItem], fetched: Mapping[str, str]
) -> dict[str, SourceFile]:
    """The WARC records the items were read from, by WARC-Record-ID, and the responses holding
    their media's bytes, by the media's ``uri``."""
    media = {
        ref.uri: record_id
        for item in items
        for ref in item.media
        if (record_id := fetched.get(ref.download_url or ref.uri))
    }
    record_ids = sorted({i.source.file for i in items if i.source.file} | set(media.values()))
    rows: dict[str, WarcRecord] = {}
    for chunk in _chunks(record_ids):
        query = select(WarcRecord).where(WarcRecord.record_id.in_(chunk))
        rows.update((row.record_id, row) for row in session.scalars(query))
    found = {name: _source(name, row) for name, row in rows.items()}
    found.update((uri, _source(uri, rows[rid])) for uri, rid in media.items() if rid in rows)
    return found


def _source(name: str, row: WarcRecord) -> SourceFile:
    return SourceFile(name, row.payload_length or 0, row.payload_sha256 or "", row.id)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
