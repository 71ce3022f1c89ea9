"""Safe, streaming access to an export's files, whether the user hands over a folder, a zip or a
single saved file.

Opening an export takes an inventory first: every file is read once, in chunks, to learn its true
size and SHA-256. That pass is where the safety rules are enforced, before any reader or the
archive sees a byte:

- names: no absolute paths, drive letters, ``..`` components or NUL bytes (zip slip); no two
  entries with the same name;
- links: no symbolic links, in a zip (Unix mode bits of the entry) or in a folder (never
  followed);
- expansion: each file at most ``max_file_bytes``, the whole export at most ``max_total_bytes``,
  and no zip entry expanding more than ``max_ratio`` times its compressed size once past
  ``ratio_floor_bytes``. The counts are of bytes actually produced while decompressing; the sizes
  a zip's headers claim are never trusted;
- integrity: truncated or damaged zips (missing central directory, bad CRC, short data) are
  refused with the entry's name.

Names are kept as they are in the zip or folder; readers match files by path suffix, because a
download is often wrapped in a folder of its own.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from archiver.errors import InvalidInput, NotFound

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
CHUNK = 1 * MIB
SPOOL_IN_MEMORY = 8 * MIB
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ExportLimits:
    """Ceilings that stop zip bombs and runaway inputs (documented in docs/ingest.md)."""

    max_file_bytes: int = 8 * GIB
    max_total_bytes: int = 64 * GIB
    max_ratio: int = 100
    ratio_floor_bytes: int = 1 * MIB
    max_entries: int = 500_000


@dataclass(frozen=True)
class FileEntry:
    """One file of an export: its name inside the export, true size and SHA-256."""

    name: str
    size: int
    sha256: str


class ExportSource:
    """An opened, inventoried export (implements ``archiver.sources.base.ExportFiles``)."""

    kind = "folder"

    def __init__(self, path: Path, entries: list[FileEntry]) -> None:
        self.path = path
        self.entries = {e.name: e for e in entries}
        material = "\n".join(f"{e.name}\t{e.size}\t{e.sha256}" for e in sorted(entries, key=_key))
        self.digest = hashlib.sha256(material.encode("utf-8")).hexdigest()

    # -- ExportFiles ----------------------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self.entries)

    def open(self, name: str) -> BinaryIO:
        raise NotImplementedError

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()

    def size(self, name: str) -> int:
        return self.entry(name).size

    # -- more ----------------------------------------------------------------------------------
    def entry(self, name: str) -> FileEntry:
        try:
            return self.entries[name]
        except KeyError:
            raise NotFound(f"{self.path.name}: no file {name!r} in this export") from None

    def head(self, name: str, size: int = 64 * KIB) -> bytes:
        """The first bytes of a file, for content-based detection."""
        with self.open(name) as handle:
            return handle.read(size)

    def seekable(self, name: str) -> BinaryIO:
        """A seekable stream of the file (zip entries are spooled to a temporary file)."""
        return self.open(name)

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.entries.values())

    def close(self) -> None:
        return None

    def __enter__(self) -> ExportSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _key(entry: FileEntry) -> str:
    return entry.name


class FolderExport(ExportSource):
    kind = "folder"

    def open(self, name: str) -> BinaryIO:
        self.entry(name)
        return (self.path / name).open("rb")


class SingleFileExport(ExportSource):
    kind = "file"

    def open(self, name: str) -> BinaryIO:
        self.entry(name)
        return self.path.open("rb")


class ZipExport(ExportSource):
    kind = "zip"

    def __init__(
        self, path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
        entries: list[FileEntry], limits: ExportLimits,
    ) -> None:  # fmt: skip
        super().__init__(path, entries)
        self._zip = archive
        self._members = members
        self._limits = limits

    def open(self, name: str) -> BinaryIO:
        entry = self.entry(name)
        info = self._members[name]
        where = f"{self.path.name}:{info.filename}"
        guarded = _Guarded(_open_member(self.path, self._zip, info, where), where, entry.size)
        return io.BufferedReader(guarded, CHUNK)

    def seekable(self, name: str) -> BinaryIO:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        with self.open(name) as source:
            while chunk := source.read(CHUNK):
                spool.write(chunk)
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def close(self) -> None:
        self._zip.close()


class _Guarded(io.RawIOBase):
    """A zip entry stream that refuses to yield more than the inventory measured."""

    def __init__(self, inner: IO[bytes], where: str, expected: int) -> None:
        self._inner, self._where, self._left = inner, where, expected

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = _zip_read(self._inner, len(buffer), self._where)
        if len(data) > self._left:
            raise InvalidInput(f"{self._where}: changed while being read (longer than measured)")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def _zip_read(stream: IO[bytes], size: int, where: str) -> bytes:
    try:
        return stream.read(size)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InvalidInput(
            f"{where}: the zip is damaged, truncated or misstates its sizes ({exc})",
            hint="Download the export again; the file was cut short or corrupted.",
        ) from None


# -- opening -------------------------------------------------------------------------------------
def open_export(path: Path, limits: ExportLimits | None = None) -> ExportSource:
    """Open a folder, zip or single file as an export, after checking every file (see above)."""
    limits = limits or ExportLimits()
    if not path.exists() and not path.is_symlink():
        raise NotFound(f"{path} does not exist", hint="Give the path of an export zip or folder.")
    resolved = path.resolve()
    if resolved.is_dir():
        return FolderExport(resolved, list(_folder_entries(resolved, limits)))
    if not resolved.is_file():
        raise InvalidInput(f"{path} is neither a file nor a folder")
    if resolved.stat().st_size == 0:
        raise InvalidInput(
            f"{path.name} is empty (0 bytes)",
            hint="The download did not finish; download the export again.",
        )
    with resolved.open("rb") as handle:
        magic = handle.read(4)
    if resolved.suffix.lower() == ".zip" or magic.startswith(b"PK"):
        return _open_zip(resolved, limits)
    entry = _measure_file(resolved, resolved.name, limits, 0)
    return SingleFileExport(resolved, [entry])


def _folder_entries(root: Path, limits: ExportLimits) -> Iterator[FileEntry]:
    total = 0
    count = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as listing:
            children = sorted(listing, key=lambda e: e.name)
        for child in children:
            rel = Path(child.path).relative_to(root).as_posix()
            mode = child.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                raise InvalidInput(
                    f"{root.name}/{rel} is a symbolic link; exports may not contain links",
                    hint="Replace the link with the file it points to, or remove it.",
                )
            if stat.S_ISDIR(mode):
                stack.append(Path(child.path))
                continue
            if not stat.S_ISREG(mode):
                raise InvalidInput(f"{root.name}/{rel} is not a regular file (device or pipe)")
            count += 1
            if count > limits.max_entries:
                raise InvalidInput(f"{root.name}: more than {limits.max_entries} files")
            entry = _measure_file(Path(child.path), rel, limits, total)
            total += entry.size
            yield entry


def _measure_file(path: Path, name: str, limits: ExportLimits, total_before: int) -> FileEntry:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            _check_sizes(name, size, total_before + size, limits)
            digest.update(chunk)
    return FileEntry(name, size, digest.hexdigest())


def _check_sizes(name: str, size: int, total: int, limits: ExportLimits) -> None:
    if size > limits.max_file_bytes:
        raise InvalidInput(
            f"{name}: larger than the limit of {limits.max_file_bytes} bytes per file",
            hint="If the file is genuine, raise the limit (docs/ingest.md, safety limits).",
        )
    if total > limits.max_total_bytes:
        raise InvalidInput(
            f"{name}: the export expands past the limit of {limits.max_total_bytes} bytes",
            hint="A zip bomb, or an export larger than the limit (docs/ingest.md).",
        )


def _open_zip(path: Path, limits: ExportLimits) -> ZipExport:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InvalidInput(
            f"{path.name} is not a readable zip ({exc}): it may be truncated or damaged",
            hint="Download the export again and check its size against the platform's.",
        ) from None
    try:
        members = _checked_members(path, archive, limits)
        entries = _measure_zip(path, archive, members, limits)
    except BaseException:
        archive.close()
        raise
    return ZipExport(path, archive, members, entries, limits)


def safe_name(raw: str, where: str) -> str:
    """The normalized name of an entry, or an error for a name that could escape the export."""
    name = raw.replace("\\", "/")
    if "\x00" in name:
        raise InvalidInput(f"{where}: entry {raw!r} has a NUL byte in its name")
    if name.startswith("/") or _DRIVE.match(name):
        raise InvalidInput(
            f"{where}: entry {raw!r} has an absolute path",
            hint="Exports hold relative paths only; this zip was not made by the platform.",
        )
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InvalidInput(
            f"{where}: entry {raw!r} points outside the export ('..' in its path: zip slip)",
            hint="Refused for safety; this zip was not made by the platform.",
        )
    return "/".join(parts) + ("/" if name.endswith("/") else "")


def _checked_members(
    path: Path, archive: zipfile.ZipFile, limits: ExportLimits
) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise InvalidInput(f"{path.name}: more than {limits.max_entries} entries")
    for info in infos:
        name = safe_name(info.filename, path.name)
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise InvalidInput(
                f"{path.name}: entry {info.filename!r} is a symbolic link; "
                "exports may not contain links",
                hint="Refused for safety; this zip was not made by the platform.",
            )
        if name.endswith("/") or info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise InvalidInput(f"{path.name}: entry {info.filename!r} is encrypted")
        if name in members:
            raise InvalidInput(
                f"{path.name}: the entry {name!r} appears more than once",
                hint="A zip with duplicated entries is ambiguous (which one is the record?); "
                "download the export again.",
            )
        members[name] = info
    _check_declared(path, members, limits)
    if not members:
        raise InvalidInput(f"{path.name} is empty (no files in the zip)")
    return members


def _check_declared(path: Path, members: dict[str, zipfile.ZipInfo], limits: ExportLimits) -> None:
    """Refuse early what the zip's own headers admit to (a bomb that declares its size is
    stopped before anything is decompressed). Headers are never trusted to let a file through:
    the measuring pass counts the real bytes."""
    total = 0
    for info in members.values():
        where = f"{path.name}:{info.filename}"
        total += info.file_size
        _check_sizes(where, info.file_size, total, limits)
        declared_ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and declared_ratio > limits.max_ratio:
            raise InvalidInput(
                f"{where}: declares {info.file_size} bytes stored in {info.compress_size} "
                f"(more than {limits.max_ratio} times): refused as a zip bomb",
                hint="If the file is genuine, raise the ratio limit (docs/ingest.md).",
            )


def _measure_zip(
    path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
    limits: ExportLimits,
) -> list[FileEntry]:  # fmt: skip
    entries: list[FileEntry] = []
    total = 0
    for name, info in members.items():
        where = f"{path.name}:{info.filename}"
        digest, size = hashlib.sha256(), 0
        with _open_member(path, archive, info, where) as stream:
            while chunk := _zip_read(stream, CHUNK, where):
                size += len(chunk)
                total += len(chunk)
                _check_sizes(where, size, total, limits)
                compressed = max(info.compress_size, 1)
                if size > limits.ratio_floor_bytes and size > compressed * limits.max_ratio:
                    raise InvalidInput(
                        f"{where}: expands more than {limits.max_ratio} times its compressed "
                        f"size ({compressed} bytes): refused as a zip bomb",
                        hint="If the file is genuine, raise the ratio limit (docs/ingest.md).",
                    )
                digest.update(chunk)
        entries.append(FileEntry(name, size, digest.hexdigest()))
    return entries


def _open_member(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str
) -> IO[bytes]:
    """A zip entry's decompressed stream, produced in bounded chunks whatever the method
    (zipfile inflates bzip2 entries a whole block of input at a time, so a bzip2 bomb would
    expand in memory before any count could stop it)."""
    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        try:
            return archive.open(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InvalidInput(
                f"{where}: cannot be read from the zip ({exc})",
                hint="Download the export again; the zip is damaged or truncated.",
            ) from None
    if info.compress_type == zipfile.ZIP_BZIP2:
        return io.BufferedReader(_Bzip2Member(path, info, where), CHUNK)
    raise InvalidInput(
        f"{where}: uses a compression method ({info.compress_type}) platform exports do not use",
        hint="Unpack the zip with another tool and ingest the folder, after checking it.",
    )


class _Bzip2Member(io.RawIOBase):
    """Streams a bzip2 zip entry, never producing more than asked for per read."""

    def __init__(self, path: Path, info: zipfile.ZipInfo, where: str) -> None:
        self._file = path.open("rb")
        self._where, self._crc, self._expected_crc = where, 0, info.CRC
        self._file.seek(info.header_offset)
        header = self._file.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            self._file.close()
            raise InvalidInput(f"{where}: the zip is damaged (no local header for the entry)")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        self._file.seek(info.header_offset + 30 + name_length + extra_length)
        self._left = info.compress_size
        self._declared = info.file_size
        self._decompressor = bz2.BZ2Decompressor()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        data = b""
        try:
            while not data:
                if self._decompressor.eof:
                    break
                feed = b""
                if self._decompressor.needs_input:
                    if self._left <= 0:
                        raise EOFError("compressed data ends early")
                    feed = self._file.read(min(64 * KIB, self._left))
                    if not feed:
                        raise EOFError("compressed data ends early")
                    self._left -= len(feed)
                data = self._decompressor.decompress(feed, max_length=wanted)
        except (OSError, EOFError, ValueError) as exc:
            raise InvalidInput(
                f"{self._where}: the zip is damaged, truncated or misstates its sizes ({exc})",
                hint="Download the export again; the file was cut short or corrupted.",
            ) from None
        self._crc = zlib.crc32(data, self._crc)
        self._declared -= len(data)
        if self._declared < 0:
            raise InvalidInput(
                f"{self._where}: the zip misstates its sizes (the entry holds more than the "
                "size its headers declare): refused as a possible zip bomb",
                hint="Download the export again; a platform's zip never does this.",
            )
        if not data and self._crc != self._expected_crc:
            raise InvalidInput(f"{self._where}: the zip is damaged (CRC mismatch)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()
