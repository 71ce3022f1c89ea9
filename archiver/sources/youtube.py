"""YouTube: Google Takeout CSVs and saved YouTube Data API v3 responses.

Two readers share the item shapes: a ``video`` per upload, a ``comment`` per top-level comment
(parent and root: the video) and a ``reply`` per reply (parent: the top-level comment, root: the
video). The API's per-object normalization is exposed as pure functions (``normalize_video``,
``normalize_comment``, ``normalize_comment_thread``) so live captures reuse them.

Takeout quirks handled here: header capitalization varies (``Video title (original)``), column
order varies, and ``comments.csv`` comes in two eras (before mid-2024: ``Comment ID`` first and
``{"takeoutSegments": [...]}`` text; after: ``Channel ID`` first and a bare comma-separated
sequence of segment objects). Trailing blank lines are skipped.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from archiver.errors import InvalidInput
from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.common import iso_time

VIDEO_COLUMNS = {"video id", "video title (original)"}
COMMENT_COLUMNS = {"comment id", "video id", "comment text"}
CHANNEL_COLUMNS = {"channel id", "channel title (original)"}
API_KINDS = {
    "youtube#videoListResponse",
    "youtube#commentThreadListResponse",
    "youtube#commentListResponse",
    "youtube#channelListResponse",
    "youtube#video",
    "youtube#commentThread",
    "youtube#comment",
}
VIDEO_METRICS = {
    "viewCount": "views",
    "likeCount": "likes",
    "dislikeCount": "dislikes",
    "favoriteCount": "favorites",
    "commentCount": "comments",
}
DETECT_BYTES = 4096
MANIFEST = "manifest.json"
TAG = re.compile(r"<[^>]+>")


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


# -- Data API v3: pure functions ------------------------------------------------------------


def normalize_video(obj: Mapping[str, Any], *, source: SourceRef | None = None) -> NormalizedItem:
    """A ``youtube#video`` resource as a ``video`` item (text: the description)."""
    video_id = str(obj.get("id", ""))
    snippet = obj.get("snippet") or {}
    stats = obj.get("statistics") or {}
    details = obj.get("contentDetails") or {}
    status = obj.get("status") or {}
    data: dict[str, Any] = {
        "title": snippet.get("title", ""),
        "tags": list(snippet.get("tags", [])),
        "duration": details.get("duration", ""),
        "privacy": str(status.get("privacyStatus", "")).lower(),
        "category_id": snippet.get("categoryId", ""),
        "language": snippet.get("defaultAudioLanguage") or snippet.get("defaultLanguage", ""),
        "caption": details.get("caption", ""),
        "metrics": {name: _int(stats[key]) for key, name in VIDEO_METRICS.items() if key in stats},
    }
    return NormalizedItem(
        platform="youtube",
        platform_id=video_id,
        kind="video",
        source=source or SourceRef(""),
        text=str(snippet.get("description", "")),
        created_at=iso_time(snippet.get("publishedAt")),
        author_name=str(snippet.get("channelTitle", "")),
        author_platform_id=str(snippet.get("channelId", "")),
        permalink=_watch_url(video_id),
        account_platform_id=str(snippet.get("channelId", "")),
        data=data,
    )


def _display_text(display: str) -> str:
    return html.unescape(TAG.sub("", display.replace("<br>", "\n")))


def normalize_comment(obj: Mapping[str, Any], *, source: SourceRef | None = None) -> NormalizedItem:
    """A ``youtube#comment`` resource: a ``comment`` (no ``parentId``) or a ``reply``."""
    snippet = obj.get("snippet") or {}
    video_id = str(snippet.get("videoId", ""))
    parent = str(snippet.get("parentId", "")) or None
    published, updated = iso_time(snippet.get("publishedAt")), iso_time(snippet.get("updatedAt"))
    display = str(snippet.get("textDisplay", ""))
    text = snippet.get("textOriginal")
    author = str(snippet.get("authorDisplayName", ""))
    comment_id = str(obj.get("id", ""))
    return NormalizedItem(
        platform="youtube",
        platform_id=comment_id,
        kind="reply" if parent else "comment",
        source=source or SourceRef(""),
        text=str(text) if isinstance(text, str) else _display_text(display),
        created_at=published,
        author_name=author,
        author_handle=author if author.startswith("@") else "",
        author_platform_id=str((snippet.get("authorChannelId") or {}).get("value", "")),
        parent_platform_id=parent or video_id or None,
        root_platform_id=video_id or None,
        permalink=f"{_watch_url(video_id)}&lc={comment_id}" if video_id else "",
        edited_at=updated if updated and updated != published else None,
        account_platform_id=str(snippet.get("channelId", "")),
        data={
            "video_id": video_id,
            "text_display": display,
            "author_channel_url": snippet.get("authorChannelUrl", ""),
            "metrics": {"likes": _int(snippet.get("likeCount", 0))},
        },
    )


