"""Bluesky: a repository export (``com.atproto.sync.getRepo``), a CARv1 file.

The root is the signed commit ``{did, version, data, rev, prev, sig}``; ``data`` is the root of a
Merkle Search Tree mapping ``<collection>/<rkey>`` to record CIDs. Posts and the profile become
items; every other collection (follows, likes, reposts, threadgates) is counted, not yielded.
Blobs (images, video) are not in a repository export: their media refs carry the blob CID.
Followers live in the followers' own repositories, so this reader yields no follower lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from archiver.errors import InvalidInput
from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.car import (
    CID,
    Car,
    CarError,
    as_invalid_input,
    decode_dag_cbor,
    ensure,
    iter_blocks,
    read_car,
    read_varint,
    to_json_value,
)
from archiver.sources.common import iso_time

POST = "app.bsky.feed.post"
PROFILE = "app.bsky.actor.profile"
DETECT_BYTES = 64 * 1024


def _did_of(uri: str) -> str:
    return uri.removeprefix("at://").split("/", 1)[0]


def _facets(text: str, facets: object) -> dict[str, list[Any]]:
    """Mentions, links and hashtags from facets, each with the text it covers (byte offsets)."""
    raw = text.encode("utf-8")
    out: dict[str, list[Any]] = {"mentions": [], "links": [], "hashtags": []}
    for facet in facets if isinstance(facets, list) else []:
        index = facet.get("index", {}) if isinstance(facet, dict) else {}
        start, end = index.get("byteStart", 0), index.get("byteEnd", 0)
        covered = raw[start:end].decode("utf-8", errors="replace")
        for feature in facet.get("features", []) if isinstance(facet, dict) else []:
            kind = str(feature.get("$type", "")).rsplit("#", 1)[-1]
            if kind == "mention":
                out["mentions"].append({"did": feature.get("did", ""), "text": covered})
            elif kind == "link":
                out["links"].append({"uri": feature.get("uri", ""), "text": covered})
            elif kind == "tag":
                out["hashtags"].append(feature.get("tag", ""))
    return out


def _blob_media(blob: object, kind: str, description: str) -> MediaRef | None:
    if not isinstance(blob, dict):
        return None
    ref = blob.get("ref")
    cid = str(ref) if isinstance(ref, CID) else ""
    if isinstance(ref, dict):  # the JSON form an AppView returns: {"$link": cid}
        cid = str(ref.get("$link", ""))
    cid = cid or str(blob.get("cid", ""))  # legacy blob form {cid, mimeType}
    if not cid:
        return None
    return MediaRef(
        uri=cid, kind=kind, description=description, mime_type=str(blob.get("mimeType", ""))
    )


def _embed(embed: object) -> tuple[dict[str, Any], list[MediaRef]]:
    """The embed's normalized fields and its media (images and video by blob CID)."""
    if not isinstance(embed, dict):
        return {}, []
    kind = str(embed.get("$type", "")).removeprefix("app.bsky.embed.")
    data: dict[str, Any] = {"type": kind}
    media: list[MediaRef] = []
    if kind == "recordWithMedia":
        inner_data, media = _embed(embed.get("media"))
        quoted, _ = _embed(embed.get("record"))
        return {"type": kind, "media": inner_data, "record": quoted}, media
    if kind == "images":
        for image in embed.get("images", []):
            ref = _blob_media(image.get("image"), "photo", str(image.get("alt", "")))
            if ref:
                media.append(ref)
    elif kind == "video":
        ref = _blob_media(embed.get("video"), "video", str(embed.get("alt", "")))
        media += [ref] if ref else []
    elif kind == "external":
        external = embed.get("external", {})
        thumb = _blob_media(external.get("thumb"), "photo", "")
        data["external"] = {
            "uri": external.get("uri", ""),
            "title": external.get("title", ""),
            "description": external.get("description", ""),
            "thumb_cid": thumb.uri if thumb else "",
        }
    elif kind == "record":
        record = embed.get("record", {})
        data["record"] = {"uri": record.get("uri", ""), "cid": str(record.get("cid", ""))}
    return data, media


