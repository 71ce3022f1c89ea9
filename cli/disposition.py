"""``archiver disposition``: batches, approvals, execution and certificates."""

from __future__ import annotations

from pathlib import Path

import typer

from archiver.errors import ExitCode
from archiver.retention.certificate import write_certificate
from archiver.retention.disposition import (
    BatchView,
    batch_entries,
    list_batches,
    propose,
    record_consent,
    record_resolution,
    show_batch,
)
from archiver.retention.execute import execute as execute_batch

from .context import parse_date, state
from .render import emit_json, human_size, ok, pairs, table, warn

app = typer.Typer(
    help="Lawful destruction of records the schedule makes eligible.", no_args_is_help=True
)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _print(view: BatchView) -> None:
    pairs(
        f"Disposition batch {view.id} ({view.status})",
        [
            ("schedule", view.schedule_version),
            ("proposed", f"{view.proposed_at[:19]} by {view.proposed_by}"),
            ("entries", ", ".join(f"{k}: {v}" for k, v in sorted(view.by_status.items()))),
            ("resolution", f"{view.resolution_number} {view.resolution_date}".strip()),
            ("consent", f"{view.consent_name} {view.consent_title} {view.consent_date}".strip()),
            ("executed", f"{view.started_at[:19]} – {view.completed_at[:19]} {view.executed_by}"),
        ],
    )
    table(
        "By series",
        ["series", "citation", "entries", "size"],
        [(s.code, s.citation, s.entries, human_size(s.bytes)) for s in view.series],
    )
    for missing in view.approvals_missing if view.status == "proposed" else []:
        warn(f"missing: {missing}")


@app.command("propose")
def propose_(
    ctx: typer.Context,
    series: list[str] = typer.Option([], "--series", help="Only this series (repeatable)."),
    note: str = typer.Option("", help="A note for the council and the city attorney."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a batch of everything eligible for destruction today (held items left out)."""
    st = state(ctx)
    view = propose(st.archive(), st.actor, series=series, note=note)
    if as_json:
        emit_json(view.as_dict())
        return
    ok(f"batch {view.id} proposed: {view.entries} records")
    if view.excluded_held:
        warn(f"{len(view.excluded_held)} eligible items are under legal hold and were left out")
    _print(view)


@app.command("show")
def show(
    ctx: typer.Context,
    batch: int | None = typer.Argument(None, help="Batch id; none lists every batch."),
    entries: bool = typer.Option(False, "--entries", help="List every entry."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a batch (or list batches): approvals, status, series, entries."""
    archive = state(ctx).archive()
    if batch is None:
        views = list_batches(archive)
        if as_json:
            emit_json([v.as_dict() for v in views])
            return
        table(
            "Disposition batches",
            ["id", "status", "schedule", "proposed", "entries", "resolution", "consent"],
            [
                (
                    v.id,
                    v.status,
                    v.schedule_version,
                    v.proposed_at[:10],
                    v.entries,
                    v.resolution_number,
                    v.consent_name,
                )
                for v in views
            ],
        )
        return
    view = show_batch(archive, batch)
    rows = batch_entries(archive, batch) if entries else []
    if as_json:
        emit_json({**view.as_dict(), "entry_list": rows})
        return
    _print(view)
    if rows:
        table("Entries", list(rows[0]), [list(r.values()) for r in rows])


@app.command("approve-resolution")
def approve_resolution(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id."),
    number: str = typer.Option(..., help="Council resolution number, e.g. 2026-31."),
    adopted_on: str = typer.Option(..., "--date", help="Date the council adopted it, YYYY-MM-DD."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record the council resolution approving the batch (records manager)."""
    st = state(ctx)
    view = record_resolution(
        st.archive(), st.actor, batch, number=number, adopted_on=parse_date(adopted_on)
    )
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(
            f"batch {view.id}: resolution {view.resolution_number} of "
            f"{view.resolution_date} recorded"
        )


@app.command("consent")
def consent(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id."),
    consented_on: str = typer.Option(
        ..., "--date", help="Date of the written consent, YYYY-MM-DD."
    ),
    title: str = typer.Option("", help="Your title, if the config does not give it."),
    statement: str = typer.Option("", help="The consent's wording (a standard text otherwise)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record the city attorney's written consent to the batch (city attorney only)."""
    st = state(ctx)
    view = record_consent(
        st.archive(),
        st.actor,
        batch,
        consented_on=parse_date(consented_on),
        statement=statement,
        title=title,
    )
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"batch {view.id}: consent of {view.consent_name}, {view.consent_title} recorded")


@app.command("execute")
def execute(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Destroy the batch's records, refusing (and listing) any that may not be destroyed.
    Running it again resumes an interrupted execution."""
    st = state(ctx)
    result = execute_batch(st.archive(), st.actor, batch)
    if as_json:
        emit_json(result.as_dict())
    else:
        ok(
            f"batch {result.batch_id} {result.status}: {len(result.destroyed_items)} items and "
            f"{len(result.destroyed_sources)} original exports destroyed, "
            f"{result.records_destroyed} WARC records removed from "
            f"{len(result.files_rewritten)} files"
        )
        for kept in result.records_kept:
            warn(f"kept {kept['role']} {kept['record_id']}: {kept['reason']}")
        if result.refusals:
            table(
                "Refused",
                ["item", "original export", "reason"],
                [(r.item_id or "", r.capture_source_id or "", r.reason) for r in result.refusals],
            )
    if result.refusals:
        some = result.destroyed_items or result.destroyed_sources
        raise typer.Exit(ExitCode.PARTIAL_FAILURE if some else ExitCode.TOTAL_FAILURE)


@app.command("certificate")
def certificate(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id (executed)."),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the certificate into."),
) -> None:
    """Write the certificate of destruction (HTML and JSON) of an executed batch."""
    for path in write_certificate(state(ctx).archive(), batch, out):
        ok(f"wrote {path}")
