"""The nightly job's two hand-offs to other subsystems, each one function.

``ingest_export`` is the ingest pipeline (``archiver.ingest``) for an export dropped in the
inbox. ``update_index`` is where the search index's incremental update goes; until the search
index is part of this build it reports that it did not run.
"""

from __future__ import annotations

from pathlib import Path

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.ingest import ingest

INDEX_NOT_BUILT = "skipped: the search index is not part of this build"


def ingest_export(archive: Archive, actor: Actor, path: Path) -> dict[str, int]:
    """Ingest one export (a folder or a zip) as ``archiver ingest`` would, without
    ``--complete`` (an export dropped in the inbox is not known to hold everything, so nothing
    is marked missing); returns its item counts (new, changed, unchanged, missing, reappeared).

    Raises the pipeline's ArchiverError, whose message says why the export was refused."""
    result = ingest(archive, actor, path)
    return {**result.totals().as_dict(), "capture_id": result.capture_id or 0}


def update_index(archive: Archive, actor: Actor) -> str:
    """Bring the search index up to date with the archive; returns a one-line status."""
    return INDEX_NOT_BUILT
