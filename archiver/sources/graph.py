"""Meta Graph API responses saved as JSON: a Facebook Page's feed (posts with their threaded
comments, ``is_hidden``, attachments) and an Instagram account's media (with comments and
replies). This is where other people's comments come from: the download exports hold only the
account's own activity.

A capture is a folder (or zip) of raw response bodies, one per file, optionally with a
``manifest.json`` listing the URL each file answered. A file's role comes from that URL or from
its path (``<node>/<edge>/page-001.json``: ``feed``, ``posts``, ``published_posts``,
``comments``, ``replies``, ``media``), else from its content.

The per-object functions (``normalize_graph_post``, ``normalize_graph_comment``,
``normalize_ig_media``, ``normalize_ig_comment``) are pure: live capture feeds them API responses
as they arrive.

What is volatile and kept under ``data["metrics"]`` (so not an edit): reaction, like, share and
comment counts, and ``updated_time`` (Facebook moves it when a comment arrives). Media are
referred to by the photo's or media's stable address, never by the signed CDN URL, which changes
with every request; the CDN URL is kept as the ``download_url`` live capture fetches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.common import as_dict, as_list, as_str, find, iso_time, load_json

EDGE = re.compile(
    r"(?:^|/)(?P<node>[^/]+)/(?P<edge>feed|posts|published_posts|visitor_posts|comments|replies"
    r"|media)(?:/[^/]*)?\.json$"
)
URL_EDGE = re.compile(r"/(?:v\d+\.\d+/)?(?P<node>[^/?]+)/(?P<edge>[a-z_]+)")
FB_POST_EDGES = ("feed", "posts", "published_posts", "visitor_posts")


# -- pure normalization: Facebook ---------------------------------------------------------------
def normalize_graph_post(
    obj: dict[str, Any], *, source: SourceRef, page_id: str = ""
) -> Iterator[NormalizedItem]:
    """A Page post and, depth first, every comment and reply it carries."""
    post_id = as_str(obj.get("id"))
    if not post_id:
        return
    page = page_id or (post_id.split("_", 1)[0] if "_" in post_id else "")
    author = as_dict(obj.get("from"))
    data: dict[str, Any] = {}
    for key in ("story", "status_type"):
        if obj.get(key):
            data[key] = obj[key]
    if place := as_dict(obj.get("place")):
        data["place"] = place
    if mentions := _tags(obj.get("message_tags")):
        data["mentions"] = mentions
    if author and page and as_str(author.get("id")) != page:
        data["visitor_post"] = True
    attachments = [as_dict(a) for a in as_list(as_dict(obj.get("attachments")).get("data"))]
    if attachments:
        data["attachments"] = [_attachment(a) for a in attachments]
    comments = as_dict(obj.get("comments"))
    data["metrics"] = _metrics(
        shares=as_dict(obj.get("shares")).get("count"),
        comments=as_dict(comments.get("summary")).get("total_count"),
        reactions=as_dict(as_dict(obj.get("reactions")).get("summary")).get("total_count"),
        updated_time=obj.get("updated_time"),
    )
    yield NormalizedItem(
        platform="facebook",
        platform_id=post_id,
        kind="post",
        source=source,
        text=as_str(obj.get("message")),
        created_at=iso_time(obj.get("created_time")),
        author_name=as_str(author.get("name")),
        author_platform_id=as_str(author.get("id")),
        permalink=as_str(obj.get("permalink_url")),
        account_platform_id=page,
        data=data,
        media=tuple(m for a in attachments for m in _fb_media(a)),
    )
    for index, comment in enumerate(as_list(comments.get("data"))):
        where = SourceRef(source.file, f"{source.position}/comments/data/{index}")
        yield from normalize_graph_comment(
            as_dict(comment), post_id=post_id, source=where, page_id=page
        )


def normalize_graph_comment(
    obj: dict[str, Any],
    *,
    post_id: str,
    source: SourceRef,
    page_id: str = "",
    parent_id: str | None = None,
) -> Iterator[NormalizedItem]:
    """A comment on a Page post, then its replies (nested under ``comments``)."""
    comment_id = as_str(obj.get("id"))
    if not comment_id:
        return
    parent = as_str(as_dict(obj.get("parent")).get("id")) or parent_id
    author = as_dict(obj.get("from"))
    data: dict[str, Any] = {}
    if not author:
        data["author_withheld"] = True  # the API withholds it without the needed permission
    if mentions := _tags(obj.get("message_tags")):
        data["mentions"] = mentions
    if attachment := as_dict(obj.get("attachment")):
        data["attachment"] = _attachment(attachment)
    data["metrics"] = _metrics(likes=obj.get("like_count"), replies=obj.get("comment_count"))
    yield NormalizedItem(
        platform="facebook",
        platform_id=comment_id,
        kind="reply" if parent else "comment",
        source=source,
        text=as_str(obj.get("message")),
        created_at=iso_time(obj.get("created_time")),
        author_name=as_str(author.get("name")),
        author_platform_id=as_str(author.get("id")),
        parent_platform_id=parent or post_id,
        root_platform_id=post_id,
        permalink=as_str(obj.get("permalink_url")),
        state="hidden" if obj.get("is_hidden") is True else "active",
        account_platform_id=page_id,
        data=data,
        media=tuple(_fb_media(attachment)) if attachment else (),
    )
    for index, reply in enumerate(as_list(as_dict(obj.get("comments")).get("data"))):
        where = SourceRef(source.file, f"{source.position}/comments/data/{index}")
        yield from normalize_graph_comment(
            as_dict(reply), post_id=post_id, source=where, page_id=page_id, parent_id=comment_id
        )


def _attachment(a: dict[str, Any]) -> dict[str, Any]:
    out = {k: a[k] for k in ("type", "media_type", "title", "description") if a.get(k) is not None}
    url = as_str(a.get("unshimmed_url")) or as_str(a.get("url"))
    if url:
        out["url"] = url
    target = as_dict(a.get("target"))
    if target.get("id"):
        out["target_id"] = as_str(target["id"])
    subs = [as_dict(s) for s in as_list(as_dict(a.get("subattachments")).get("data"))]
    if subs:
        out["subattachments"] = [_attachment(s) for s in subs]
    return out


def _fb_media(a: dict[str, Any]) -> Iterator[MediaRef]:
    subs = [as_dict(s) for s in as_list(as_dict(a.get("subattachments")).get("data"))]
    if subs:
        for sub in subs:
            yield from _fb_media(sub)
        return
    kind = as_str(a.get("type")) or as_str(a.get("media_type"))
    if kind not in ("photo", "video_inline", "video", "animated_image_video", "cover_photo"):
        return
    target = as_str(as_dict(a.get("target")).get("id"))
    uri = f"https://www.facebook.com/{target}" if target else as_str(a.get("url"))
    if uri:
        yield MediaRef(
            uri=uri,
            kind="video" if "video" in kind else "photo",
            description=as_str(a.get("description")),
            download_url=as_str(as_dict(as_dict(a.get("media")).get("image")).get("src")),
        )


# -- pure normalization: Instagram ------------------------------------------------------------
def normalize_ig_media(
    obj: dict[str, Any], *, source: SourceRef, owner_id: str = ""
) -> Iterator[NormalizedItem]:
    """An Instagram media object (post, carousel, reel) and its comments and replies."""
    media_id = as_str(obj.get("id"))
    if not media_id:
        return
    owner = as_str(as_dict(obj.get("owner")).get("id")) or owner_id
    data: dict[str, Any] = {
        k: obj[k]
        for k in ("media_type", "media_product_type", "shortcode", "ig_id", "is_comment_enabled")
        if obj.get(k) is not None
    }
    data["metrics"] = _metrics(likes=obj.get("like_count"), comments=obj.get("comments_count"))
    children = [as_dict(c) for c in as_list(as_dict(obj.get("children")).get("data"))]
    media = tuple(
        MediaRef(
            uri=f"urn:instagram:media:{as_str(c.get('id'))}",
            kind="video" if c.get("media_type") == "VIDEO" else "photo",
            download_url=as_str(c.get("media_url")) or as_str(c.get("thumbnail_url")),
        )
        for c in (children or [obj])
        if c.get("id")
    )
    yield NormalizedItem(
        platform="instagram",
        platform_id=media_id,
        kind="post",
        source=source,
        text=as_str(obj.get("caption")),
        created_at=iso_time(obj.get("timestamp")),
        author_handle=as_str(obj.get("username")),
        author_platform_id=owner,
        permalink=as_str(obj.get("permalink")),
        account_platform_id=owner,
        data=data,
        media=media,
    )
    for index, comment in enumerate(as_list(as_dict(obj.get("comments")).get("data"))):
        where = SourceRef(source.file, f"{source.position}/comments/data/{index}")
        yield from normalize_ig_comment(
            as_dict(comment), media_id=media_id, source=where, owner_id=owner
        )


def normalize_ig_comment(
    obj: dict[str, Any],
    *,
    media_id: str,
    source: SourceRef,
    owner_id: str = "",
    parent_id: str | None = None,
) -> Iterator[NormalizedItem]:
    comment_id = as_str(obj.get("id"))
    if not comment_id:
        return
    parent = as_str(obj.get("parent_id")) or parent_id
    user = as_dict(obj.get("user")) or as_dict(obj.get("from"))
    yield NormalizedItem(
        platform="instagram",
        platform_id=comment_id,
        kind="reply" if parent else "comment",
        source=source,
        text=as_str(obj.get("text")),
        created_at=iso_time(obj.get("timestamp")),
        author_handle=as_str(obj.get("username")) or as_str(user.get("username")),
        author_platform_id=as_str(user.get("id")),
        parent_platform_id=parent or media_id,
        root_platform_id=media_id,
        state="hidden" if obj.get("hidden") is True else "active",
        account_platform_id=owner_id,
        data={"metrics": _metrics(likes=obj.get("like_count"))},
    )
    for index, reply in enumerate(as_list(as_dict(obj.get("replies")).get("data"))):
        where = SourceRef(source.file, f"{source.position}/replies/data/{index}")
        yield from normalize_ig_comment(
            as_dict(reply), media_id=media_id, source=where, owner_id=owner_id,
            parent_id=comment_id,
        )  # fmt: skip


def _tags(value: Any) -> list[dict[str, Any]]:
    return [
        {k: t[k] for k in ("id", "name", "type", "offset", "length") if k in t}
        for t in map(as_dict, as_list(value))
    ]


def _metrics(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- the reader ---------------------------------------------------------------------------------
class GraphCaptureReader:
    platform = "facebook"
    layout = "meta-graph-api"
    supported = (
        "Meta Graph API responses saved as JSON: Page feed/posts pages with comments, "
        "Instagram media pages with comments and replies (optionally with manifest.json)"
    )

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        checked = 0
        for name in find(files.names(), r"[^/]+\.json"):
            if name.rsplit("/", 1)[-1] == "manifest.json" or files.size(name) == 0:
                continue
            with files.open(name) as handle:
                head = handle.read(16 * 1024)
            if _looks_like_graph(head):
                return True
            checked += 1
            if checked >= 20:
                break
        return False

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        names = files.names()
        self.manifests = find(names, r"manifest\.json")
        self.urls: dict[str, str] = {}
        self.declared: list[dict[str, Any]] = []
        for path in self.manifests:
            manifest = as_dict(load_json(files, path))
            base = path[: -len("manifest.json")]
            for request in map(as_dict, as_list(manifest.get("requests"))):
                if request.get("file"):
                    self.urls[base + as_str(request["file"])] = as_str(request.get("url"))
            self.declared.extend(map(as_dict, as_list(manifest.get("accounts"))))
        self.pages = [n for n in find(names, r"[^/]+\.json") if n not in self.manifests]

    def account(self) -> AccountHint:
        for entry in self.declared:
            platform = as_str(entry.get("platform"))
            account_id = as_str(entry.get("page_id") or entry.get("ig_user_id") or entry.get("id"))
            if platform and account_id:
                return AccountHint(
                    platform=platform,
                    platform_account_id=account_id,
                    handle=as_str(entry.get("username")),
                    name=as_str(entry.get("name")),
                )
        for item in self.items():
            if item.account_platform_id:
                return AccountHint(item.platform, platform_account_id=item.account_platform_id)
        return AccountHint("facebook")

    def items(self) -> Iterator[NormalizedItem]:
        for path in self.pages:
            body = load_json(self.files, path)
            node, edge = self._role(path)
            objects: list[tuple[str, dict[str, Any]]]
            if isinstance(body, dict) and isinstance(body.get("data"), list):
                objects = [(f"/data/{i}", as_dict(o)) for i, o in enumerate(body["data"])]
            elif isinstance(body, dict) and body.get("id"):
                objects = [("", body)]
            else:
                continue
            for position, obj in objects:
                yield from self._normalize(obj, SourceRef(path, position), node, edge)

    def _role(self, path: str) -> tuple[str, str]:
        url = self.urls.get(path, "")
        if url and (match := URL_EDGE.search(urlsplit(url).path)):
            return match.group("node"), match.group("edge")
        if match := EDGE.search(path):
            return match.group("node"), match.group("edge")
        return "", ""

    def _normalize(
        self, obj: dict[str, Any], source: SourceRef, node: str, edge: str
    ) -> Iterator[NormalizedItem]:
        is_ig = "media_type" in obj or "media_product_type" in obj or "caption" in obj
        if edge in ("media",) or (not edge and is_ig):
            yield from normalize_ig_media(obj, source=source, owner_id=node if edge else "")
        elif edge in ("comments", "replies") and ("username" in obj or "text" in obj):
            yield from normalize_ig_comment(
                obj, media_id=node, source=source,
                parent_id=node if edge == "replies" else None,
            )  # fmt: skip
        elif edge in ("comments", "replies"):
            page = node.split("_", 1)[0] if "_" in node else ""
            yield from normalize_graph_comment(
                obj, post_id=node, source=source, page_id=page,
                parent_id=node if edge == "replies" else None,
            )  # fmt: skip
        else:
            page = node if edge in FB_POST_EDGES and node.isdigit() else ""
            yield from normalize_graph_post(obj, source=source, page_id=page)

    def followers(self) -> Iterator[FollowerList]:
        return iter(())


def _looks_like_graph(head: bytes) -> bool:
    start = head.lstrip()[:200]
    if not start.startswith(b"{"):
        return False
    envelope = re.match(rb'\{\s*"data"\s*:\s*\[', start) is not None
    single = re.match(rb'\{\s*"id"\s*:', start) is not None
    fields = (b'"created_time"', b'"media_type"', b'"timestamp"', b'"message"', b'"caption"')
    return (envelope or single) and any(f in head for f in fields)
