"""``archiver retention``: the retention schedule, and what it makes eligible."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path

import typer

from archiver.retention.service import load_schedule, retention_report, show_schedule

from .context import parse_date, state
from .render import emit_json, human_size, ok, pairs, table, warn

app = typer.Typer(
    help="The City's retention schedule and what it makes eligible.", no_args_is_help=True
)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


@app.command("load")
def load(
    ctx: typer.Context,
    file: Path | None = typer.Argument(
        None, help="Schedule file (TOML or YAML); default: the config's [retention] schedule."
    ),
    changes: bool = typer.Option(
        False, "--changes", help="List every item whose series or eligible date changed."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Load a schedule version, recompute every item's series and report what changed."""
    st = state(ctx)
    result = load_schedule(st.archive(), st.actor, file)
    if as_json:
        emit_json(result.as_dict())
        return
    previous = f" (replacing {result.previous_version})" if result.previous_version else ""
    ok(f"schedule {result.version} loaded{previous}: {result.items} items")
    table("Items by series", ["series", "items"], sorted(result.by_series.items()))
    if result.changes:
        moves = Counter((c.before or "(none)", c.after) for c in result.changes)
        table(
            f"{len(result.changes)} items changed series or date",
            ["series before", "series now", "items"],
            [(before, after, n) for (before, after), n in sorted(moves.items())],
        )
    if result.changes and changes:
        table(
            "Changed",
            ["item", "series before", "series now", "eligible before", "eligible now"],
            [
                (c.item_id, c.before, c.after, c.eligible_before, c.eligible_after)
                for c in result.changes
            ],
        )
    if result.unmatched:
        shown = ", ".join(map(str, result.unmatched[:20]))
        warn(f"{len(result.unmatched)} items match no series and went to the default: {shown}")


@app.command("show")
def show(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show the active schedule: its series, rules and earlier versions."""
    schedule, facts = show_schedule(state(ctx).archive())
    if as_json:
        emit_json({**facts, "schedule": asdict(schedule)})
        return
    pairs(schedule.name, [(k, v) for k, v in facts.items() if k != "versions"])
    table(
        "Series",
        ["code", "title", "retention", "trigger", "action", "citation", "matches"],
        [
            (
                s.code,
                s.title,
                s.retention,
                s.trigger,
                s.action,
                s.citation,
                "; ".join(f"{k}={','.join(v)}" for k, v in vars(s.match).items() if v)
                or ("(default)" if s.code == schedule.default_series else ""),
            )
            for s in schedule.series
        ],
    )


@app.command("report")
def report(
    ctx: typer.Context,
    as_of: str = typer.Option("", "--as-of", help="Report as of this date (YYYY-MM-DD)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What is eligible for disposition, by series, with counts and sizes."""
    result = retention_report(state(ctx).archive(), today=parse_date(as_of) if as_of else None)
    if as_json:
        emit_json(result.as_dict())
        return
    table(
        f"Retention report, schedule {result.version}, as of {result.as_of}",
        ["series", "title", "action", "items", "eligible", "size", "trigger pending", "next"],
        [
            (
                s.code,
                s.title,
                s.action,
                s.items,
                s.eligible,
                human_size(s.eligible_bytes),
                s.pending_trigger,
                s.next_eligible_on,
            )
            for s in result.series
        ],
    )
    if result.unmatched:
        warn(
            f"{len(result.unmatched)} items match no series (default series): "
            + ", ".join(map(str, result.unmatched[:20]))
        )
