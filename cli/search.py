"""``archiver search``, ``archiver thread`` and ``archiver index``: finding records."""

from __future__ import annotations

import csv
import re
import sys
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from typer.core import TyperGroup

from archiver.errors import IntegrityError
from archiver.search import (
    SearchPage,
    list_saved_searches,
    rebuild_index,
    rerun_saved_search,
    save_search,
    search,
    show_saved_search,
    thread,
    verify_index,
)

from .context import state
from .render import console, emit_json, ok, pairs, table

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


class _SearchGroup(TyperGroup):
    """``archiver search QUERY`` runs a search; ``archiver search saved ...`` manages saved
    searches. Anything that is not a sub-command goes to ``run``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_SearchGroup,
    help="Search the archive: archiver search QUERY [options], or archiver search saved ...",
    no_args_is_help=True,
)
saved_app = typer.Typer(
    help="Saved searches: the record of what was searched.", no_args_is_help=True
)
index_app = typer.Typer(help="The search index: rebuild it, verify it.", no_args_is_help=True)
app.add_typer(saved_app, name="saved")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="search")
    root.add_typer(index_app, name="index")
    root.command("thread")(thread_command)


@app.command("run")
def run(
    ctx: typer.Context,
    query: str = typer.Argument(
        ...,
        help='Words, "phrases", prefix*, AND/OR/NOT, and filters such as platform:facebook '
        "from:2024-03 to:2024-05 (see docs/search.md).",
    ),
    sort: str = typer.Option("relevance", help="relevance, date (newest first) or oldest."),
    page: int = typer.Option(1, help="Which page of results."),
    per_page: int = typer.Option(20, help="Results per page."),
    all_pages: bool = typer.Option(False, "--all", help="Every result on one page."),
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV (one row per result)."),
    save: str | None = typer.Option(
        None, "--save", help="Save the search under this name, with every matching item id."
    ),
    request: str | None = typer.Option(
        None, "--request", help="The public-records request this search answers (audited)."
    ),
) -> None:
    """Search items (the short form is `archiver search QUERY`)."""
    st = state(ctx)
    archive, actor = st.archive(), st.actor
    size = 1_000_000_000 if all_pages else per_page
    result = search(
        archive, actor, query, None, sort, 1 if all_pages else page, request, per_page=size
    )
    saved = save_search(archive, actor, save, query, None, sort, request) if save else None
    if as_json:
        emit_json({**result.as_dict(), "saved_as": save or ""})
    elif as_csv:
        _csv(result)
    else:
        _print_page(result)
        if saved is not None:
            ok(f"saved as {saved.name!r} with {saved.runs[-1].result_count} matching items")


def _csv(result: SearchPage) -> None:
    columns = [
        "item_id",
        "created_at",
        "platform",
        "account",
        "kind",
        "author",
        "state",
        "permalink",
        "thread_id",
        "matched_earlier_version",
        "snippet",
    ]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for hit in result.hits:
        row = {**hit.__dict__, "snippet": hit.snippet.replace("**", "")}
        writer.writerow([row[c] for c in columns])


def _print_page(result: SearchPage) -> None:
    if not result.hits:
        console.print(f"No results for {escape(result.query)!r}.")
        return
    first = (result.page - 1) * result.per_page
    for number, hit in enumerate(result.hits, first + 1):
        console.print(
            f"[bold]{number}.[/bold] [reverse] {hit.state_badge} [/reverse] item {hit.item_id} · "
            f"{escape(hit.account)} · {hit.kind} · {escape(hit.author)} · {hit.created_at}",
            highlight=False,
        )
        label = "[dim](earlier version)[/dim] " if hit.matched_earlier_version else ""
        console.print("   " + label + _bold(hit.snippet), highlight=False)
        if hit.permalink:
            console.print(f"   [dim]{escape(hit.permalink)}[/dim]", highlight=False)
    console.print(
        f"page {result.page} of {result.pages} ({result.total} results, sorted by {result.sort})"
    )


def _bold(snippet: str) -> str:
    parts = re.split(r"\*\*(.+?)\*\*", snippet.replace("\n", " "))
    return "".join(
        f"[bold yellow]{escape(p)}[/bold yellow]" if i % 2 else escape(p)
        for i, p in enumerate(parts)
    )


@saved_app.command("list")
def saved_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List saved searches."""
    views = list_saved_searches(state(ctx).archive())
    if as_json:
        emit_json([v.as_dict() for v in views])
        return
    table(
        "Saved searches",
        ["name", "query", "request", "saved by", "saved at", "runs", "last count"],
        [
            (
                v.name,
                v.query,
                v.request_number,
                v.created_by,
                v.created_at[:19],
                len(v.runs),
                v.runs[-1].result_count if v.runs else "",
            )
            for v in views
        ],
    )


