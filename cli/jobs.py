"""``archiver jobs``: the scheduled work, for cron and systemd timers."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import typer

from archiver.capture.runner import CaptureOptions
from archiver.jobs.nightly import NightlyOptions, run_nightly, summary_text

from .context import state
from .render import console, emit_json

app = typer.Typer(help="Scheduled work (run from cron or a systemd timer).", no_args_is_help=True)


@app.command("nightly")
def nightly(
    ctx: typer.Context,
    break_stale_lock: bool = typer.Option(
        False,
        "--break-stale-lock",
        help="Remove the lock a crashed run left (after reading its report), then run.",
    ),
    everything: bool = typer.Option(
        False, "--all", help="Capture every enabled account, due or not."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    quiet: bool = typer.Option(
        False, "--quiet", help="Print the summary only when something failed (for cron mail)."
    ),
) -> None:
    """Capture every due account, ingest the inbox, update the index, write the run report.
    Exit 0: all succeeded; 11: some failed; 12: all failed; 10: locked."""
    st = state(ctx)
    options = NightlyOptions(
        capture=CaptureOptions(env=dict(os.environ)),
        break_stale_lock=break_stale_lock,
        everything=everything,
    )
    with sigterm_unwinds():
        report = run_nightly(st.archive(), st.actor, options)
    if as_json:
        emit_json(report.as_dict())
    elif report.exit_code or not quiet:
        console.print(summary_text(report), highlight=False, markup=False, end="")
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """systemd and `kill` send SIGTERM: unwind like an interrupt while the command runs, so the
    WARC unit in progress is cut back, the capture stays resumable and the run lock is released
    (not left stale)."""

    def _exit(signum: int, frame: FrameType | None) -> None:
        sys.exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
