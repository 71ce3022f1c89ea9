"""``archiver requests``: public-records requests, their review, and disclosure packages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from archiver.errors import ExitCode
from archiver.requests.exemptions import load_catalog
from archiver.requests.package.build import build_package
from archiver.requests.package.verify import verify_package
from archiver.requests.review import (
    RedactionView,
    ReviewRow,
    add_items,
    add_saved_search,
    decide,
    decide_suggestion,
    redact_span,
    review_rows,
    suggest_redactions,
)
from archiver.requests.service import (
    ExtensionNotice,
    NewRequest,
    RequestView,
    close_request,
    extend_request,
    list_requests,
    open_request,
    show_request,
)

from .context import state
from .render import console, emit_json, ok, pairs, table, warn

app = typer.Typer(
    help="Public-records requests (CPRA, FOIA): deadlines, review, disclosure packages.",
    no_args_is_help=True,
)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
NUMBER = typer.Argument(..., help="The request number, e.g. CPRA-2026-014.")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None


@app.command("open")
def open_(
    ctx: typer.Context,
    number: str = NUMBER,
    description: str = typer.Option(..., help="The records sought, in the requester's words."),
    received: str = typer.Option(
        ..., help="Date received, YYYY-MM-DD (the clock starts then, not at entry)."
    ),
    law: str = typer.Option("CPRA", help="CPRA or FOIA."),
    requester: str = typer.Option("", help="Requester's name; leave out for anonymous."),
    contact: str = typer.Option("", help="How to reach the requester (e-mail, address)."),
    litigation: bool = typer.Option(
        False, "--litigation", help="Also produce a Concordance DAT/OPT load file pair."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Open a request and compute its determination due date."""
    st = state(ctx)
    new = NewRequest(
        number, law.upper(), description, _date(received), requester, contact, litigation
    )
    view = open_request(st.archive(), st.actor, new)
    if as_json:
        emit_json(view.as_dict())
        return
    ok(f"opened {view.number} ({view.law}); determination due {view.due_on}")
    if view.warning:
        warn(view.warning)


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include closed requests."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List open requests by due date, with due-soon and overdue marked."""
    views = list_requests(state(ctx).archive(), include_closed=all_)
    if as_json:
        emit_json([v.as_dict() for v in views])
        return
    table(
        "Requests",
        ["number", "law", "requester", "received", "due", "status", "days left", "items", "open"],
        [
            (
                v.number,
                v.law,
                v.requester,
                v.received_on,
                v.due_on,
                _status(v.status),
                v.days_left,
                v.items,
                v.pending,
            )
            for v in views
        ],
    )


def _status(status: str) -> str:
    return {"overdue": "OVERDUE", "due_soon": "due soon"}.get(status, status)


@app.command("show")
def show(ctx: typer.Context, number: str = NUMBER, as_json: bool = JSON_OPTION) -> None:
    """Show a request and its timeline of everything that happened."""
    view = show_request(state(ctx).archive(), number)
    if as_json:
        emit_json(view.as_dict())
        return
    _print(view)


def _print(view: RequestView) -> None:
    fields = {k: v for k, v in view.as_dict().items() if k not in ("timeline", "extension")}
    fields["status"] = _status(view.status)
    if view.extension:
        fields["extension"] = (
            f"to {view.extension['new_due_on']} ({view.extension['ground']}), signed by "
            f"{view.extension['signer']}"
        )
    pairs(f"Request {view.number}", list(fields.items()))
    table(
        "Timeline",
        ["when", "who", "what"],
        [(e.at[:19], e.actor, e.summary) for e in view.timeline],
    )
    if view.warning:
        warn(view.warning)


