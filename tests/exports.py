"""Small exports built by tests, in the platforms' real structures (with Meta's mojibake)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

FB = "this_profile's_activity_across_facebook"
PAGE = "City of Rancho Verde"
PAGE_ID = "100064123456789"
IG_ID = "17841400000000001"
T0 = 1_715_700_600  # 2024-05-14T15:30:00Z


def mojibake(value: Any) -> Any:
    """Meta's encoding: every UTF-8 byte as its own code point (keys and values)."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {mojibake(k): mojibake(v) for k, v in value.items()}
    return value


def meta_json(value: Any) -> bytes:
    return json.dumps(mojibake(value), indent=2, ensure_ascii=True).encode("ascii")


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def zip_bytes(files: dict[str, bytes] | list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    entries = list(files.items()) if isinstance(files, dict) else files
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def fb_post(
    t: int, text: str, *, photos: tuple[str, ...] = (), title: str = "", **extra: Any
) -> list[dict[str, Any]]:
    """The post objects Meta writes for one post: one per photo for multi-photo posts."""
    objects = []
    for uri in photos or (None,):
        obj: dict[str, Any] = {"timestamp": t}
        attachments = []
        if uri:
            media = {"uri": uri, "creation_timestamp": t - 2, "description": text}
            attachments.append({"data": [{"media": media}]})
        for key in ("place", "external_context", "event"):
            if key in extra:
                attachments.append({"data": [{key: extra[key]}]})
        if attachments:
            obj["attachments"] = attachments
        obj["data"] = [{"post": text}] + (
            [{"update_timestamp": extra["updated"]}] if "updated" in extra else []
        )
        if title:
            obj["title"] = title
        objects.append(obj)
    return objects


def facebook_export(
    posts: list[list[dict[str, Any]]],
    *,
    edits: list[dict[str, Any]] | None = None,
    comments: list[dict[str, Any]] | None = None,
    followers: list[tuple[str, int]] | None = None,
    media: dict[str, bytes] | None = None,
    page_name: str = PAGE,
) -> dict[str, bytes]:
    files = {f"{FB}/posts/profile_posts_1.json": meta_json([o for p in posts for o in p])}
    if edits is not None:
        files[f"{FB}/posts/edits_you_made_to_posts.json"] = meta_json(edits)
    if comments is not None:
        files[f"{FB}/comments_and_reactions/comments.json"] = meta_json({"comments_v2": comments})
    if followers is not None:
        rows = [{"name": n, "timestamp": t} for n, t in followers]
        files["connections/followers/people_who_followed_you.json"] = meta_json(
            {"followers_v3": rows}
        )
    files["logged_information/professional_dashboard/your_professional_dashboard_activity.json"] = (
        meta_json({"prodash_activity": [{"page_name": page_name, "timestamp": T0}]})
    )
    files.update(media or {})
    return files


def graph_feed(posts: list[dict[str, Any]]) -> dict[str, bytes]:
    body = {"data": posts, "paging": {"cursors": {"before": "a", "after": "b"}}}
    return {f"{PAGE_ID}/feed/page-001.json": json.dumps(body).encode("utf-8")}


def graph_post(
    number: int,
    message: str,
    *,
    comments: list[dict[str, Any]] | None = None,
    likes: int = 0,
) -> dict[str, Any]:
    post: dict[str, Any] = {
        "id": f"{PAGE_ID}_{number}",
        "created_time": "2024-05-14T15:30:00+0000",
        "updated_time": "2024-05-14T16:02:45+0000",
        "from": {"name": PAGE, "id": PAGE_ID},
        "message": message,
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{number}/",
        "reactions": {"data": [], "summary": {"total_count": likes}},
    }
    if comments is not None:
        post["comments"] = {"data": comments, "summary": {"total_count": len(comments)}}
    return post


def graph_comment(
    post: int, number: int, message: str, *, who: str = "Dana Q. Resident", **extra: Any
) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "id": f"{post}_{number}",
        "from": {"name": who, "id": f"55500{number}"},
        "message": message,
        "created_time": "2024-05-14T15:41:12+0000",
    }
    comment.update(extra)
    return comment
