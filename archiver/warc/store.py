"""Append-only WARC/1.1 files, one gzip member per record, SHA-256 block and payload digests.

A writer owns one file at a time under an exclusive ``flock``; the caller decides which file may
be appended to (``archiver.warc.catalog`` knows which files are clean). Writing returns a
``Written`` (locator and digests); ``sync()`` flushes and fsyncs, and must happen before the SQL
transaction that points at the records commits. ``rollback()`` cuts the file back to where this
writer started, so a failed unit of work leaves no bytes behind; only a hard crash can leave
unreferenced records, which ``archiver verify`` reports.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import os
import secrets
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from archiver.errors import IntegrityError, NotFound

WARC_VERSION = "WARC/1.1"
GZIP_LEVEL = 6
COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Locator:
    file: str
    offset: int
    length: int


@dataclass(frozen=True)
class Written:
    record_id: str
    locator: Locator
    record_type: str
    target_uri: str
    content_type: str
    block_digest: str
    payload_digest: str
    payload_sha256: str
    payload_length: int
    warc_date: datetime


@dataclass
class StoredRecord:
    headers: dict[str, str]
    block: bytes  # the record block: HTTP headers and body for response/request, else the content
    payload: bytes  # the content: for resource/metadata the block, for HTTP records the body

    @property
    def record_type(self) -> str:
        return self.headers.get("WARC-Type", "")


def sha256_label(digest: bytes) -> str:
    """A WARC labelled digest: ``sha256:`` and the base32 value (as warcio writes SHA-1)."""
    return "sha256:" + base64.b32encode(digest).decode("ascii")


def warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


class _Sha256Writer(WARCWriter):  # type: ignore[misc]
    """warcio's writer with SHA-256 digests instead of its hard-coded SHA-1 (digests are set by
    ``WarcWriter._write`` in one pass; this covers any record warcio completes itself)."""

    @staticmethod
    def _create_digester() -> Any:
        return Digester("sha256")


class _GzipMember:
    """Compresses everything written until ``flush()`` into one gzip member."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> int:
        self._out.write(self._compressor.compress(data))
        return len(data)

    def flush(self) -> None:
        self._out.write(self._compressor.flush())


@dataclass
class WarcStore:
    directory: Path
    max_bytes: int = 1000 * 1000 * 1000
    software: str = "city-records-archiver"
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def path(self, name: str) -> Path:
        if "/" in name or name.startswith("."):
            raise IntegrityError(f"invalid WARC file name {name!r}")
        return self.directory / name

    def files(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.glob("*.warc.gz"))

    def writer(
        self,
        *,
        operator: str,
        info: Mapping[str, str] | None = None,
        append_to: str | None = None,
    ) -> WarcWriter:
        """A writer appending to ``append_to`` when it is free, else to a new file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return WarcWriter(self, operator=operator, info=dict(info or {}), append_to=append_to)

    def read(self, locator: Locator, *, verify: bool = True) -> StoredRecord:
        """Return the record at ``locator``, checking its digests unless told not to."""
        path = self.path(locator.file)
        if not path.is_file():
            raise NotFound(
                f"WARC file {locator.file} is missing from {self.directory}",
                hint="Restore it from backup; `archiver verify` lists every missing file.",
            )
        with path.open("rb") as handle:
            handle.seek(locator.offset)
            member = handle.read(locator.length)
        if len(member) != locator.length:
            raise IntegrityError(
                f"{locator.file} ends before offset {locator.offset}+{locator.length}"
            )
        record = parse_member(member, where=f"{locator.file}@{locator.offset}")
        if verify:
            check_digests(record, where=f"{locator.file}@{locator.offset}")
        return record

    def iter_file(self, name: str) -> Iterator[tuple[int, int, StoredRecord]]:
        """Yield (offset, length, record) for every record of a WARC file, in order."""
        with self.path(name).open("rb") as handle:
            iterator = ArchiveIterator(handle, no_record_parse=False, check_digests=False)
            for record in iterator:
                block, payload = _read_block_and_payload(record)
                headers = dict(record.rec_headers.headers)
                offset = iterator.get_record_offset()
                yield_record = StoredRecord(headers=headers, block=block, payload=payload)
                iterator.read_to_end(record)
                yield offset, iterator.get_record_length(), yield_record


def parse_member(member: bytes, *, where: str) -> StoredRecord:
    try:
        iterator = ArchiveIterator(io.BytesIO(member), check_digests=False)
        record = next(iter(iterator))
    except Exception as exc:  # warcio raises a variety of parse errors for corrupt bytes
        raise IntegrityError(f"{where}: not a readable WARC record ({exc})") from exc
    block, payload = _read_block_and_payload(record)
    return StoredRecord(headers=dict(record.rec_headers.headers), block=block, payload=payload)


def _read_block_and_payload(record: Any) -> tuple[bytes, bytes]:
    payload = record.raw_stream.read()
    head = record.http_headers.headers_buff if record.http_headers else b""
    if record.http_headers and not head:
        head = record.http_headers.to_bytes()
    return head + payload, payload


def check_digests(record: StoredRecord, *, where: str) -> None:
    """Recompute the block and payload digests and compare them with the record's headers."""
    for header, data in (
        ("WARC-Block-Digest", record.block),
        ("WARC-Payload-Digest", record.payload),
    ):
        stated = record.headers.get(header)
        if not stated:
            continue
        algorithm, _, _value = stated.partition(":")
        if algorithm != "sha256":
            continue
        found = sha256_label(hashlib.sha256(data).digest())
        if found != stated:
            raise IntegrityError(
                f"{where}: {header} mismatch (recorded {stated}, computed {found})",
                hint="The WARC file was altered or damaged; restore it from backup.",
            )


