"""The nightly job's two hand-offs to other subsystems, each one function.

``ingest_export`` is the ingest pipeline's entry point (``archiver.ingest``) and
``update_index`` the search index's incremental update (ingest indexes what it records; this
step indexes what writers that found the index busy left queued). Until the ingest is wired here,
its body says so: an export in the inbox then stays where it is and the run reports it as not
ingested.
"""

from __future__ import annotations

from pathlib import Path

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.errors import ArchiverError, ExitCode


class NotAvailable(ArchiverError):
    """A subsystem the nightly job hands work to is not part of this build."""

    exit_code = ExitCode.PARTIAL_FAILURE


def ingest_export(archive: Archive, actor: Actor, path: Path) -> dict[str, int]:
    """Ingest one export (a folder or a zip); returns counts (new, changed, missing…).

    Raises an ArchiverError whose message says why the export was refused."""
    actor.require("ingest.run")
    raise NotAvailable(
        f"{path.name}: the ingest pipeline is not part of this build; the export stays in the "
        "inbox",
        hint="Upgrade the archiver, or ingest it by hand when the ingest command is available.",
    )


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