@saved_app.command("show")
def saved_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The saved search's name."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a saved search: its query, filters, and every run with its result ids."""
    view = show_saved_search(state(ctx).archive(), name)
    if as_json:
        emit_json(view.as_dict())
        return
    pairs(
        view.name,
        [
            ("query", view.query),
            ("filters", view.filters or "-"),
            ("sort", view.sort),
            ("request", view.request_number or "-"),
            ("saved by", view.created_by),
            ("saved at", view.created_at),
        ],
    )
    table(
        "Runs",
        ["run", "by", "at", "request", "results", "item ids"],
        [
            (r.id, r.run_by, r.run_at[:19], r.request_number, r.result_count, _ids(r.result_ids))
            for r in view.runs
        ],
    )


@saved_app.command("rerun")
def saved_rerun(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The saved search's name."),
    request: str | None = typer.Option(
        None, "--request", help="The public-records request this run answers."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a saved search again and report what was added and removed since its last run."""
    st = state(ctx)
    result = rerun_saved_search(st.archive(), st.actor, name, request)
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"{result.name}: {result.result_count} results (last run {result.previous_run_at[:19]})")
    pairs(
        "Changes since the last run",
        [("added", _ids(result.added) or "none"), ("removed", _ids(result.removed) or "none")],
    )


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def thread_command(
    ctx: typer.Context,
    item: int = typer.Argument(..., help="Any item id of the thread (post, comment or reply)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a whole thread: the post with all its comments and replies."""
    st = state(ctx)
    view = thread(st.archive(), st.actor, item)
    if as_json:
        emit_json(view.as_dict())
        return
    console.print(f"[bold]Thread {view.root_id}[/bold] · {escape(view.account)}", highlight=False)
    for entry in view.entries:
        indent = "    " * entry.depth
        marker = "→ " if entry.item_id == item else ""
        console.print(
            f"{indent}{marker}[reverse] {entry.state_badge} [/reverse] item {entry.item_id} · "
            f"{entry.kind} · {escape(entry.author)} · {entry.created_at}",
            highlight=False,
        )
        console.print(f"{indent}  {escape(entry.text)}", highlight=False)


@index_app.command("rebuild")
def index_rebuild(
    ctx: typer.Context,
    procs: int = typer.Option(1, help="Indexing processes (2 uses both cores of a small server)."),
) -> None:
    """Rebuild the search index from the store (beside the old one, then swapped in)."""
    st = state(ctx)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Indexing items", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        count = rebuild_index(st.archive(), st.actor, progress=progress, procs=procs)
    ok(f"search index rebuilt: {count} items")


@index_app.command("verify")
def index_verify(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Compare the search index with the store and list every difference; exits 8 if any."""
    archive = state(ctx).archive()
    with console.status("Comparing the index with the store…"):
        report = verify_index(archive)
    if as_json:
        emit_json(report.as_dict())
    else:
        for difference in report.differences:
            console.print(
                f"[red]{difference.kind}[/red] item {difference.item_id}: {difference.detail}",
                highlight=False,
            )
        summary = (
            f"{report.items_in_store} items in the store, {report.documents_in_index} in the index"
        )
        if report.queued:
            summary += f", {len(report.queued)} queued for the next index update"
        if report.ok:
            ok(summary + ", no differences")
        else:
            console.print(f"{summary}, {len(report.differences)} differences")
    if not report.ok:
        raise IntegrityError(
            f"the search index differs from the store in {len(report.differences)} places",
            hint="Run `archiver index rebuild`.",
        )
