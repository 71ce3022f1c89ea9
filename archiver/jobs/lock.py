"""The run lock: one capture run (nightly or on demand) at a time per archive.

The lock is a file created exclusively (``O_EXCL``) holding the holder's pid, host, start time
and command. A lock whose holder is gone — same host, pid no longer running — is *stale*: it is
reported with what the crashed run was, and broken only when asked (``--break-stale-lock``),
because the crashed run's report is the first thing to read. A lock held from another host is
never judged from here.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from archiver.errors import Busy

LOCK_NAME = "capture.lock"


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started_at: str
    command: str

    def describe(self) -> str:
        return f"`{self.command}` (pid {self.pid} on {self.host}, started {self.started_at})"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def read_lock(path: Path) -> LockInfo | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            int(data["pid"]), str(data["host"]), str(data["started_at"]), str(data["command"])
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return LockInfo(0, "", "unknown", "unreadable lock file")


@contextmanager
def run_lock(
    path: Path,
    *,
    now: datetime,
    command: str,
    break_stale: bool = False,
    alive: Callable[[int], bool] = pid_alive,
    host: str | None = None,
    pid: int | None = None,
) -> Iterator[LockInfo | None]:
    """Hold the lock for the block; yields the stale lock that was broken, if one was."""
    host = host or socket.gethostname()
    mine = LockInfo(pid or os.getpid(), host, now.isoformat(), command)
    path.parent.mkdir(parents=True, exist_ok=True)
    broken: LockInfo | None = None
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            held = read_lock(path)
            if held is None:
                continue  # released meanwhile
            stale = held.pid == 0 or (held.host == host and not alive(held.pid))
            if not stale:
                raise Busy(
                    f"another run holds the lock: {held.describe()}",
                    hint="Wait for it to finish. If that host is down and the run is surely "
                    f"dead, delete {path} by hand.",
                ) from None
            if not break_stale:
                raise Busy(
                    f"a stale lock was left by a run that crashed: {held.describe()}",
                    hint="Read that run's report in the reports folder (or the cron/journal "
                    "log), then run again with --break-stale-lock.",
                ) from None
            path.unlink(missing_ok=True)
            broken = held
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(mine.as_dict(), handle)
        break
    else:
        raise Busy(f"could not take the lock {path}", hint="Try again.")
    try:
        yield broken
    finally:
        if read_lock(path) == mine:
            path.unlink(missing_ok=True)
