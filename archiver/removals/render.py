"""The removal report as CSV (one row per removal, block or unblock) and as a self-contained,
printable HTML page. Times are shown in the City's time zone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from archiver.removals.report import RemovalReport
from archiver.removals.views import BlockRecord, GroundRef, RemovalRecord

CSV_COLUMNS = (
    "entry",
    "id",
    "when",
    "account",
    "item",
    "user_or_poster",
    "posted_at",
    "platform_action",
    "grounds",
    "clauses",
    "categories",
    "note",
    "recorded_by",
    "revisions",
    "evidence",
    "origin",
    "text",
)


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def _codes(grounds: Sequence[GroundRef]) -> str:
    return "; ".join(g.code for g in grounds)


def _clauses(grounds: Sequence[GroundRef]) -> str:
    return "; ".join(g.clause for g in grounds)


def _categories(grounds: Sequence[GroundRef]) -> str:
    return "; ".join(dict.fromkeys(c for g in grounds for c in g.categories))


def _poster(r: RemovalRecord) -> str:
    handle = f"@{r.poster_handle}" if r.poster_handle else ""
    parts = [p for p in (r.poster_name, handle, r.poster_platform_id) if p]
    return " ".join(parts) or "unknown"


def _csv_rows(report: RemovalReport, zone: ZoneInfo) -> Iterable[Sequence[object]]:
    for r in report.removals:
        yield (
            "removal",
            r.id,
            _local(r.removed_at, zone),
            r.account,
            r.item_ref,
            _poster(r),
            _local(r.posted_at, zone),
            r.platform_action,
            _codes(r.grounds),
            _clauses(r.grounds),
            _categories(r.grounds),
            r.note,
            r.recorded_by,
            len(r.revisions),
            "",
            r.origin,
            r.text,
        )
    for b in report.blocks:
        yield _block_row("block", b, _local(b.blocked_at, zone), b.recorded_by, b.note)
        if b.unblock:
            u = b.unblock
            yield _block_row("unblock", b, _local(u.unblocked_at, zone), u.recorded_by, u.reason)


def _block_row(entry: str, b: BlockRecord, when: str, by: str, note: str) -> tuple[object, ...]:
    return (
        entry,
        b.id,
        when,
        b.account,
        "",
        b.user,
        "",
        "",
        _codes(b.grounds),
        _clauses(b.grounds),
        _categories(b.grounds),
        note,
        by,
        "",
        " ".join(b.evidence),
        "",
        "",
    )


def report_csv(report: RemovalReport) -> str:
    zone = ZoneInfo(report.timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(report, zone))
    return out.getvalue()


STYLE = """
body { font: 11pt/1.4 Georgia, 'Times New Roman', serif; margin: 2em; color: #111; }
h1 { font-size: 18pt; margin-bottom: 0; } h2 { font-size: 13pt; border-bottom: 1px solid #999;
margin-top: 1.6em; } .meta { color: #444; } table { border-collapse: collapse; width: 100%;
margin: .5em 0; } th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top;
text-align: left; font-size: 9.5pt; } th { background: #eee; } td.n { text-align: right; }
blockquote { margin: .2em 0 .2em 1em; font-style: italic; color: #333; }
.quoted { white-space: pre-wrap; font-family: 'Courier New', monospace; font-size: 9pt; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; }
tr { page-break-inside: avoid; } }
"""


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: int = 0) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = []
    for row in rows:
        tds = []
        for index, value in enumerate(row):
            css = ' class="n"' if index >= len(head) - numeric else ""
            tds.append(f"<td{css}>{value}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(head)}">none</td></tr>')
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _grounds_html(grounds: Sequence[GroundRef]) -> str:
    return "".join(
        f"<div><b>{escape(g.code)}</b> — {escape(g.clause)}"
        f"<blockquote>“{escape(g.text)}”</blockquote></div>"
        for g in grounds
    )


def _removal_rows(report: RemovalReport, zone: ZoneInfo) -> Iterable[Sequence[str]]:
    for r in report.removals:
        history = "".join(
            f"<div>rev. {v.revision_no}, {escape(_local(v.recorded_at, zone))}, "
            f"{escape(v.recorded_by)}: {escape(v.change_reason or 'original record')}</div>"
            for v in r.revisions
        )
        yield (
            str(r.id),
            escape(_local(r.removed_at, zone)),
            escape(r.account),
            f"{escape(r.item_ref)}<br>{escape(r.item_kind)}, {escape(r.origin)}",
            f"{escape(_poster(r))}<br>posted {escape(_local(r.posted_at, zone))}",
            f'<div class="quoted">{escape(r.text)}</div>',
            _grounds_html(r.grounds),
            f"{escape(r.note)}<br><i>{escape(r.platform_action)} by "
            f"{escape(r.recorded_by)}</i>{history if r.amended else ''}",
        )


def _block_rows(report: RemovalReport, zone: ZoneInfo) -> Iterable[Sequence[str]]:
    for b in report.blocks:
        lifted = (
            f"lifted {escape(_local(b.unblock.unblocked_at, zone))} by "
            f"{escape(b.unblock.recorded_by)}: {escape(b.unblock.reason)}"
            if b.unblock
            else "in force"
        )
        yield (
            str(b.id),
            escape(_local(b.blocked_at, zone)),
            escape(b.account),
            escape(f"{b.user} {b.user_name}".strip()),
            _grounds_html(b.grounds),
            escape(", ".join(b.evidence))
            + f"<br><i>{escape(b.blocking_clause)} requires {b.min_violations}</i>",
            f"{escape(b.note)}<br><i>by {escape(b.recorded_by)}</i>",
            lifted,
        )


def report_html(report: RemovalReport) -> str:
    zone = ZoneInfo(report.timezone)
    s = report.summary
    scope = f" — account {report.account}" if report.account else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(report.city)}: removals and blocks {report.start} to {report.end}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.city)}: content removed and users blocked</h1>",
        f'<p class="meta">Period {report.start} to {report.end} ({escape(report.timezone)})'
        f"{escape(scope)}. Generated {escape(_local(report.generated_at, zone))}.</p>",
        f'<p class="meta">Grounds cited from: {escape("; ".join(report.policies) or "—")}.</p>',
        "<h2>Summary</h2>",
        _table(
            ["", "count"],
            [
                ("Removals recorded", str(s.removals)),
                ("of which amended after recording", str(s.amended)),
                ("of which attested by staff (never captured)", str(s.attested)),
                ("Users blocked", str(s.blocks)),
                ("Users unblocked", str(s.unblocks)),
                ("Missing items classified", str(sum(s.by_outcome.values()))),
                ("Missing items awaiting classification now", str(report.unclassified_now)),
            ],
            numeric=1,
        ),
        "<h2>By ground</h2>",
        _table(
            ["catalog", "ground", "clause", "title", "removals", "blocks"],
            [
                (
                    escape(g.catalog_id),
                    escape(g.code),
                    escape(g.clause),
                    escape(g.title),
                    str(g.removals),
                    str(g.blocks),
                )
                for g in s.by_ground
            ],
            numeric=2,
        ),
        "<h2>By category</h2>",
        _table(
            ["category", "removals", "blocks"],
            [(escape(c.category), str(c.removals), str(c.blocks)) for c in s.by_category],
            numeric=2,
        ),
        "<h2>By account</h2>",
        _table(
            ["account", "removals", "blocks", "unblocks"],
            [
                (escape(a.account), str(a.removals), str(a.blocks), str(a.unblocks))
                for a in s.by_account
            ],
            numeric=3,
        ),
        "<h2>Missing items classified</h2>",
        _table(
            ["outcome", "count"],
            [(escape(k), str(v)) for k, v in s.by_outcome.items()],
            numeric=1,
        ),
        "<h2>Removals</h2>",
        _table(
            ["#", "removed", "account", "item", "poster", "content", "grounds", "note"],
            _removal_rows(report, zone),
        ),
        "<h2>Blocks</h2>",
        _table(
            ["#", "blocked", "account", "user", "grounds", "evidence", "note", "status"],
            _block_rows(report, zone),
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
