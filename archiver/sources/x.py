"""X (Twitter): the account archive ("Download an archive of your data").

``data/manifest.js`` (``window.__THAR_CONFIG = {...}``) names the files of each data type; every
data file is one assignment ``window.YTD.<type>.partN = [...]`` with every number as a string.
Archives from before the manifest listed tweets in ``data/tweet.js``; those are found by name.

Quirks handled here and nowhere else:

- ``full_text`` is HTML-escaped (``&amp;``, ``&lt;``, ``&gt;``); it is unescaped.
- An edited post appears once per version, linked by ``edit_info``; the versions become ONE item
  (the initial tweet's id), yielded oldest first, each with ``edited_at`` (the time that version
  was posted) and its own tweet id in ``data["version_tweet_id"]``.
- Long posts: ``note-tweet.js`` holds the full text with no tweet id; a note is matched to its
  truncated tweet by creation time (within 5 seconds), and the full text wins.
- ``deleted-tweets.js``: kept as items with state ``deleted_by_author``.
- Media: ``tweets_media/<tweet id>-<name>`` files become ``MediaRef``s to the export path.
- Threads: the archive has no ``conversation_id``; the root is the top of the reply chain as far
  as the archive shows it (a reply to someone else's tweet has that tweet as parent and root).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from archiver.errors import InvalidInput
from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    Follower,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.x_js import iter_assignment, read_assignment

MANIFEST = "data/manifest.js"
MANIFEST_PREFIX = b"window.__THAR_CONFIG"
YTD_PREFIX = b"window.YTD."
TWEET_TYPES = ("tweets", "tweet")
LEGACY_TWEET_FILE = re.compile(r"(^|/)data/(tweets?|tweets-part\d+)\.js$")
NOTE_MATCH_SECONDS = 5
MEDIA_KINDS = {"jpg": "photo", "jpeg": "photo", "png": "photo", "gif": "photo", "webp": "photo"}
MIME = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
        "webp": "image/webp", "mp4": "video/mp4"}  # fmt: skip
MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
HASHTAG = re.compile(r"(?<![\w&])#(\w+)")


def _time(value: object) -> datetime | None:
    """Tweets' ``Sat Aug 12 16:10:37 +0000 2023`` (parsed by hand: strptime is the slowest
    step of reading a large archive) or the ISO 8601 of every other file."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if not value[:3].isalpha():
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        _, month, day, clock, zone, year = value.split()
        hour, minute, second = clock.split(":")
        offset = int(zone[1:3]) * 60 + int(zone[3:5])
        tz = (
            UTC
            if not offset
            else timezone(timedelta(minutes=-offset if zone[0] == "-" else offset))
        )
        return datetime(
            int(year), MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=tz
        )
    except (ValueError, KeyError):
        return None


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _source_app(value: object) -> str:
    return re.sub(r"<[^>]+>", "", str(value or "")).strip()


@dataclass
class _Tweet:
    """A tweet as read, before versions are grouped and notes matched."""

    obj: dict[str, Any]
    source: SourceRef
    deleted: bool
    id: str = field(init=False)

    def __post_init__(self) -> None:
        self.id = str(self.obj.get("id_str") or self.obj.get("id") or "")

    @cached_property
    def created_at(self) -> datetime | None:
        return _time(self.obj.get("created_at"))

    def edit_group(self) -> tuple[str, list[str]]:
        """(initial tweet id, all version ids oldest first) from ``edit_info``."""
        info = self.obj.get("edit_info") or {}
        if "edit" in info:
            edit = info["edit"]
            ids = (edit.get("editControlInitial") or {}).get("editTweetIds") or [self.id]
            return str(edit.get("initialTweetId") or ids[0]), [str(i) for i in ids]
        ids = (info.get("initial") or {}).get("editTweetIds") or [self.id]
        return self.id, [str(i) for i in ids]


