"""``archiver removals``: content the City took down, on the record with grounds and clauses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from archiver.removals.attest import Attestation, record_attestation
from archiver.removals.catalog import PolicyCatalog, city_catalog, load_catalog
from archiver.removals.history import list_removals
from archiver.removals.queue import (
    ClassifyRequest,
    classify_missing,
    item_history,
    review_queue,
)
from archiver.removals.record import (
    Amendment,
    RemovalRequest,
    amend_removal,
    record_removal,
)
from archiver.removals.render import report_csv, report_html
from archiver.removals.report import removal_report
from archiver.removals.views import BlockRecord, ClassificationRecord, RemovalRecord

from .context import State, state
from .render import console, emit_json, ok, pairs, table, warn

app = typer.Typer(
    help="Content the City removed: record, attest, review missing items, amend, report.",
    no_args_is_help=True,
)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
GROUND_OPTION = typer.Option([], "--ground", help="A ground code of the catalog (repeatable).")
NOTE_OPTION = typer.Option(..., "--note", help="What the content said or did, in plain words.")
ACTION_OPTION = typer.Option(
    ..., "--action", help="What was done on the platform: hidden or deleted."
)


def when(st: State, text: str | None) -> datetime | None:
    """An ISO date-time; without a zone it is the City's local time."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date-time (YYYY-MM-DDTHH:MM)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(st.settings.timezone))
    return moment


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None


def local_time(st: State, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(st.settings.timezone)).strftime("%Y-%m-%d %H:%M %Z")


def grounds_text(record: RemovalRecord | BlockRecord) -> str:
    return ", ".join(f"{g.code} ({g.clause})" for g in record.grounds)


def _print_removal(st: State, r: RemovalRecord) -> None:
    poster = " ".join(
        p
        for p in (
            r.poster_name,
            f"@{r.poster_handle}" if r.poster_handle else "",
            r.poster_platform_id,
        )
        if p
    )
    pairs(
        f"Removal {r.id} of item {r.item_id} ({r.item_ref})",
        [
            ("account", r.account),
            ("state", r.item_state),
            ("origin", r.origin),
            ("poster", poster or "unknown"),
            ("posted", local_time(st, r.posted_at)),
            ("permalink", r.permalink),
            ("content", r.text),
            ("versions kept", len(r.content)),
            ("removed", local_time(st, r.removed_at)),
            ("platform action", r.platform_action),
            ("recorded by", f"{r.recorded_by}, {local_time(st, r.recorded_at)}"),
            ("policy", f"{r.policy_source} ({r.catalog_id})"),
            ("grounds", grounds_text(r)),
            ("note", r.note),
        ],
    )
    for g in r.grounds:
        console.print(f"  {g.clause}: “{g.text}”", highlight=False, markup=False)
    for line in r.warnings:
        warn(line)


def _print_history(
    st: State, r: RemovalRecord | None, classifications: Sequence[ClassificationRecord]
) -> None:
    if r is not None:
        table(
            "History",
            ["rev", "recorded", "by", "grounds", "action", "note", "reason for change", "audit"],
            [
                (
                    v.revision_no,
                    local_time(st, v.recorded_at),
                    v.recorded_by,
                    ", ".join(f"{g.code} ({g.clause})" for g in v.grounds),
                    v.platform_action,
                    v.note,
                    v.change_reason or "original record",
                    v.audit_seq,
                )
                for v in r.revisions
            ],
        )
    if classifications:
        table(
            "Review-queue classifications",
            ["classified", "by", "outcome", "was", "note", "audit"],
            [
                (
                    local_time(st, c.classified_at),
                    c.classified_by,
                    c.outcome,
                    c.previous_state,
                    c.note,
                    c.audit_seq,
                )
                for c in classifications
            ],
        )