def normalize_post_record(
    uri: str,
    record: Mapping[str, Any],
    *,
    cid: str = "",
    source: SourceRef | None = None,
    author_handle: str = "",
    author_name: str = "",
) -> NormalizedItem:
    """One ``app.bsky.feed.post`` record (decoded DAG-CBOR, or the AppView's JSON form) as an
    item. ``uri`` is the record's ``at://did/app.bsky.feed.post/rkey``; it is the platform id."""
    did = _did_of(uri)
    rkey = uri.rsplit("/", 1)[-1]
    text = str(record.get("text", ""))
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else None
    parent = root = None
    if reply:
        parent = str(reply.get("parent", {}).get("uri", "")) or None
        root = str(reply.get("root", {}).get("uri", "")) or None
    embed, media = _embed(record.get("embed"))
    data: dict[str, Any] = dict(_facets(text, record.get("facets")))
    if cid:
        data["cid"] = cid
    if embed:
        data["embed"] = embed
        if "external" in embed:
            data["links"].append({"uri": embed["external"]["uri"], "text": ""})
    for key in ("langs", "tags", "labels"):
        if key in record:
            data[key] = to_json_value(record[key])
    if reply:
        data["reply"] = {
            "root_cid": str(reply.get("root", {}).get("cid", "")),
            "parent_cid": str(reply.get("parent", {}).get("cid", "")),
        }
    return NormalizedItem(
        platform="bluesky",
        platform_id=uri,
        kind="reply" if parent else "post",
        source=source or SourceRef(""),
        text=text,
        created_at=iso_time(record.get("createdAt")),
        author_name=author_name,
        author_handle=author_handle,
        author_platform_id=did,
        parent_platform_id=parent,
        root_platform_id=root,
        permalink=f"https://bsky.app/profile/{did}/post/{rkey}",
        account_platform_id=did,
        data=data,
        media=tuple(media),
    )


def normalize_profile_record(
    uri: str, record: Mapping[str, Any], *, cid: str = "", source: SourceRef | None = None
) -> NormalizedItem:
    """The ``app.bsky.actor.profile/self`` record as a ``profile`` item."""
    did = _did_of(uri)
    media = [
        m
        for m in (
            _blob_media(record.get("avatar"), "photo", "avatar"),
            _blob_media(record.get("banner"), "photo", "banner"),
        )
        if m
    ]
    return NormalizedItem(
        platform="bluesky",
        platform_id=uri,
        kind="profile",
        source=source or SourceRef(""),
        text=str(record.get("description", "")),
        created_at=iso_time(record.get("createdAt")),
        author_name=str(record.get("displayName", "")),
        author_platform_id=did,
        permalink=f"https://bsky.app/profile/{did}",
        account_platform_id=did,
        data={"display_name": str(record.get("displayName", "")), **({"cid": cid} if cid else {})},
        media=tuple(media),
    )


def walk_mst(car: Car, root: CID) -> Iterator[tuple[str, CID]]:
    """``(key, record CID)`` in key order, checking that keys ascend."""
    previous = b""

    def node(cid: CID) -> dict[str, Any]:
        value = car.decode(cid, "MST node")
        ensure(
            isinstance(value, dict) and isinstance(value.get("e"), list),
            "not an MST node",
            f"block {cid}",
        )
        return dict(value)

    def visit(cid: CID, depth: int) -> Iterator[tuple[str, CID]]:
        nonlocal previous
        ensure(depth < 64, "MST deeper than 64 levels", f"block {cid}")
        current = node(cid)
        if isinstance(current.get("l"), CID):
            yield from visit(current["l"], depth + 1)
        key = b""
        for entry in current["e"]:
            ensure(
                isinstance(entry, dict)
                and isinstance(entry.get("k"), bytes)
                and isinstance(entry.get("v"), CID),
                "malformed MST entry",
                f"block {cid}",
            )
            prefix = entry.get("p", 0)
            ensure(isinstance(prefix, int), "malformed MST entry", f"block {cid}")
            key = key[:prefix] + entry["k"]
            text = key.decode("utf-8", errors="replace")
            ensure(key > previous, f"MST keys out of order at {text!r}", f"block {cid}")
            previous = key
            yield text, entry["v"]
            if isinstance(entry.get("t"), CID):
                yield from visit(entry["t"], depth + 1)

    yield from visit(root, 0)


