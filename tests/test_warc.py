"""WARC store: exact bytes back, SHA-256 digests, warcio check, durability and rollback."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archiver.archive import Archive
from archiver.db.models import WarcRecord
from archiver.errors import IntegrityError
from archiver.verify import verify_archive
from archiver.warc import WarcStore
from archiver.warc.store import sha256_label
from tests.conftest import FakeClock, actor

WARCIO = str(Path(sys.executable).parent / "warcio")


def warcio_check(directory: Path) -> None:
    files = sorted(str(p) for p in directory.glob("*.warc.gz"))
    assert files
    result = subprocess.run([WARCIO, "check", "-v", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout


def test_round_trip_exact_bytes_and_digests(tmp_path: Path) -> None:
    store = WarcStore(tmp_path, clock=FakeClock())
    original = bytes(range(256)) * 300 + "Café Olé \u00c3\u00a9".encode()
    writer = store.writer(operator="records", info={"capture-id": "7"})
    resource = writer.write_resource(
        "urn:archiver:export:x/posts.json", original, content_type="application/json"
    )
    meta = writer.write_metadata("urn:archiver:meta:x", b'{"k": 1}', refers_to=resource.record_id)
    response, request = writer.write_exchange(
        "https://graph.example/v19.0/123/feed?limit=2",
        request_head=b"GET /v19.0/123/feed?limit=2 HTTP/1.1\r\nHost: graph.example",
        response_status="200 OK",
        response_headers=[("Content-Type", "application/json")],
        response_body=b'{"data": []}',
    )
    writer.close()

    back = store.read(resource.locator)
    assert back.payload == original
    assert back.headers["WARC-Type"] == "resource"
    assert back.headers["WARC-Payload-Digest"] == sha256_label(hashlib.sha256(original).digest())
    assert back.headers["WARC-Block-Digest"] == back.headers["WARC-Payload-Digest"]
    assert resource.payload_sha256 == hashlib.sha256(original).hexdigest()
    assert store.read(meta.locator).headers["WARC-Refers-To"] == resource.record_id
    assert store.read(response.locator).payload == b'{"data": []}'
    req = store.read(request.locator)
    assert req.headers["WARC-Concurrent-To"] == response.record_id
    assert req.block.startswith(b"GET /v19.0/123/feed?limit=2 HTTP/1.1\r\n")
    first = next(store.iter_file(resource.locator.file))[2]
    assert first.record_type == "warcinfo" and b"capture-id: 7" in first.payload
    warcio_check(tmp_path)


def test_streamed_payload_is_not_loaded_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"0123456789" * 500_000)
    store = WarcStore(tmp_path / "warc", clock=FakeClock())
    writer = store.writer(operator="t")
    with big.open("rb") as handle:
        written = writer.write_resource("urn:x:big", handle)
    writer.close()
    assert written.payload_length == big.stat().st_size
    assert store.read(written.locator).payload == big.read_bytes()


def test_files_roll_over_by_size(tmp_path: Path) -> None:
    store = WarcStore(tmp_path, max_bytes=2000, clock=FakeClock())
    writer = store.writer(operator="t")
    written = [writer.write_resource(f"urn:x:{i}", os.urandom(3000)) for i in range(4)]
    writer.close()
    assert len({w.locator.file for w in written}) == 4
    for name in store.files():  # every file opens with its own warcinfo
        assert next(store.iter_file(name))[2].record_type == "warcinfo"
    warcio_check(tmp_path)


def test_tampered_bytes_fail_digest_check(tmp_path: Path) -> None:
    store = WarcStore(tmp_path, clock=FakeClock())
    writer = store.writer(operator="t")
    written = writer.write_resource("urn:x:1", b"original text", content_type="text/plain")
    writer.close()
    import gzip

    path = store.path(written.locator.file)
    data = path.read_bytes()
    member = data[written.locator.offset : written.locator.offset + written.locator.length]
    raw = gzip.decompress(member).replace(b"original text", b"0riginal text")
    forged = gzip.compress(raw)
    path.write_bytes(data[: written.locator.offset] + forged)
    from archiver.warc import Locator

    with pytest.raises(IntegrityError, match="Block-Digest mismatch"):
        store.read(Locator(written.locator.file, written.locator.offset, len(forged)))


def test_failed_unit_leaves_no_bytes_and_no_rows(archive: Archive) -> None:
    with archive.warc_unit(actor("records")) as unit:
        unit.register(unit.writer.write_resource("urn:x:kept", b"kept"))
    name = archive.warcs.files()[0]
    size = archive.warcs.path(name).stat().st_size
    with pytest.raises(RuntimeError), archive.warc_unit(actor("records")) as unit:
        assert unit.writer.current_file == name  # appends to the clean file
        unit.register(unit.writer.write_resource("urn:x:lost", b"lost" * 1000))
        raise RuntimeError("boom")
    assert archive.warcs.path(name).stat().st_size == size
    with archive.db.read() as session:
        assert session.scalar(select(func.count()).select_from(WarcRecord)) == 2  # warcinfo + kept
    assert verify_archive(archive).ok


def test_crash_between_fsync_and_commit_is_reported_not_archived(archive: Archive) -> None:
    with archive.warc_unit(actor("records")) as unit:
        unit.register(unit.writer.write_resource("urn:x:kept", b"kept"))
    # simulate a crash: bytes written and fsynced, the transaction never committed
    writer = archive.warcs.writer(operator="crashed")
    writer.write_resource("urn:x:orphan", b"orphan")
    writer.close()
    report = verify_archive(archive)
    kinds = sorted(f.kind for f in report.findings)
    assert "unregistered_file" in kinds and "unreferenced_record" in kinds
    assert not any(f.kind == "missing_record" for f in report.findings)
    # the next unit does not append to the file with unregistered bytes
    with archive.warc_unit(actor("records")) as unit:
        assert unit.writer.current_file != writer.current_file
        unit.register(unit.writer.write_resource("urn:x:after", b"after"))


def test_missing_file_and_truncation_are_reported(archive: Archive) -> None:
    with archive.warc_unit(actor("records")) as unit:
        unit.register(unit.writer.write_resource("urn:x:a", b"a" * 100))
    with archive.warc_unit(actor("records")) as unit:
        unit.register(unit.writer.write_resource("urn:x:b", b"b" * 100))
    name = archive.warcs.files()[0]
    path = archive.warcs.path(name)
    path.write_bytes(path.read_bytes()[:-10])
    findings = verify_archive(archive).findings
    assert findings and {f.kind for f in findings} <= {"unreadable", "missing_record", "mismatch"}
    path.unlink()
    assert "missing_file" in {f.kind for f in verify_archive(archive).findings}