def normalize_comment_thread(
    obj: Mapping[str, Any], *, source: SourceRef | None = None
) -> list[NormalizedItem]:
    """A ``youtube#commentThread``: its top-level comment, then the replies it includes.

    The API includes at most a few replies; when ``totalReplyCount`` is larger, the top-level
    comment says so in ``data["metrics"]["replies_partial"]`` (a count-like fact: it changes as
    people reply, so it is kept with the volatile metrics and never makes a new version).
    """
    source = source or SourceRef("")
    snippet = obj.get("snippet") or {}
    top = snippet.get("topLevelComment") or {}
    replies = (obj.get("replies") or {}).get("comments", [])
    total = _int(snippet.get("totalReplyCount", 0))
    first = normalize_comment(top, source=_at(source, "/snippet/topLevelComment"))
    metrics = dict(first.data.get("metrics", {}))
    metrics.update(
        replies=total, replies_included=len(replies), replies_partial=total > len(replies)
    )
    data = dict(first.data, metrics=metrics, is_public=bool(snippet.get("isPublic", True)))
    items = [replace(first, data=data)]
    for index, reply in enumerate(replies):
        items.append(normalize_comment(reply, source=_at(source, f"/replies/comments/{index}")))
    return items


def _at(source: SourceRef, pointer: str) -> SourceRef:
    return SourceRef(source.file, source.position + pointer)


# -- Data API v3: saved responses -----------------------------------------------------------


def _load_json(files: ExportFiles, name: str) -> Any:
    try:
        return json.loads(files.read_bytes(name).decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: byte {exc.start}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{name}: line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint="The saved response is truncated or damaged; capture it again.",
        ) from exc


def _normalize_resource(obj: Mapping[str, Any], source: SourceRef) -> list[NormalizedItem]:
    resource = obj.get("kind", "")
    if resource == "youtube#video":
        return [normalize_video(obj, source=source)]
    if resource == "youtube#commentThread":
        return normalize_comment_thread(obj, source=source)
    if resource == "youtube#comment":
        return [normalize_comment(obj, source=source)]
    return []


def _manifest(files: ExportFiles) -> tuple[str, dict[str, Any]] | None:
    """The capture's ``manifest.json`` (the shallowest one with ``requests``)."""
    names = [n for n in files.names() if n == MANIFEST or n.endswith("/" + MANIFEST)]
    for name in sorted(names, key=lambda n: n.count("/")):
        body = _load_json(files, name)
        if isinstance(body, dict) and isinstance(body.get("requests"), list):
            return name, body
    return None


def _manifest_files(files: ExportFiles) -> list[str]:
    found = _manifest(files)
    if found is None:
        return []
    name, body = found
    prefix = name[: -len(MANIFEST)]
    listed = []
    present = set(files.names())
    for index, request in enumerate(body["requests"]):
        path = prefix + str(request.get("file", "")) if isinstance(request, dict) else ""
        if path not in present:
            raise InvalidInput(
                f"{name}: /requests/{index}: the saved response {path!r} is missing",
                hint="The capture folder is incomplete; copy it again or capture again.",
            )
        listed.append(path)
    return listed