class BlueskyRepoReader:
    """A Bluesky repository CAR export."""

    platform = "bluesky"
    layout = "bluesky-repo-car"

    @classmethod
    def _car_name(cls, files: ExportFiles) -> str | None:
        for name in sorted(files.names()):
            with files.open(name) as stream:
                start = stream.read(12)
                if not _car_start(start):
                    continue
                head = start + stream.read(DETECT_BYTES)
            if _looks_like_repo(head):
                return name
        return None

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        return cls._car_name(files) is not None

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        name = self._car_name(files)
        if name is None:
            raise InvalidInput(
                "no Bluesky repository (CARv1 with an atproto commit) found",
                hint="Export the repository with com.atproto.sync.getRepo.",
            )
        self.name = name
        self._car: Car | None = None
        self._commit: dict[str, Any] = {}

    def _load(self) -> tuple[Car, dict[str, Any]]:
        if self._car is None:
            try:
                car = read_car(self.files.read_bytes(self.name))
                ensure(bool(car.roots), "CAR has no root", "header")
                commit = car.decode(car.roots[0], "the root commit")
                ensure(
                    isinstance(commit, dict)
                    and isinstance(commit.get("data"), CID)
                    and isinstance(commit.get("did"), str),
                    "root is not a repository commit",
                    f"block {car.roots[0]}",
                )
            except CarError as exc:
                raise as_invalid_input(exc, self.name) from exc
            self._car, self._commit = car, dict(commit)
        return self._car, self._commit

    def account(self) -> AccountHint:
        car, commit = self._load()
        try:
            name = self._display_name(car, list(walk_mst(car, commit["data"])))
        except CarError as exc:
            raise as_invalid_input(exc, self.name) from exc
        return AccountHint(platform="bluesky", platform_account_id=commit["did"], name=name)

    def items(self) -> Iterator[NormalizedItem]:
        car, commit = self._load()
        did = commit["did"]
        try:
            entries = list(walk_mst(car, commit["data"]))
            author_name = self._display_name(car, entries)
            for key, cid in entries:
                collection = key.split("/", 1)[0]
                if collection not in (POST, PROFILE):
                    continue
                record = car.decode(cid, f"record {key}")
                ensure(isinstance(record, dict), f"record {key} is not a map", f"block {cid}")
                uri = f"at://{did}/{key}"
                source = SourceRef(self.name, f"block {cid}")
                try:
                    if collection == POST:
                        item = normalize_post_record(
                            uri, record, cid=str(cid), source=source, author_name=author_name
                        )
                    else:
                        item = normalize_profile_record(uri, record, cid=str(cid), source=source)
                except (AttributeError, TypeError, KeyError) as exc:
                    what = f"record {key} has an unexpected shape ({exc})"
                    raise CarError(what, f"block {cid}") from exc
                yield item
        except CarError as exc:
            raise as_invalid_input(exc, self.name) from exc

    @staticmethod
    def _display_name(car: Car, entries: list[tuple[str, CID]]) -> str:
        for key, cid in entries:
            if key == f"{PROFILE}/self":
                record = car.decode(cid, f"record {key}")
                if isinstance(record, dict):
                    return str(record.get("displayName", ""))
        return ""

    def collections(self) -> dict[str, int]:
        """How many records each collection holds (for the summary; most are not items)."""
        car, commit = self._load()
        counts: dict[str, int] = {}
        try:
            for key, _ in walk_mst(car, commit["data"]):
                collection = key.split("/", 1)[0]
                counts[collection] = counts.get(collection, 0) + 1
        except CarError as exc:
            raise as_invalid_input(exc, self.name) from exc
        return counts

    def followers(self) -> Iterator[FollowerList]:
        return iter(())


def _car_start(start: bytes) -> bool:
    """Cheap first look: a short varint, then a two-entry CBOR map ({roots, version})."""
    try:
        length, pos = read_varint(start, 0)
    except CarError:
        return False
    return 0 < length < DETECT_BYTES and start[pos : pos + 1] == b"\xa2"


def _looks_like_repo(head: bytes) -> bool:
    """A CARv1 header whose first root is the first block, decoding to an atproto commit."""
    try:
        blocks = iter_blocks(head)
        roots, _ = next(blocks)
        _, block = next(blocks)
    except (CarError, StopIteration):
        return False
    if block is None or not roots or block.cid != roots[0]:
        return False
    try:
        commit = decode_dag_cbor(block.data)
    except CarError:
        return False
    return isinstance(commit, dict) and isinstance(commit.get("did"), str) and "data" in commit
