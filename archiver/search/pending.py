"""Item ids waiting for the index.

When a writer finds the index busy past its timeout (a rebuild is running, say), the ids it was
asked to index are written here before it reports "index busy"; the next index update takes them
too. So an ingest that committed to the store never leaves its items out of the index for good.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


class PendingIds:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = path.with_name(path.name + ".lock")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held for one small read or append
            yield
        finally:
            os.close(fd)

    def add(self, item_ids: Iterable[int]) -> None:
        lines = "".join(f"{i}\n" for i in item_ids)
        if not lines:
            return
        with self._locked(), open(self.path, "a", encoding="ascii") as file:
            file.write(lines)
            file.flush()
            os.fsync(file.fileno())

    def take(self) -> list[int]:
        """Every waiting id, removed from the queue (the caller re-adds them if it fails)."""
        with self._locked():
            try:
                text = self.path.read_text(encoding="ascii")
            except FileNotFoundError:
                return []
            self.path.unlink()
        return sorted({int(line) for line in text.split() if line.isdigit()})

    def peek(self) -> list[int]:
        with self._locked():
            try:
                text = self.path.read_text(encoding="ascii")
            except FileNotFoundError:
                return []
        return sorted({int(line) for line in text.split() if line.isdigit()})
