"""Staff attestations: a removal of content the archiver never captured (taken down within
minutes). The screenshot or file goes into the WARC as a ``resource`` record, the attestation
(who attests what, when) as a ``metadata`` record referring to it; the item's capture has
``source_kind = "attestation"``, so its provenance is never mistaken for a platform export."""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from archiver import SOFTWARE
from archiver.accounts import find_account
from archiver.actors import Actor
from archiver.archive import Archive, WarcUnit
from archiver.db.models import (
    ITEM_KINDS,
    Capture,
    CaptureSource,
    Item,
    ItemVersion,
    Media,
    WarcRecord,
)
from archiver.errors import Conflict, InvalidInput
from archiver.removals import rules
from archiver.removals.catalog import PolicyCatalog, city_catalog
from archiver.removals.history import record_of
from archiver.removals.lookup import find_item
from archiver.removals.record import (
    RemovalRequest,
    check_action,
    create_removal,
)
from archiver.removals.views import RemovalRecord
from archiver.search.indexing import index_changed
from archiver.sources.base import NormalizedItem, SourceRef

SOURCE_FORMAT = "staff-attestation"


@dataclass(frozen=True)
class Attestation:
    account: str
    text: str
    url: str
    posted_at: datetime
    files: tuple[Path, ...]
    poster_name: str = ""
    poster_handle: str = ""
    poster_platform_id: str = ""
    kind: str = "comment"
    platform_id: str = ""  # the platform's id of the content, when staff know it
    parent: str = ""  # the item it answered, if archived
    statement: str = ""  # staff's own words on how they saw it


def _check(att: Attestation) -> None:
    problems = []
    if not att.text.strip():
        problems.append("the text of the content (--text) is required")
    if not (att.poster_name or att.poster_handle or att.poster_platform_id):
        problems.append("the poster (--poster-handle, --poster-name or --poster-id) is required")
    if not att.url.strip():
        problems.append("the address of the content (--url) is required")
    if not att.files:
        problems.append("a screenshot or file (--file) is required")
    if att.kind not in ITEM_KINDS:
        problems.append(f"kind {att.kind!r} is not one of {', '.join(ITEM_KINDS)}")
    for path in att.files:
        if not path.is_file():
            problems.append(f"{path}: no such file")
    if problems:
        raise InvalidInput("the attestation is incomplete: " + "; ".join(problems))


def _safe_name(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path.name) or "file"


