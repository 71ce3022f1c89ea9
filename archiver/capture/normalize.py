"""The one seam between the capture connectors and the platforms' shared normalizers.

Connectors call only the functions below. Each has the shape of the shared normalizer it stands
for (``archiver.sources``: ``normalize_graph_post``, ``normalize_graph_comment``,
``normalize_ig_media``, ``normalize_ig_comment``, ``normalize_video``,
``normalize_comment_thread``, ``normalize_post_record``); until those are part of this build the
bodies here are provisional implementations of the same mapping, so that swapping them is a
change to this file alone. X's API objects differ from its archive, so X's normalizer lives in
``archiver.capture.x``.

For captured items ``SourceRef.file`` is the ``WARC-Record-ID`` of the HTTP response the item
was read from, and ``position`` a JSON pointer inside that response's body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from archiver.sources.base import MediaRef, NormalizedItem, SourceRef


def parse_time(value: object) -> datetime | None:
    """Graph's ``2024-05-14T15:30:00+0000``, Google's and X's ``...Z`` with or without
    fractions, RFC 3339 offsets."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return _count(_dict(value.get("summary")).get("total_count"))
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# -- Meta Graph: Facebook -----------------------------------------------------------------------
def _attachment_media(attachment: Mapping[str, Any]) -> list[MediaRef]:
    found: list[MediaRef] = []
    image = _dict(_dict(attachment.get("media")).get("image"))
    kind = "video" if "video" in str(attachment.get("type", "")) else "photo"
    if image.get("src"):
        found.append(MediaRef(str(image["src"]), kind, str(attachment.get("description", ""))))
    for sub in _list(_dict(attachment.get("subattachments")).get("data")):
        found.extend(_attachment_media(_dict(sub)))
    return found


def normalize_graph_post(obj: Mapping[str, Any], source: SourceRef) -> NormalizedItem:
    """A Page feed post (``/{page-id}/feed``) as a ``post`` item."""
    attachments = [_dict(a) for a in _list(_dict(obj.get("attachments")).get("data"))]
    author = _dict(obj.get("from"))
    media = [m for a in attachments for m in _attachment_media(a)]
    data: dict[str, Any] = {
        "status_type": obj.get("status_type", ""),
        "attachments": [
            {
                "type": a.get("type", ""),
                "url": a.get("unshimmed_url") or a.get("url", ""),
                "title": a.get("title", ""),
                "target_id": _dict(a.get("target")).get("id", ""),
            }
            for a in attachments
        ],
        "metrics": {
            "reactions": _count(obj.get("reactions")),
            "shares": _count(_dict(obj.get("shares")).get("count")),
            "comments": _count(obj.get("comments")),
            "updated_time": obj.get("updated_time", ""),
        },
    }
    if obj.get("place"):
        data["place"] = obj["place"]
    return NormalizedItem(
        platform="facebook",
        platform_id=str(obj["id"]),
        kind="post",
        source=source,
        text=str(obj.get("message") or obj.get("story") or ""),
        created_at=parse_time(obj.get("created_time")),
        author_name=str(author.get("name", "")),
        author_platform_id=str(author.get("id", "")),
        permalink=str(obj.get("permalink_url", "")),
        account_platform_id=str(obj["id"]).split("_", 1)[0],
        data=data,
        media=tuple(dict.fromkeys(media)),
    )


def normalize_graph_comment(
    obj: Mapping[str, Any], post_id: str, source: SourceRef, *, parent_id: str | None = None
) -> NormalizedItem:
    """A comment, or a reply (nested under its comment, or with ``parent{id}``);
    ``is_hidden`` → hidden."""
    parent = str(_dict(obj.get("parent")).get("id", "")) or parent_id
    author = _dict(obj.get("from"))
    attachment = _dict(obj.get("attachment"))
    return NormalizedItem(
        platform="facebook",
        platform_id=str(obj["id"]),
        kind="reply" if parent else "comment",
        source=source,
        text=str(obj.get("message", "")),
        created_at=parse_time(obj.get("created_time")),
        author_name=str(author.get("name", "")),
        author_platform_id=str(author.get("id", "")),
        parent_platform_id=parent or post_id,
        root_platform_id=post_id,
        permalink=str(obj.get("permalink_url", "")),
        state="hidden" if obj.get("is_hidden") else "active",
        data={
            "attachment_url": attachment.get("url", ""),
            "metrics": {
                "likes": _count(obj.get("like_count")),
                "replies": _count(obj.get("comment_count")),
            },
        },
        media=tuple(_attachment_media(attachment)),
    )