@app.command("extend")
def extend(
    ctx: typer.Context,
    number: str = NUMBER,
    to: str = typer.Option(..., "--to", help="The new due date, YYYY-MM-DD."),
    ground: str = typer.Option(
        ..., help="The statute's ground: CPRA c1–c5 (§ 7922.535(c)), FOIA I–III."
    ),
    notice: str = typer.Option(..., help="The text of the written notice to the requester."),
    signer_name: str = typer.Option(..., help="Who signs the notice (agency head or designee)."),
    signer_title: str = typer.Option(..., help="The signer's title."),
    requester_agreed: bool = typer.Option(
        False,
        "--requester-agreed",
        help="FOIA only: the requester agreed to an alternative time frame (§ 552(a)(6)(B)(ii)).",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Extend the deadline once by written notice; refused past the legal maximum."""
    st = state(ctx)
    view = extend_request(
        st.archive(),
        st.actor,
        number,
        ExtensionNotice(ground, notice, signer_name, signer_title, _date(to), requester_agreed),
    )
    if as_json:
        emit_json(view.as_dict())
    else:
        ok(f"{view.number} extended to {view.due_on}")


@app.command("close")
def close(
    ctx: typer.Context,
    number: str = NUMBER,
    outcome: str = typer.Option(
        ...,
        help="fulfilled, fulfilled_in_part, denied, no_responsive_records, withdrawn, "
        "not_a_records_request or referred_to_other_agency.",
    ),
    note: str = typer.Option("", help="A note for the record."),
) -> None:
    """Close a request with its outcome."""
    st = state(ctx)
    view = close_request(st.archive(), st.actor, number, outcome, note)
    ok(f"{view.number} closed: {view.outcome}")


@app.command("add")
def add(
    ctx: typer.Context,
    number: str = NUMBER,
    item: list[int] = typer.Option([], "--item", help="An item id (repeatable)."),
    search: list[str] = typer.Option([], "--search", help="A saved search's name (repeatable)."),
) -> None:
    """Add items to the responsive set, by id or from saved searches, with their threads."""
    if not item and not search:
        raise typer.BadParameter("give --item or --search")
    st = state(ctx)
    if item:
        result = add_items(st.archive(), st.actor, number, item)
        ok(f"{len(result.added)} item(s) added (with threads)")
    for name in search:
        result = add_saved_search(st.archive(), st.actor, number, name)
        ok(f"search {name!r}: {len(result.added)} item(s) added (with threads)")


@app.command("review")
def review_(ctx: typer.Context, number: str = NUMBER, as_json: bool = JSON_OPTION) -> None:
    """The responsive set with decisions, redactions, and legal-hold / removal flags."""
    rows = review_rows(state(ctx).archive(), number)
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    table(
        f"Responsive set of {number}",
        ["item", "kind", "author", "created", "decision", "exemption", "flags", "redactions"],
        [
            (
                r.item_id,
                r.kind,
                r.author,
                r.created_at[:16],
                r.decision,
                r.exemption,
                ", ".join([*r.flags, *_why_removed(r)]),
                "; ".join(f"#{x.id} {x.kind} {x.status}" for x in r.redactions),
            )
            for r in rows
        ],
    )


def _why_removed(row: ReviewRow) -> list[str]:
    """The grounds of a removal by the City (clause and code; titles are in --json), or how a
    missing item was classified."""
    if row.removal is not None:
        return [
            "grounds: " + ", ".join(f"{g['clause']} {g['code']}" for g in row.removal["grounds"])
        ]
    return [f"missing: {c.split(':', 1)[0]}" for c in row.missing_classifications]


@app.command("decide")
def decide_(
    ctx: typer.Context,
    number: str = NUMBER,
    items: list[int] = typer.Argument(..., help="Item ids."),
    decision: str = typer.Option(..., help="release, redact or withhold."),
    exemption: str = typer.Option("", help="For withhold: the exemption (see `exemptions`)."),
    basis: str = typer.Option("", help="The written basis (required for § 7922.000)."),
) -> None:
    """Mark items release, redact or withhold (city attorney)."""
    st = state(ctx)
    count = decide(
        st.archive(), st.actor, number, items, decision, exemption=exemption, basis=basis
    )
    ok(f"{count} item(s) marked {decision}")


@app.command("redact")
def redact(
    ctx: typer.Context,
    number: str = NUMBER,
    item: int = typer.Argument(..., help="Item id."),
    exemption: str = typer.Option(..., help="The exemption (see `archiver requests exemptions`)."),
    start: int = typer.Option(0, help="First character of the span (0-based)."),
    end: int = typer.Option(0, help="Character after the span."),
    version: int | None = typer.Option(None, help="Version number (default: the latest)."),
    author: bool = typer.Option(False, "--author", help="Redact the author instead of text."),
    basis: str = typer.Option("", help="The written basis (required for § 7922.000)."),
) -> None:
    """Redact a span of an item's text, or its author, under an exemption."""
    st = state(ctx)
    view = redact_span(
        st.archive(),
        st.actor,
        number,
        item,
        start=start,
        end=end,
        exemption=exemption,
        basis=basis,
        version_no=version,
        field_name="author" if author else "text",
    )
    ok(f"redaction {view.id} on item {view.item_id} under {view.exemption}")


@app.command("suggest")
def suggest(ctx: typer.Context, number: str = NUMBER, as_json: bool = JSON_OPTION) -> None:
    """Suggest redactions of personal information in third-party comments."""
    st = state(ctx)
    found = suggest_redactions(st.archive(), st.actor, number)
    if as_json:
        emit_json([f.__dict__ for f in found])
        return
    _redactions(f"{len(found)} suggestion(s); accept or reject each", found)


def _redactions(title: str, views: list[RedactionView]) -> None:
    table(
        title,
        ["id", "item", "kind", "span", "text"],
        [(v.id, v.item_id, v.kind, f"{v.start}–{v.end}", v.excerpt) for v in views],
    )


@app.command("accept")
def accept(
    ctx: typer.Context,
    number: str = NUMBER,
    redaction: list[int] = typer.Argument(..., help="Suggested redaction ids."),
    exemption: str = typer.Option(..., help="The exemption (e.g. 7927.700 or b6)."),
    basis: str = typer.Option("", help="The written basis (required for § 7922.000)."),
) -> None:
    """Accept suggested redactions under an exemption."""
    st = state(ctx)
    for rid in redaction:
        decide_suggestion(
            st.archive(), st.actor, number, rid, accept=True, exemption=exemption, basis=basis
        )
    ok(f"{len(redaction)} redaction(s) accepted under {exemption}")


@app.command("reject")
def reject(
    ctx: typer.Context,
    number: str = NUMBER,
    redaction: list[int] = typer.Argument(..., help="Suggested redaction ids."),
) -> None:
    """Reject suggested redactions: the text is released as it is."""
    st = state(ctx)
    for rid in redaction:
        decide_suggestion(st.archive(), st.actor, number, rid, accept=False)
    ok(f"{len(redaction)} suggestion(s) rejected")


@app.command("exemptions")
def exemptions(
    ctx: typer.Context,
    law: str = typer.Option("", help="Only CPRA or FOIA."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The exemptions and extension grounds a decision may cite."""
    catalog = load_catalog()
    rows = [e for e in catalog.exemptions if not law or e.law == law.upper()]
    if as_json:
        emit_json([e.__dict__ for e in rows])
        return
    table(
        "Exemptions",
        ["code", "law", "citation", "title", "note required"],
        [(e.code, e.law, e.citation, e.title, "yes" if e.needs_note else "") for e in rows],
    )


@app.command("package")
def package(
    ctx: typer.Context,
    number: str = NUMBER,
    out: Path = typer.Option(..., "--out", help="The folder to create for the bag."),
    prefix: str = typer.Option("", help="Bates prefix (default: from the request number)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build the disclosure package: a BagIt bag with HTML, PDF, load files, WACZ, letters."""
    st = state(ctx)
    with console.status("building the package…") as status:
        result = build_package(
            st.archive(),
            st.actor,
            number,
            out,
            prefix=prefix or None,
            progress=lambda stage: status.update(f"building the package: {stage}…"),
        )
    if as_json:
        emit_json(result.as_dict())
        return
    ok(
        f"{result.path}: {result.bates_first}–{result.bates_last}, {result.released} released, "
        f"{result.redacted} redacted, {result.withheld} withheld; WACZ holds "
        f"{result.wacz_records} original record(s)"
    )


@app.command("verify")
def verify(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The package folder (the bag)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate a package: bag checksums, WACZ, Bates continuity, counts."""
    report = verify_package(path)
    if as_json:
        emit_json(report.as_dict())
    elif report.ok:
        ok(f"{path}: valid ({', '.join(f'{k} {v}' for k, v in report.counts.items())})")
    else:
        for problem in report.problems:
            warn(str(problem))
    if not report.ok:
        raise typer.Exit(ExitCode.INTEGRITY)
