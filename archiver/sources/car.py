"""CARv1 files and the DAG-CBOR they carry, as an AT Protocol repository export uses them.

A CAR file is a varint-framed DAG-CBOR header ``{"version": 1, "roots": [CID...]}`` followed by
blocks, each framed as ``varint(len(cid) + len(data)) cid data``. Every block's CID is checked
against its bytes (sha2-256 multihash), so a corrupt block is reported by its CID. The DAG-CBOR
decoder is deliberately small: the subset DAG-CBOR allows (definite lengths, tag 42 for CID
links, no other tags), with CIDs decoded to :class:`CID`.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from archiver.errors import InvalidInput

SHA2_256 = 0x12
CODEC_DAG_PB = 0x70
CODEC_DAG_CBOR = 0x71
CODEC_RAW = 0x55
MAX_DEPTH = 64  # nesting deeper than any real record; stops a crafted block from recursing away


class CarError(ValueError):
    """A malformed CAR or DAG-CBOR structure; ``where`` is a byte offset or a CID."""

    def __init__(self, what: str, where: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.where = where


@dataclass(frozen=True)
class CID:
    """A content identifier: version, codec and a sha2-256 digest (the only hash atproto uses)."""

    version: int
    codec: int
    digest: bytes

    @cached_property
    def raw(self) -> bytes:
        if self.version == 0:
            return bytes([SHA2_256, 32]) + self.digest
        return _varint(1) + _varint(self.codec) + bytes([SHA2_256, 32]) + self.digest

    @cached_property
    def text(self) -> str:
        """The multibase base32 form (``bafy…``) atproto writes."""
        return "b" + base64.b32encode(self.raw).decode("ascii").lower().rstrip("=")

    def __str__(self) -> str:
        return self.text

    def matches(self, data: bytes) -> bool:
        return hashlib.sha256(data).digest() == self.digest

    @classmethod
    def of(cls, data: bytes, codec: int = CODEC_DAG_CBOR) -> CID:
        return cls(1, codec, hashlib.sha256(data).digest())

    @classmethod
    def parse(cls, buf: bytes, pos: int = 0) -> tuple[CID, int]:
        """Read a binary CID at ``pos``; returns it and the position after it."""
        if buf[pos : pos + 2] == bytes([SHA2_256, 32]):  # CIDv0: a bare sha2-256 multihash
            digest = buf[pos + 2 : pos + 34]
            if len(digest) != 32:
                raise CarError("truncated CIDv0", f"byte {pos}")
            return cls(0, CODEC_DAG_PB, digest), pos + 34
        version, pos = read_varint(buf, pos)
        if version != 1:
            raise CarError(f"unsupported CID version {version}", f"byte {pos}")
        codec, pos = read_varint(buf, pos)
        hash_code, pos = read_varint(buf, pos)
        length, pos = read_varint(buf, pos)
        if hash_code != SHA2_256 or length != 32:
            raise CarError(f"unsupported multihash 0x{hash_code:x}/{length}", f"byte {pos}")
        digest = buf[pos : pos + 32]
        if len(digest) != 32:
            raise CarError("truncated CID", f"byte {pos}")
        return cls(1, codec, digest), pos + 32


@dataclass(frozen=True)
class CarBlock:
    cid: CID
    data: bytes
    offset: int  # byte offset of the block's frame in the file


@dataclass(frozen=True)
class Car:
    roots: list[CID]
    blocks: dict[CID, CarBlock]

    def decode(self, cid: CID, what: str) -> Any:
        """The decoded value of block ``cid``; ``what`` names it if it is missing."""
        block = self.blocks.get(cid)
        if block is None:
            raise CarError(f"{what} is missing from the file", f"block {cid}")
        try:
            return decode_dag_cbor(block.data)
        except CarError as exc:
            raise CarError(f"{what}: {exc.what} at {exc.where}", f"block {cid}") from exc


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """An unsigned LEB128 varint at ``pos`` (at most 9 bytes, as multiformats allows)."""
    n = shift = 0
    for _ in range(9):
        if pos >= len(buf):
            raise CarError("truncated varint", f"byte {pos}")
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, pos
        shift += 7
    raise CarError("varint longer than 9 bytes", f"byte {pos}")


def iter_blocks(buf: bytes) -> Iterator[tuple[list[CID], CarBlock | None]]:
    """Yield ``(roots, None)`` for the header, then ``(roots, block)`` per block, unverified."""
    length, pos = read_varint(buf, 0)
    if length == 0 or pos + length > len(buf):
        raise CarError("truncated CAR header", "byte 0")
    header = decode_dag_cbor(buf[pos : pos + length])
    if not isinstance(header, dict) or header.get("version") != 1:
        raise CarError("not a CARv1 header (version 1 expected)", "byte 0")
    roots = header.get("roots")
    if not isinstance(roots, list) or not all(isinstance(r, CID) for r in roots):
        raise CarError("CAR header has no list of root CIDs", "byte 0")
    yield roots, None
    pos += length
    while pos < len(buf):
        start = pos
        length, pos = read_varint(buf, pos)
        end = pos + length
        if length == 0 or end > len(buf):
            raise CarError("truncated block", f"byte {start}")
        cid, data_start = CID.parse(buf, pos)
        if data_start > end:
            raise CarError("block shorter than its CID", f"byte {start}")
        yield roots, CarBlock(cid, buf[data_start:end], start)
        pos = end


def read_car(buf: bytes) -> Car:
    """Parse a whole CARv1 file and check every block's digest against its bytes."""
    frames = iter_blocks(buf)
    roots, _ = next(frames)
    blocks: dict[CID, CarBlock] = {}
    for _, block in frames:
        assert block is not None
        if not block.cid.matches(block.data):
            raise CarError(
                "block bytes do not match their CID (sha2-256 digest differs)",
                f"block {block.cid} at byte {block.offset}",
            )
        blocks.setdefault(block.cid, block)
    return Car(roots, blocks)


