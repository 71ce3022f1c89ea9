"""Archive-wide commands: init, status, verify, db upgrade, audit verify/log."""

from __future__ import annotations

import typer

from archiver.audit_log import list_events
from archiver.errors import IntegrityError
from archiver.lifecycle import init_archive, upgrade_database
from archiver.status import archive_status
from archiver.verify import verify_archive, verify_audit

from .context import state
from .render import console, emit_json, human_size, ok, pairs, table, warn

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")

db_app = typer.Typer(help="The archive database: schema migrations.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)
    app.command("verify")(verify)


def init(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Create the archive (folders and database) or bring it up to date, and register the
    accounts declared in the config. Safe to run again."""
    st = state(ctx)
    result = init_archive(st.settings, st.actor)
    if as_json:
        emit_json(result.__dict__)
        return
    ok(("Created" if result.created else "Checked") + f" the archive at {result.root}")
    pairs("", [("database", result.database), ("schema", result.schema_revision)])
    if result.policy_catalog:
        pairs("", [("removal grounds", result.policy_catalog)])
    for ref in result.accounts_registered:
        ok(f"registered {ref}")
    if st.settings.single_user:
        warn(
            "no [[users]] in the config: single-user mode, every action is allowed to "
            f"{st.actor.login} and audited as such"
        )


def status(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show counts, sizes, schema and the last captures."""
    result = archive_status(state(ctx).archive())
    if as_json:
        emit_json(result.as_dict())
        return
    pairs(
        f"{result.city} archive",
        [
            ("root", result.root),
            ("database", f"{result.database} (schema {result.schema_revision})"),
            (
                "accounts",
                f"{result.accounts_active} active, {result.accounts_terminated} terminated",
            ),
            (
                "items",
                ", ".join(f"{k} {v}" for k, v in sorted(result.items_by_kind.items())) or "none",
            ),
            (
                "states",
                ", ".join(f"{k} {v}" for k, v in sorted(result.items_by_state.items())) or "-",
            ),
            ("versions", result.versions),
            (
                "WARC",
                f"{result.warc_files} files, {result.warc_records} records, "
                f"{human_size(result.warc_bytes)}",
            ),
            ("audit log", f"{result.audit_events} events, head {result.audit_head[:16]}…"),
        ],
    )
    if result.last_captures:
        table(
            "Last captures",
            ["id", "account", "source", "format", "started", "outcome"],
            [
                (c.id, c.account, c.source_kind, c.source_format, c.started_at[:19], c.outcome)
                for c in result.last_captures
            ],
        )


def verify(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Check every WARC file against the database: digests, missing files and records, and
    records left unreferenced by an interrupted run. Exits 8 when anything is wrong."""
    archive = state(ctx).archive()
    with console.status("Verifying WARC files…"):
        report = verify_archive(archive)
    if as_json:
        emit_json(report.as_dict())
    else:
        for finding in report.findings:
            console.print(f"[red]{finding.kind}[/red] {finding.message}", highlight=False)
        summary = f"{report.files_checked} WARC files, {report.records_checked} records checked"
        if report.ok:
            ok(summary + ", no problems")
        else:
            console.print(f"{summary}, {len(report.findings)} problems")
    if not report.ok:
        raise IntegrityError(f"{len(report.findings)} problems found in the WARC store")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply pending schema migrations (back up the database first)."""
    st = state(ctx)
    before, after = upgrade_database(st.settings, st.actor)
    ok(
        f"schema {before or '(empty)'} → {after}"
        if before != after
        else f"schema {after} is current"
    )


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Recompute the audit log's hash chain and check it against the anchors kept in the WARC
    files. Names the first event that was edited, removed, inserted or reordered; exits 8."""
    report = verify_audit(state(ctx).archive())
    if as_json:
        emit_json({**report.__dict__, "ok": report.ok})
    elif report.ok:
        ok(f"audit log intact: {report.events} events, head {report.head_hash[:16]}…")
    if not report.ok:
        raise IntegrityError(f"audit log broken at event {report.first_bad_seq}: {report.problem}")


@audit_app.command("log")
def audit_log(
    ctx: typer.Context,
    limit: int = typer.Option(50, help="How many of the latest events to show."),
    action: str | None = typer.Option(None, help="Only events whose action starts with this."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the latest audit events."""
    events = list_events(state(ctx).archive(), limit=limit, action_prefix=action)
    if as_json:
        emit_json([e.__dict__ for e in events])
        return
    table(
        "Audit log",
        ["seq", "time", "actor", "action", "object", "details"],
        [
            (
                e.seq,
                e.occurred_at[:19],
                e.actor,
                e.action,
                f"{e.object_type} {e.object_id}".strip(),
                e.details,
            )
            for e in events
        ],
    )