class XArchiveReader:
    """An X/Twitter account archive (zip or folder)."""

    platform = "x"
    layout = "x-archive"

    @classmethod
    def _root(cls, files: ExportFiles) -> tuple[str, bool] | None:
        """The prefix before ``data/`` and whether a manifest is there; None if not an archive."""
        names = files.names()
        for name in names:
            if name == MANIFEST or name.endswith("/" + MANIFEST):
                with files.open(name) as stream:
                    if stream.read(len(MANIFEST_PREFIX)) == MANIFEST_PREFIX:
                        return name[: -len(MANIFEST)], True
        for name in names:
            if LEGACY_TWEET_FILE.search(name):
                with files.open(name) as stream:
                    if stream.read(len(YTD_PREFIX)) == YTD_PREFIX:
                        return name[: name.rindex("data/")], False
        return None

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        return cls._root(files) is not None

    def __init__(self, files: ExportFiles) -> None:
        root = self._root(files)
        if root is None:
            raise InvalidInput(
                "no X archive found (data/manifest.js or data/tweets.js)",
                hint="Give the zip X sent, or the folder it unpacks to.",
            )
        self.files = files
        self.prefix, has_manifest = root
        self.names = set(files.names())
        self.manifest: dict[str, Any] = {}
        if has_manifest:
            with files.open(self.prefix + MANIFEST) as stream:
                value = read_assignment(stream, self.prefix + MANIFEST)
            if not isinstance(value, dict):
                raise InvalidInput(f"{self.prefix + MANIFEST}: line 1: expected an object")
            self.manifest = value
        self._account: AccountHint | None = None
        self._media_index: dict[tuple[str, str], list[str]] | None = None

    # -- files ------------------------------------------------------------------------------

    def _data_type(self, *types: str) -> tuple[list[str], str]:
        """The files of the first data type the manifest lists, and its media directory."""
        data_types = self.manifest.get("dataTypes") or {}
        for kind in types:
            entry = data_types.get(kind)
            if entry:
                names = [self.prefix + f["fileName"] for f in entry.get("files", [])]
                media = entry.get("mediaDirectory", "")
                return names, (self.prefix + media if media else "")
        return [], ""

    def _tweet_files(self) -> tuple[list[str], str]:
        if self.manifest:
            names, media = self._data_type(*TWEET_TYPES)
            return names, media or self.prefix + "data/tweets_media"
        names = sorted(n for n in self.names if LEGACY_TWEET_FILE.search(n))
        media = "tweets_media" if any("/tweets_media/" in n for n in self.names) else "tweet_media"
        return names, self.prefix + "data/" + media

    def _records(self, name: str, key: str) -> Iterator[tuple[dict[str, Any], SourceRef]]:
        if name not in self.names:
            raise InvalidInput(
                f"{name}: listed in {self.prefix + MANIFEST} but missing from the archive",
                hint="The archive is incomplete; download it again.",
            )
        with self.files.open(name) as stream:
            for index, entry in iter_assignment(stream, name):
                obj = entry.get(key, entry) if isinstance(entry, dict) else None
                if not isinstance(obj, dict):
                    raise InvalidInput(f"{name}: /{index}: expected an object with {key!r}")
                yield obj, SourceRef(name, f"/{index}/{key}" if key in entry else f"/{index}")

    # -- account and followers --------------------------------------------------------------

    def account(self) -> AccountHint:
        if self._account is None:
            info = self.manifest.get("userInfo") or {}
            if not info:
                for name in self._data_type("account")[0] or [self.prefix + "data/account.js"]:
                    if name in self.names:
                        for obj, _ in self._records(name, "account"):
                            info = {"accountId": obj.get("accountId"),
                                    "userName": obj.get("username"),
                                    "displayName": obj.get("accountDisplayName")}  # fmt: skip
            self._account = AccountHint(
                platform="x",
                platform_account_id=str(info.get("accountId") or ""),
                handle=str(info.get("userName") or ""),
                name=str(info.get("displayName") or ""),
            )
        return self._account

    def followers(self) -> Iterator[FollowerList]:
        names, _ = self._data_type("follower")
        if not self.manifest and self.prefix + "data/follower.js" in self.names:
            names = [self.prefix + "data/follower.js"]
        taken = _time((self.manifest.get("archiveInfo") or {}).get("generationDate"))
        for name in names:
            followers = tuple(
                Follower(platform_user_id=str(obj.get("accountId", "")))
                for obj, _ in self._records(name, "follower")
            )
            yield FollowerList(SourceRef(name), taken, followers)

    # -- items ------------------------------------------------------------------------------

    def _tweets(self) -> Iterator[_Tweet]:
        """Every tweet, live files first, then deleted ones, streamed."""
        names, _ = self._tweet_files()
        for name in names:
            yield from (_Tweet(o, s, False) for o, s in self._records(name, "tweet"))
        deleted, _ = self._data_type("deletedTweets", "deletedTweet")
        if not self.manifest and self.prefix + "data/deleted-tweets.js" in self.names:
            deleted = [self.prefix + "data/deleted-tweets.js"]
        for name in deleted:
            yield from (_Tweet(o, s, True) for o, s in self._records(name, "tweet"))

    def _notes(self) -> list[tuple[dict[str, Any], SourceRef]]:
        names, _ = self._data_type("noteTweet")
        if not self.manifest and self.prefix + "data/note-tweet.js" in self.names:
            names = [self.prefix + "data/note-tweet.js"]
        return [pair for name in names for pair in self._records(name, "noteTweet")]

    def _media(self, tweet: _Tweet, directory: str) -> tuple[MediaRef, ...]:
        if self._media_index is None:
            self._media_index = {}
            for name in sorted(self.names):
                folder, _, base = name.rpartition("/")
                tweet_id, dash, _ = base.partition("-")
                if dash and tweet_id.isdigit():
                    self._media_index.setdefault((folder, tweet_id), []).append(name)
        start = f"{directory}/{tweet.id}-"
        types = {
            str(m.get("media_url_https") or m.get("media_url") or "").rsplit("/", 1)[-1]: m
            for m in (tweet.obj.get("extended_entities") or {}).get("media", [])
        }
        refs = []
        for name in self._media_index.get((directory, tweet.id), []):
            base = name[len(start) :]
            ext = base.rsplit(".", 1)[-1].lower()
            kind = MEDIA_KINDS.get(ext, "video")
            declared = types.get(base, {}).get("type")
            if declared in ("video", "animated_gif"):
                kind = "video"
            refs.append(MediaRef(uri=name, kind=kind, mime_type=MIME.get(ext, "")))
        return tuple(refs)

    def items(self) -> Iterator[NormalizedItem]:
        """Items in the archive's order; the versions of an edited post together, oldest first,
        where the last of them is read. Two passes over the tweet files: the first keeps only
        what threading, edit chains and note matching need, so memory stays small."""
        account = self.account()
        notes = self._notes()
        index = _index(self._tweets(), notes)
        matched = _match_notes(notes, index.note_candidates)
        pending: dict[str, list[tuple[int, _Tweet]]] = {}
        seen: set[str] = set()
        for tweet in self._tweets():
            if tweet.id in seen or (tweet.id in index.deleted and not tweet.deleted):
                continue  # counted once; the deleted copy wins, deletion being the later fact
            seen.add(tweet.id)
            initial, ids = tweet.edit_group()
            if len(ids) < 2:
                yield self._item(tweet, initial, account, index, matched, chain=False)
                continue
            group = pending.setdefault(initial, [])
            group.append((ids.index(tweet.id) if tweet.id in ids else len(ids), tweet))
            if len(group) == len(index.versions[initial]):
                yield from self._chain(pending.pop(initial), initial, account, index, matched)
        for initial, group in pending.items():
            yield from self._chain(group, initial, account, index, matched)
        for note, source in matched.get("", []):
            yield _unmatched_note(note, source, account)

    def _chain(
        self,
        group: list[tuple[int, _Tweet]],
        initial: str,
        account: AccountHint,
        index: _Index,
        matched: dict[str, Any],
    ) -> Iterator[NormalizedItem]:
        for _, tweet in sorted(group, key=lambda v: (v[0], v[1].id)):
            yield self._item(tweet, initial, account, index, matched, chain=True)

    def _item(
        self,
        tweet: _Tweet,
        initial: str,
        account: AccountHint,
        index: _Index,
        matched: dict[str, Any],
        *,
        chain: bool,
    ) -> NormalizedItem:
        try:
            item = _normalize(tweet, initial, account, matched.get(tweet.id))
        except (AttributeError, TypeError, KeyError, ValueError) as exc:
            raise InvalidInput(
                f"{tweet.source.file}: {tweet.source.position}: unexpected tweet structure ({exc})"
            ) from exc
        parent = item.parent_platform_id
        if parent:
            parent = index.initial_of.get(parent, parent)
        if tweet.deleted:
            directory = self._data_type("deletedTweets")[1]
            directory = directory or self.prefix + "data/deleted_tweets_media"
        else:
            directory = self._tweet_files()[1]
        return replace(
            item,
            parent_platform_id=parent,
            root_platform_id=_root(parent, index.parents, index.initial_of),
            edited_at=tweet.created_at if chain else None,
            media=self._media(tweet, directory),
        )


