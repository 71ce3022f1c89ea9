"""X API v2: the account's posts with their edit history, and the replies in their
conversations.

An edited post lists every version in ``edit_history_tweet_ids`` (oldest first, the newest is the
one returned); the older versions are fetched with ``GET /2/tweets?ids=`` and the versions
become one item (the initial post's id), oldest first, each with ``edited_at`` — as the X
archive reader does. Replies come from ``search/recent?query=conversation_id:``, which reaches
back seven days only, so an X capture never counts as complete (nothing becomes missing from
the source on X's word alone).

The normalizer of API v2 objects lives here because the archive's objects differ (v1.1 shapes,
``edit_info``, strings for numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archiver.capture.base import Page, Target, fetch_profile, require_account_id
from archiver.capture.http import HttpClient, Response
from archiver.sources.base import MediaRef, NormalizedItem, SourceRef
from archiver.sources.common import iso_time

X_BASE = "https://api.x.com/2"
TWEET_FIELDS = (
    "created_at,edit_history_tweet_ids,conversation_id,referenced_tweets,entities,"
    "public_metrics,attachments,author_id,in_reply_to_user_id,lang,edit_controls"
)
EXPANSIONS = "attachments.media_keys,author_id"
MEDIA_FIELDS = "url,preview_image_url,type,alt_text"
USER_FIELDS = "name,username"
PROFILE_FIELDS = "created_at,description,location,name,public_metrics,url,username,verified"


def normalize_tweet(
    obj: Mapping[str, Any],
    source: SourceRef,
    *,
    users: Mapping[str, Mapping[str, Any]],
    media: Mapping[str, Mapping[str, Any]],
    initial_id: str = "",
    edited: bool = False,
) -> NormalizedItem:
    """An API v2 tweet object as a post or reply (one version of it, when ``edited``)."""
    author = users.get(str(obj.get("author_id", ""))) or {}
    replied = next(
        (r["id"] for r in obj.get("referenced_tweets") or [] if r.get("type") == "replied_to"),
        None,
    )
    entities = obj.get("entities") or {}
    refs = []
    for key in (obj.get("attachments") or {}).get("media_keys") or []:
        found = media.get(str(key)) or {}
        url = found.get("url") or found.get("preview_image_url")
        if url:
            kind = "photo" if found.get("type") == "photo" else "video"
            refs.append(MediaRef(str(url), kind, str(found.get("alt_text", ""))))
    tweet_id = str(obj["id"])
    conversation = str(obj.get("conversation_id") or "") or None
    return NormalizedItem(
        platform="x",
        platform_id=initial_id or tweet_id,
        kind="reply" if replied else "post",
        source=source,
        text=str((obj.get("note_tweet") or {}).get("text") or obj.get("text", "")),
        created_at=iso_time(obj.get("created_at")),
        author_name=str(author.get("name", "")),
        author_handle=str(author.get("username", "")),
        author_platform_id=str(obj.get("author_id", "")),
        parent_platform_id=str(replied) if replied else None,
        root_platform_id=conversation if replied else None,
        permalink=f"https://x.com/{author.get('username', 'i')}/status/{tweet_id}",
        edited_at=iso_time(obj.get("created_at")) if edited else None,
        data={
            "version_id": tweet_id,
            "hashtags": [h.get("tag") for h in entities.get("hashtags") or []],
            "mentions": [m.get("username") for m in entities.get("mentions") or []],
            "links": [u.get("expanded_url") or u.get("url") for u in entities.get("urls") or []],
            "lang": obj.get("lang", ""),
            "metrics": dict(obj.get("public_metrics") or {}),
        },
        media=tuple(refs),
    )


def read_user_profile(body: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
    """``GET /2/users/:id`` with ``public_metrics``."""
    user = body["data"]
    metrics = {k: int(v) for k, v in (user.get("public_metrics") or {}).items()}
    user_id, username = str(user["id"]), str(user.get("username", ""))
    item = NormalizedItem(
        platform="x",
        platform_id=user_id,
        kind="profile",
        source=SourceRef(record_id, "/data"),
        text=str(user.get("description", "")),
        created_at=iso_time(user.get("created_at")),
        author_name=str(user.get("name", "")),
        author_handle=username,
        author_platform_id=user_id,
        permalink=f"https://x.com/{username}",
        account_platform_id=user_id,
        data={
            "location": str(user.get("location", "")),
            "url": str(user.get("url", "")),
            "verified": bool(user.get("verified")),
            "metrics": metrics,
        },
    )
    return item, metrics.get("followers_count"), "/data/public_metrics/followers_count"


class XConnector:
    platform = "x"
    complete_when_finished = False

    def __init__(self, target: Target, client: HttpClient, token: str) -> None:
        self.target, self.client = target, client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base = (target.spec.api_base or X_BASE).rstrip("/")

    def endpoints(self) -> list[str]:
        return ["profile", "posts"]

    def _get(self, path: str, params: dict[str, str]) -> tuple[Any, Response]:
        query = {
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "media.fields": MEDIA_FIELDS,
            "user.fields": USER_FIELDS,
            **params,
        }
        return self.client.get_json(f"{self.base}/{path}", query, self.headers)

    def fetch(self, endpoint: str, cursor: str) -> Page:
        user_id = require_account_id(self.target, "the X user id")
        if endpoint == "profile":
            url, params = f"{self.base}/users/{user_id}", {"user.fields": PROFILE_FIELDS}
            return fetch_profile(self.client, url, params, read_user_profile, self.headers)
        params = {"max_results": str(self.target.spec.page_size or 100)}
        if cursor:
            params["pagination_token"] = cursor
        body, response = self._get(f"users/{user_id}/tweets", params)
        page = Page([], None)
        for i, tweet in enumerate(body.get("data") or []):
            page.items += self._versions(tweet, body, SourceRef(response.record_id, f"/data/{i}"))
            conversation = str(tweet.get("conversation_id") or "")
            replies = int((tweet.get("public_metrics") or {}).get("reply_count") or 0)
            if conversation == str(tweet["id"]) and replies:
                page.items += self._conversation(conversation)
        page.next_cursor = (body.get("meta") or {}).get("next_token")
        return page

    def _versions(self, tweet: Any, body: Any, source: SourceRef) -> list[NormalizedItem]:
        users, media = _includes(body)
        history = [str(i) for i in tweet.get("edit_history_tweet_ids") or [tweet["id"]]]
        if len(history) < 2:
            return [normalize_tweet(tweet, source, users=users, media=media)]
        older, response = self._get("tweets", {"ids": ",".join(history[:-1])})
        old_users, old_media = _includes(older)
        by_id = {str(t["id"]): (j, t) for j, t in enumerate(older.get("data") or [])}
        versions = []
        for version_id in history[:-1]:
            if version_id in by_id:
                j, obj = by_id[version_id]
                versions.append(
                    normalize_tweet(
                        obj,
                        SourceRef(response.record_id, f"/data/{j}"),
                        users={**users, **old_users},
                        media={**media, **old_media},
                        initial_id=history[0],
                        edited=True,
                    )
                )
        versions.append(
            normalize_tweet(
                tweet, source, users=users, media=media, initial_id=history[0], edited=True
            )
        )
        return versions

    def _conversation(self, conversation: str) -> list[NormalizedItem]:
        items: list[NormalizedItem] = []
        params = {"query": f"conversation_id:{conversation}", "max_results": "100"}
        while True:
            body, response = self._get("tweets/search/recent", params)
            users, media = _includes(body)
            items += [
                normalize_tweet(
                    t, SourceRef(response.record_id, f"/data/{i}"), users=users, media=media
                )
                for i, t in enumerate(body.get("data") or [])
            ]
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return items
            params["next_token"] = str(token)


def _includes(
    body: Any,
) -> tuple[dict[str, Mapping[str, Any]], dict[str, Mapping[str, Any]]]:
    includes = body.get("includes") or {}
    users = {str(u["id"]): u for u in includes.get("users") or []}
    media = {str(m["media_key"]): m for m in includes.get("media") or []}
    return users, media
