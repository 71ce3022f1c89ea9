"""Keeping the index in step with the store: incremental updates, rebuild, verification."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from archiver import audit
from archiver.actors import SYSTEM, Actor
from archiver.archive import Archive
from archiver.db.models import Item
from archiver.errors import Busy
from archiver.search.documents import BATCH, build_documents, iter_all_documents
from archiver.search.interface import IndexDocument, IndexWriter, SearchIndex
from archiver.search.pending import PendingIds
from archiver.search.whoosh_index import WhooshIndex

WRITER_TIMEOUT = 30.0  # seconds a writer waits for another before "index busy"

Progress = Callable[[int, int], None]  # (done, total)


@contextmanager
def open_index(archive: Archive, *, procs: int = 1) -> Iterator[SearchIndex]:
    """The archive's search index (in ``settings.index_dir``), closed afterwards."""
    engine = WhooshIndex(archive.settings.index_dir, procs=procs)
    try:
        yield engine
    finally:
        engine.close()


def pending_ids(archive: Archive) -> PendingIds:
    return PendingIds(archive.settings.index_dir.with_name("index.pending"))


def index_items(
    archive: Archive, item_ids: Iterable[int], *, timeout: float = WRITER_TIMEOUT
) -> int:
    """Bring the index documents of ``item_ids`` up to date with the store, in one index commit
    (called by ingest after its transaction commits, and by whatever changes an item's state).
    Items no longer in the store are removed from the index. Ids queued by an earlier writer that
    found the index busy are taken too. Returns how many documents were written.

    If another process holds the index past ``timeout`` seconds, the ids are queued and ``Busy``
    is raised: the next index update (or ``archiver index rebuild``) indexes them."""
    requested = sorted(set(item_ids))
    pending = pending_ids(archive)
    if not requested and not pending.path.exists():
        return 0
    taken: list[int] = []
    try:
        with open_index(archive) as engine, engine.writer(timeout) as writer:
            taken = pending.take()
            return _write(archive, writer, sorted(set(requested) | set(taken)))
    except Busy as busy:
        pending.add(sorted(set(requested) | set(taken)))
        raise Busy(
            f"{busy.message}; {len(requested)} items are queued for the next index update",
            hint="They are indexed by the next ingest or `archiver index rebuild`; "
            "`archiver index verify` lists them meanwhile.",
        ) from None
    except BaseException:
        pending.add(sorted(set(requested) | set(taken)))
        raise


def _write(archive: Archive, writer: IndexWriter, ids: list[int]) -> int:
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with archive.db.read() as session:
            documents, gone = build_documents(session, chunk, archive.settings.timezone)
        for document in documents:
            writer.put(document)
        for item_id in gone:
            writer.delete(item_id)
        written += len(documents)
    return written


def rebuild_index(
    archive: Archive,
    actor: Actor = SYSTEM,
    *,
    progress: Progress | None = None,
    procs: int = 1,
    timeout: float = WRITER_TIMEOUT,
) -> int:
    """Rebuild the whole index from the store, beside the old one, then swap it in."""
    actor.require("index.manage")
    with archive.db.read() as session:
        total = session.scalar(select(func.count()).select_from(Item)) or 0
    with open_index(archive, procs=procs) as engine:
        count = engine.rebuild(_counted(_all_documents(archive), total, progress), timeout)
    index_items(archive, [], timeout=timeout)  # what was queued while the rebuild ran
    with archive.unit() as session:
        audit.record(
            session,
            actor,
            "index.rebuilt",
            now=archive.clock(),
            object_type="index",
            details={"documents": count},
        )
    return count


def _all_documents(archive: Archive) -> Iterator[IndexDocument]:
    with archive.db.read() as session:
        yield from iter_all_documents(session, archive.settings.timezone)


def _counted(
    documents: Iterable[IndexDocument], total: int, progress: Progress | None
) -> Iterator[IndexDocument]:
    for done, document in enumerate(documents, 1):
        yield document
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)


@dataclass(frozen=True)
class IndexDifference:
    """``missing``: in the store, not in the index; ``extra``: in the index, not in the store;
    ``stale``: the index holds an older state of the item; ``duplicate``: indexed twice."""

    kind: str
    item_id: int
    detail: str


@dataclass(frozen=True)
class IndexReport:
    items_in_store: int
    documents_in_index: int
    differences: list[IndexDifference] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)  # ids waiting for the next index update

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def verify_index(archive: Archive) -> IndexReport:
    """Compare every document of the index with what the store says it should be."""
    indexed: dict[int, str] = {}
    differences: list[IndexDifference] = []
    documents = 0
    with open_index(archive) as engine:
        for item_id, digest in engine.digests():
            documents += 1
            if item_id in indexed:
                differences.append(IndexDifference("duplicate", item_id, "indexed more than once"))
            indexed[item_id] = digest
    stored = 0
    with archive.db.read() as session:
        for document in iter_all_documents(session, archive.settings.timezone):
            stored += 1
            have = indexed.pop(document.item_id, None)
            if have is None:
                differences.append(
                    IndexDifference("missing", document.item_id, "in the store, not in the index")
                )
            elif have != document.digest:
                differences.append(
                    IndexDifference(
                        "stale", document.item_id, "the index holds an older state of the item"
                    )
                )
    differences += [
        IndexDifference("extra", item_id, "in the index, not in the store")
        for item_id in sorted(indexed)
    ]
    differences.sort(key=lambda d: (d.item_id, d.kind))
    return IndexReport(stored, documents, differences, pending_ids(archive).peek())


def index_changed(archive: Archive, item_ids: Iterable[int]) -> None:
    """After a unit of work that changed items has committed (ingest, capture, a removal, a
    hold, a schedule, a disposition): bring their documents up to date, or drop those of
    destroyed items. If another process holds the index, the ids wait in its queue for the next
    update (``archiver index verify`` lists them): the change itself stands and is not reported
    as failed."""
    ids = sorted(set(item_ids))
    if ids:
        with suppress(Busy):
            index_items(archive, ids)