class WarcWriter:
    """Writes records to one file at a time, rolling to a new file past ``max_bytes``."""

    def __init__(
        self, store: WarcStore, *, operator: str, info: dict[str, str], append_to: str | None
    ) -> None:
        self.store = store
        self.operator = operator
        self.info = info
        self._writer = _Sha256Writer(None, gzip=False, warc_version=WARC_VERSION)
        self._handle: BinaryIO | None = None
        self._name = ""
        # (file name, size when this writer took it; -1 when this writer created it)
        self._touched: list[tuple[str, int]] = []
        self.written: list[Written] = []
        self.closed_files: list[str] = []
        self._open(append_to)

    # -- files -------------------------------------------------------------------------------
    @property
    def current_file(self) -> str:
        return self._name

    def _open(self, append_to: str | None) -> None:
        if append_to and self._try_open_existing(append_to):
            return
        while True:
            stamp = self.store.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            name = f"archive-{stamp}-{secrets.token_hex(4)}.warc.gz"
            path = self.store.path(name)
            try:
                handle = path.open("xb")
            except FileExistsError:
                continue
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._handle, self._name = handle, name
            self._touched.append((name, -1))
            break
        self._write_warcinfo()

    def _try_open_existing(self, name: str) -> bool:
        path = self.store.path(name)
        if not path.is_file() or path.stat().st_size >= self.store.max_bytes:
            return False
        handle = path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle, self._name = handle, name
        self._touched.append((name, handle.seek(0, os.SEEK_END)))
        self._write_warcinfo()
        return True

    def _roll_if_full(self) -> None:
        assert self._handle is not None
        if self._handle.tell() >= self.store.max_bytes:
            self.sync()
            self._handle.close()
            self.closed_files.append(self._name)
            self._handle = None
            self._open(None)

    # -- records -----------------------------------------------------------------------------
    def _write_warcinfo(self) -> None:
        fields = {
            "software": self.store.software,
            "format": "WARC File Format 1.1",
            "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "operator": self.operator,
            **self.info,
        }
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        self._write(
            "warcinfo",
            "",
            io.BytesIO(body),
            len(body),
            "application/warc-fields",
            {"WARC-Filename": self._name},
        )

    def write_resource(
        self,
        uri: str,
        content: bytes | BinaryIO,
        *,
        content_type: str = "application/octet-stream",
        length: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Written:
        """Store a file's bytes as a ``resource`` record (exports, media, attestations)."""
        stream, size = _as_stream(content, length)
        return self._write("resource", uri, stream, size, content_type, headers)

    def write_metadata(
        self,
        uri: str,
        content: bytes,
        *,
        refers_to: str | None = None,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> Written:
        """Store provenance or derived data, linked to another record by ``WARC-Refers-To``."""
        extra = dict(headers or {})
        if refers_to:
            extra["WARC-Refers-To"] = refers_to
        return self._write("metadata", uri, io.BytesIO(content), len(content), content_type, extra)

    def write_exchange(
        self,
        uri: str,
        *,
        request_head: bytes,
        request_body: bytes = b"",
        response_status: str,
        response_headers: list[tuple[str, str]],
        response_body: bytes | BinaryIO,
        response_length: int | None = None,
        protocol: str = "HTTP/1.1",
    ) -> tuple[Written, Written]:
        """Store one HTTP exchange as a ``response`` record and its ``request`` record.

        ``request_head`` is the request line and headers as sent (already scrubbed of secrets).
        """
        body_stream, body_len = _as_stream(response_body, response_length)
        response_http = StatusAndHeaders(response_status, response_headers, protocol=protocol)
        response = self._write(
            "response",
            uri,
            body_stream,
            body_len,
            "application/http; msgtype=response",
            None,
            http_headers=response_http,
        )
        request_http = StatusAndHeadersParser([], verify=False).parse(
            io.BytesIO(request_head.rstrip(b"\r\n") + b"\r\n\r\n")
        )
        request = self._write(
            "request",
            uri,
            io.BytesIO(request_body),
            len(request_body),
            "application/http; msgtype=request",
            {"WARC-Concurrent-To": response.record_id, "WARC-Date": warc_date(response.warc_date)},
            http_headers=request_http,
        )
        return response, request

    def _write(
        self,
        record_type: str,
        uri: str,
        stream: BinaryIO,
        length: int,
        content_type: str,
        headers: Mapping[str, str] | None,
        *,
        http_headers: StatusAndHeaders | None = None,
    ) -> Written:
        assert self._handle is not None, "writer is closed"
        now = self.store.clock()
        warc_headers = {
            "WARC-Record-ID": new_record_id(),
            "WARC-Date": warc_date(now),
            "Content-Type": content_type,
        }
        warc_headers.update(headers or {})
        warcinfo = next((w for w in reversed(self.written) if w.record_type == "warcinfo"), None)
        if warcinfo is not None and record_type != "warcinfo":
            warc_headers.setdefault("WARC-Warcinfo-ID", warcinfo.record_id)
        head = b""
        if http_headers is not None:
            http_headers.compute_headers_buffer(None)
            head = http_headers.headers_buff
        payload_sha, block_sha = _digests(stream, head)
        warc_headers["WARC-Block-Digest"] = sha256_label(block_sha.digest())
        if record_type not in ("warcinfo", "request"):
            warc_headers["WARC-Payload-Digest"] = sha256_label(payload_sha.digest())
        record = self._writer.create_warc_record(
            uri or None,
            record_type,
            payload=stream,
            length=length,
            warc_content_type=content_type,
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
        )
        offset = self._handle.tell()
        self._writer._write_warc_record(_GzipMember(self._handle), record)
        end = self._handle.tell()
        written = Written(
            record_id=warc_headers["WARC-Record-ID"],
            locator=Locator(self._name, offset, end - offset),
            record_type=record_type,
            target_uri=uri,
            content_type=content_type,
            block_digest=warc_headers["WARC-Block-Digest"],
            payload_digest=warc_headers.get("WARC-Payload-Digest", ""),
            payload_sha256=payload_sha.hexdigest(),
            payload_length=length,
            warc_date=now,
        )
        self.written.append(written)
        self._roll_if_full()
        return written

    # -- durability --------------------------------------------------------------------------
    def sync(self) -> None:
        """Flush and fsync: call before committing SQL rows that point at these records."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def rollback(self) -> None:
        """Undo everything this writer wrote: cut appended files back, remove created ones."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        for name, size in reversed(self._touched):
            path = self.store.path(name)
            if size < 0:
                path.unlink(missing_ok=True)
            else:
                with path.open("r+b") as handle:
                    handle.truncate(size)
                    handle.flush()
                    os.fsync(handle.fileno())
        self.written.clear()

    def close(self) -> None:
        if self._handle is not None:
            self.sync()
            self._handle.close()
            self._handle = None


def _digests(stream: BinaryIO, head: bytes) -> tuple[Any, Any]:
    """SHA-256 of the payload and of the block (HTTP head + payload), in one pass; rewinds."""
    start = stream.tell()
    payload, block = hashlib.sha256(), hashlib.sha256(head)
    while chunk := stream.read(COPY_CHUNK):
        payload.update(chunk)
        block.update(chunk)
    stream.seek(start)
    return payload, block


def _as_stream(content: bytes | BinaryIO, length: int | None) -> tuple[BinaryIO, int]:
    if isinstance(content, bytes | bytearray):
        return io.BytesIO(content), len(content)
    if length is None:
        start = content.tell()
        length = content.seek(0, io.SEEK_END) - start
        content.seek(start)
    return content, length
