"""Facebook "Download Your Information" (JSON), every layout seen so far:

- ``posts/your_posts_N.json`` (to about 2022; sometimes wrapped as ``{"status_updates": [...]}``),
  comments in ``comments/comments.json``;
- ``your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_N.json`` (2023);
- ``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_N.json`` (2024);
- ``this_profile's_activity_across_facebook/posts/profile_posts_N.json`` (2025+ Pages).

Quirks handled here and nowhere else: Meta's mojibake (``archiver.sources.meta``); a post with
several photos written as several post objects with the same time and text (collapsed into one
item with all the photos); ``@[id:274:Name]`` mention markup (rendered as the name, the mention
kept under ``data["mentions"]``); places repeated with only their URL differing; the edits file
(earlier texts of a post become its earlier versions); followers wrapped in ``followers_v3``,
``followers_v2`` or a bare list.

Synthesized ids (DYI objects carry none): a post is ``dyi-post:<unix time>``, a comment by the
account ``dyi-comment:<unix time>``, a comment embedded in a photo
``dyi-photo-comment:<post time>:<comment time>:<hash of author and text>``. When two different
objects share a second, each id gets ``:<hash of its text>`` appended. Time is used rather than
text so that an edited post keeps its id across exports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    Follower,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.common import (
    as_dict,
    as_list,
    as_str,
    find,
    load_json,
    media_kind,
    pointer,
    short_hash,
    unix_time,
)
from archiver.sources.meta import repair

POSTS = (
    r"posts/(?:your_posts|your_posts__check_ins__photos_and_videos|profile_posts)(?:_\d+)?\.json"
)
COMMENTS = r"comments(?:_and_reactions)?/comments(?:_\d+)?\.json"
EDITS = r"posts/edits_you_made_to_posts\.json"
FOLLOWERS = (
    r"(?:connections/followers|friends_and_followers|followers_and_following|friends)/"
    r"(?:people_who_followed_you|followers)(?:_\d+)?\.json"
)
PRODASH = r"professional_dashboard/your_professional_dashboard_activity\.json"
ERAS = (
    ("this_profile's_activity_across_facebook/", "facebook-dyi-2025-pages"),
    ("your_facebook_activity/", "facebook-dyi-2024"),
    ("your_activity_across_facebook/", "facebook-dyi-2023"),
    ("", "facebook-dyi-2019"),
)
MENTION = re.compile(r"@\[(\d+):(\d+):([^\]]+)\]")
ACTOR_TITLE = re.compile(
    r"^(.+?) (?:added|shared|updated|was at|is at|created|posted|commented|replied|wrote|"
    r"changed|uploaded)\b"
)


def render_mentions(text: str) -> tuple[str, list[dict[str, str]]]:
    """``@[123:274:Name]`` → ``Name``, and the mentions found."""
    mentions: list[dict[str, str]] = []

    def sub(match: re.Match[str]) -> str:
        mentions.append({"id": match.group(1), "type": match.group(2), "name": match.group(3)})
        return match.group(3)

    return MENTION.sub(sub, text), mentions


@dataclass
class _Post:
    """One post, gathered from the one or more post objects Meta wrote for it."""

    timestamp: int
    text: str
    source: SourceRef
    first: dict[str, Any]
    media: list[MediaRef] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    photo_comments: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    objects: int = 0


class FacebookDyiReader:
    platform = "facebook"
    layout = "facebook-dyi"
    supported = (
        "Facebook Download Your Information (JSON): posts/your_posts_N.json, "
        "your_activity_across_facebook/, your_facebook_activity/, "
        "this_profile's_activity_across_facebook/ (2025+ Pages)"
    )

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        for name in find(files.names(), POSTS):
            head = _head(files, name)
            if not head.lstrip().startswith((b"[", b"{")):
                return True  # damaged or re-encoded: the reader reports the file and position
            return b'"timestamp"' in head or b"status_updates" in head or len(head.strip()) < 64
        return False

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        names = files.names()
        self.post_files = find(names, POSTS)
        self.layout = "facebook-dyi-2019"
        self.root = self._root_for(self.post_files[0]) if self.post_files else ""
        rooted = [n for n in names if n.startswith(self.root)]
        self.comment_files = find(rooted, COMMENTS)
        self.edit_files = find(rooted, EDITS)
        self.follower_files = find(rooted, FOLLOWERS)
        self.prodash_files = find(rooted, PRODASH)
        self._names = set(names)

    def _root_for(self, posts_file: str) -> str:
        for folder, layout in ERAS:
            if folder and (folder + "posts/") in posts_file:
                self.layout = layout
                return posts_file[: posts_file.rfind(folder + "posts/")]
        self.layout = "facebook-dyi-2019"
        return posts_file[: posts_file.rfind("posts/")]

    # -- account ----------------------------------------------------------------------------
    def account(self) -> AccountHint:
        name = ""
        for path in self.prodash_files:
            rows = as_list(as_dict(repair(load_json(self.files, path))).get("prodash_activity"))
            name = next((as_str(as_dict(r).get("page_name")) for r in rows if r), "")
        posts = list(self._posts()) if not name else []
        if not name:
            titles = Counter(
                m.group(1) for p in posts if (m := ACTOR_TITLE.match(as_str(p.first.get("title"))))
            )
            name = titles.most_common(1)[0][0] if titles else ""
        if not name:
            authors = Counter(
                as_str(as_dict(c).get("author")) for c, _where in self._comment_objects()
            )
            name = authors.most_common(1)[0][0] if authors else ""
        account_id = ""
        for post in posts or self._posts():
            for mention in render_mentions(post.text)[1]:
                if name and mention["name"] == name:
                    account_id = mention["id"]
                    break
            if account_id:
                break
        return AccountHint(platform="facebook", platform_account_id=account_id, name=name)

    # -- items ------------------------------------------------------------------------------
    def items(self) -> Iterator[NormalizedItem]:
        edits = self._edits()
        posts = list(self._posts())
        per_second = Counter(p.timestamp for p in posts)
        for post in posts:
            post_id = f"dyi-post:{post.timestamp}"
            if per_second[post.timestamp] > 1:
                post_id += f":{short_hash(post.text)}"
            yield from self._post_versions(post, post_id, edits)
            for comment, position in post.photo_comments:
                yield self._photo_comment(post, post_id, comment, position)
        yield from self._own_comments()

    def _post_versions(
        self, post: _Post, post_id: str, edits: dict[str, list[tuple[int, str]]]
    ) -> Iterator[NormalizedItem]:
        rendered, mentions = render_mentions(post.text)
        data: dict[str, Any] = {}
        title = as_str(post.first.get("title"))
        if title:
            data["title"] = title
        if mentions:
            data["mentions"] = mentions
        if post.places:
            data["place"] = post.places[0]
            if all(_same_place(post.places[0], p) for p in post.places[1:]) and post.places[1:]:
                data["place"] = dict(post.places[0], urls=[p.get("url") for p in post.places])
            elif len(post.places) > 1:
                data["places"] = post.places
        if post.links:
            data["links"] = post.links
        if post.events:
            data["event"] = post.events[0] if len(post.events) == 1 else post.events
        if post.texts:
            data["attachment_text"] = post.texts
        if tags := [as_str(t) for t in as_list(post.first.get("tags"))]:
            data["tags"] = tags
        extra = {}
        for entry in as_list(post.first.get("data")):
            entry = as_dict(entry)
            if "backdated_timestamp" in entry and (bd := unix_time(entry["backdated_timestamp"])):
                extra["backdated_at"] = bd.isoformat()
        data.update(extra)
        if post.objects > 1:
            data["collapsed_objects"] = post.objects
        updated = _update_time(post.first)
        current = NormalizedItem(
            platform="facebook",
            platform_id=post_id,
            kind="post",
            source=post.source,
            text=rendered,
            created_at=unix_time(post.timestamp),
            author_name=_actor(title),
            id_synthesized=True,
            data=data,
            media=tuple(post.media),
            edited_at=updated,
        )
        history = _matching_edits(edits, post.text)
        for moment, text in history[:-1]:
            earlier, _ = render_mentions(text)
            yield replace(current, text=earlier, edited_at=unix_time(moment))
        if history:
            current = replace(current, edited_at=unix_time(history[-1][0]) or updated)
        yield current

    def _photo_comment(
        self, post: _Post, post_id: str, comment: dict[str, Any], position: str
    ) -> NormalizedItem:
        author, text = as_str(comment.get("author")), as_str(comment.get("comment"))
        moment = comment.get("timestamp")
        rendered, mentions = render_mentions(text)
        return NormalizedItem(
            platform="facebook",
            platform_id=f"dyi-photo-comment:{post.timestamp}:{moment}:{short_hash(author, text)}",
            kind="comment",
            source=SourceRef(post.source.file, position),
            text=rendered,
            created_at=unix_time(moment),
            author_name=author,
            parent_platform_id=post_id,
            root_platform_id=post_id,
            id_synthesized=True,
            data={"mentions": mentions} if mentions else {},
        )

    def _own_comments(self) -> Iterator[NormalizedItem]:
        rows = list(self._comment_objects())
        per_second = Counter(as_str(c.get("timestamp")) for c, _ in rows)
        for comment, (path, position, entry) in rows:
            moment = as_str(comment.get("timestamp") or entry.get("timestamp"))
            text = as_str(comment.get("comment"))
            item_id = f"dyi-comment:{moment}"
            if per_second[as_str(comment.get("timestamp"))] > 1:
                item_id += f":{short_hash(text)}"
            title = as_str(entry.get("title"))
            rendered, mentions = render_mentions(text)
            data: dict[str, Any] = {"title": title} if title else {}
            if mentions:
                data["mentions"] = mentions
            links = [
                _link(as_dict(d.get("external_context")))
                for a in as_list(entry.get("attachments"))
                for d in map(as_dict, as_list(as_dict(a).get("data")))
                if "external_context" in d
            ]
            if links:
                data["links"] = links
            media = tuple(
                self._media_ref(as_dict(d.get("media")), rendered)
                for a in as_list(entry.get("attachments"))
                for d in map(as_dict, as_list(as_dict(a).get("data")))
                if "media" in d
            )
            yield NormalizedItem(
                platform="facebook",
                platform_id=item_id,
                kind="reply" if " replied to " in title else "comment",
                source=SourceRef(path, position),
                text=rendered,
                created_at=unix_time(moment),
                author_name=as_str(comment.get("author")),
                id_synthesized=True,
                data=data,
                media=media,
            )

    def _comment_objects(
        self,
    ) -> Iterator[tuple[dict[str, Any], tuple[str, str, dict[str, Any]]]]:
        for path in self.comment_files:
            raw = repair(load_json(self.files, path))
            key, rows = _unwrap(raw, ("comments_v2", "comments"))
            for index, entry in enumerate(rows):
                entry = as_dict(entry)
                for sub, data in enumerate(as_list(entry.get("data"))):
                    comment = as_dict(as_dict(data).get("comment"))
                    if comment:
                        where = pointer(*([key] if key else []), index, "data", sub, "comment")
                        yield comment, (path, where, entry)

    # -- posts ------------------------------------------------------------------------------
    def _posts(self) -> Iterator[_Post]:
        for path in self.post_files:
            raw = repair(load_json(self.files, path))
            key, rows = _unwrap(raw, ("status_updates", "posts", "posts_v2"))
            merged: dict[tuple[int, str], _Post] = {}
            for index, obj in enumerate(rows):
                obj = as_dict(obj)
                timestamp = obj.get("timestamp")
                if not isinstance(timestamp, int):
                    continue
                text = _post_text(obj)
                where = pointer(*([key] if key else []), index)
                post = merged.get((timestamp, text))
                if post is None:
                    post = _Post(timestamp, text, SourceRef(path, where), obj)
                    merged[(timestamp, text)] = post
                self._absorb(post, obj, where)
            yield from merged.values()

    def _absorb(self, post: _Post, obj: dict[str, Any], where: str) -> None:
        post.objects += 1
        for a_index, attachment in enumerate(as_list(obj.get("attachments"))):
            for d_index, data in enumerate(as_list(as_dict(attachment).get("data"))):
                data = as_dict(data)
                if media := as_dict(data.get("media")):
                    ref = self._media_ref(media, post.text)
                    if ref.uri and ref.uri not in {m.uri for m in post.media}:
                        post.media.append(ref)
                    base = f"{where}/attachments/{a_index}/data/{d_index}/media/comments"
                    for c_index, comment in enumerate(as_list(media.get("comments"))):
                        post.photo_comments.append((as_dict(comment), f"{base}/{c_index}"))
                if (place := as_dict(data.get("place"))) and place not in post.places:
                    post.places.append(place)  # repeats differing only in url are merged below
                if context := as_dict(data.get("external_context")):
                    link = _link(context)
                    if link not in post.links:
                        post.links.append(link)
                if (event := as_dict(data.get("event"))) and event not in post.events:
                    post.events.append(event)
                for key in ("name", "text"):
                    if isinstance(data.get(key), str) and data[key] not in post.texts:
                        post.texts.append(data[key])

    def _media_ref(self, media: dict[str, Any], text: str) -> MediaRef:
        uri = as_str(media.get("uri"))
        if uri and not uri.startswith(("http://", "https://")):
            uri = self._resolve(uri)
        description = as_str(media.get("description"))
        if description == text:
            description = ""  # Meta repeats the post text as every photo's description
        return MediaRef(uri=uri, kind=media_kind(uri), description=description)

    def _resolve(self, uri: str) -> str:
        """A media path relative to the export's root, as a name in this export."""
        if self.root + uri in self._names:
            return self.root + uri
        matches = [n for n in self._names if n.endswith("/" + uri)]
        return matches[0] if len(matches) == 1 else self.root + uri

    def _edits(self) -> dict[str, list[tuple[int, str]]]:
        groups: dict[str, list[tuple[int, str]]] = {}
        for path in self.edit_files:
            _key, rows = _unwrap(repair(load_json(self.files, path)), ("edits", "edits_v2"))
            for entry in map(as_dict, rows):
                text = next(
                    (
                        as_str(lv.get("value"))
                        for lv in map(as_dict, as_list(entry.get("label_values")))
                        if lv.get("label") in ("Text", "text", "Post")
                    ),
                    None,
                )
                moment = entry.get("timestamp")
                if text is None or not isinstance(moment, int):
                    continue
                fbid = as_str(entry.get("fbid")) or f"t{moment}"
                groups.setdefault(fbid, []).append((moment, text))
        return {k: sorted(v) for k, v in groups.items()}

    # -- followers --------------------------------------------------------------------------
    def followers(self) -> Iterator[FollowerList]:
        if not self.follower_files:
            return
        people: list[Follower] = []
        for path in self.follower_files:
            _key, rows = _unwrap(
                repair(load_json(self.files, path)), ("followers_v3", "followers_v2", "followers")
            )
            for row in map(as_dict, rows):
                moment = unix_time(row.get("timestamp"))
                people.append(Follower(name=as_str(row.get("name")), followed_at=moment))
        yield FollowerList(SourceRef(self.follower_files[0]), None, tuple(people))


