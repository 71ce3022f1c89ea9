"""``ExportFiles`` for reader tests: the archiver's own safe access for folders and zips (the
same code ingest uses), and in-memory files built by a test."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from archiver.sources.files import ExportSource
from archiver.sources.files import open_export as _open_export


def FolderFiles(root: Path) -> ExportSource:
    return _open_export(root)


def ZipFiles(path: Path) -> ExportSource:
    return _open_export(path)


def open_export(path: Path) -> ExportSource:
    return _open_export(path)


class MemoryFiles:
    """Files built in a test: ``{name: bytes}``."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def names(self) -> list[str]:
        return sorted(self.files)

    def open(self, name: str) -> BinaryIO:
        return io.BytesIO(self.files[name])

    def read_bytes(self, name: str) -> bytes:
        return self.files[name]

    def size(self, name: str) -> int:
        return len(self.files[name])
