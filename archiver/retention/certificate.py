"""The certificate of destruction of a completed batch, as JSON and as HTML: what was destroyed,
under which authority, by whom, when and how, what was refused, and which original export files
were kept because they still hold kept items."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from archiver.archive import Archive
from archiver.db.models import AuditEvent
from archiver.errors import Conflict
from archiver.retention.disposition import find_batch
from archiver.retention.models import (
    DispositionEntry,
    DispositionRecord,
    RetentionSchedule,
    Tombstone,
    WarcRewrite,
)
from archiver.retention.schedule import schedule_from_document

METHOD = (
    "Electronic deletion. Each WARC file holding a destroyed record was written again without "
    "it: every surviving record was copied byte for byte and verified against its SHA-256 "
    "digests, the new file was synced to disk and put in place, and the old file was removed. "
    "The records' database rows and search-index entries were deleted. A tombstone keeps only "
    "the item id, series, dates, content digest and this batch."
)
MIXED_EXPORTS = (
    "An original export file (one platform archive holding many items) is destroyed only when "
    "every item it holds has been destroyed and its own series allows it. Until then it is kept "
    "whole, unaltered, and the destroyed items' content remains inside it: the files listed "
    "under 'Original exports kept' still contain content of items destroyed by this batch."
)


def build_certificate(archive: Archive, batch_id: int) -> dict[str, Any]:
    with archive.db.read() as session:
        batch = find_batch(session, batch_id)
        if batch.status != "completed":
            raise Conflict(
                f"batch {batch_id} is {batch.status}; a certificate is issued once it is executed",
                hint=f"Run `archiver disposition execute {batch_id}`.",
            )
        row = session.get(RetentionSchedule, batch.schedule_id)
        assert row is not None
        schedule = schedule_from_document(row.document)
        titles = {s.code: s.title for s in schedule.series}
        entries = session.scalars(
            select(DispositionEntry)
            .where(DispositionEntry.batch_id == batch_id)
            .order_by(DispositionEntry.id)
        ).all()
        stones = {
            t.item_id: t
            for t in session.scalars(select(Tombstone).where(Tombstone.batch_id == batch_id))
        }
        records = session.scalars(
            select(DispositionRecord)
            .where(DispositionRecord.batch_id == batch_id)
            .order_by(DispositionRecord.id)
        ).all()
        rewrites = session.scalars(
            select(WarcRewrite).where(WarcRewrite.batch_id == batch_id).order_by(WarcRewrite.id)
        ).all()
        events = session.scalars(
            select(AuditEvent.seq).where(
                AuditEvent.action == "premis.deletion",
                AuditEvent.details.like(f'%"batch":{batch_id},%'),
            )
        ).all()
        series: dict[str, dict[str, Any]] = {}
        for e in entries:
            if e.status != "destroyed":
                continue
            line = series.setdefault(
                e.series_code,
                {
                    "code": e.series_code,
                    "title": titles.get(e.series_code, ""),
                    "retention": e.retention,
                    "citation": e.citation,
                    "records": 0,
                    "bytes": 0,
                },
            )
            line["records"] += 1
            line["bytes"] += e.size
        return {
            "certificate": f"DC-{batch.completed_at.year if batch.completed_at else ''}-{batch.id}",
            "city": archive.settings.city.name,
            "batch": batch.id,
            "schedule": {"name": row.name, "version": row.version, "adopted_by": row.adopted_by},
            "authority": {
                "statute": "Cal. Gov. Code § 34090",
                "council_resolution": batch.resolution_number,
                "resolution_date": _d(batch.resolution_date),
                "resolution_recorded_by": batch.resolution_recorded_by,
                "city_attorney_consent": {
                    "name": batch.consent_name,
                    "title": batch.consent_title,
                    "date": _d(batch.consent_date),
                    "statement": batch.consent_statement,
                },
            },
            "proposed_by": batch.proposed_by,
            "proposed_at": _d(batch.proposed_at),
            "executed_by": batch.executed_by,
            "started_at": _d(batch.started_at),
            "completed_at": _d(batch.completed_at),
            "method": METHOD,
            "original_exports_policy": MIXED_EXPORTS,
            "series": list(series.values()),
            "items_destroyed": [
                {
                    "item_id": e.item_id,
                    "series": e.series_code,
                    "record_date": _d(e.record_date),
                    "eligible_on": _d(e.eligible_on),
                    "kind": stones[e.item_id].kind if e.item_id in stones else "",
                    "content_sha256": stones[e.item_id].content_hash if e.item_id in stones else "",
                }
                for e in entries
                if e.status == "destroyed" and e.item_id is not None
            ],
            "original_exports_destroyed": [
                {"capture_source_id": e.capture_source_id, "series": e.series_code, "size": e.size}
                for e in entries
                if e.status == "destroyed" and e.capture_source_id is not None
            ],
            "warc_records_destroyed": [_record(r) for r in records if r.status == "destroyed"],
            "original_exports_kept": [
                {**_record(r), "reason": r.reason} for r in records if r.status == "kept"
            ],
            "warc_files_rewritten": [
                {
                    "old_name": w.old_name,
                    "old_sha256": w.old_sha256,
                    "new_name": w.new_name,
                    "new_sha256": w.new_sha256,
                    "records_removed": w.records_removed,
                    "records_kept": w.records_kept,
                }
                for w in rewrites
            ],
            "refused": [
                {"item_id": e.item_id, "capture_source_id": e.capture_source_id, "reason": e.reason}
                for e in entries
                if e.status == "refused"
            ],
            "audit_events": list(events),
        }


def _d(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _record(r: DispositionRecord) -> dict[str, Any]:
    return {
        "record_id": r.record_id,
        "warc_file": r.warc_file,
        "type": r.record_type,
        "role": r.role,
        "target_uri": r.target_uri,
        "block_digest": r.block_digest,
        "length": r.payload_length,
    }


def _table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = (
    "body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;color:#111}"
    "table{border-collapse:collapse;width:100%;font-size:.85rem}"
    "td,th{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}"
    "h1{font-size:1.5rem}dt{font-weight:bold}"
)
SECTIONS = (
    ("Series", "series", ["code", "title", "retention", "citation", "records", "bytes"]),
    (
        "Items destroyed",
        "items_destroyed",
        ["item_id", "series", "kind", "record_date", "eligible_on", "content_sha256"],
    ),
    ("Original exports destroyed", "original_exports_destroyed", ["capture_source_id", "size"]),
    (
        "WARC records destroyed",
        "warc_records_destroyed",
        ["record_id", "warc_file", "type", "role", "block_digest", "length"],
    ),
    ("Original exports kept", "original_exports_kept", ["record_id", "warc_file", "reason"]),
    (
        "WARC files rewritten",
        "warc_files_rewritten",
        ["old_name", "old_sha256", "new_name", "new_sha256", "records_removed", "records_kept"],
    ),
    ("Refused", "refused", ["item_id", "capture_source_id", "reason"]),
)


def render_html(cert: dict[str, Any]) -> str:
    e = html.escape
    auth = cert["authority"]
    consent = auth["city_attorney_consent"]
    sched = cert["schedule"]
    title = f"{e(cert['city'])} — Certificate of Destruction {e(cert['certificate'])}"
    authority = [
        ("Statute", auth["statute"]),
        (
            "Council resolution",
            f"{auth['council_resolution']}, adopted {auth['resolution_date']} "
            f"(recorded by {auth['resolution_recorded_by']})",
        ),
        (
            "City attorney's written consent",
            f"{consent['name']}, {consent['title']}, {consent['date']}: “{consent['statement']}”",
        ),
        ("Proposed by", f"{cert['proposed_by']} on {cert['proposed_at']}"),
        ("Executed by", f"{cert['executed_by']}, {cert['started_at']} to {cert['completed_at']}"),
    ]
    parts = [
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>I certify that the records listed below were destroyed on "
        f"{e(cert['completed_at'])} as part of disposition batch {cert['batch']}, under retention "
        f"schedule {e(sched['name'])} (version {e(sched['version'])}, "
        f"{e(sched['adopted_by'])}).</p>",
        "<h2>Authority</h2><dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in authority),
        "</dl>",
        f"<h2>Method</h2><p>{e(cert['method'])}</p>",
        f"<h2>Original export files</h2><p>{e(cert['original_exports_policy'])}</p>",
        *(f"<h2>{e(h)}</h2>{_table(cols, cert[key])}" for h, key, cols in SECTIONS),
        "<p>PREMIS deletion events in the audit log: "
        f"{e(', '.join(map(str, cert['audit_events'])) or 'none')}.</p>",
        "</body></html>\n",
    ]
    return "\n".join(parts)


def write_certificate(archive: Archive, batch_id: int, directory: Path) -> list[Path]:
    """Write ``certificate-<batch>.json`` and ``.html`` into ``directory``."""
    cert = build_certificate(archive, batch_id)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"certificate-{batch_id}.json"
    html_path = directory / f"certificate-{batch_id}.html"
    json_path.write_text(json.dumps(cert, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path.write_text(render_html(cert), encoding="utf-8")
    return [json_path, html_path]
