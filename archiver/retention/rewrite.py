"""Rewriting a WARC file without some of its records.

The surviving records' gzip members are copied byte for byte (never recompressed) into a new
file under a new name, each one re-read and checked against its digests, the file fsynced and
renamed into place, and the directory fsynced. The old file is removed by the caller only after
the transaction that points the catalog at the new file has committed (see ADR 5).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archiver.errors import IntegrityError
from archiver.warc.store import WarcStore, check_digests, parse_member

_DISPOSED_SUFFIX = re.compile(r"-d\d+$")


@dataclass(frozen=True)
class Member:
    record_id: str
    offset: int
    length: int
    refers_to: tuple[str, ...]  # WARC-Refers-To and WARC-Concurrent-To


@dataclass(frozen=True)
class Rewritten:
    old_name: str
    new_name: str
    old_size: int
    new_size: int
    old_sha256: str
    new_sha256: str
    removed: tuple[str, ...]
    kept: dict[str, tuple[int, int]]  # record id → (new offset, length)


def rewritten_name(name: str, batch_id: int) -> str:
    stem = _DISPOSED_SUFFIX.sub("", name.removesuffix(".warc.gz"))
    return f"{stem}-d{batch_id}.warc.gz"


def temp_path(store: WarcStore, new_name: str) -> Path:
    return store.directory / f".{new_name}.part"


def members(store: WarcStore, name: str) -> list[Member]:
    """Every record of a file with its place and the records it points at."""
    found: list[Member] = []
    for offset, length, record in store.iter_file(name):
        refs = tuple(
            record.headers[h]
            for h in ("WARC-Refers-To", "WARC-Concurrent-To")
            if h in record.headers
        )
        found.append(Member(record.headers.get("WARC-Record-ID", ""), offset, length, refs))
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rewrite_without(store: WarcStore, name: str, drop: Collection[str], new_name: str) -> Rewritten:
    """Write ``new_name`` holding every record of ``name`` except those in ``drop``, verified
    and durable. ``name`` is left untouched. The caller holds ``file_lock(store, name)``, so no
    writer appends to it meanwhile."""
    source = store.path(name)
    target = store.path(new_name)
    part = temp_path(store, new_name)
    drop_set = set(drop)
    with source.open("rb") as src:
        listed = members(store, name)
        end = max((m.offset + m.length for m in listed), default=0)
        size = src.seek(0, os.SEEK_END)
        if size != end:
            raise IntegrityError(
                f"{name} has {size - end} bytes after its last readable record",
                hint="Run `archiver verify`; a damaged file is not rewritten.",
            )
        kept: dict[str, tuple[int, int]] = {}
        with part.open("wb") as out:
            for member in listed:
                if member.record_id in drop_set:
                    continue
                src.seek(member.offset)
                data = src.read(member.length)
                kept[member.record_id] = (out.tell(), member.length)
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _verify(part, kept, where=new_name)
        old_sha = _sha256(source)
        os.replace(part, target)
        _fsync_dir(store.directory)
    removed = tuple(m.record_id for m in listed if m.record_id in drop_set)
    return Rewritten(
        old_name=name,
        new_name=new_name,
        old_size=size,
        new_size=target.stat().st_size,
        old_sha256=old_sha,
        new_sha256=_sha256(target),
        removed=removed,
        kept=kept,
    )


def _verify(path: Path, kept: dict[str, tuple[int, int]], *, where: str) -> None:
    """Re-read every surviving record from the new file and check its id and digests."""
    with path.open("rb") as handle:
        for record_id, (offset, length) in kept.items():
            handle.seek(offset)
            record = parse_member(handle.read(length), where=f"{where}@{offset}")
            if record.headers.get("WARC-Record-ID") != record_id:
                raise IntegrityError(f"{where}@{offset}: expected {record_id} after the rewrite")
            check_digests(record, where=f"{where}@{offset}")


@contextmanager
def file_lock(store: WarcStore, name: str) -> Iterator[None]:
    """Hold a WARC file's writer lock (writers then start a new file instead of appending)."""
    with store.path(name).open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def remove_file(store: WarcStore, name: str) -> bool:
    path = store.path(name)
    if not path.exists():
        return False
    path.unlink()
    _fsync_dir(store.directory)
    return True
