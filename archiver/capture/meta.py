"""Meta Graph API: a Facebook Page's feed with attachments and threaded comments (hidden ones
included: the Page token sees them with ``is_hidden``), and Instagram media with comments and
replies. Paging follows ``paging.cursors.after`` while ``paging.next`` exists; the ``next`` URL
itself is never followed or stored, because Graph puts the access token in it."""

from __future__ import annotations

from typing import Any

from archiver.capture import normalize
from archiver.capture.base import Page, Target, require_account_id
from archiver.capture.http import HttpClient, Response
from archiver.sources.base import NormalizedItem, SourceRef

GRAPH_BASE = "https://graph.facebook.com/v19.0"
FEED_FIELDS = (
    "id,message,story,created_time,updated_time,permalink_url,status_type,from,place,"
    "shares,reactions.summary(total_count),comments.summary(total_count).limit(0),"
    "attachments{media_type,type,title,description,url,unshimmed_url,target,media,"
    "subattachments}"
)
COMMENT_FIELDS = (
    "id,from,message,created_time,parent{id},permalink_url,attachment,like_count,"
    "comment_count,is_hidden"
)
IG_MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,shortcode,"
    "timestamp,username,owner,like_count,comments_count,"
    "children{id,media_type,media_url,thumbnail_url,timestamp}"
)
IG_COMMENT_FIELDS = (
    "id,text,timestamp,username,from,like_count,hidden,"
    "replies{id,text,timestamp,username,from,like_count,hidden}"
)
IG_REPLY_FIELDS = "id,text,timestamp,username,from,like_count,hidden"


def next_after(body: dict[str, Any]) -> str | None:
    paging = body.get("paging") or {}
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

    def _all_pages(self, path: str, params: dict[str, str]) -> list[tuple[int, Any, Response]]:
        """Every object of a paged edge, with its index in its page and the page's response."""
        found: list[tuple[int, Any, Response]] = []
        after = ""
        while True:
            body, response = self._get(path, params, after)
            found += [(i, obj, response) for i, obj in enumerate(body.get("data") or [])]
            cursor = next_after(body)
            if cursor is None:
                return found
            after = cursor


class FacebookConnector(_Graph):
    platform = "facebook"

    def endpoints(self) -> list[str]:
        return ["feed"]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        page_id = require_account_id(self.target, "the Page id")
        limit = str(self.target.spec.page_size or 25)
        body, response = self._get(
            f"{page_id}/feed", {"fields": FEED_FIELDS, "limit": limit}, cursor
        )
        items: list[NormalizedItem] = []
        for i, post in enumerate(body.get("data") or []):
            items.append(
                normalize.normalize_graph_post(post, SourceRef(response.record_id, f"/data/{i}"))
            )
            items += self._comments(str(post["id"]))
        return Page(items, next_after(body))

    def _comments(self, post_id: str) -> list[NormalizedItem]:
        params = {"fields": COMMENT_FIELDS, "filter": "stream", "limit": "100"}
        return [
            normalize.normalize_graph_comment(
                obj, post_id, SourceRef(response.record_id, f"/data/{i}")
            )
            for i, obj, response in self._all_pages(f"{post_id}/comments", params)
        ]


class InstagramConnector(_Graph):
    platform = "instagram"

    def endpoints(self) -> list[str]:
        return ["media"]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        user_id = require_account_id(self.target, "the Instagram business account id")
        limit = str(self.target.spec.page_size or 25)
        params = {"fields": IG_MEDIA_FIELDS, "limit": limit}
        body, response = self._get(f"{user_id}/media", params, cursor)
        items: list[NormalizedItem] = []
        for i, media in enumerate(body.get("data") or []):
            source = SourceRef(response.record_id, f"/data/{i}")
            items.append(normalize.normalize_ig_media(media, source))
            items += self._comments(str(media["id"]))
        return Page(items, next_after(body))

    def _comments(self, media_id: str) -> list[NormalizedItem]:
        items: list[NormalizedItem] = []
        params = {"fields": IG_COMMENT_FIELDS, "limit": "50"}
        for i, obj, response in self._all_pages(f"{media_id}/comments", params):
            source = SourceRef(response.record_id, f"/data/{i}")
            items.append(normalize.normalize_ig_comment(obj, media_id, source))
            replies = obj.get("replies") or {}
            if next_after(replies) is not None:  # more replies than the nested field holds
                pages = self._all_pages(
                    f"{obj['id']}/replies", {"fields": IG_REPLY_FIELDS, "limit": "50"}
                )
                found = [(f"/data/{j}", r, resp) for j, r, resp in pages]
            else:
                found = [
                    (f"/data/{i}/replies/data/{j}", r, response)
                    for j, r in enumerate(replies.get("data") or [])
                ]
            items += [
                normalize.normalize_ig_comment(
                    reply, media_id, SourceRef(resp.record_id, where), parent_id=str(obj["id"])
                )
                for where, reply, resp in found
            ]
        return items
