"""``archive.wacz``: the original WARC records of the records released in full, byte for byte,
as a WACZ 1.1.1 (Webrecorder's spec; py-wacz's ``wacz validate`` accepts it).

Only records released in full are included, and of their WARC records only those that no
other item, media file or follower snapshot points at: an export file stored as one WARC record
holds many items (some withheld, redacted or simply not responsive), so it is left out and
listed in ``excluded`` instead. Each included record is copied as its own gzip member, exactly
as stored; its digests are checked on the way.

Layout: ``archive/data.warc.gz`` (STORED), ``indexes/index.cdx`` (CDXJ, sorted),
``pages/pages.jsonl``, ``datapackage.json`` (resources with sha256 and size),
``datapackage-digest.json``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import SOFTWARE
from archiver.db.models import FollowerSnapshot, ItemVersion, Media, WarcRecord
from archiver.warc import WarcStore
from archiver.warc.catalog import locator
from archiver.warc.store import check_digests, parse_member

WACZ_VERSION = "1.1.1"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class WaczResult:
    records: int = 0
    pages: int = 0
    excluded: list[int] = field(default_factory=list)  # WARC record ids shared with other data


def shareable_records(
    session: Session, candidates: dict[int, set[int]], released_in_full: set[int]
) -> tuple[list[int], list[int]]:
    """Split candidate WARC record ids (→ the released items citing them) into those only
    released items point at, and the rest."""
    ids = sorted(candidates)
    users: dict[int, set[int]] = {i: set() for i in ids}
    shared: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for record_id, item_id in session.execute(
            select(ItemVersion.warc_record_id, ItemVersion.item_id).where(
                ItemVersion.warc_record_id.in_(chunk)
            )
        ).all():
            if record_id is not None:
                users[record_id].add(item_id)
        for record_id, item_id in session.execute(
            select(Media.warc_record_id, Media.item_id).where(Media.warc_record_id.in_(chunk))
        ).all():
            if record_id is not None:
                users[record_id].add(item_id)
        shared.update(
            session.scalars(
                select(FollowerSnapshot.warc_record_id).where(
                    FollowerSnapshot.warc_record_id.in_(chunk)
                )
            )
        )
    keep = [i for i in ids if i not in shared and users[i] <= released_in_full]
    return keep, [i for i in ids if i not in keep]


def surt(uri: str) -> str:
    """A SURT key as CDXJ indexes use (``com,example)/path``); non-HTTP URIs stay as they are."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return uri
    host = parts.hostname.lower().removeprefix("www.")
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path or "/")
    return key + (f"?{parts.query}" if parts.query else "")


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def write_wacz(
    path: Path,
    session: Session,
    store: WarcStore,
    record_ids: Iterable[int],
    *,
    title: str,
    created: datetime,
) -> int:
    """Write the WACZ, one page per resource or response record (so every page replays).
    Returns the record count."""
    rows = list(
        session.scalars(
            select(WarcRecord).where(WarcRecord.id.in_(sorted(record_ids))).order_by(WarcRecord.id)
        )
    )
    index: list[str] = []
    resources: list[dict[str, object]] = []
    with zipfile.ZipFile(path, "w", allowZip64=True) as zf:
        info = zipfile.ZipInfo("archive/data.warc.gz", ZIP_EPOCH)
        info.compress_type = zipfile.ZIP_STORED
        warc_hash, offset = hashlib.sha256(), 0
        with zf.open(info, "w", force_zip64=True) as warc:
            for row in rows:
                member = _member(store, row)
                warc.write(member)
                warc_hash.update(member)
                index.append(_cdxj(row, offset, len(member)))
                offset += len(member)
        resources.append(_resource("archive/data.warc.gz", warc_hash.hexdigest(), offset))
        index.sort()
        page_lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
        page_lines += [
            json.dumps(
                {
                    "id": f"p{row.id}",
                    "url": row.target_uri,
                    "ts": row.warc_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "title": row.target_uri,
                }
            )
            for row in rows
            if row.record_type in ("resource", "response") and row.target_uri
        ]
        small = {
            "indexes/index.cdx": ("\n".join(index) + "\n").encode("utf-8"),
            "pages/pages.jsonl": ("\n".join(page_lines) + "\n").encode("utf-8"),
        }
        for name, data in small.items():
            _deflated(zf, name, data)
            resources.append(_resource(name, hashlib.sha256(data).hexdigest(), len(data)))
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        package = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "created": stamp,
            "modified": stamp,
            "software": SOFTWARE,
            "resources": resources,
        }
        package_bytes = json.dumps(package, indent=2).encode("utf-8")
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
        }
        _deflated(zf, "datapackage.json", package_bytes)
        _deflated(zf, "datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"))
    return len(rows)


def _member(store: WarcStore, row: WarcRecord) -> bytes:
    where = locator(row)
    with store.path(where.file).open("rb") as handle:
        handle.seek(where.offset)
        member = handle.read(where.length)
    label = f"{where.file}@{where.offset}"
    check_digests(parse_member(member, where=label), where=label)
    return member


def _cdxj(row: WarcRecord, offset: int, length: int) -> str:
    fields = {
        "url": row.target_uri,
        "mime": row.content_type.split(";")[0],
        "digest": row.payload_digest or row.block_digest,
        "length": str(length),
        "offset": str(offset),
        "filename": "data.warc.gz",
        "recordType": row.record_type,
    }
    if row.record_type == "response":
        fields["status"] = "200"
    return f"{surt(row.target_uri)} {_timestamp(row.warc_date)} {json.dumps(fields)}"


def _resource(name: str, sha256: str, size: int) -> dict[str, object]:
    return {
        "name": name.rsplit("/", 1)[-1].lower(),
        "path": name,
        "hash": f"sha256:{sha256}",
        "bytes": size,
    }


def _deflated(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)
