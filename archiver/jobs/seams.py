"""The nightly job's two hand-offs to other subsystems, each one function.

``ingest_export`` is the ingest pipeline (``archiver.ingest``) for an export dropped in the
inbox, and ``update_index`` the search index's incremental update (ingest indexes what it
records; this step indexes what writers that found the index busy left queued).
"""

from __future__ import annotations

from pathlib import Path

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.ingest import ingest


def ingest_export(archive: Archive, actor: Actor, path: Path) -> dict[str, int]:
    """Ingest one export (a folder or a zip) as ``archiver ingest`` would, without
    ``--complete`` (an export dropped in the inbox is not known to hold everything, so nothing
    is marked missing); returns its item counts (new, changed, unchanged, missing, reappeared).

    Raises the pipeline's ArchiverError, whose message says why the export was refused."""
    result = ingest(archive, actor, path)
    return {**result.totals().as_dict(), "capture_id": result.capture_id or 0}


def update_index(archive: Archive, actor: Actor) -> str:
    """Bring the search index up to date with the archive; returns a one-line status.

    Ingest indexes what it records as it goes; this takes the items queued by any writer that
    found the index busy."""
    from archiver.search.indexing import index_items, pending_ids

    queued = len(pending_ids(archive).peek())
    if not queued:
        return "up to date"
    written = index_items(archive, [])
    return f"indexed {written} queued items"
