"""Bluesky through the public AppView (no credentials): ``app.bsky.feed.getAuthorFeed`` for the
account's posts, and ``app.bsky.feed.getPostThread`` for the replies others wrote (they live in
the repliers' repositories, not the City's). Reposts of other accounts' posts are skipped.
``app.bsky.actor.getProfile`` gives the profile (the same item as the repository's
``app.bsky.actor.profile/self`` record) and ``followersCount``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from archiver.capture.base import Page, Target, fetch_profile
from archiver.capture.http import HttpClient, Response
from archiver.sources.base import NormalizedItem, SourceRef
from archiver.sources.bluesky import normalize_post_record, normalize_profile_record

APPVIEW_BASE = "https://public.api.bsky.app/xrpc"
REPOST = "app.bsky.feed.defs#reasonRepost"


def _post_item(view: dict[str, Any], source: SourceRef) -> NormalizedItem:
    """A post view as the item its record makes (the same as in a repository export), with the
    AppView's counts, and its images' fetchable addresses (the record holds only blob CIDs)."""
    author = view.get("author") or {}
    item = normalize_post_record(
        str(view["uri"]),
        view.get("record") or {},
        cid=str(view.get("cid", "")),
        source=source,
        author_handle=str(author.get("handle", "")),
        author_name=str(author.get("displayName", "")),
    )
    counts = {k: int(view.get(k) or 0) for k in ("replyCount", "repostCount", "likeCount")}
    embed = view.get("embed") or {}
    embed = embed.get("media") or embed if "recordWithMedia" in str(embed.get("$type")) else embed
    full = [str(i.get("fullsize", "")) for i in embed.get("images") or [] if isinstance(i, dict)]
    photos = iter(full)
    media = tuple(
        replace(m, download_url=next(photos, "")) if m.kind == "photo" else m for m in item.media
    )
    return replace(item, data={**item.data, "metrics": counts}, media=media)


def read_actor_profile(view: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
    """A ``profileViewDetailed`` as the profile record's item, with the AppView's counts (its
    avatar and banner are CDN addresses, not the record's blobs: they are left out)."""
    did = str(view["did"])
    record = {k: view[k] for k in ("displayName", "description", "createdAt") if k in view}
    item = normalize_profile_record(
        f"at://{did}/app.bsky.actor.profile/self", record, source=SourceRef(record_id, "")
    )
    metrics = {
        k: int(view[k])
        for k in ("followersCount", "followsCount", "postsCount")
        if view.get(k) is not None
    }
    item = replace(
        item, author_handle=str(view.get("handle", "")), data={**item.data, "metrics": metrics}
    )
    return item, metrics.get("followersCount"), "/followersCount"


class BlueskyConnector:
    platform = "bluesky"
    complete_when_finished = True

    def __init__(self, target: Target, client: HttpClient, token: str) -> None:
        self.target, self.client = target, client
        self.base = (target.spec.api_base or APPVIEW_BASE).rstrip("/")
        self.actor = target.platform_account_id or target.handle

    def endpoints(self) -> list[str]:
        return ["profile", "author_feed"]

    def _get(self, method: str, params: dict[str, str]) -> tuple[Any, Response]:
        return self.client.get_json(f"{self.base}/{method}", params)

    def fetch(self, endpoint: str, cursor: str) -> Page:
        if endpoint == "profile":
            url = f"{self.base}/app.bsky.actor.getProfile"
            return fetch_profile(self.client, url, {"actor": self.actor}, read_actor_profile)
        params = {
            "actor": self.actor,
            "limit": str(self.target.spec.page_size or 50),
            "filter": "posts_with_replies",
        }
        if cursor:
            params["cursor"] = cursor
        body, response = self._get("app.bsky.feed.getAuthorFeed", params)
        page = Page([], body.get("cursor") or None)
        if not body.get("feed"):
            page.next_cursor = None
        for i, entry in enumerate(body.get("feed") or []):
            if (entry.get("reason") or {}).get("$type") == REPOST:
                continue
            view = entry.get("post") or {}
            page.items.append(_post_item(view, SourceRef(response.record_id, f"/feed/{i}/post")))
            if int(view.get("replyCount") or 0):
                page.items += self._thread(str(view["uri"]))
        return page

    def _thread(self, uri: str) -> list[NormalizedItem]:
        body, response = self._get(
            "app.bsky.feed.getPostThread", {"uri": uri, "depth": "1000", "parentHeight": "0"}
        )
        items: list[NormalizedItem] = []
        stack = [(body.get("thread") or {}, "/thread")]
        while stack:
            node, where = stack.pop()
            for j, reply in enumerate(node.get("replies") or []):
                path = f"{where}/replies/{j}"
                if "post" not in reply:  # notFoundPost, blockedPost
                    continue
                items.append(
                    _post_item(reply["post"], SourceRef(response.record_id, f"{path}/post"))
                )
                stack.append((reply, path))
        return items