def _head(files: ExportFiles, name: str) -> bytes:
    with files.open(name) as handle:
        return handle.read(4096)


def _unwrap(raw: Any, keys: tuple[str, ...]) -> tuple[str, list[Any]]:
    if isinstance(raw, list):
        return "", raw
    if isinstance(raw, dict):
        for key in keys:
            if isinstance(raw.get(key), list):
                return key, raw[key]
        for key, value in raw.items():
            if isinstance(value, list):
                return key, value
    return "", []


def _post_text(obj: dict[str, Any]) -> str:
    return "".join(
        as_str(as_dict(d).get("post")) for d in as_list(obj.get("data")) if "post" in as_dict(d)
    )


def _update_time(obj: dict[str, Any]) -> datetime | None:
    for entry in map(as_dict, as_list(obj.get("data"))):
        if "update_timestamp" in entry:
            return unix_time(entry["update_timestamp"])
    return None


def _matching_edits(edits: dict[str, list[tuple[int, str]]], text: str) -> list[tuple[int, str]]:
    """The edit history of the post whose text is ``text``, up to the edit that produced it (the
    edits file has no link to the post but its texts)."""
    for history in edits.values():
        for index in range(len(history) - 1, -1, -1):
            if history[index][1] == text:
                return history[: index + 1]
    return []


def _actor(title: str) -> str:
    match = ACTOR_TITLE.match(title)
    return match.group(1) if match else ""


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k != "url"} == {k: v for k, v in b.items() if k != "url"}


def _link(context: dict[str, Any]) -> dict[str, Any]:
    return {k: context[k] for k in ("name", "source", "url") if k in context}