@dataclass
class _Index:
    """What the first pass keeps: reply parents, edit chains, deleted ids, note candidates."""

    parents: dict[str, str] = field(default_factory=dict)
    initial_of: dict[str, str] = field(default_factory=dict)
    versions: dict[str, set[str]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    note_candidates: list[_Tweet] = field(default_factory=list)


def _index(tweets: Iterator[_Tweet], notes: list[tuple[dict[str, Any], SourceRef]]) -> _Index:
    index = _Index()
    note_seconds: set[int] = set()
    for note, _ in notes:
        created = _time(note.get("createdAt"))
        if created is not None:
            second = int(created.timestamp())
            window = range(second - NOTE_MATCH_SECONDS - 1, second + NOTE_MATCH_SECONDS + 2)
            note_seconds.update(window)
    for tweet in tweets:
        parent = str(tweet.obj.get("in_reply_to_status_id_str") or "")
        if parent:
            index.parents[tweet.id] = parent
        if tweet.deleted:
            index.deleted.add(tweet.id)
        try:
            initial, ids = tweet.edit_group()
        except (AttributeError, TypeError) as exc:
            raise InvalidInput(
                f"{tweet.source.file}: {tweet.source.position}: unexpected edit_info ({exc})"
            ) from exc
        if len(ids) > 1:
            index.versions.setdefault(initial, set()).add(tweet.id)
            index.initial_of.update((version, initial) for version in ids)
        if note_seconds and tweet.created_at and int(tweet.created_at.timestamp()) in note_seconds:
            index.note_candidates.append(tweet)
    return index


def _root(
    parent: str | None, parents: Mapping[str, str | None], initial_of: Mapping[str, str]
) -> str | None:
    """The top of the reply chain as far as the archive knows it."""
    root, seen = parent, set()
    while root and parents.get(root) and root not in seen:
        seen.add(root)
        upper = str(parents[root])
        root = initial_of.get(upper, upper)
    return root


def _match_notes(
    notes: list[tuple[dict[str, Any], SourceRef]], tweets: list[_Tweet]
) -> dict[str, Any]:
    """Tweet id -> its note; key "" holds notes matched to no tweet."""
    by_second: dict[int, list[_Tweet]] = {}
    for tweet in tweets:
        if tweet.created_at is not None:
            by_second.setdefault(int(tweet.created_at.timestamp()), []).append(tweet)
    matched: dict[str, Any] = {"": []}
    for note, source in notes:
        created = _time(note.get("createdAt"))
        best: _Tweet | None = None
        if created is not None:
            second = int(created.timestamp())
            window = range(second - NOTE_MATCH_SECONDS - 1, second + NOTE_MATCH_SECONDS + 2)
            for tweet in (t for s in window for t in by_second.get(s, [])):
                assert tweet.created_at is not None
                gap = abs((tweet.created_at - created).total_seconds())
                if gap > NOTE_MATCH_SECONDS or tweet.id in matched:
                    continue
                if best is None or (_truncated(tweet) and not _truncated(best)):
                    best = tweet
        if best is None:
            matched[""].append((note, source))
        else:
            matched[best.id] = (note, source)
    return matched


def _truncated(tweet: _Tweet) -> bool:
    urls = (tweet.obj.get("entities") or {}).get("urls", [])
    return any("/i/web/status/" in str(u.get("expanded_url", "")) for u in urls)


def _entities(obj: Mapping[str, Any]) -> dict[str, Any]:
    entities = obj.get("entities") or {}
    return {
        "hashtags": [h.get("text", "") for h in entities.get("hashtags", [])],
        "mentions": [
            {
                "handle": m.get("screen_name", ""),
                "id": str(m.get("id_str") or m.get("id") or ""),
                "name": m.get("name", ""),
            }
            for m in entities.get("user_mentions", [])
        ],
        "urls": [
            {
                "url": u.get("url", ""),
                "expanded_url": u.get("expanded_url", ""),
                "display_url": u.get("display_url", ""),
            }
            for u in entities.get("urls", [])
        ],
    }


def _normalize(
    tweet: _Tweet, initial: str, account: AccountHint, note: tuple[dict[str, Any], SourceRef] | None
) -> NormalizedItem:
    obj = tweet.obj
    text = html.unescape(str(obj.get("full_text") or obj.get("text") or ""))
    data: dict[str, Any] = _entities(obj)
    data["lang"] = obj.get("lang", "")
    data["source_app"] = _source_app(obj.get("source"))
    data["version_tweet_id"] = tweet.id
    data["metrics"] = {
        "likes": _int(obj.get("favorite_count", 0)),
        "retweets": _int(obj.get("retweet_count", 0)),
    }
    if text.startswith("RT @"):
        data["retweet"] = True
    if obj.get("in_reply_to_status_id_str"):
        data["in_reply_to"] = {
            "user_id": str(obj.get("in_reply_to_user_id_str") or ""),
            "handle": str(obj.get("in_reply_to_screen_name") or ""),
        }
    if "deleted_at" in obj:
        data["deleted_at"] = obj["deleted_at"]
    if note is not None:
        note_obj, note_source = note
        core = note_obj.get("core") or {}
        data["truncated_text"] = text
        data["note_tweet_id"] = str(note_obj.get("noteTweetId", ""))
        data["note_source"] = {"file": note_source.file, "position": note_source.position}
        text = str(core.get("text", text))
        data["hashtags"] = [h.get("text", h) if isinstance(h, dict) else h
                            for h in core.get("hashtags", [])] or HASHTAG.findall(text)  # fmt: skip
    parent = str(obj.get("in_reply_to_status_id_str") or "") or None
    return NormalizedItem(
        platform="x",
        platform_id=initial,
        kind="reply" if parent else "post",
        source=tweet.source,
        text=text,
        created_at=tweet.created_at,
        author_name=account.name,
        author_handle=account.handle,
        author_platform_id=account.platform_account_id,
        parent_platform_id=parent,
        permalink=f"https://x.com/{account.handle or 'i/web'}/status/{initial}",
        state="deleted_by_author" if tweet.deleted else "active",
        account_platform_id=account.platform_account_id,
        data=data,
    )


def _unmatched_note(
    note: dict[str, Any], source: SourceRef, account: AccountHint
) -> NormalizedItem:
    """A long post whose truncated tweet is not in the archive: kept under the note's own id."""
    core = note.get("core") or {}
    text = str(core.get("text", ""))
    note_id = str(note.get("noteTweetId", ""))
    return NormalizedItem(
        platform="x",
        platform_id=note_id,
        kind="post",
        source=source,
        text=text,
        created_at=_time(note.get("createdAt")),
        author_name=account.name,
        author_handle=account.handle,
        author_platform_id=account.platform_account_id,
        account_platform_id=account.platform_account_id,
        data={"note_tweet_id": note_id, "unmatched_note": True, "hashtags": HASHTAG.findall(text)},
    )
