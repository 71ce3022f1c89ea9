"""What a capture connector is: a platform's API walked one page at a time.

A connector lists its ``endpoints`` (``feed``, ``uploads``, one per configured web page…) and
fetches one page of one endpoint at a time, from an opaque cursor (``""`` for the first page).
A page carries its items (children included: a feed page comes with every comment of its
posts) and the cursor of the next page, ``None`` when the endpoint is finished. The runner
commits each page — its WARC records, then its items, then the cursor — before asking for the
next, so an interrupted capture resumes at the first page not committed.

``complete_when_finished`` says whether a finished capture saw everything the account has (so
what it did not see is missing from the source). X's search reaches back seven days and web
feeds list recent entries only: those connectors say no.

Platform connectors list ``profile`` first: one request for the account's profile object per
capture (``fetch_profile``), which gives a ``profile`` item and the follower count the platform
states (a ``FollowerList`` with ``count`` and no list). A profile that cannot be read makes the
capture incomplete, not failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from archiver.capture.http import HttpClient
from archiver.config import CaptureSpec
from archiver.errors import CaptureError
from archiver.sources.base import FollowerList, NormalizedItem, SourceRef


@dataclass(frozen=True)
class Target:
    """The account being captured, as the connector needs it."""

    ref: str  # platform:handle, for messages
    platform: str
    handle: str
    platform_account_id: str
    spec: CaptureSpec


@dataclass
class Page:
    items: list[NormalizedItem]
    next_cursor: str | None
    complete: bool = True  # False when part of the page could not be fetched
    notes: list[str] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)  # URL -> WARC-Record-ID of its bytes
    followers: list[FollowerList] = field(default_factory=list)  # counts the page states


# A platform's profile object (the parsed body) read at a response: the ``profile`` item, and
# the follower count with the JSON pointer it was read at (None: the platform hides it).
ProfileReader = Callable[[Any, str], tuple[NormalizedItem, int | None, str]]


class Connector(Protocol):
    platform: str
    complete_when_finished: bool

    def __init__(self, target: Target, client: HttpClient, token: str) -> None: ...

    def endpoints(self) -> list[str]: ...

    def fetch(self, endpoint: str, cursor: str) -> Page: ...


def require_account_id(target: Target, what: str) -> str:
    if not target.platform_account_id:
        raise CaptureError(
            f"{target.ref}: the account has no platform id ({what})",
            hint="Set platform_account_id for it in the config's [[accounts]] and run "
            "`archiver accounts sync`, or register it with --platform-id.",
        )
    return target.platform_account_id


def fetch_media(client: HttpClient, items: Iterable[NormalizedItem], page: Page) -> None:
    """Store the media files the page's items reference (CDN links expire). A file that cannot
    be fetched makes the page incomplete, not failed."""
    seen: set[str] = set()
    for item in items:
        for media in item.media:
            url = media.download_url or media.uri
            if not url.startswith(("http://", "https://")) or url in seen:
                continue
            seen.add(url)
            try:
                response = client.get(url)
            except CaptureError as exc:
                page.complete = False
                page.notes.append(exc.message)
                continue
            if response.status >= 400:
                page.complete = False
                page.notes.append(f"media {response.url}: HTTP {response.status}")
            else:
                page.media[url] = response.record_id


def fetch_profile(
    client: HttpClient,
    url: str,
    params: Mapping[str, str],
    read: ProfileReader,
    headers: Mapping[str, str] | None = None,
) -> Page:
    """The account's profile object as a page: its ``profile`` item and its follower count."""
    page = Page([], None)
    response = client.get(url, params, headers)
    if response.status >= 400:
        page.complete = False
        page.notes.append(f"profile {response.url}: HTTP {response.status}")
        return page
    item, count, pointer = read(response.json(), response.record_id)
    page.items.append(item)
    if count is None:
        page.notes.append("the platform does not show this account's follower count")
    else:
        page.followers.append(FollowerList(SourceRef(response.record_id, pointer), None, (), count))
    return page