def decode_dag_cbor(data: bytes) -> Any:
    """Decode one DAG-CBOR value that spans all of ``data``."""
    value, end = _decode(data, 0, 0)
    if end != len(data):
        raise CarError(f"{len(data) - end} trailing bytes after the value", f"byte {end}")
    return value


def _head(buf: bytes, pos: int) -> tuple[int, int, int, int]:
    if pos >= len(buf):
        raise CarError("unexpected end of CBOR data", f"byte {pos}")
    initial = buf[pos]
    major, info = initial >> 5, initial & 31
    pos += 1
    if info < 24:
        return major, info, info, pos
    if info > 27:
        raise CarError("indefinite or reserved length (not allowed in DAG-CBOR)", f"byte {pos - 1}")
    size = 1 << (info - 24)
    if pos + size > len(buf):
        raise CarError("unexpected end of CBOR data", f"byte {pos}")
    return major, info, int.from_bytes(buf[pos : pos + size], "big"), pos + size


def _decode(buf: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise CarError("CBOR nested too deeply", f"byte {pos}")
    start = pos
    major, info, n, pos = _head(buf, pos)
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major in (2, 3):
        if pos + n > len(buf):
            raise CarError("string runs past the end of the data", f"byte {start}")
        raw = buf[pos : pos + n]
        if major == 2:
            return bytes(raw), pos + n
        try:
            return raw.decode("utf-8"), pos + n
        except UnicodeDecodeError as exc:
            raise CarError("text string is not UTF-8", f"byte {start}") from exc
    if major == 4:
        items = []
        for _ in range(n):
            item, pos = _decode(buf, pos, depth + 1)
            items.append(item)
        return items, pos
    if major == 5:
        out: dict[str, Any] = {}
        for _ in range(n):
            key, pos = _decode(buf, pos, depth + 1)
            if not isinstance(key, str):
                raise CarError("map key is not a string", f"byte {start}")
            out[key], pos = _decode(buf, pos, depth + 1)
        return out, pos
    if major == 6:
        if n != 42:
            raise CarError(f"CBOR tag {n} (only tag 42, a CID link, is allowed)", f"byte {start}")
        raw, pos = _decode(buf, pos, depth + 1)
        if not isinstance(raw, bytes) or not raw or raw[0] != 0:
            raise CarError("tag 42 does not hold a 0x00-prefixed CID", f"byte {start}")
        cid, used = CID.parse(raw, 1)
        if used != len(raw):
            raise CarError("bytes after the CID in a tag 42 link", f"byte {start}")
        return cid, pos
    return _simple(buf, start, info, n, pos)


def _simple(buf: bytes, start: int, info: int, n: int, pos: int) -> tuple[Any, int]:
    if info < 24:
        simple: dict[int, Any] = {20: False, 21: True, 22: None}
        if n in simple:
            return simple[n], pos
    elif info in (26, 27):
        fmt = ">f" if info == 26 else ">d"
        return struct.unpack(fmt, n.to_bytes(4 if info == 26 else 8, "big"))[0], pos
    raise CarError("unsupported CBOR simple value or float width", f"byte {start}")


def to_json_value(value: Any) -> Any:
    """A decoded value with CIDs as strings and bytes as base64, for ``NormalizedItem.data``."""
    if isinstance(value, CID):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    return value


def ensure(condition: bool, what: str, where: str) -> None:
    if not condition:
        raise CarError(what, where)


def as_invalid_input(exc: CarError, file: str) -> InvalidInput:
    where = f" ({exc.where})" if exc.where else ""
    return InvalidInput(
        f"{file}{where}: {exc.what}",
        hint="The repository export is damaged; download it again with com.atproto.sync.getRepo.",
    )
