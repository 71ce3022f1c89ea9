"""``archiver items``: what the archive holds, item by item."""

from __future__ import annotations

import typer

from archiver.items import ItemDetail, WarcLocation, list_items, show_item

from .context import state
from .render import console, emit_json, pairs, table

app = typer.Typer(help="Archived items: posts, comments, replies, media.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


@app.command("list")
def list_(
    ctx: typer.Context,
    account: str | None = typer.Option(None, help="Only this account (id or platform:handle)."),
    kind: str | None = typer.Option(None, help="post, comment, reply, media, video…"),
    item_state: str | None = typer.Option(
        None, "--state", help="active, edited, hidden, missing_from_source, deleted_by_author…"
    ),
    limit: int = typer.Option(50, help="At most this many items."),
    offset: int = typer.Option(0, help="Skip this many items first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List items, newest first."""
    views = list_items(
        state(ctx).archive(),
        account=account,
        kind=kind,
        state=item_state,
        limit=limit,
        offset=offset,
    )
    if as_json:
        emit_json([v.as_dict() for v in views])
        return
    table(
        "Items",
        ["id", "account", "kind", "state", "created", "author", "versions", "text"],
        [
            (
                v.id,
                v.account,
                v.kind,
                v.state,
                v.created_at[:16],
                v.author,
                v.versions,
                v.text if len(v.text) <= 80 else v.text[:79] + "…",
            )
            for v in views
        ],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., help="The item's id (see `archiver items list`)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one item: every version, its provenance and where it is in the WARC files."""
    detail = show_item(state(ctx).archive(), item_id)
    if as_json:
        emit_json(detail.as_dict())
    else:
        _print(detail)


def _print(detail: ItemDetail) -> None:
    item = detail.item
    pairs(
        f"item {item.id}: {item.kind} of {item.account}",
        [
            ("platform id", item.platform_id + (" (synthesized)" if detail.id_synthesized else "")),
            ("state", item.state + (f" since {m}" if (m := detail.missing_since) else "")),
            ("author", " ".join(x for x in (item.author, detail.author_handle) if x)),
            ("created", item.created_at),
            ("permalink", detail.permalink),
            ("thread", f"parent {item.parent_id}, root {detail.root_id}" if item.parent_id else ""),
            ("seen", f"{detail.first_seen_at} → {detail.last_seen_at}"),
        ],
    )  # fmt: skip
    for version in detail.versions:
        warc = version.warc
        where = _where(warc)
        console.print()
        pairs(
            f"version {version.version_no}",
            [
                ("text", version.text),
                ("edited", version.edited_at),
                ("observed", f"{version.first_observed_at} → {version.last_observed_at}"),
                ("capture", f"{version.capture_id} ({version.capture['source_format']}, "
                 f"{version.capture['operator']}, {version.capture['started_at'][:19]})"),
                ("source", f"{version.source_file} {version.source_position}".strip()),
                ("WARC", where),
                ("record", warc.record_id if warc else ""),
            ],
        )  # fmt: skip
    if detail.media:
        table(
            "Media",
            ["kind", "source", "size", "WARC"],
            [(m.kind, m.source_uri, m.size or "", _where(m.warc)) for m in detail.media],
        )


def _where(warc: WarcLocation | None) -> str:
    return f"{warc.file} @ {warc.offset} (+{warc.length})" if warc else "-"
