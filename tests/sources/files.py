"""A minimal, test-only ``ExportFiles`` for folders and zips (no safety checks: the ingest
package's own implementation does those). Tests of the readers use it on the sample exports."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO


class FolderFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        return sorted(
            p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()
        )

    def open(self, name: str) -> BinaryIO:
        return (self.root / name).open("rb")

    def read_bytes(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size


class ZipFiles:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)

    def names(self) -> list[str]:
        return sorted(i.filename for i in self.zip.infolist() if not i.is_dir())

    def open(self, name: str) -> BinaryIO:
        return self.zip.open(name)  # type: ignore[return-value]  # streamed, not read whole

    def read_bytes(self, name: str) -> bytes:
        return self.zip.read(name)

    def size(self, name: str) -> int:
        return self.zip.getinfo(name).file_size


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


def open_export(path: Path) -> FolderFiles | ZipFiles:
    return ZipFiles(path) if path.suffix == ".zip" else FolderFiles(path)
