"""``index.html``: the released records, readable offline in any browser (no scripts, no
network), each post followed by its comments and replies, redactions as labelled blocks."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from itertools import groupby
from typing import TextIO

from archiver.requests.package.records import (
    ClassificationOut,
    Production,
    RecordOut,
    RemovalOut,
    VersionOut,
)

STYLE = """
body{font:16px/1.5 Georgia,serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#111}
header{border-bottom:2px solid #111;margin-bottom:1.5rem}
.thread{border:1px solid #bbb;border-radius:4px;padding:0.5rem 1rem;margin:1.5rem 0}
.record{margin:0.75rem 0}.reply{margin-left:1.5rem;border-left:3px solid #ddd;padding-left:0.75rem}
.meta{font:13px/1.4 system-ui,sans-serif;color:#444}.bates{float:right;font-family:monospace}
.redaction{background:#111;color:#fff;font:bold 12px system-ui,sans-serif;padding:0 0.4em;
border-radius:2px;white-space:nowrap}
.withheld{font:14px system-ui,sans-serif;background:#f3f3f3;padding:0.5rem}
pre{white-space:pre-wrap;font:inherit;margin:0.25rem 0}
.removal{font:14px/1.4 system-ui,sans-serif;border-left:4px solid #a00;background:#fbf3f3;
padding:0.4rem 0.75rem;margin:0.5rem 0}.removal h3{font-size:14px;margin:0 0 0.25rem}
.removal ul{margin:0.25rem 0;padding-left:1.25rem}
"""


def write_index(out: TextIO, production: Production, bates: dict[int, tuple[str, str]]) -> None:
    out.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    out.write(f"<title>Records produced for request {escape(production.number)}</title>")
    out.write(f"<style>{STYLE}</style></head><body>\n")
    out.write(
        f"<header><h1>Request {escape(production.number)}</h1><p>{escape(production.law)} "
        f"request received {production.received_on}. {len(production.released)} record(s) "
        f"released, {len(production.withheld)} withheld. Redactions appear as black labels "
        "naming the exemption; see <code>exemption_log.csv</code>.</p></header>\n"
    )
    for _, thread in groupby(production.records, key=lambda r: r.root_id):
        out.write('<section class="thread">\n')
        for record in thread:
            out.write("".join(_record(record, bates.get(record.item_id))))
        out.write("</section>\n")
    out.write("</body></html>\n")


def _record(record: RecordOut, bates: tuple[str, str] | None) -> Iterator[str]:
    css = "record" if record.parent_id is None else "record reply"
    stamp = (
        f'<span class="bates">{bates[0]}'
        + (f"–{bates[1]}" if bates and bates[1] != bates[0] else "")
        + "</span>"
        if bates
        else ""
    )
    yield f'<article class="{css}" id="item-{record.item_id}">{stamp}'
    if record.status == "withheld":
        yield (
            f'<p class="withheld">Record {record.item_id} ({escape(record.kind)}) withheld in '
            f"full under {escape(', '.join(record.exemptions))}.</p></article>\n"
        )
        return
    author = (
        f'<span class="redaction">{escape(record.author.strip("[]"))}</span>'
        if record.author_redacted
        else escape(record.author)
    )
    link = (
        f' · <a href="{escape(record.permalink)}">{escape(record.permalink)}</a>'
        if record.permalink
        else ""
    )
    yield (
        f'<p class="meta"><b>{author}</b> · {escape(record.kind)} on {escape(record.account)} · '
        f"{escape(record.created_at)} · item {record.item_id}{link}"
        f' · <a href="native/{record.item_id}.json">data</a></p>'
    )
    for version in record.versions:
        yield _version(version, len(record.versions) > 1)
    if record.removal is not None:
        yield _removal(record.removal)
    for classification in record.classifications:
        if classification.outcome != "removed_by_city" or record.removal is None:
            yield _classification(classification)
    yield "</article>\n"


def _person(name: str, title: str) -> str:
    return escape(f"{name}, {title}" if title else name)


def _poster(removal: RemovalOut) -> str:
    if removal.poster_redacted:
        return f'<span class="redaction">{escape(removal.poster.strip("[]"))}</span>'
    return escape(removal.poster)


def _removal(removal: RemovalOut) -> str:
    grounds = "".join(
        f"<li>{escape(g.clause)} — {escape(g.title)} <code>{escape(g.code)}</code></li>"
        for g in removal.grounds
    )
    amendments = "".join(
        f"<li>Amended {escape(a.recorded_at)} by {_person(a.by_name, a.by_title)}: "
        f"{escape(a.reason)} (grounds after it: "
        f"{escape(', '.join(f'{g.clause} {g.title}' for g in a.grounds))})</li>"
        for a in removal.amendments
    )
    return (
        '<div class="removal"><h3>Removed by the City under its social-media policy</h3>'
        f"<p>Removed {escape(removal.removed_at)} by {_person(removal.by_name, removal.by_title)}"
        f" · platform action: {escape(removal.platform_action)} · "
        f"{escape(removal.policy)} · posted by {_poster(removal)}</p>"
        f"<p>Grounds:</p><ul>{grounds}</ul>"
        f"<p>Note: {escape(removal.note)}</p>"
        + (f"<p>Amendments:</p><ul>{amendments}</ul>" if amendments else "")
        + "</div>"
    )


def _classification(c: ClassificationOut) -> str:
    return (
        f'<div class="removal"><h3>Missing from its source: {escape(c.description)}</h3>'
        f"<p>Classified {escape(c.classified_at)} by {_person(c.by_name, c.by_title)}: "
        f"{escape(c.note)}</p></div>"
    )


def _version(version: VersionOut, several: bool) -> str:
    head = (
        f'<p class="meta">version {version.version_no}, observed {escape(version.observed_at)}</p>'
        if several
        else ""
    )
    body = "".join(
        f'<span class="redaction">{escape(s.label)}</span>' if s.redacted else escape(s.text)
        for s in version.segments
    )
    return f"{head}<pre>{body}</pre>"