class YouTubeApiReader:
    """A folder (or zip) of saved YouTube Data API v3 response bodies, one per file."""

    platform = "youtube"
    layout = "youtube-data-api-v3"

    @classmethod
    def _responses(cls, files: ExportFiles) -> list[str]:
        """Saved YouTube responses, in the capture manifest's fetch order where there is one
        (then any others by name)."""
        found = set()
        for name in files.names():
            if not name.endswith(".json"):
                continue
            with files.open(name) as stream:
                head = stream.read(DETECT_BYTES).decode("utf-8", errors="replace")
            match = re.search(r'"kind"\s*:\s*"(youtube#\w+)"', head)
            if match and match.group(1) in API_KINDS:
                found.add(name)
        ordered = [n for n in _manifest_files(files) if n in found]
        return ordered + sorted(found - set(ordered))

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        return bool(cls._responses(files))

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        self.responses = self._responses(files)

    def account(self) -> AccountHint:
        for name in self.responses:
            body = _load_json(self.files, name)
            if not isinstance(body, dict):
                continue
            if body.get("kind") == "youtube#channelListResponse" and body.get("items"):
                channel = body["items"][0]
                snippet = channel.get("snippet") or {}
                declared = self._declared_account(str(channel.get("id", "")))
                return AccountHint(
                    platform="youtube",
                    platform_account_id=str(channel.get("id", "")),
                    handle=str(declared.get("handle") or snippet.get("customUrl", "")),
                    name=str(snippet.get("title", "")),
                )
        for item in self.items():
            return AccountHint(platform="youtube", platform_account_id=item.account_platform_id)
        return AccountHint(platform="youtube")

    def _declared_account(self, channel_id: str) -> dict[str, Any]:
        """The manifest's own note of the account (its handle keeps the channel's casing)."""
        found = _manifest(self.files)
        for account in found[1].get("accounts", []) if found else []:
            if isinstance(account, dict) and account.get("channel_id") == channel_id:
                return account
        return {}

    def _resources(self) -> Iterator[NormalizedItem]:
        for name in self.responses:
            body = _load_json(self.files, name)
            kind = body.get("kind", "") if isinstance(body, dict) else ""
            listed = kind.endswith("ListResponse")
            resources = body.get("items", []) if listed else [body]
            if not isinstance(resources, list):
                raise InvalidInput(f"{name}: /items: expected a list of resources")
            for index, obj in enumerate(resources):
                source = SourceRef(name, f"/items/{index}" if listed else "")
                try:
                    yield from _normalize_resource(obj, source)
                except (AttributeError, TypeError, KeyError) as exc:
                    raise InvalidInput(
                        f"{name}: {source.position or '/'}: unexpected resource structure ({exc})"
                    ) from exc

    def items(self) -> Iterator[NormalizedItem]:
        """Each resource once (a reply can be both in its thread and in a comments page), in
        the capture's order; ``replies_partial`` is recomputed over the whole capture. Two passes
        over the responses, the first keeping only reply ids, so memory stays small."""
        replies: dict[str, set[str]] = {}
        for item in self._resources():
            if item.kind == "reply" and item.parent_platform_id:
                replies.setdefault(item.parent_platform_id, set()).add(item.platform_id)
        seen: set[str] = set()
        for item in self._resources():
            if item.platform_id in seen:
                continue
            seen.add(item.platform_id)
            metrics = item.data.get("metrics", {})
            if "replies_partial" in metrics:
                found = len(replies.get(item.platform_id, ()))
                metrics = dict(metrics, replies_partial=metrics["replies"] > found)
                item = replace(item, data=dict(item.data, metrics=metrics))
            yield item

    def followers(self) -> Iterator[FollowerList]:
        return iter(())


# -- Google Takeout ---------------------------------------------------------------------------


def _encoding(head: bytes) -> str:
    """UTF-8 as Takeout writes it, or UTF-16 with a BOM when a spreadsheet re-saved it."""
    return "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def _header(files: ExportFiles, name: str) -> list[str]:
    with files.open(name) as stream:
        head = stream.read(DETECT_BYTES)
    text = head.decode(_encoding(head), errors="replace")
    return [c.strip().lower() for c in next(csv.reader([text.split("\n", 1)[0]]), [])]


