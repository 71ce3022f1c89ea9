"""Web pages and feeds: council blogs and City pages.

Each configured URL is fetched and stored as a real ``request``/``response`` pair (so pywb and
other replay tools can replay it) and becomes a ``web_page`` item; each RSS 2.0 or Atom feed
entry becomes a ``blog_entry`` item, and its own page is captured too. The images a page or an
entry references are the items' media (fetched by the runner). Feeds list recent entries only,
so a web capture is never complete: an entry gone from the feed is not missing from the site.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

from archiver.capture.base import Page, Target
from archiver.capture.http import HttpClient, Response
from archiver.errors import CaptureError
from archiver.sources.base import MediaRef, NormalizedItem, SourceRef
from archiver.sources.common import iso_time

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


class _Text(HTMLParser):
    """Title, visible text and image addresses of an HTML document or fragment."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base, self.title, self.parts, self.images = base, "", [], []  # type: ignore[var-annotated]
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self._in_title = tag == "title"
        src = dict(attrs).get("src")
        if tag == "img" and src:
            self.images.append(urljoin(self.base, src))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def read_html(text: str, base: str) -> tuple[str, str, list[str]]:
    parser = _Text(base)
    parser.feed(text)
    parser.close()
    return parser.title, "\n".join(parser.parts), list(dict.fromkeys(parser.images))


def _decode(response: Response) -> str:
    charset = "utf-8"
    for part in response.header("Content-Type").split(";"):
        if part.strip().lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip()
    try:
        return response.body.decode(charset, "replace")
    except LookupError:
        return response.body.decode("utf-8", "replace")


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return iso_time(text)


class WebConnector:
    platform = "web"
    complete_when_finished = False

    def __init__(self, target: Target, client: HttpClient, token: str) -> None:
        self.target, self.client = target, client

    def endpoints(self) -> list[str]:
        spec = self.target.spec
        return [f"page {u}" for u in spec.urls] + [f"feed {f}" for f in spec.feeds]

    def fetch(self, endpoint: str, cursor: str) -> Page:
        kind, _, url = endpoint.partition(" ")
        if kind == "feed":
            page = Page([], None)
            page.items = self._feed(url, page)
            return page
        page = Page([], None)
        item = self._page(url)
        if item is None:
            page.complete = False
            page.notes.append(f"{url}: not captured")
        else:
            page.items.append(item)
        return page

    def _get(self, url: str) -> Response:
        response = self.client.get(url)
        if response.status >= 400:
            raise CaptureError(
                f"{self.target.ref}: {response.url} answered HTTP {response.status}",
                hint="Check the address in [accounts.capture] urls/feeds; the next run retries.",
            )
        return response

    def _page(self, url: str, *, item: bool = True) -> NormalizedItem | None:
        response = self._get(url)
        title, text, images = read_html(_decode(response), response.url)
        if not item:
            return None
        return NormalizedItem(
            platform=self.target.platform,
            platform_id=response.url,
            kind="web_page",
            source=SourceRef(response.record_id, ""),
            text=text,
            permalink=response.url,
            data={"title": title, "content_type": response.header("Content-Type")},
            media=tuple(MediaRef(i, "photo") for i in images),
        )

    def _feed(self, url: str, page: Page) -> list[NormalizedItem]:
        response = self._get(url)
        try:
            root = ET.fromstring(response.body)
        except ET.ParseError as exc:
            raise CaptureError(
                f"{self.target.ref}: {response.url} is not an RSS or Atom feed ({exc})"
            ) from None
        entries = root.findall("./channel/item") or root.findall(f"{ATOM}entry")
        items = []
        for i, entry in enumerate(entries):
            item = self._entry(entry, response, i)
            items.append(item)
            if item.permalink.startswith(("http://", "https://")):
                try:
                    self._page(item.permalink, item=False)  # the entry's page, for replay
                except CaptureError as exc:  # the entry is kept; its page is missing
                    page.complete = False
                    page.notes.append(exc.message)
        return items

    def _entry(self, entry: ET.Element, response: Response, index: int) -> NormalizedItem:
        atom = entry.tag.startswith(ATOM)
        if atom:
            link_el = entry.find(f"{ATOM}link[@rel='alternate']") or entry.find(f"{ATOM}link")
            link = link_el.get("href", "") if link_el is not None else ""
            uid = entry.findtext(f"{ATOM}id") or link
            body = entry.findtext(f"{ATOM}content") or entry.findtext(f"{ATOM}summary") or ""
            title = entry.findtext(f"{ATOM}title") or ""
            when = iso_time(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated"))
            author = entry.findtext(f"{ATOM}author/{ATOM}name") or ""
            enclosures = [e.get("href", "") for e in entry.findall(f"{ATOM}link[@rel='enclosure']")]
        else:
            link = entry.findtext("link") or ""
            uid = entry.findtext("guid") or link
            body = entry.findtext(CONTENT) or entry.findtext("description") or ""
            title = entry.findtext("title") or ""
            when = _time(entry.findtext("pubDate"))
            author = (
                entry.findtext("author")
                or entry.findtext("{http://purl.org/dc/elements/1.1/}creator")
                or ""
            )
            enclosures = [e.get("url", "") for e in entry.findall("enclosure")]
        link = urljoin(response.url, link.strip())
        _title, text, images = read_html(body, link or response.url)
        media = [MediaRef(urljoin(link, u), "photo") for u in images]
        media += [MediaRef(urljoin(link, u), "document") for u in enclosures if u]
        return NormalizedItem(
            platform=self.target.platform,
            platform_id=uid.strip(),
            kind="blog_entry",
            source=SourceRef(response.record_id, f"entry {index + 1}"),
            text=text,
            created_at=when,
            author_name=author.strip(),
            permalink=link,
            data={"title": title.strip(), "feed": response.url},
            media=tuple(dict.fromkeys(media)),
        )
