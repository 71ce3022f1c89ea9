"""The nightly job's two hand-offs to other subsystems, each one function.

``ingest_export`` is the ingest pipeline's entry point (``archiver.ingest``) and
``update_index`` the search index's incremental update. Until those subsystems are part of this
build, these bodies say so: an export in the inbox then stays where it is and the run reports it
as not ingested; the index step reports that it did not run.
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
    """Bring the search index up to date with the archive; returns a one-line status."""
    return "skipped: the search index is not part of this build"
