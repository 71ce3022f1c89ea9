"""What every reader yields, and the protocol a reader follows.

A reader turns one platform's export (or saved API responses) into ``NormalizedItem``s and
``FollowerList``s. It never touches the database or the WARC store: the ingest pipeline
(``archiver.ingest``) stores every original file as a WARC resource record, then records the
items, linking each to the file and position it came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Protocol

# Keys of NormalizedItem.data that change without the content changing (reaction and reply
# counts, view counts). They are kept with each version but do not make a new version.
VOLATILE_KEYS = frozenset({"metrics"})


@dataclass(frozen=True)
class SourceRef:
    """Where an item came from inside an export: the file's path in it, and a position
    (a JSON pointer such as ``/3/data/0``, a CSV row ``row 12``, a CAR block CID)."""

    file: str
    position: str = ""


@dataclass(frozen=True)
class MediaRef:
    """A media file of an item: a path inside the export, or a stable address (a URL, a blob
    CID). ``download_url`` is where the bytes can be fetched when that differs from ``uri`` (a
    CDN link that expires): live capture fetches it; it is not part of the item's content."""

    uri: str
    kind: str = "photo"  # photo | video | audio | document
    description: str = ""
    mime_type: str = ""
    download_url: str = ""


@dataclass(frozen=True)
class NormalizedItem:
    """One record as the archive keeps it, whatever platform it came from.

    ``platform_id`` is the platform's own id; where the export has none the reader synthesizes a
    stable one (documented in the reader) and sets ``id_synthesized``. ``parent_platform_id`` and
    ``root_platform_id`` link comments and replies into threads. A reader that knows several
    versions of one item (X ``edit_info``) yields one NormalizedItem per version, oldest first,
    each with ``edited_at``. ``data`` holds the normalized platform fields (hashtags, mentions,
    links, place, attachments, event...); counts go under ``data["metrics"]``.
    """

    platform: str
    platform_id: str
    kind: str
    source: SourceRef
    text: str = ""
    created_at: datetime | None = None
    author_name: str = ""
    author_handle: str = ""
    author_platform_id: str = ""
    parent_platform_id: str | None = None
    root_platform_id: str | None = None
    permalink: str = ""
    state: str = "active"  # active | hidden | deleted_by_author (as the source says)
    edited_at: datetime | None = None
    id_synthesized: bool = False
    account_platform_id: str = ""  # whose account this item belongs to, if the source says
    data: Mapping[str, Any] = field(default_factory=dict)
    media: tuple[MediaRef, ...] = ()

    def content_hash(self) -> str:
        """SHA-256 of what makes a version distinct: text, author, links, media and data,
        without the volatile counts (a new like is not an edit)."""
        stable = {k: v for k, v in self.data.items() if k not in VOLATILE_KEYS}
        material = {
            "text": self.text,
            "kind": self.kind,
            "author": [self.author_name, self.author_handle, self.author_platform_id],
            "parent": self.parent_platform_id,
            "media": [[m.uri, m.kind, m.description] for m in self.media],
            "state": self.state if self.state == "deleted_by_author" else "",
            "data": stable,
        }
        encoded = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Follower:
    name: str = ""
    handle: str = ""
    platform_user_id: str = ""
    followed_at: datetime | None = None


@dataclass(frozen=True)
class FollowerList:
    """A dated list of an account's followers, as one export file gives it, or a dated count
    alone, as a platform's API states it on the account's profile (``count``, no list)."""

    source: SourceRef
    taken_at: datetime | None
    followers: tuple[Follower, ...]
    count: int | None = None  # the total the source states; None: the length of the list

    @property
    def total(self) -> int:
        return len(self.followers) if self.count is None else self.count


@dataclass(frozen=True)
class AccountHint:
    """What an export says about whose it is, so ingest can match it to a registered account
    (or offer the command that registers it)."""

    platform: str
    platform_account_id: str = ""
    handle: str = ""
    name: str = ""


class ExportFiles(Protocol):
    """Read-only access to an export's files (a folder or a zip), already checked for safety."""

    def names(self) -> list[str]: ...

    def open(self, name: str) -> BinaryIO: ...

    def read_bytes(self, name: str) -> bytes: ...

    def size(self, name: str) -> int: ...


class Reader(Protocol):
    """A platform export reader. ``detect`` looks at content, not just file names."""

    platform: str
    layout: str  # e.g. "facebook-dyi-2025-pages", "x-archive"

    @classmethod
    def detect(cls, files: ExportFiles) -> bool: ...

    def __init__(self, files: ExportFiles) -> None: ...

    def account(self) -> AccountHint: ...

    def items(self) -> Iterator[NormalizedItem]: ...

    def followers(self) -> Iterator[FollowerList]: ...