# -- Meta Graph: Instagram ----------------------------------------------------------------------
def _ig_media_ref(obj: Mapping[str, Any]) -> MediaRef | None:
    url = obj.get("media_url") or obj.get("thumbnail_url")
    if not url:
        return None
    kind = "video" if obj.get("media_type") == "VIDEO" else "photo"
    return MediaRef(str(url), kind)


def normalize_ig_media(obj: Mapping[str, Any], source: SourceRef) -> NormalizedItem:
    """An IG Media object (``/{ig-user-id}/media``) as a ``post`` item; carousel children are
    its media."""
    children = [_dict(c) for c in _list(_dict(obj.get("children")).get("data"))]
    refs = [_ig_media_ref(c) for c in children] or [_ig_media_ref(obj)]
    return NormalizedItem(
        platform="instagram",
        platform_id=str(obj["id"]),
        kind="post",
        source=source,
        text=str(obj.get("caption", "")),
        created_at=parse_time(obj.get("timestamp")),
        author_handle=str(obj.get("username", "")),
        author_platform_id=str(_dict(obj.get("owner")).get("id", "")),
        permalink=str(obj.get("permalink", "")),
        account_platform_id=str(_dict(obj.get("owner")).get("id", "")),
        data={
            "media_type": obj.get("media_type", ""),
            "media_product_type": obj.get("media_product_type", ""),
            "shortcode": obj.get("shortcode", ""),
            "metrics": {
                "likes": _count(obj.get("like_count")),
                "comments": _count(obj.get("comments_count")),
            },
        },
        media=tuple(r for r in refs if r is not None),
    )


def normalize_ig_comment(
    obj: Mapping[str, Any], media_id: str, source: SourceRef, *, parent_id: str | None = None
) -> NormalizedItem:
    """An IG Comment, or one of its ``replies`` (``parent_id`` set); ``hidden`` → hidden."""
    return NormalizedItem(
        platform="instagram",
        platform_id=str(obj["id"]),
        kind="reply" if parent_id else "comment",
        source=source,
        text=str(obj.get("text", "")),
        created_at=parse_time(obj.get("timestamp")),
        author_handle=str(obj.get("username", "")),
        author_platform_id=str(_dict(obj.get("from") or obj.get("user")).get("id", "")),
        parent_platform_id=parent_id or str(obj.get("parent_id") or "") or media_id,
        root_platform_id=media_id,
        state="hidden" if obj.get("hidden") else "active",
        data={"metrics": {"likes": _count(obj.get("like_count"))}},
    )


# -- YouTube Data API v3 ------------------------------------------------------------------------
def normalize_video(obj: Mapping[str, Any], source: SourceRef) -> NormalizedItem:
    """A ``youtube#video`` resource as a ``video`` item."""
    snippet = _dict(obj.get("snippet"))
    stats = _dict(obj.get("statistics"))
    thumbs = _dict(snippet.get("thumbnails"))
    best = next((_dict(thumbs[k]) for k in ("maxres", "standard", "high") if k in thumbs), {})
    video_id = str(obj["id"])
    return NormalizedItem(
        platform="youtube",
        platform_id=video_id,
        kind="video",
        source=source,
        text=str(snippet.get("description", "")),
        created_at=parse_time(snippet.get("publishedAt")),
        author_name=str(snippet.get("channelTitle", "")),
        author_platform_id=str(snippet.get("channelId", "")),
        permalink=f"https://www.youtube.com/watch?v={video_id}",
        account_platform_id=str(snippet.get("channelId", "")),
        data={
            "title": snippet.get("title", ""),
            "tags": _list(snippet.get("tags")),
            "duration": _dict(obj.get("contentDetails")).get("duration", ""),
            "privacy": _dict(obj.get("status")).get("privacyStatus", ""),
            "metrics": {k: _count(v) for k, v in stats.items()},
        },
        media=(MediaRef(str(best["url"]), "photo", "thumbnail"),) if best.get("url") else (),
    )


