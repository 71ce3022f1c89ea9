"""Which readers exist, and which one an export is for (by content, not by its file name)."""

from __future__ import annotations

from collections import Counter

from archiver.errors import InvalidInput
from archiver.sources.base import ExportFiles, Reader
from archiver.sources.bluesky import BlueskyRepoReader
from archiver.sources.facebook import FacebookDyiReader
from archiver.sources.graph import GraphCaptureReader
from archiver.sources.instagram import InstagramDyiReader
from archiver.sources.x import XArchiveReader
from archiver.sources.youtube import YouTubeApiReader, YouTubeTakeoutReader

# Every reader, in the order detection tries them (the more specific layouts first).
READERS: tuple[type[Reader], ...] = (
    FacebookDyiReader,
    InstagramDyiReader,
    GraphCaptureReader,
    XArchiveReader,
    YouTubeTakeoutReader,
    YouTubeApiReader,
    BlueskyRepoReader,
)


def describe(reader: type[Reader]) -> str:
    return str(getattr(reader, "supported", "") or reader.layout)


def supported_layouts() -> list[str]:
    return [f"{r.layout}: {describe(r)}" for r in READERS]


def detect(files: ExportFiles, *, source: str = "the export") -> type[Reader]:
    """The reader for this export, or an error saying what was found and what is supported."""
    for reader in READERS:
        if reader.detect(files):
            return reader
    raise InvalidInput(
        f"{source}: not an export this archiver can read. Found {summarize(files)}",
        hint="Supported layouts:\n" + "\n".join(f"  - {line}" for line in supported_layouts()),
    )


def summarize(files: ExportFiles, limit: int = 8) -> str:
    """A short description of an export's contents: top-level entries and file types."""
    names = files.names()
    if not names:
        return "no files"
    tops = Counter(n.split("/", 1)[0] + ("/" if "/" in n else "") for n in names)
    kinds = Counter(n.rsplit(".", 1)[-1].lower() if "." in n else "(none)" for n in names)
    shown = ", ".join(
        f"{top} ({count})" if count > 1 else top for top, count in tops.most_common(limit)
    )
    more = f" and {len(tops) - limit} more" if len(tops) > limit else ""
    types = ", ".join(f"{count} .{ext}" for ext, count in kinds.most_common(5))
    return f"{len(names)} files ({types}): {shown}{more}"