def _rows(files: ExportFiles, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows (1-based, blank rows skipped) as {lower-case header: value}."""
    with files.open(name) as stream:
        encoding = _encoding(stream.read(2))
        stream.seek(0)
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        reader = csv.reader(text)
        try:
            header = [c.strip().lower() for c in next(reader, [])]
            number = 0
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                number += 1
                if len(row) != len(header):
                    raise InvalidInput(
                        f"{name}: row {number} (line {reader.line_num}): {len(row)} columns, "
                        f"the header has {len(header)}"
                    )
                yield number, dict(zip(header, row, strict=True))
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{name}: after line {reader.line_num}: not UTF-8 text",
                hint="Takeout writes UTF-8; the file was re-saved in another encoding. "
                "Use the file from the original Takeout download.",
            ) from exc
        except csv.Error as exc:
            raise InvalidInput(f"{name}: line {reader.line_num}: {exc}") from exc


def comment_segments(value: str, where: str) -> list[dict[str, Any]]:
    """The ``Comment Text`` of either era as a list of segments."""
    value = value.strip()
    try:
        parsed = json.loads(value) if value.startswith('{"takeoutSegments"') else None
        if isinstance(parsed, dict):
            return list(parsed.get("takeoutSegments", []))
        return list(json.loads(f"[{value}]")) if value else []
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: Comment Text is not valid JSON segments: {exc.msg}") from exc


class YouTubeTakeoutReader:
    """Google Takeout "YouTube and YouTube Music" (or older "YouTube") folder or zip."""

    platform = "youtube"
    layout = "youtube-takeout"

    @classmethod
    def _tables(cls, files: ExportFiles) -> dict[str, list[str]]:
        tables: dict[str, list[str]] = {"videos": [], "comments": [], "channel": []}
        for name in sorted(files.names()):
            if not name.lower().endswith(".csv"):
                continue
            header = set(_header(files, name))
            if header >= VIDEO_COLUMNS:
                tables["videos"].append(name)
            elif header >= COMMENT_COLUMNS:
                tables["comments"].append(name)
            elif header >= CHANNEL_COLUMNS:
                tables["channel"].append(name)
        return tables

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        tables = cls._tables(files)
        return bool(tables["videos"] or tables["comments"])

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        self.tables = self._tables(files)
        self.names = files.names()

    def account(self) -> AccountHint:
        for name in self.tables["channel"]:
            for _, row in _rows(self.files, name):
                return AccountHint(
                    platform="youtube",
                    platform_account_id=row.get("channel id", ""),
                    name=row.get("channel title (original)", ""),
                )
        for name in self.tables["videos"] + self.tables["comments"]:
            for _, row in _rows(self.files, name):
                return AccountHint(
                    platform="youtube", platform_account_id=row.get("channel id", "")
                )
        return AccountHint(platform="youtube")

    def items(self) -> Iterator[NormalizedItem]:
        account = self.account()
        for name in self.tables["videos"]:
            for number, row in _rows(self.files, name):
                yield self._video(name, number, row, account)
        for name in self.tables["comments"]:
            for number, row in _rows(self.files, name):
                yield self._comment(name, number, row, account)

    def _upload_file(self, csv_name: str, title: str) -> tuple[MediaRef, ...]:
        """The upload's file: ``videos/<title>.<ext>`` beside ``video metadata/``."""
        base = csv_name.rsplit("/", 2)[0] + "/videos/" if csv_name.count("/") >= 2 else "videos/"
        return tuple(
            MediaRef(uri=n, kind="video")
            for n in self.names
            if n.startswith(base) and n[len(base) :].rsplit(".", 1)[0] == title
        )

    def _video(
        self, name: str, number: int, row: Mapping[str, str], account: AccountHint
    ) -> NormalizedItem:
        video_id = row["video id"]
        if not video_id:
            raise InvalidInput(f"{name}: row {number}: empty Video ID")
        title = row.get("video title (original)", "")
        published = row.get("video publish timestamp", "")
        tags = [row[k] for k in sorted(row, key=_tag_order) if k.startswith("tag ") and row[k]]
        data: dict[str, Any] = {
            "title": title,
            "tags": tags,
            "duration_ms": _int(row.get("approx duration (ms)", "0")),
            "privacy": row.get("privacy", "").lower(),
            "category": row.get("video category", ""),
            "language": row.get("video audio language", ""),
            "state": row.get("video state", ""),
            "created_at": row.get("video create timestamp", ""),
        }
        return NormalizedItem(
            platform="youtube",
            platform_id=video_id,
            kind="video",
            source=SourceRef(name, f"row {number}"),
            text=row.get("video description (original)", ""),
            created_at=iso_time(published) or iso_time(row.get("video create timestamp")),
            author_name=account.name,
            author_platform_id=row.get("channel id", ""),
            permalink=_watch_url(video_id),
            account_platform_id=row.get("channel id", "") or account.platform_account_id,
            data=data,
            media=self._upload_file(name, title),
        )

    def _comment(
        self, name: str, number: int, row: Mapping[str, str], account: AccountHint
    ) -> NormalizedItem:
        comment_id, video_id = row["comment id"], row["video id"]
        if not comment_id:
            raise InvalidInput(f"{name}: row {number}: empty Comment ID")
        parent = row.get("parent comment id", "")
        segments = comment_segments(row["comment text"], f"{name}: row {number}")
        data: dict[str, Any] = {
            "video_id": video_id,
            "links": [s["link"]["linkUrl"] for s in segments if "link" in s],
            "video_links": [s["videoLink"] for s in segments if "videoLink" in s],
        }
        if row.get("price", "0") not in ("", "0"):
            data["price"] = row["price"]
        return NormalizedItem(
            platform="youtube",
            platform_id=comment_id,
            kind="reply" if parent else "comment",
            source=SourceRef(name, f"row {number}"),
            text="".join(str(s.get("text", "")) for s in segments),
            created_at=iso_time(row.get("comment create timestamp")),
            author_name=account.name,
            author_platform_id=row.get("channel id", ""),
            parent_platform_id=parent or video_id or None,
            root_platform_id=video_id or None,
            permalink=f"{_watch_url(video_id)}&lc={comment_id}",
            account_platform_id=account.platform_account_id,
            data=data,
        )

    def followers(self) -> Iterator[FollowerList]:
        return iter(())


def _tag_order(key: str) -> int:
    number = key.removeprefix("tag ")
    return int(number) if number.isdigit() else 0