def normalize_comment(
    obj: Mapping[str, Any], video_id: str, source: SourceRef, *, parent_id: str | None = None
) -> NormalizedItem:
    """A ``youtube#comment``: top-level (parent: the video) or a reply (parent: the thread)."""
    snippet = _dict(obj.get("snippet"))
    published, updated = snippet.get("publishedAt"), snippet.get("updatedAt")
    parent = parent_id or snippet.get("parentId")
    return NormalizedItem(
        platform="youtube",
        platform_id=str(obj["id"]),
        kind="reply" if parent else "comment",
        source=source,
        text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
        created_at=parse_time(published),
        author_name=str(snippet.get("authorDisplayName", "")),
        author_platform_id=str(_dict(snippet.get("authorChannelId")).get("value", "")),
        parent_platform_id=str(parent) if parent else video_id,
        root_platform_id=video_id,
        permalink=f"https://www.youtube.com/watch?v={video_id}&lc={obj['id']}",
        edited_at=parse_time(updated) if updated and updated != published else None,
        data={"metrics": {"likes": _count(snippet.get("likeCount"))}},
    )


def normalize_comment_thread(
    obj: Mapping[str, Any], source: SourceRef
) -> tuple[NormalizedItem, list[NormalizedItem]]:
    """A ``youtube#commentThread``: its top-level comment, and the replies it carries (a subset
    unless ``len(replies) == totalReplyCount``)."""
    snippet = _dict(obj.get("snippet"))
    video_id = str(snippet.get("videoId", ""))
    top = normalize_comment(_dict(snippet.get("topLevelComment")), video_id, source)
    replies = [
        normalize_comment(
            _dict(r),
            video_id,
            replace(source, position=f"{source.position}/replies/comments/{i}"),
            parent_id=str(obj["id"]),
        )
        for i, r in enumerate(_list(_dict(obj.get("replies")).get("comments")))
    ]
    return top, replies


# -- Bluesky (AppView) --------------------------------------------------------------------------
def normalize_post_record(
    uri: str,
    record: Mapping[str, Any],
    *,
    cid: str = "",
    source: SourceRef | None = None,
    author_handle: str = "",
    author_name: str = "",
) -> NormalizedItem:
    """An ``app.bsky.feed.post`` record in the AppView's JSON form."""
    did = uri.removeprefix("at://").split("/", 1)[0]
    rkey = uri.rsplit("/", 1)[-1]
    reply = _dict(record.get("reply"))
    parent = str(_dict(reply.get("parent")).get("uri", "")) or None
    root = str(_dict(reply.get("root")).get("uri", "")) or None
    embed = _dict(record.get("embed"))
    media = [
        MediaRef(
            f"at://{did}/blob/{_dict(_dict(image.get('image')).get('ref')).get('$link', '')}",
            "photo",
            str(image.get("alt", "")),
        )
        for image in map(_dict, _list(embed.get("images")))
    ]
    data: dict[str, Any] = {"cid": cid} if cid else {}
    for key in ("langs", "facets", "embed", "tags"):
        if key in record:
            data[key] = record[key]
    return NormalizedItem(
        platform="bluesky",
        platform_id=uri,
        kind="reply" if parent else "post",
        source=source or SourceRef(""),
        text=str(record.get("text", "")),
        created_at=parse_time(record.get("createdAt")),
        author_name=author_name,
        author_handle=author_handle,
        author_platform_id=did,
        parent_platform_id=parent,
        root_platform_id=root,
        permalink=f"https://bsky.app/profile/{did}/post/{rkey}",
        account_platform_id=did,
        data=data,
        media=tuple(media),
    )


def with_metrics(item: NormalizedItem, metrics: Mapping[str, Any]) -> NormalizedItem:
    """The item with counts the normalizer does not see (AppView's like and reply counts)."""
    return replace(item, data={**item.data, "metrics": dict(metrics)})
