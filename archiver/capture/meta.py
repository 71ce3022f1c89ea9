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

# (position in the response body, object, response): where each comment was read
Found = list[tuple[str, Any, Response]]


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

    def _nested(
        self, edge: Any, where: str, response: Response, path: str, params: dict[str, str]
    ) -> Found:
        """A nested list (``comments``, ``replies``) of an object read at ``where``, continued
        on the edge ``path`` when the nested list was truncated."""
        edge = edge if isinstance(edge, dict) else {}
        found: Found = [
            (f"{where}/data/{i}", obj, response) for i, obj in enumerate(edge.get("data") or [])
        ]
        after = next_after(edge)
        while after is not None:
            body, page = self._get(path, params, after)
            found += [(f"/data/{i}", obj, page) for i, obj in enumerate(body.get("data") or [])]
            after = next_after(body)
        return found


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
            where = f"/data/{i}"
            items.append(normalize.normalize_graph_post(post, SourceRef(response.record_id, where)))
            items += self._comments(post, where, response)
        return Page(items, next_after(body))

    def _comments(self, post: Any, where: str, response: Response) -> list[NormalizedItem]:
        post_id = str(post["id"])
        params = {"fields": f"{COMMENT_FIELDS},comments{{{COMMENT_FIELDS}}}", "limit": "100"}
        items: list[NormalizedItem] = []
        found = self._nested(
            post.get("comments"), f"{where}/comments", response, f"{post_id}/comments", params
        )
        for at, comment, page in found:
            items.append(
                normalize.normalize_graph_comment(comment, post_id, SourceRef(page.record_id, at))
            )
            replies = self._nested(
                comment.get("comments"),
                f"{at}/comments",
                page,
                f"{comment['id']}/comments",
                {"fields": COMMENT_FIELDS, "limit": "100"},
            )
            items += [
                normalize.normalize_graph_comment(
                    reply, post_id, SourceRef(r_page.record_id, r_at), parent_id=str(comment["id"])
                )
                for r_at, reply, r_page in replies
            ]
        return items


class InstagramConnector(_Graph):
    platform = "instagram"

    def endpoints(self) -> list[str]:
        return ["media"]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        user_id = require_account_id(self.target, "the Instagram business account id")
        limit = str(self.target.spec.page_size or 25)
        body, response = self._get(
            f"{user_id}/media", {"fields": IG_MEDIA_FIELDS, "limit": limit}, cursor
        )
        items: list[NormalizedItem] = []
        for i, media in enumerate(body.get("data") or []):
            where = f"/data/{i}"
            items.append(normalize.normalize_ig_media(media, SourceRef(response.record_id, where)))
            items += self._comments(media, where, response)
        return Page(items, next_after(body))

    def _comments(self, media: Any, where: str, response: Response) -> list[NormalizedItem]:
        media_id = str(media["id"])
        params = {"fields": IG_COMMENT_FIELDS, "limit": "50"}
        items: list[NormalizedItem] = []
        found = self._nested(
            media.get("comments"), f"{where}/comments", response, f"{media_id}/comments", params
        )
        for at, comment, page in found:
            source = SourceRef(page.record_id, at)
            items.append(normalize.normalize_ig_comment(comment, media_id, source))
            replies = self._nested(
                comment.get("replies"),
                f"{at}/replies",
                page,
                f"{comment['id']}/replies",
                {"fields": IG_REPLY_FIELDS, "limit": "50"},
            )
            items += [
                normalize.normalize_ig_comment(
                    reply, media_id, SourceRef(r_page.record_id, r_at), parent_id=str(comment["id"])
                )
                for r_at, reply, r_page in replies
            ]
        return items
