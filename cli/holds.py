"""``archiver holds``: legal holds, custodian notices and the attorney's report."""

from __future__ import annotations

from pathlib import Path

import typer

from archiver.holds.report import held_rows, to_csv, write_package
from archiver.holds.rules import HoldScope
from archiver.holds.service import (
    HoldRequest,
    HoldView,
    create_hold,
    list_holds,
    overdue_reminders,
    release_hold,
    send_notices,
    show_hold,
)
from archiver.holds.service import (
    acknowledge as acknowledge_notice,
)

from .context import parse_date, state
from .render import emit_json, ok, pairs, table, warn

app = typer.Typer(
    help="Legal holds: freeze records relevant to a claim or lawsuit.", no_args_is_help=True
)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


def _print(view: HoldView) -> None:
    scope = ", ".join(f"{k}={v}" for k, v in view.scope.items() if v)
    pairs(
        f"Hold {view.code} ({view.status})",
        [
            ("matter", f"{view.matter_name} {view.matter_number}".strip()),
            ("issued", f"{view.issued_on} by {view.issued_by}"),
            ("reason", view.reason),
            ("scope", scope),
            ("items", view.items),
            (
                "released",
                f"{view.released_at[:19]} by {view.released_by}: {view.release_reason}"
                if view.released_at
                else "",
            ),
        ],
    )
    if view.custodians:
        table(
            "Custodians",
            ["name", "noticed", "acknowledged", "overdue"],
            [
                (c.name, c.noticed_at[:19], c.acknowledged_at[:19], "yes" if c.overdue else "")
                for c in view.custodians
            ],
        )


@app.command("create")
def create(
    ctx: typer.Context,
    matter: str = typer.Option(..., help="Matter name, e.g. 'Doe v. City of Rancho Verde'."),
    number: str = typer.Option("", help="Matter or claim number."),
    reason: str = typer.Option("", help="Why the hold is placed (the trigger)."),
    issued_on: str = typer.Option("", "--date", help="Date issued, YYYY-MM-DD (default today)."),
    account: list[str] = typer.Option([], "--account", help="platform:handle (repeatable)."),
    date_from: str = typer.Option("", "--from", help="Items dated on or after, YYYY-MM-DD."),
    date_to: str = typer.Option("", "--to", help="Items dated on or before, YYYY-MM-DD."),
    query: str = typer.Option("", help="Search query: items containing every word."),
    custodian: list[str] = typer.Option([], "--custodian", help="A custodian (repeatable)."),
    item: list[int] = typer.Option([], "--item", help="An explicit item id (repeatable)."),
    ack_days: int = typer.Option(7, help="Days custodians have to acknowledge."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Place a legal hold (city attorney). It covers matching items now and captured later."""
    st = state(ctx)
    scope = HoldScope(
        accounts=tuple(account),
        date_from=parse_date(date_from) if date_from else None,
        date_to=parse_date(date_to) if date_to else None,
        query=query,
        custodians=tuple(custodian),
        item_ids=tuple(item),
    )
    request = HoldRequest(
        matter_name=matter,
        matter_number=number,
        reason=reason,
        issued_on=parse_date(issued_on) if issued_on else None,
        scope=scope,
        ack_due_days=ack_days,
    )
    view = create_hold(st.archive(), st.actor, request)
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"hold {view.code} placed: {view.items} items frozen")


@app.command("list")
def list_(
    ctx: typer.Context,
    active: bool = typer.Option(False, "--active", help="Only active holds."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List legal holds."""
    views = list_holds(state(ctx).archive(), include_released=not active)
    if as_json:
        emit_json([v.as_dict() for v in views])
        return
    table(
        "Legal holds",
        ["code", "matter", "number", "issued", "status", "items", "unacknowledged"],
        [
            (
                v.code,
                v.matter_name,
                v.matter_number,
                v.issued_on,
                v.status,
                v.items,
                sum(1 for c in v.custodians if not c.acknowledged_at),
            )
            for v in views
        ],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Hold code, e.g. H-2026-001."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a hold: matter, scope, items, custodians and acknowledgments."""
    view = show_hold(state(ctx).archive(), code)
    if as_json:
        emit_json(view.as_dict())
    else:
        _print(view)


@app.command("release")
def release(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Hold code."),
    reason: str = typer.Option(..., help="Why (e.g. 'case settled; release approved')."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Release a hold (city attorney). Items stay frozen while another hold covers them."""
    st = state(ctx)
    view = release_hold(st.archive(), st.actor, code, reason=reason)
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"hold {view.code} released")


@app.command("notices")
def notices(
    ctx: typer.Context,
    code: str = typer.Argument("", help="Hold code; none lists overdue reminders of every hold."),
    send: bool = typer.Option(
        False, "--send", help="Record notices to new custodians and reminders to overdue ones."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Custodian notices: record and print them (--send), or list overdue acknowledgments."""
    st = state(ctx)
    if send:
        if not code:
            raise typer.BadParameter("--send needs a hold code")
        sent = send_notices(st.archive(), st.actor, code)
        if as_json:
            emit_json([vars(n) for n in sent])
            return
        for notice in sent:
            ok(f"{notice.kind} to {notice.custodian}")
            typer.echo(notice.text)
        if not sent:
            ok("every custodian has a current notice")
        return
    overdue = [(h, c) for h, c in overdue_reminders(st.archive()) if not code or h == code]
    if as_json:
        emit_json([{"hold": h, **vars(c)} for h, c in overdue])
        return
    table(
        "Overdue acknowledgments",
        ["hold", "custodian", "last notice"],
        [(h, c.name, c.last_notice_at[:19]) for h, c in overdue],
    )


@app.command("acknowledge")
def acknowledge(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Hold code."),
    custodian: str = typer.Option(..., help="The custodian acknowledging."),
    statement: str = typer.Option("", help="Their written acknowledgment."),
) -> None:
    """Record a custodian's acknowledgment of a hold notice."""
    st = state(ctx)
    acknowledge_notice(st.archive(), st.actor, code, custodian, statement=statement)
    ok(f"{custodian} acknowledged {code}")


@app.command("report")
def report(
    ctx: typer.Context,
    code: str = typer.Argument("", help="Hold code; none reports every active hold."),
    csv_path: Path | None = typer.Option(None, "--csv", help="Write the CSV here."),
    package: Path | None = typer.Option(None, "--package", help="Write a package folder here."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every item under a hold with its provenance: CSV, package folder, or a table."""
    archive = state(ctx).archive()
    if package is not None:
        if not code:
            raise typer.BadParameter("--package needs a hold code")
        result = write_package(archive, code, package)
        ok(f"wrote {result.items} items ({result.files} files) to {result.directory}")
        return
    rows = held_rows(archive, code or None)
    if csv_path is not None:
        csv_path.write_text(to_csv(rows), encoding="utf-8")
        ok(f"wrote {len(rows)} rows to {csv_path}")
    elif as_json:
        emit_json([vars(r) for r in rows])
    else:
        table(
            "Items under hold",
            ["hold", "item", "account", "kind", "created", "matched by", "captures"],
            [
                (r.hold, r.item_id, r.account, r.kind, r.created_at[:10], r.matched_by, r.captures)
                for r in rows
            ],
        )
        if not rows:
            warn("no items are under hold")