def record_attestation(
    archive: Archive,
    actor: Actor,
    attestation: Attestation,
    request: RemovalRequest,
    *,
    catalog: PolicyCatalog | None = None,
) -> RemovalRecord:
    """Store the attestation in the WARC, create the item it describes, and record its removal,
    in one unit of work: all of it, or nothing."""
    actor.require("removals.record")
    _check(attestation)
    catalog = catalog or city_catalog(archive.settings)
    rules.removal_grounds(catalog, request.grounds)  # refuse before writing anything
    check_action(request.action)
    info = {"purpose": "staff attestation of removed content"}
    with archive.warc_unit(actor, info=info) as unit:
        session = unit.session
        account = find_account(session, attestation.account)
        parent = find_item(session, attestation.parent) if attestation.parent else None
        now = unit.now
        capture = Capture(
            account_id=account.id,
            source_kind="attestation",
            source_format=SOURCE_FORMAT,
            source_path=attestation.url,
            complete=False,
            operator=actor.login,
            tool_version=SOFTWARE,
            started_at=now,
            finished_at=now,
            outcome="succeeded",
            error="",
            counts={"files": len(attestation.files), "items": 1},
        )
        session.add(capture)
        session.flush()
        unit.capture_id = capture.id
        normalized = NormalizedItem(
            platform=account.platform,
            platform_id=attestation.platform_id,
            kind=attestation.kind,
            source=SourceRef(file=_safe_name(attestation.files[0]), position="attestation"),
            text=attestation.text,
            created_at=attestation.posted_at,
            author_name=attestation.poster_name,
            author_handle=attestation.poster_handle.lstrip("@"),
            author_platform_id=attestation.poster_platform_id,
            parent_platform_id=parent.platform_id if parent else None,
            permalink=attestation.url,
        )
        content_hash = normalized.content_hash()
        platform_id = attestation.platform_id or f"attested-{content_hash[:20]}"
        taken = session.scalars(
            select(Item.id).where(Item.account_id == account.id, Item.platform_id == platform_id)
        ).first()
        if taken is not None:
            raise Conflict(
                f"the archive already has item {taken} for {account.platform}:{platform_id}",
                hint=f"Record its removal with `archiver removals record {taken}`.",
            )
        files = _store_files(unit, capture, attestation)
        metadata = _store_statement(unit, actor, attestation, account.platform, files, now)
        item = Item(
            account_id=account.id,
            platform=account.platform,
            platform_id=platform_id,
            id_synthesized=not attestation.platform_id,
            kind=attestation.kind,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            author_name=normalized.author_name,
            author_handle=normalized.author_handle,
            author_platform_id=normalized.author_platform_id,
            created_at=attestation.posted_at,
            permalink=attestation.url,
            text=attestation.text,
            state="active",
            state_changed_at=now,
            first_seen_at=now,
            last_seen_at=now,
            content_hash=content_hash,
            version_count=1,
            extra={"provenance": SOURCE_FORMAT, "attestation_record_id": metadata.record_id},
        )
        session.add(item)
        session.flush()
        session.add(
            ItemVersion(
                item_id=item.id,
                version_no=1,
                content_hash=content_hash,
                text=attestation.text,
                data={"provenance": SOURCE_FORMAT, "attested_by": actor.login},
                first_observed_at=now,
                last_observed_at=now,
                capture_id=capture.id,
                warc_record_id=metadata.id,
                source_position="attestation",
            )
        )
        for name, record in files:
            mime = record.content_type
            session.add(
                Media(
                    item_id=item.id,
                    kind="photo" if mime.startswith("image/") else "document",
                    source_uri=record.target_uri,
                    mime_type=mime,
                    size=record.payload_length,
                    sha256=record.payload_sha256,
                    description=f"staff attestation: {name}",
                    warc_record_id=record.id,
                )
            )
        session.flush()
        session.refresh(item)
        created = create_removal(
            session,
            actor,
            catalog,
            item,
            request,
            origin="attestation",
            now=now,
            attestation_capture_id=capture.id,
            details={
                "attestation_record_id": metadata.record_id,
                "files": [{"name": n, "sha256": r.payload_sha256} for n, r in files],
            },
        )
        result = record_of(session, created.removal, tuple(created.warnings))
    index_changed(archive, [result.item_id] if result.item_id else [])
    return result


def _store_files(
    unit: WarcUnit, capture: Capture, attestation: Attestation
) -> list[tuple[str, WarcRecord]]:
    stored: list[tuple[str, WarcRecord]] = []
    for index, path in enumerate(attestation.files):
        name = _safe_name(path)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        uri = f"urn:x-archiver:attestation:{capture.id}:{index}:{name}"
        with path.open("rb") as handle:
            written = unit.writer.write_resource(uri, handle, content_type=mime)
        (row,) = unit.register(written)
        unit.session.add(
            CaptureSource(
                capture_id=capture.id,
                name=name if index == 0 else f"{index}:{name}",
                size=written.payload_length,
                sha256=written.payload_sha256,
                warc_record_id=row.id,
            )
        )
        stored.append((name, row))
    return stored


def _store_statement(
    unit: WarcUnit,
    actor: Actor,
    attestation: Attestation,
    platform: str,
    files: list[tuple[str, WarcRecord]],
    now: datetime,
) -> WarcRecord:
    """The attestation itself, as a ``metadata`` record referring to the (first) file."""
    statement = {
        "type": SOURCE_FORMAT,
        "attested_by": {"login": actor.login, "name": actor.name, "title": actor.title},
        "attested_at": now.isoformat(),
        "platform": platform,
        "account": attestation.account,
        "url": attestation.url,
        "platform_id": attestation.platform_id,
        "kind": attestation.kind,
        "posted_at": attestation.posted_at.isoformat(),
        "poster": {
            "name": attestation.poster_name,
            "handle": attestation.poster_handle.lstrip("@"),
            "platform_id": attestation.poster_platform_id,
        },
        "text": attestation.text,
        "statement": attestation.statement,
        "files": [
            {
                "name": name,
                "record_id": row.record_id,
                "sha256": row.payload_sha256,
                "size": row.payload_length,
                "content_type": row.content_type,
            }
            for name, row in files
        ],
    }
    body = json.dumps(statement, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")
    written = unit.writer.write_metadata(
        attestation.url,
        body,
        refers_to=files[0][1].record_id,
    )
    (row,) = unit.register(written)
    return row