@app.command("record")
def record(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Archive id or platform:platform_id of the item."),
    ground: list[str] = GROUND_OPTION,
    note: str = NOTE_OPTION,
    action: str = ACTION_OPTION,
    removed_at: str = typer.Option(
        "", help="When it came down (YYYY-MM-DDTHH:MM, City time); default: now."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record that the City removed an archived item, under which grounds of its policy."""
    st = state(ctx)
    request = RemovalRequest(tuple(ground), note, action, when(st, removed_at))
    result = record_removal(st.archive(), st.actor, item, request)
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"removal {result.id} recorded; item {result.item_id} is now removed_by_city")
    _print_removal(st, result)


@app.command("attest")
def attest(
    ctx: typer.Context,
    account: str = typer.Option(..., help="The City account it was posted on (platform:handle)."),
    text: str = typer.Option(..., help="The content's text, as staff saw it."),
    url: str = typer.Option(..., help="The content's address."),
    posted_at: str = typer.Option(..., help="When it was posted (YYYY-MM-DDTHH:MM, City time)."),
    file: list[Path] = typer.Option([], "--file", help="Screenshot or file (repeatable)."),
    poster_name: str = typer.Option("", help="The poster's display name."),
    poster_handle: str = typer.Option("", help="The poster's user name."),
    poster_id: str = typer.Option("", help="The poster's platform user id."),
    kind: str = typer.Option("comment", help="comment, reply, post…"),
    platform_id: str = typer.Option("", help="The platform's id of the content, if known."),
    parent: str = typer.Option("", help="The archived item it answered, if any."),
    statement: str = typer.Option("", help="How staff saw it (time, device, who else saw it)."),
    ground: list[str] = GROUND_OPTION,
    note: str = NOTE_OPTION,
    action: str = ACTION_OPTION,
    removed_at: str = typer.Option("", help="When it came down; default: now."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a removal of content the archiver never captured, as a staff attestation."""
    st = state(ctx)
    posted = when(st, posted_at)
    assert posted is not None
    attestation = Attestation(
        account=account,
        text=text,
        url=url,
        posted_at=posted,
        files=tuple(file),
        poster_name=poster_name,
        poster_handle=poster_handle,
        poster_platform_id=poster_id,
        kind=kind,
        platform_id=platform_id,
        parent=parent,
        statement=statement,
    )
    request = RemovalRequest(tuple(ground), note, action, when(st, removed_at))
    result = record_attestation(st.archive(), st.actor, attestation, request)
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"attestation stored in WARC; removal {result.id} recorded for item {result.item_id}")
    _print_removal(st, result)


@app.command("queue")
def queue(
    ctx: typer.Context,
    account: str = typer.Option("", help="Only this account (platform:handle)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Items missing from their source that nobody has classified yet, oldest first."""
    st = state(ctx)
    entries = review_queue(st.archive(), account=account or None)
    if as_json:
        emit_json([e.as_dict() for e in entries])
        return
    table(
        f"Review queue ({len(entries)})",
        ["item", "ref", "account", "kind", "author", "missing since", "text"],
        [
            (
                e.item_id,
                e.item_ref,
                e.account,
                e.kind,
                e.author,
                local_time(st, e.missing_since),
                e.text[:80],
            )
            for e in entries
        ],
    )


@app.command("classify")
def classify(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Archive id or platform:platform_id of the item."),
    outcome: str = typer.Option(
        ...,
        help="removed_by_city, deleted_by_author, removed_by_platform or unknown.",
    ),
    note: str = typer.Option(..., help="How staff know."),
    ground: list[str] = GROUND_OPTION,
    action: str = typer.Option("deleted", help="For removed_by_city: hidden or deleted."),
    removed_at: str = typer.Option("", help="For removed_by_city; default: when it went missing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Say why an item went missing from its source; removed_by_city needs grounds."""
    st = state(ctx)
    request = ClassifyRequest(outcome, note, tuple(ground), action, when(st, removed_at))
    result = classify_missing(st.archive(), st.actor, item, request)
    if as_json:
        emit_json(
            {
                "classification": asdict(result.classification),
                "item_state": result.item_state,
                "removal": result.removal.as_dict() if result.removal else None,
            }
        )
        return
    ok(f"item {result.classification.item_id} classified {outcome}; state {result.item_state}")
    if result.removal is not None:
        _print_removal(st, result.removal)


@app.command("amend")
def amend(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Archive id or platform:platform_id of the item."),
    reason: str = typer.Option(..., help="Why the record changes (e.g. 'legal review')."),
    add_ground: list[str] = typer.Option([], "--add-ground", help="Add a ground (repeatable)."),
    drop_ground: list[str] = typer.Option(
        [], "--drop-ground", help="Withdraw a ground (repeatable)."
    ),
    note: str | None = typer.Option(None, help="The corrected note."),
    action: str | None = typer.Option(None, help="The corrected platform action."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct a removal by adding a revision; earlier revisions are kept as they were."""
    st = state(ctx)
    amendment = Amendment(reason, tuple(add_ground), tuple(drop_ground), note, action)
    result = amend_removal(st.archive(), st.actor, item, amendment)
    if as_json:
        emit_json(result.as_dict())
        return
    ok(f"removal {result.id} amended (revision {result.current.revision_no})")
    _print_history(st, result, result.classifications)


@app.command("show")
def show(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Archive id or platform:platform_id of the item."),
    as_json: bool = JSON_OPTION,
) -> None:
    """An item's removal with its full history of revisions and classifications."""
    st = state(ctx)
    history = item_history(st.archive(), item)
    if as_json:
        emit_json(
            history.removal.as_dict()
            if history.removal
            else {
                "item_id": history.item_id,
                "item_ref": history.item_ref,
                "item_state": history.state,
                "classifications": [asdict(c) for c in history.classifications],
            }
        )
        return
    if history.removal is not None:
        _print_removal(st, history.removal)
    else:
        pairs(
            f"Item {history.item_id} ({history.item_ref})",
            [("state", history.state), ("removal", "none recorded")],
        )
    _print_history(st, history.removal, history.classifications)


@app.command("list")
def list_(
    ctx: typer.Context,
    account: str = typer.Option("", help="Only this account (platform:handle)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every removal, newest first."""
    st = state(ctx)
    records = list_removals(st.archive(), account=account or None)
    if as_json:
        emit_json([r.as_dict() for r in records])
        return
    table(
        f"Removals ({len(records)})",
        ["item", "removed", "account", "poster", "grounds", "action", "rev", "origin"],
        [
            (
                r.item_id,
                local_time(st, r.removed_at),
                r.account,
                r.poster_handle or r.poster_name,
                grounds_text(r),
                r.platform_action,
                len(r.revisions),
                r.origin,
            )
            for r in records
        ],
    )


@app.command("report")
def report(
    ctx: typer.Context,
    from_: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (City time)."),
    to: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (inclusive)."),
    account: str = typer.Option("", help="Only this account (platform:handle)."),
    format_: str = typer.Option("html", "--format", help="csv, html or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
) -> None:
    """Every removal and block in a period with grounds and clauses, and counts."""
    st = state(ctx)
    if format_ not in ("csv", "html", "json"):
        raise typer.BadParameter(f"format {format_!r} is not csv, html or json")
    result = removal_report(st.archive(), start=_day(from_), end=_day(to), account=account or None)
    if format_ == "json":
        text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        text = report_csv(result) if format_ == "csv" else report_html(result)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8", newline="")
    s = result.summary
    ok(f"{output}: {s.removals} removals, {s.blocks} blocks, {s.unblocks} unblocks")


@app.command("grounds")
def grounds(
    ctx: typer.Context,
    catalog: str = typer.Option(
        "", help="A shipped catalog id or a catalog file; default: the City's."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """The grounds of the policy catalog (validating a City's own catalog file)."""
    st = state(ctx)
    found: PolicyCatalog = load_catalog(catalog) if catalog else city_catalog(st.settings)
    if as_json:
        emit_json(asdict(found))
        return
    table(
        f"{found.title} ({found.id})",
        ["code", "clause", "title", "applies to", "removal", "blocking", "categories"],
        [
            (
                g.code,
                g.clause,
                g.title,
                g.applies_to,
                "yes" if g.permits_removal else "no",
                "yes" if g.permits_blocking else "no",
                ", ".join(g.categories),
            )
            for g in found.grounds
        ],
    )
    rule = found.blocking
    if rule.permitted:
        console.print(
            f"Blocking ({rule.clause}): at least {rule.min_violations} violation(s); never for "
            f"{', '.join(rule.never_for) or '—'}.",
            highlight=False,
            markup=False,
        )
    else:
        console.print(f"Blocking: not permitted. {rule.note}", highlight=False, markup=False)
    console.print(
        f"Retention ({found.retention.clause}): keep {', '.join(found.retention.requires) or '—'}.",
        highlight=False,
        markup=False,
    )
