"""The attorney's report: every item under a hold, with provenance, as CSV and as a package
(plain files and a manifest) that a disclosure package can reuse."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import SOFTWARE
from archiver.archive import Archive
from archiver.db.models import Account, Capture, CaptureSource, Item, ItemVersion, WarcRecord
from archiver.errors import Conflict
from archiver.holds.matching import scope_matches
from archiver.holds.models import HoldItem, LegalHold
from archiver.holds.rules import HoldScope
from archiver.holds.service import find_hold
from archiver.removals.history import classifications_for, removal_records_for
from archiver.removals.views import ClassificationRecord, RemovalRecord
from archiver.warc.catalog import locator

COLUMNS = (
    "hold",
    "matter",
    "matched_by",
    "item_id",
    "account",
    "platform",
    "platform_id",
    "kind",
    "state",
    "created_at",
    "author",
    "permalink",
    "content_sha256",
    "versions",
    "captures",
    "source_files",
    "warc_records",
    "removed_by_city",
    "removed_at",
    "removed_by",
    "platform_action",
    "removal_grounds",
    "removal_note",
    "removal_amendments",
    "missing_classification",
)


@dataclass(frozen=True)
class HeldRow:
    hold: str
    matter: str
    matched_by: str
    item_id: int
    account: str
    platform: str
    platform_id: str
    kind: str
    state: str
    created_at: str
    author: str
    permalink: str
    content_sha256: str
    versions: int
    captures: str  # "id:kind:started_at:operator; ..."
    source_files: str  # "name sha256; ..."
    warc_records: str  # "record-id file@offset; ..."
    removed_by_city: str = ""  # "yes" when the City removed it (see archiver.removals)
    removed_at: str = ""
    removed_by: str = ""
    platform_action: str = ""
    removal_grounds: str = ""  # "clause title (code); ..."
    removal_note: str = ""
    removal_amendments: str = ""  # "recorded_at by: reason; ..."
    missing_classification: str = ""  # "outcome at by: note; ..." from the review queue


def _holds(session: Session, code: str | None) -> list[LegalHold]:
    if code:
        return [find_hold(session, code)]
    return list(
        session.scalars(
            select(LegalHold).where(LegalHold.status == "active").order_by(LegalHold.id)
        )
    )


def _members(session: Session, hold: LegalHold) -> dict[int, str]:
    found = {
        i: how
        for i, how in session.execute(
            select(HoldItem.item_id, HoldItem.matched_by).where(HoldItem.hold_id == hold.id)
        ).all()
    }
    if hold.status == "active":
        for item_id, how in scope_matches(session, HoldScope.from_dict(hold.scope)).items():
            found.setdefault(item_id, how)
    return found


def held_rows(archive: Archive, code: str | None = None) -> list[HeldRow]:
    """One row per (hold, item): every item under the named hold, or under every active hold."""
    rows: list[HeldRow] = []
    with archive.db.read() as session:
        for hold in _holds(session, code):
            members = _members(session, hold)
            removals = removal_records(session, members)
            classified = classifications_for(session, members)
            for item, account in session.execute(
                select(Item, Account)
                .join(Account, Item.account_id == Account.id)
                .where(Item.id.in_(sorted(members)))
                .order_by(Item.id)
            ).all():
                row = _row(session, hold, members[item.id], item, account)
                trail = _trail(removals.get(item.id), classified.get(item.id, []))
                rows.append(replace(row, **asdict(trail)))
    return rows


def removal_records(session: Session, item_ids: Iterable[int]) -> dict[int, RemovalRecord]:
    return {r.item_id: r for r in removal_records_for(session, item_ids) if r.item_id is not None}


@dataclass(frozen=True)
class _Trail:
    """The removal-trail columns of one held item."""

    removed_by_city: str = ""
    removed_at: str = ""
    removed_by: str = ""
    platform_action: str = ""
    removal_grounds: str = ""
    removal_note: str = ""
    removal_amendments: str = ""
    missing_classification: str = ""


def _trail(removal: RemovalRecord | None, classifications: list[ClassificationRecord]) -> _Trail:
    missing = "; ".join(
        f"{c.outcome} {c.classified_at.isoformat()} by {c.classified_by}: {c.note}"
        for c in classifications
    )
    if removal is None:
        return _Trail(missing_classification=missing)
    return _Trail(
        removed_by_city="yes",
        removed_at=removal.removed_at.isoformat(),
        removed_by=removal.recorded_by,
        platform_action=removal.platform_action,
        removal_grounds="; ".join(f"{g.clause} {g.title} ({g.code})" for g in removal.grounds),
        removal_note=removal.note,
        removal_amendments="; ".join(
            f"{v.recorded_at.isoformat()} by {v.recorded_by}: {v.change_reason}"
            for v in removal.revisions[1:]
        ),
        missing_classification=missing,
    )


def _row(session: Session, hold: LegalHold, how: str, item: Item, account: Account) -> HeldRow:
    versions = session.scalars(
        select(ItemVersion).where(ItemVersion.item_id == item.id).order_by(ItemVersion.version_no)
    ).all()
    capture_ids = sorted({v.capture_id for v in versions})
    captures = session.scalars(select(Capture).where(Capture.id.in_(capture_ids))).all()
    sources = session.scalars(
        select(CaptureSource).where(CaptureSource.capture_id.in_(capture_ids))
    ).all()
    records = session.scalars(
        select(WarcRecord).where(
            WarcRecord.id.in_([v.warc_record_id for v in versions if v.warc_record_id])
        )
    ).all()
    return HeldRow(
        hold=hold.code,
        matter=f"{hold.matter_name} {hold.matter_number}".strip(),
        matched_by=how,
        item_id=item.id,
        account=f"{account.platform}:{account.handle}",
        platform=item.platform,
        platform_id=item.platform_id,
        kind=item.kind,
        state=item.state,
        created_at=item.created_at.isoformat() if item.created_at else "",
        author=item.author_name or item.author_handle,
        permalink=item.permalink,
        content_sha256=item.content_hash,
        versions=len(versions),
        captures="; ".join(
            f"{c.id}:{c.source_kind}:{c.started_at.isoformat()}:{c.operator}" for c in captures
        ),
        source_files="; ".join(f"{s.name} {s.sha256}" for s in sources),
        warc_records="; ".join(f"{r.record_id} {r.warc_file.name}@{r.offset}" for r in records),
    )


def to_csv(rows: list[HeldRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return out.getvalue()


@dataclass(frozen=True)
class PackageResult:
    directory: str
    items: int
    files: int


def write_package(archive: Archive, code: str, directory: Path) -> PackageResult:
    """A folder for the attorney: hold.json, items.csv, items.jsonl (every version's text and
    provenance), originals/ (each WARC record the items point at, byte for byte, named by
    SHA-256) and manifest.json (every file with size and SHA-256)."""
    if directory.exists() and any(directory.iterdir()):
        raise Conflict(f"{directory} is not empty", hint="Name a new folder.")
    rows = held_rows(archive, code)
    (directory / "originals").mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {"items.csv": to_csv(rows).encode("utf-8")}
    lines: list[str] = []
    with archive.db.read() as session:
        hold = find_hold(session, code)
        files["hold.json"] = _json(
            {
                "code": hold.code,
                "matter_name": hold.matter_name,
                "matter_number": hold.matter_number,
                "issued_by": hold.issued_by_name or hold.issued_by,
                "issued_on": hold.issued_on.isoformat(),
                "reason": hold.reason,
                "status": hold.status,
                "scope": hold.scope,
            }
        )
        ids = [row.item_id for row in rows]
        removals = removal_records(session, ids)
        classified = classifications_for(session, ids)
        for row in rows:
            versions = session.scalars(
                select(ItemVersion)
                .where(ItemVersion.item_id == row.item_id)
                .order_by(ItemVersion.version_no)
            ).all()
            entry: dict[str, Any] = {**asdict(row), "versions": []}
            removal = removals.get(row.item_id)
            entry["removal"] = _removal_json(removal) if removal else None
            entry["missing_classifications"] = [asdict(c) for c in classified.get(row.item_id, [])]
            for v in versions:
                original = ""
                if v.warc_record_id is not None:
                    record = session.get(WarcRecord, v.warc_record_id)
                    assert record is not None
                    payload = archive.warcs.read(locator(record)).payload
                    original = f"originals/{record.payload_sha256}"
                    files[original] = payload
                entry["versions"].append(
                    {
                        "version": v.version_no,
                        "text": v.text,
                        "content_sha256": v.content_hash,
                        "first_observed_at": v.first_observed_at.isoformat(),
                        "capture_id": v.capture_id,
                        "original": original,
                        "source_position": v.source_position,
                    }
                )
            lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True, default=_iso))
    files["items.jsonl"] = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
    manifest = []
    for name, data in sorted(files.items()):
        (directory / name).write_bytes(data)
        manifest.append(
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    (directory / "manifest.json").write_bytes(
        _json({"software": SOFTWARE, "hold": code, "files": manifest})
    )
    return PackageResult(str(directory), len(rows), len(manifest) + 1)


def _removal_json(removal: RemovalRecord) -> dict[str, Any]:
    """The whole removal record, every revision included, for the attorney (nothing redacted:
    a hold preserves, it does not disclose)."""
    data = removal.as_dict()
    data.pop("warnings", None)
    data.pop("text", None)  # the versions above carry the text
    return data


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(value: Any) -> bytes:
    return (
        json.dumps(value, indent=2, default=_iso, ensure_ascii=False, sort_keys=True) + "\n"
    ).encode()
