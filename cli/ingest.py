"""``archiver ingest``: one platform export into the archive."""

from __future__ import annotations

from pathlib import Path

import typer

from archiver.ingest import IngestOptions, IngestResult, ingest

from .context import state
from .render import emit_json, err_console, ok, pairs, progress_bar, table


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The export: a zip, a folder, or a saved JSON file."),
    account: str | None = typer.Option(
        None, "--account", help="The registered account it belongs to (id or platform:handle)."
    ),
    complete: bool = typer.Option(
        False,
        "--complete/--partial",
        help="--complete: the export holds everything the account has, so items seen before "
        "and absent now are marked missing from source. --partial (default): mark nothing.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Ingest a platform export: keep every file in WARC, record items, versions, media and
    followers. Re-ingesting the same export adds nothing."""
    st = state(ctx)
    archive = st.archive()
    with progress_bar(enabled=not as_json and err_console.is_terminal) as progress:
        options = IngestOptions(account=account, complete=complete, progress=progress)
        result = ingest(archive, st.actor, path, options)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print(result)


def _print(result: IngestResult) -> None:
    if result.already_ingested is not None:
        ok(
            f"{result.source} was already ingested (capture {result.already_ingested}) for "
            f"{result.account}: nothing added"
        )
    else:
        ok(f"ingested {result.source} as capture {result.capture_id}")
    pairs(
        "",
        [
            ("format", result.layout),
            ("accounts", ", ".join(result.accounts)),
            ("files", f"{result.files} ({result.files_stored} stored, {result.files_reused} "
             "already in the archive)"),
            ("mode", "complete" if result.complete else "partial (nothing marked missing)"),
        ],
    )  # fmt: skip
    names = ("new", "changed", "unchanged", "missing", "reappeared")
    rows = [(kind, *(getattr(c, n) for n in names)) for kind, c in sorted(result.counts.items())]
    total = result.totals()
    rows.append(("total items", *(getattr(total, n) for n in names)))
    table("Summary", ["kind", *names], rows)
