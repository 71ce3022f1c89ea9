"""YouTube Data API v3: the channel's uploads playlist, each video, its comment threads, and all
replies — ``commentThreads`` carries only some replies, so a thread whose ``replies`` are fewer
than ``totalReplyCount`` is completed with ``comments.list?parentId=``.

The cursor is JSON: the uploads playlist id (found once with ``channels.list``) and the
``pageToken`` of the next playlist page. Resources are normalized by the functions that read
saved API responses (``archiver.sources.youtube``)."""

from __future__ import annotations

import json
from typing import Any

from archiver.capture.base import Page, Target, fetch_profile, require_account_id
from archiver.capture.http import HttpClient, Response
from archiver.errors import CaptureError
from archiver.sources.base import NormalizedItem, SourceRef
from archiver.sources.common import iso_time
from archiver.sources.youtube import normalize_comment, normalize_comment_thread, normalize_video

YOUTUBE_BASE = "https://www.googleapis.com/youtube/v3"


class YouTubeConnector:
    platform = "youtube"
    complete_when_finished = True

    def __init__(self, target: Target, client: HttpClient, token: str) -> None:
        self.target, self.client, self.key = target, client, token
        self.base = (target.spec.api_base or YOUTUBE_BASE).rstrip("/")

    def endpoints(self) -> list[str]:
        return ["profile", "uploads"]

    def _get(self, resource: str, params: dict[str, str]) -> tuple[Any, Response]:
        return self.client.get_json(f"{self.base}/{resource}", {**params, "key": self.key})

    def fetch(self, endpoint: str, cursor: str) -> Page:
        if endpoint == "profile":
            channel = require_account_id(self.target, "the channel id")
            params = {"part": "snippet,statistics", "id": channel, "key": self.key}
            return fetch_profile(self.client, f"{self.base}/channels", params, self._read_channel)
        state = json.loads(cursor) if cursor else {}
        playlist = state.get("playlist") or self._uploads_playlist()
        params = {
            "part": "contentDetails",
            "playlistId": playlist,
            "maxResults": str(self.target.spec.page_size or 50),
        }
        if state.get("page"):
            params["pageToken"] = state["page"]
        body, _ = self._get("playlistItems", params)
        ids = [str(e["contentDetails"]["videoId"]) for e in body.get("items") or []]
        page = Page([], None)
        if ids:
            videos, response = self._get(
                "videos", {"part": "snippet,contentDetails,statistics,status", "id": ",".join(ids)}
            )
            for i, video in enumerate(videos.get("items") or []):
                source = SourceRef(response.record_id, f"/items/{i}")
                page.items.append(normalize_video(video, source=source))
                page.items += self._threads(str(video["id"]), page)
        token = body.get("nextPageToken")
        page.next_cursor = json.dumps({"playlist": playlist, "page": token}) if token else None
        return page

    def _read_channel(self, body: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
        if not body.get("items"):
            raise self._no_channel()
        return read_channel_profile(body["items"][0], record_id)

    def _no_channel(self) -> CaptureError:
        return CaptureError(
            f"{self.target.ref}: YouTube knows no channel {self.target.platform_account_id}",
            hint="Check platform_account_id (the UC… channel id) in the config.",
        )

    def _uploads_playlist(self) -> str:
        channel = require_account_id(self.target, "the channel id")
        body, _ = self._get("channels", {"part": "contentDetails", "id": channel})
        try:
            return str(body["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"])
        except (KeyError, IndexError, TypeError):
            raise self._no_channel() from None

    def _threads(self, video_id: str, page: Page) -> list[NormalizedItem]:
        items: list[NormalizedItem] = []
        params = {"part": "snippet,replies", "videoId": video_id, "maxResults": "100"}
        while True:
            response = self.client.get(f"{self.base}/commentThreads", {**params, "key": self.key})
            if response.status == 403 and b"commentsDisabled" in response.body:
                return items
            if response.status >= 400:
                page.complete = False
                page.notes.append(f"comments of {video_id}: HTTP {response.status}")
                return items
            body = response.json()
            for i, thread in enumerate(body.get("items") or []):
                source = SourceRef(response.record_id, f"/items/{i}")
                top, *replies = normalize_comment_thread(thread, source=source)
                items.append(top)
                total = int(thread.get("snippet", {}).get("totalReplyCount") or 0)
                if len(replies) < total:
                    replies = self._replies(str(thread["id"]), video_id)
                items += replies
            if not body.get("nextPageToken"):
                return items
            params["pageToken"] = str(body["nextPageToken"])

    def _replies(self, thread_id: str, video_id: str) -> list[NormalizedItem]:
        items: list[NormalizedItem] = []
        params = {"part": "snippet", "parentId": thread_id, "maxResults": "100"}
        while True:
            body, response = self._get("comments", params)
            for i, comment in enumerate(body.get("items") or []):
                # comments.list leaves out the video a reply belongs to: the thread says it
                snippet = {"videoId": video_id, "parentId": thread_id, **comment["snippet"]}
                source = SourceRef(response.record_id, f"/items/{i}")
                items.append(normalize_comment({**comment, "snippet": snippet}, source=source))
            if not body.get("nextPageToken"):
                return items
            params["pageToken"] = str(body["nextPageToken"])


def read_channel_profile(channel: Any, record_id: str) -> tuple[NormalizedItem, int | None, str]:
    """A ``channels`` resource (``snippet,statistics``). A channel that hides its subscriber
    count (``hiddenSubscriberCount``) gets no count: the API leaves it out, and the archive does
    not guess one."""
    snippet, stats = channel.get("snippet") or {}, channel.get("statistics") or {}
    hidden = bool(stats.get("hiddenSubscriberCount"))
    metrics = {
        k: int(stats[k])
        for k in ("subscriberCount", "viewCount", "videoCount")
        if stats.get(k) is not None and not (hidden and k == "subscriberCount")
    }
    custom = str(snippet.get("customUrl", ""))
    channel_id = str(channel["id"])
    item = NormalizedItem(
        platform="youtube",
        platform_id=channel_id,
        kind="profile",
        source=SourceRef(record_id, "/items/0"),
        text=str(snippet.get("description", "")),
        created_at=iso_time(snippet.get("publishedAt")),
        author_name=str(snippet.get("title", "")),
        author_handle=custom.lstrip("@"),
        author_platform_id=channel_id,
        permalink=f"https://www.youtube.com/channel/{channel_id}",
        account_platform_id=channel_id,
        data={
            "custom_url": custom,
            "country": str(snippet.get("country", "")),
            "hidden_subscriber_count": hidden,
            "metrics": metrics,
        },
    )
    return item, metrics.get("subscriberCount"), "/items/0/statistics/subscriberCount"
