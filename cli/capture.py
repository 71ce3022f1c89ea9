"""``archiver capture``: live capture of one account, on demand."""

from __future__ import annotations

import os

import typer

from archiver.capture.runner import CaptureOptions, CaptureResult
from archiver.jobs.nightly import capture_now, due_accounts

from .context import state
from .jobs import sigterm_unwinds
from .render import emit_json, err_console, ok, pairs, table

app = typer.Typer(help="Live capture from the platforms' APIs and the web.", no_args_is_help=True)


@app.command("run")
def run(
    ctx: typer.Context,
    account: str = typer.Option(
        ..., "--account", help="Id, platform:handle, handle or platform id."
    ),
    break_stale_lock: bool = typer.Option(
        False,
        "--break-stale-lock",
        help="Remove the lock a crashed run left (after reading its report).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Capture one account now (resuming its interrupted capture, if any)."""
    st = state(ctx)
    options = CaptureOptions(env=dict(os.environ))
    with sigterm_unwinds():
        result = capture_now(
            st.archive(), st.actor, account, options, break_stale_lock=break_stale_lock
        )
    if as_json:
        emit_json(result.as_dict())
    else:
        _print(result)
    if not result.ok:
        raise typer.Exit(result.exit_code)


@app.command("due")
def due(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the accounts with live capture configured, and whether the nightly job would
    capture them now."""
    archive = state(ctx).archive()
    rows = due_accounts(archive, archive.clock())
    if as_json:
        emit_json([{"account": d.account, "due": d.due, "reason": d.reason} for d in rows])
        return
    table(
        "Live capture",
        ["account", "due", "why"],
        [(d.account, "yes" if d.due else "no", d.reason) for d in rows],
    )


def _print(result: CaptureResult) -> None:
    c = result.counts
    if result.ok:
        ok(
            f"{result.account}: captured{' (resumed)' if result.resumed else ''} — "
            f"{c.new} new, {c.changed} changed, {c.unchanged} unchanged, {c.missing} missing, "
            f"{c.reappeared} back"
        )
    else:
        err_console.print(f"[red]error:[/red] {result.error}", highlight=False)
        if result.hint:
            err_console.print(result.hint, highlight=False, markup=False)
    pairs(
        f"capture {result.capture_id or '-'}",
        [
            ("outcome", result.outcome),
            ("complete", "yes" if result.complete else "no (nothing marked missing)"),
            ("pages", result.pages),
            ("requests", result.requests),
            ("waited", f"{result.waited_seconds:.0f} s"),
            *[("note", n) for n in result.notes],
        ],
    )
