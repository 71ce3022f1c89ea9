"""Meta Graph API: a Facebook Page's feed with attachments and threaded comments (hidden ones
included: the Page token sees them with ``is_hidden``), and Instagram media with comments and
replies. Paging follows ``paging.cursors.after`` while ``paging.next`` exists; the ``next`` URL
itself is never followed or stored, because Graph puts the access token in it.

Objects are normalized by the same functions that read saved Graph responses
(``archiver.sources.graph``), which also walk the comments and replies nested in them; the
connector only adds what it fetched from the edges when a nested list was truncated."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from archiver.capture.base import Page, Target, fetch_profile, require_account_id
from archiver.capture.http import HttpClient, Response
from archiver.sources.base import NormalizedItem, SourceRef
from archiver.sources.graph import (
    normalize_graph_comment,
    normalize_graph_post,
    normalize_ig_comment,
    normalize_ig_media,
)

Items = Iterator[NormalizedItem]
# a comment or reply read at a source, with the comment it replies to (None: a comment)
Normalize = Callable[[dict[str, Any], SourceRef, str | None], Items]

GRAPH_BASE = "https://graph.facebook.com/v19.0"
COMMENT_FIELDS = (
    "id,from,message,created_time,parent{id},permalink_url,attachment,like_count,"
    "comment_count,is_hidden"
)
# Comments and their replies come nested in the feed; only a list the feed truncated (its
# ``paging.next``) is continued on the ``/comments`` edge, from the nested list's cursor.
FEED_FIELDS = (
    "id,message,message_tags,story,created_time,updated_time,permalink_url,status_type,from,"
    "place,shares,reactions.summary(total_count).limit(0),"
    "attachments{media_type,type,title,description,url,unshimmed_url,target,media,"
    "subattachments},"
    f"comments.summary(true).limit(25){{{COMMENT_FIELDS},comments.limit(25){{{COMMENT_FIELDS}}}}}"
)
IG_REPLY_FIELDS = "id,text,timestamp,username,from,like_count,hidden,parent_id"
IG_COMMENT_FIELDS = (
    f"id,text,timestamp,username,from,like_count,hidden,replies{{{IG_REPLY_FIELDS}}}"
)
IG_MEDIA_FIELDS = (
    "id,ig_id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,"
    "shortcode,timestamp,username,owner,like_count,comments_count,is_comment_enabled,"
    f"children{{id,media_type,media_url,thumbnail_url,timestamp}},comments{{{IG_COMMENT_FIELDS}}}"
)
# Profiles: the counts go under ``metrics`` (a new follower is not a new version); picture URLs
# are left out because Graph signs them anew on every request.
PAGE_FIELDS = "id,name,username,about,description,category,link,website,fan_count,followers_count"
IG_USER_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count"


def next_after(body: Any) -> str | None:
    paging = (body.get("paging") if isinstance(body, dict) else None) or {}
    if not paging.get("next"):
        return None
    after = (paging.get("cursors") or {}).get("after")
    return str(after) if after else None


class _Graph:
    platform = ""
    complete_when_finished = True

    def __init__(self, target: Target, client: HttpClient, token: str) -> None:
        self.target, self.client, self.token = target, client, token
        self.base = (target.spec.api_base or GRAPH_BASE).rstrip("/")

    def _get(self, path: str, params: dict[str, str], after: str = "") -> tuple[Any, Response]:
        query = {**params, "access_token": self.token}
        if after:
            query["after"] = after
        return self.client.get_json(f"{self.base}/{path}", query)

    def _profile(self, account_id: str, fields: str, read: Callable[[Any, str], Any]) -> Page:
        params = {"fields": fields, "access_token": self.token}
        return fetch_profile(self.client, f"{self.base}/{account_id}", params, read)

    def _rest(
        self, edge: Any, path: str, params: dict[str, str]
    ) -> list[tuple[dict[str, Any], SourceRef]]:
        """What a nested list (``comments``, ``replies``) did not carry: the following pages
        of the edge ``path``, each object with the response and position it was read at."""
        found: list[tuple[dict[str, Any], SourceRef]] = []
        after = next_after(edge)
        while after is not None:
            body, page = self._get(path, params, after)
            found += [
                (obj, SourceRef(page.record_id, f"/data/{i}"))
                for i, obj in enumerate(body.get("data") or [])
            ]
            after = next_after(body)
        return found

    def _more(
        self,
        parent: dict[str, Any],
        replies_edge: str,
        fields: tuple[dict[str, str], dict[str, str]],
        normalize: Normalize,
    ) -> list[NormalizedItem]:
        """Comments and replies a post or media object truncated, from the edges: further
        comments (with their nested replies), then further replies of every comment."""
        items: list[NormalizedItem] = []
        comments = _nested(parent, "comments")
        more = self._rest(parent.get("comments"), f"{parent['id']}/comments", fields[0])
        for comment, source in more:
            items += normalize(comment, source, None)
            comments.append(comment)
        for comment in comments:
            path = f"{comment['id']}/{replies_edge}"
            for reply, source in self._rest(comment.get(replies_edge), path, fields[1]):
                items += normalize(reply, source, str(comment["id"]))
        return items


def _nested(obj: Any, edge: str) -> list[Any]:
    return list((obj.get(edge) or {}).get("data") or []) if isinstance(obj, dict) else []


class FacebookConnector(_Graph):
    platform = "facebook"

    def endpoints(self) -> list[str]:
        return ["profile", "feed"]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        page_id = require_account_id(self.target, "the Page id")
        if endpoint == "profile":
            return self._profile(page_id, PAGE_FIELDS, read_page_profile)
        limit = str(self.target.spec.page_size or 25)
        body, response = self._get(
            f"{page_id}/feed", {"fields": FEED_FIELDS, "limit": limit}, cursor
        )
        items: list[NormalizedItem] = []
        for i, post in enumerate(body.get("data") or []):
            source = SourceRef(response.record_id, f"/data/{i}")
            items += normalize_graph_post(post, source=source, page_id=page_id)
            items += self._more_of(post, page_id)
        return Page(items, next_after(body))

    def _more_of(self, post: dict[str, Any], page_id: str) -> list[NormalizedItem]:
        post_id = str(post["id"])

        def normalize(obj: dict[str, Any], source: SourceRef, parent: str | None) -> Items:
            return normalize_graph_comment(
                obj, post_id=post_id, source=source, page_id=page_id, parent_id=parent
            )

        fields = (
            {"fields": f"{COMMENT_FIELDS},comments{{{COMMENT_FIELDS}}}", "limit": "100"},
            {"fields": COMMENT_FIELDS, "limit": "100"},
        )
        return self._more(post, "comments", fields, normalize)


class InstagramConnector(_Graph):
    platform = "instagram"

    def endpoints(self) -> list[str]:
        return ["profile", "media"]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        user_id = require_account_id(self.target, "the Instagram business account id")
        if endpoint == "profile":
            return self._profile(user_id, IG_USER_FIELDS, read_ig_profile)
        limit = str(self.target.spec.page_size or 25)
        body, response = self._get(
            f"{user_id}/media", {"fields": IG_MEDIA_FIELDS, "limit": limit}, cursor
        )
        items: list[NormalizedItem] = []
        for i, media in enumerate(body.get("data") or []):
            source = SourceRef(response.record_id, f"/data/{i}")
            items += normalize_ig_media(media, source=source, owner_id=user_id)
            items += self._more_of(media, user_id)
        return Page(items, next_after(body))

    def _more_of(self, media: dict[str, Any], owner_id: str) -> list[NormalizedItem]:
        media_id = str(media["id"])

        def normalize(obj: dict[str, Any], source: SourceRef, parent: str | None) -> Items:
            return normalize_ig_comment(
                obj, media_id=media_id, source=source, owner_id=owner_id, parent_id=parent
            )

        fields = (
            {"fields": IG_COMMENT_FIELDS, "limit": "50"},
            {"fields": IG_REPLY_FIELDS, "limit": "50"},
        )
        return self._more(media, "replies", fields, normalize)


def read_page_profile(body: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
    """A Page object (``/{page-id}?fields=…``): followers are ``followers_count``; older Pages
    without it state only ``fan_count`` (likes)."""
    page_id = str(body["id"])
    metrics = {k: int(body[k]) for k in ("fan_count", "followers_count") if body.get(k) is not None}
    key = "followers_count" if "followers_count" in metrics else "fan_count"
    item = NormalizedItem(
        platform="facebook",
        platform_id=page_id,
        kind="profile",
        source=SourceRef(record_id, ""),
        text=str(body.get("about") or body.get("description") or ""),
        author_name=str(body.get("name", "")),
        author_handle=str(body.get("username", "")),
        author_platform_id=page_id,
        permalink=str(body.get("link", "")),
        account_platform_id=page_id,
        data={
            **{k: str(body.get(k) or "") for k in ("category", "website", "description")},
            "metrics": metrics,
        },
    )
    return item, metrics.get(key), f"/{key}"


def read_ig_profile(body: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
    """An Instagram professional account's IG User object."""
    user_id = str(body["id"])
    metrics = {
        k: int(body[k])
        for k in ("followers_count", "follows_count", "media_count")
        if body.get(k) is not None
    }
    username = str(body.get("username", ""))
    item = NormalizedItem(
        platform="instagram",
        platform_id=user_id,
        kind="profile",
        source=SourceRef(record_id, ""),
        text=str(body.get("biography", "")),
        author_name=str(body.get("name", "")),
        author_handle=username,
        author_platform_id=user_id,
        permalink=f"https://www.instagram.com/{username}/" if username else "",
        account_platform_id=user_id,
        data={"website": str(body.get("website") or ""), "metrics": metrics},
    )
    return item, metrics.get("followers_count"), "/followers_count"
