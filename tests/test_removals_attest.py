"""Attestations: content the archiver never captured, stored in WARC as the staff member's file
and statement, with provenance marked as an attestation, and its removal recorded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archiver.archive import Archive
from archiver.db.models import AuditEvent, Capture, Item, Media
from archiver.errors import Conflict, InvalidInput
from archiver.removals.attest import Attestation, record_attestation
from archiver.removals.catalog import load_catalog
from archiver.removals.record import RemovalRequest
from tests.conftest import actor
from tests.removal_helpers import T0, make_account, make_item

CARSON = load_catalog("carson")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
REQUEST = RemovalRequest(("threats",), "Threatened the council member; deleted at once", "deleted")


def attestation(tmp_path: Path, **changes: object) -> Attestation:
    shot = tmp_path / "screenshot 1.png"
    shot.write_bytes(PNG)
    values: dict[str, object] = {
        "account": "facebook:RanchoVerdeCity",
        "text": "I know where you live",
        "url": "https://facebook.example/RanchoVerdeCity/posts/9?comment_id=77",
        "posted_at": T0 + timedelta(minutes=3),
        "files": (shot,),
        "poster_name": "Anon Ymous",
        "poster_handle": "@anon",
        "statement": "Seen on the Page at 12:03 and deleted at 12:05",
    }
    values.update(changes)
    return Attestation(**values)  # type: ignore[arg-type]


def test_attestation_is_stored_in_warc_and_recorded(any_archive: Archive, tmp_path: Path) -> None:
    make_account(any_archive)
    record = record_attestation(
        any_archive, actor("social"), attestation(tmp_path), REQUEST, catalog=CARSON
    )
    assert record.origin == "attestation" and record.item_state == "removed_by_city"
    assert record.poster_handle == "anon" and record.text == "I know where you live"
    assert record.posted_at == T0 + timedelta(minutes=3)
    with any_archive.db.read() as session:
        item = session.get_one(Item, record.item_id)
        capture = session.get_one(Capture, record.attestation_capture_id)
        assert capture.source_kind == "attestation" and capture.operator == "social"
        assert item.versions[0].capture_id == capture.id and item.id_synthesized
        assert item.extra["provenance"] == "staff-attestation"
        media = session.scalars(select(Media).where(Media.item_id == item.id)).one()
        assert media.kind == "photo" and media.mime_type == "image/png"
    files = sorted(any_archive.settings.warc_dir.glob("*.warc.gz"))
    records: dict[str, tuple[dict[str, str], bytes]] = {}
    for path in files:
        with path.open("rb") as handle:
            for warc in ArchiveIterator(handle):
                headers = dict(warc.rec_headers.headers)
                records[headers["WARC-Type"]] = (headers, warc.content_stream().read())
    resource_headers, shot = records["resource"]
    assert shot == PNG
    meta_headers, body = records["metadata"]
    assert meta_headers["WARC-Refers-To"] == resource_headers["WARC-Record-ID"]
    assert meta_headers["WARC-Target-URI"] == attestation(tmp_path).url
    statement = json.loads(body)
    assert statement["type"] == "staff-attestation"
    assert statement["attested_by"]["login"] == "social"
    assert statement["text"] == "I know where you live"
    assert statement["files"][0]["record_id"] == resource_headers["WARC-Record-ID"]
    with any_archive.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "removal.recorded")
        ).one()
    details = json.loads(event.details)
    assert details["origin"] == "attestation"
    assert details["attestation_record_id"] == meta_headers["WARC-Record-ID"]
    assert details["files"][0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "digest pass" in checked.stdout


def test_incomplete_or_refused_attestations_leave_nothing(archive: Archive, tmp_path: Path) -> None:
    make_account(archive)
    with pytest.raises(InvalidInput) as caught:
        record_attestation(
            archive,
            actor("social"),
            attestation(tmp_path, text="", files=(), poster_name="", poster_handle=""),
            REQUEST,
            catalog=CARSON,
        )
    for part in ("--text", "--poster-handle", "--file"):
        assert part in caught.value.message
    bad_ground = RemovalRequest(("rude",), "n", "deleted")
    with pytest.raises(InvalidInput, match="not in the carson catalog"):
        record_attestation(
            archive, actor("social"), attestation(tmp_path), bad_ground, catalog=CARSON
        )
    with archive.db.read() as session:
        assert session.scalars(select(Item)).all() == []
        assert session.scalars(select(Capture)).all() == []
    for path in archive.settings.warc_dir.glob("*.warc.gz"):
        with path.open("rb") as handle:
            assert {r.rec_type for r in ArchiveIterator(handle)} <= {"warcinfo"}


def test_known_platform_id_cannot_be_attested_twice(archive: Archive, tmp_path: Path) -> None:
    account = make_account(archive)
    existing = make_item(archive, account, "77")
    with pytest.raises(Conflict, match=f"removals record {existing}"):
        record_attestation(
            archive,
            actor("social"),
            attestation(tmp_path, platform_id="77"),
            REQUEST,
            catalog=CARSON,
        )
