"""Throughput of the X, YouTube API and Bluesky readers on synthetic exports, with a baseline.

    python benchmarks/bench_readers.py [--items 100000]

Each reader is timed from raw bytes to NormalizedItems. The baseline is the least work any
reader must do on the same bytes: ``json.loads`` for the X archive and the API pages, and
SHA-256 of every block for the CAR. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from collections.abc import Callable
from typing import BinaryIO

from archiver.sources.bluesky import BlueskyRepoReader
from archiver.sources.car import CID
from archiver.sources.x import XArchiveReader
from archiver.sources.youtube import YouTubeApiReader

TEXT = "Elm Street is open again &amp; the farmers market is back on Saturday. " * 4


class Files:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def names(self) -> list[str]:
        return sorted(self.files)

    def open(self, name: str) -> BinaryIO:
        return io.BytesIO(self.files[name])

    def read_bytes(self, name: str) -> bytes:
        return self.files[name]

    def size(self, name: str) -> int:
        return len(self.files[name])


def x_archive(n: int) -> dict[str, bytes]:
    tweets = []
    for i in range(n):
        tid = str(1500000000000000000 + i * 4194304)
        tweets.append({"tweet": {
            "id_str": tid, "id": tid, "created_at": "Tue May 14 15:30:00 +0000 2024",
            "full_text": TEXT, "favorite_count": "3", "retweet_count": "1", "lang": "en",
            "entities": {"hashtags": [{"text": "ElmStreet", "indices": ["0", "10"]}],
                         "user_mentions": [], "urls": []},
            "edit_info": {"initial": {"editTweetIds": [tid], "editsRemaining": "5"}}}})  # fmt: skip
    manifest = {"userInfo": {"accountId": "1", "userName": "City", "displayName": "City"},
                "dataTypes": {"tweets": {"files": [{"fileName": "data/tweets.js"}]}}}  # fmt: skip
    return {
        "data/manifest.js": b"window.__THAR_CONFIG = " + json.dumps(manifest).encode(),
        "data/tweets.js": b"window.YTD.tweets.part0 = " + json.dumps(tweets).encode(),
    }


def youtube_api(n: int) -> dict[str, bytes]:
    files = {}
    per_page = 100
    for page in range(n // per_page):
        items = []
        for j in range(per_page):
            cid = f"Ugx{page:08d}{j:04d}"
            comment = {"kind": "youtube#comment", "id": cid, "snippet": {
                "videoId": "vid", "channelId": "UC1", "textOriginal": TEXT[:120],
                "textDisplay": TEXT[:120], "authorDisplayName": "@resident",
                "authorChannelId": {"value": "UC2"}, "likeCount": 1,
                "publishedAt": "2024-05-15T13:55:02Z",
                "updatedAt": "2024-05-15T13:55:02Z"}}  # fmt: skip
            items.append({"kind": "youtube#commentThread", "id": cid, "snippet": {
                "videoId": "vid", "topLevelComment": comment, "totalReplyCount": 0}})  # fmt: skip
        body = {"kind": "youtube#commentThreadListResponse", "items": items}
        files[f"commentThreads/page-{page:05d}.json"] = json.dumps(body).encode()
    return files


def _head(major: int, n: int) -> bytes:
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 24:
            return bytes([major << 5 | n])
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor(value: object) -> bytes:
    if value is None:
        return b"\xf6"
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        return _head(3, len(value.encode())) + value.encode()
    if isinstance(value, CID):
        return b"\xd8\x2a" + cbor(b"\x00" + value.raw)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    assert isinstance(value, dict)
    keys = sorted(value, key=lambda k: (len(k), k))
    return _head(5, len(value)) + b"".join(cbor(k) + cbor(value[k]) for k in keys)


def bluesky_car(n: int) -> bytes:
    """A repository whose MST is one flat node (valid for reading; not a balanced tree)."""
    blocks, entries = [], []
    for i in range(n):
        record = cbor({"$type": "app.bsky.feed.post", "text": TEXT[:280],
                       "createdAt": "2024-05-14T15:30:00.000Z", "langs": ["en"]})  # fmt: skip
        cid = CID.of(record)
        blocks.append((cid, record))
        entries.append({"k": f"app.bsky.feed.post/{i:013d}".encode(), "p": 0, "t": None, "v": cid})
    node = cbor({"e": entries, "l": None})
    commit = cbor({"did": "did:plc:bench", "version": 3, "data": CID.of(node), "rev": "r"})
    blocks = [(CID.of(commit), commit), (CID.of(node), node), *blocks]
    out = bytearray()
    header = cbor({"roots": [blocks[0][0]], "version": 1})
    out += _varint(len(header)) + header
    for cid, data in blocks:
        out += _varint(len(cid.raw) + len(data)) + cid.raw + data
    return bytes(out)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """Items, wall seconds, CPU seconds (CPU time is steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    count = work()
    return count, time.perf_counter() - wall, time.process_time() - cpu


def report(name: str, reader: Callable[[], int], baseline: Callable[[], int]) -> None:
    count, wall, cpu = timed(reader)
    _, base_wall, base_cpu = timed(baseline)
    print(
        f"{name:<20} {count:>7} items  wall {count / wall:>8,.0f}/s (baseline "
        f"{count / base_wall:>8,.0f}/s)  cpu {count / cpu:>8,.0f}/s (baseline "
        f"{count / base_cpu:>8,.0f}/s, ratio {base_cpu / cpu:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    n = parser.parse_args().items
    x = Files(x_archive(n))
    report(
        "X archive",
        lambda: sum(1 for _ in XArchiveReader(x).items()),
        lambda: len(json.loads(x.files["data/tweets.js"].split(b"=", 1)[1])),
    )
    yt = Files(youtube_api(n))
    report(
        "YouTube API threads",
        lambda: sum(1 for _ in YouTubeApiReader(yt).items()),
        lambda: sum(len(json.loads(b)["items"]) for b in yt.files.values()),
    )
    car = Files({"repo.car": bluesky_car(n)})
    report(
        "Bluesky CAR",
        lambda: sum(1 for _ in BlueskyRepoReader(car).items()),
        lambda: sum(1 for _ in _hash_blocks(car.files["repo.car"])) - 2,
    )


def _hash_blocks(buf: bytes) -> list[bytes]:
    from archiver.sources.car import iter_blocks

    return [hashlib.sha256(b.data).digest() for _, b in iter_blocks(buf) if b is not None]


if __name__ == "__main__":
    main()
