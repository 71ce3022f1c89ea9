"""``archiver blocks``: users the City blocked, the grounds and evidence, and unblocks."""

from __future__ import annotations

import typer

from archiver.removals.blocks import (
    BlockRequest,
    list_blocks,
    record_block,
    record_unblock,
    show_block,
)
from archiver.removals.views import BlockRecord

from .context import State, state
from .removals import GROUND_OPTION, JSON_OPTION, grounds_text, local_time, when
from .render import emit_json, ok, pairs, table, warn

app = typer.Typer(help="Users the City blocked, and unblocked.", no_args_is_help=True)


def _print_block(st: State, b: BlockRecord) -> None:
    pairs(
        f"Block {b.id}: {b.user}",
        [
            ("user", f"{b.user} {b.user_name}".strip()),
            ("account", b.account),
            ("blocked", local_time(st, b.blocked_at)),
            ("recorded by", f"{b.recorded_by}, {local_time(st, b.recorded_at)}"),
            ("policy", f"{b.policy_source} ({b.catalog_id}), {b.blocking_clause}"),
            ("grounds", grounds_text(b)),
            ("evidence", ", ".join(b.evidence)),
            ("note", b.note),
            (
                "status",
                f"lifted {local_time(st, b.unblock.unblocked_at)} by {b.unblock.recorded_by}: "
                f"{b.unblock.reason}"
                if b.unblock
                else "in force",
            ),
        ],
    )
    for line in b.warnings:
        warn(line)


@app.command("record")
def block(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The user: platform:handle, handle or platform id."),
    ground: list[str] = GROUND_OPTION,
    evidence: list[str] = typer.Option(
        [], "--evidence", help="An archived post by the user that violates the ground (repeatable)."
    ),
    note: str = typer.Option(..., help="What the user repeatedly did."),
    account: str = typer.Option("", help="The City account; default: the evidence's."),
    blocked_at: str = typer.Option("", help="When the block was placed; default: now."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record that the City blocked a user, with grounds and evidence the policy requires."""
    st = state(ctx)
    request = BlockRequest(
        tuple(ground), tuple(evidence), note, account or None, when(st, blocked_at)
    )
    result = record_block(st.archive(), st.actor, user, request)
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"block {result.id} recorded")
    _print_block(st, result)


@app.command("unblock")
def unblock(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The user: platform:handle, handle or platform id."),
    reason: str = typer.Option(..., help="Why the block was lifted."),
    account: str = typer.Option("", help="The City account, if blocked on several."),
    at: str = typer.Option("", help="When it was lifted; default: now."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record that a block was lifted; the block stays on record."""
    st = state(ctx)
    result = record_unblock(
        st.archive(), st.actor, user, reason=reason, account=account or None, at=when(st, at)
    )
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"block {result.id} of {result.user} lifted")


@app.command("list")
def blocks_list(
    ctx: typer.Context,
    active: bool = typer.Option(False, "--active", help="Only blocks in force."),
    account: str = typer.Option("", help="Only this account (platform:handle)."),
    user: str = typer.Option("", help="Only this user."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Blocks, newest first, with their unblocks."""
    st = state(ctx)
    records = list_blocks(
        st.archive(), active_only=active, account=account or None, user=user or None
    )
    if as_json:
        emit_json([b.as_dict() for b in records])
        return
    table(
        f"Blocks ({len(records)})",
        ["id", "user", "account", "blocked", "grounds", "evidence", "status"],
        [
            (
                b.id,
                b.user,
                b.account,
                local_time(st, b.blocked_at),
                grounds_text(b),
                len(b.evidence),
                f"lifted {local_time(st, b.unblock.unblocked_at)}" if b.unblock else "in force",
            )
            for b in records
        ],
    )


@app.command("show")
def blocks_show(
    ctx: typer.Context,
    block_id: int = typer.Argument(..., help="The block's number."),
    as_json: bool = JSON_OPTION,
) -> None:
    """One block with its grounds, evidence and unblock."""
    st = state(ctx)
    result = show_block(st.archive(), block_id)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_block(st, result)
