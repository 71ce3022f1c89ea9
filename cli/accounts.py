"""``archiver accounts``: the registry of the City's social-media sites."""

from __future__ import annotations

from datetime import date

import typer

from archiver.accounts import (
    AccountView,
    add_account,
    list_accounts,
    show_account,
    sync_accounts,
    terminate_account,
)
from archiver.config import AccountSpec

from .context import state
from .render import emit_json, ok, pairs, table

app = typer.Typer(help="The registry of the City's social-media accounts.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


@app.command("add")
def add(
    ctx: typer.Context,
    platform: str = typer.Option(
        ..., help="facebook, instagram, x, youtube, bluesky, nextdoor, blog, web…"
    ),
    handle: str = typer.Option(..., help="Handle or username, without '@'."),
    name: str = typer.Option("", help="Display name."),
    url: str = typer.Option("", help="The account's address."),
    platform_id: str = typer.Option(
        "", help="The platform's id: Page id, user id, channel id, DID."
    ),
    department: str = typer.Option("", help="The department that runs it."),
    kind: str = typer.Option("official", help="official, council_member or official_personal."),
    approved_by: str = typer.Option("", help="Who approved the site (Carson IV.B)."),
    approved_on: str = typer.Option("", help="Approval date, YYYY-MM-DD."),
    admin: list[str] = typer.Option([], "--admin", help="An administrator (repeatable)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Register an account."""
    st = state(ctx)
    spec = AccountSpec(
        platform=platform,
        handle=handle,
        name=name,
        url=url,
        platform_account_id=platform_id,
        department=department,
        kind=kind,
        approved_by=approved_by,
        approved_on=approved_on,
        administrators=tuple(admin),
    )
    view = add_account(st.archive(), st.actor, spec)
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"registered {view.platform}:{view.handle} as account {view.id}")


@app.command("sync")
def sync(ctx: typer.Context) -> None:
    """Register the accounts declared in the config that are not registered yet."""
    st = state(ctx)
    added = sync_accounts(st.archive(), st.actor, st.settings.accounts)
    for ref in added:
        ok(f"registered {ref}")
    if not added:
        ok("every account in the config is registered")


@app.command("list")
def list_(
    ctx: typer.Context,
    active: bool = typer.Option(False, "--active", help="Only active accounts."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the registered accounts."""
    views = list_accounts(state(ctx).archive(), include_terminated=not active)
    if as_json:
        emit_json([v.as_dict() for v in views])
        return
    table(
        "Accounts",
        [
            "id",
            "platform",
            "handle",
            "name",
            "kind",
            "department",
            "status",
            "items",
            "followers",
            "last capture",
        ],
        [
            (
                v.id,
                v.platform,
                v.handle,
                v.name,
                v.kind,
                v.department,
                v.status,
                v.items,
                "" if v.followers is None else f"{v.followers:,}",
                v.last_capture[:19],
            )
            for v in views
        ],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Id, platform:handle, handle or platform id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one account."""
    view = show_account(state(ctx).archive(), account)
    if as_json:
        emit_json(view.as_dict())
    else:
        _print(view)


@app.command("terminate")
def terminate(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Id, platform:handle, handle or platform id."),
    on: str = typer.Option(..., help="Termination date, YYYY-MM-DD."),
    reason: str = typer.Option(..., help="Why (e.g. 'council member left office')."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Mark an account terminated. Its records stay, under the retention schedule."""
    st = state(ctx)
    view = terminate_account(st.archive(), st.actor, account, on=_date(on), reason=reason)
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"{view.platform}:{view.handle} terminated on {view.terminated_on}")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _print(view: AccountView) -> None:
    pairs(f"{view.platform}:{view.handle}", [(k, v) for k, v in view.as_dict().items()])
