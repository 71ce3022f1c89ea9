"""The YouTube readers: Takeout CSVs (both comments.csv eras) and saved Data API v3 responses."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver.errors import InvalidInput
from archiver.sources.base import NormalizedItem
from archiver.sources.youtube import (
    YouTubeApiReader,
    YouTubeTakeoutReader,
    normalize_comment,
    normalize_comment_thread,
    normalize_video,
)
from tests.conftest import REPO, SAMPLE
from tests.sources.files import FolderFiles, MemoryFiles, ZipFiles

TAKEOUT = SAMPLE / "exports" / "youtube_takeout"
TAKEOUT_2023 = REPO / "tests" / "fixtures" / "exports" / "youtube_takeout_2023_old_comments"
API = SAMPLE / "exports" / "youtube_data_api"
CHANNEL = "UCrv00000000000000000001"
LONG_THREAD = "Ugz3mpgoBIOAOAHc7ed4AaABAg"  # 7 replies, 5 included in its thread
COMMENTS_CSV = "Takeout/YouTube and YouTube Music/comments/comments.csv"


def folder(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def takeout() -> dict[str, NormalizedItem]:
    return {i.platform_id: i for i in YouTubeTakeoutReader(FolderFiles(TAKEOUT)).items()}


@pytest.fixture(scope="module")
def api() -> list[NormalizedItem]:
    return list(YouTubeApiReader(FolderFiles(API)).items())


def test_detection_by_content() -> None:
    assert YouTubeTakeoutReader.detect(FolderFiles(TAKEOUT))
    assert YouTubeTakeoutReader.detect(FolderFiles(TAKEOUT_2023))
    assert not YouTubeTakeoutReader.detect(FolderFiles(API))
    assert not YouTubeTakeoutReader.detect(ZipFiles(SAMPLE / "exports" / "x_archive.zip"))
    assert YouTubeApiReader.detect(FolderFiles(API))
    assert not YouTubeApiReader.detect(FolderFiles(TAKEOUT))
    assert not YouTubeApiReader.detect(FolderFiles(SAMPLE / "exports" / "facebook_graph_api"))
    # a CSV named like Takeout's but holding something else is not Takeout
    assert not YouTubeTakeoutReader.detect(
        MemoryFiles({"Takeout/YouTube/video metadata/videos.csv": b"id,name\n1,x\n"})
    )


def test_takeout_account_from_channel_csv() -> None:
    hint = YouTubeTakeoutReader(FolderFiles(TAKEOUT)).account()
    assert (hint.platform_account_id, hint.name) == (CHANNEL, "Rancho Verde TV")


def test_takeout_counts(takeout: dict[str, NormalizedItem]) -> None:
    # 7 uploads; the channel's own 7 comments (2 top-level, 5 replies); the blank last line skipped
    assert Counter(i.kind for i in takeout.values()) == {"video": 7, "comment": 2, "reply": 5}


def test_takeout_videos(takeout: dict[str, NormalizedItem]) -> None:
    videos = [i for i in takeout.values() if i.kind == "video"]
    private = [v for v in videos if v.data["privacy"] == "private"]
    assert [v.data["title"] for v in private] == ["Council chambers audio test"]
    assert private[0].created_at == datetime(2025, 6, 20, 23, 0, tzinfo=UTC)  # no publish time
    elm = next(v for v in videos if v.data["title"].startswith("Elm Street Rehabilitation"))
    assert elm.data["tags"] == ["Elm Street", "road closure", "construction", "Rancho Verde"]
    assert elm.data["duration_ms"] == 252000
    assert elm.text.startswith("Public Works Director Anita Ochoa")
    assert elm.permalink == f"https://www.youtube.com/watch?v={elm.platform_id}"
    assert elm.source.position.startswith("row ")


def test_takeout_new_era_comment_segments(takeout: dict[str, NormalizedItem]) -> None:
    stamps = next(i for i in takeout.values() if i.text.startswith("Timestamps:"))
    assert stamps.text == (
        "Timestamps:\n0:12:40 Public comment\n1:02:15 Elm Street construction update\n"
        "1:48:30 Budget workshop"
    )
    assert [v["startTimeSeconds"] for v in stamps.data["video_links"]] == [760, 3735, 6510]
    link = next(i for i in takeout.values() if i.text.startswith("Council approved the project"))
    assert link.data["links"] == ["https://www.ranchoverde.example/elm-business"]
    assert link.created_at == datetime(2024, 2, 28, 0, 0, 0, 721186, tzinfo=UTC)


def test_takeout_threading(takeout: dict[str, NormalizedItem]) -> None:
    reply = takeout[f"{LONG_THREAD}.AobE4jfYDuO4Gs75fdWgSP"]
    assert reply.kind == "reply"
    assert reply.parent_platform_id == LONG_THREAD
    assert reply.root_platform_id == reply.data["video_id"]
    other_channel = next(i for i in takeout.values() if i.data.get("video_id") == "vLibStory01")
    assert other_channel.kind == "comment"
    assert other_channel.parent_platform_id == other_channel.root_platform_id == "vLibStory01"


def test_takeout_2023_era_headers_and_old_comments() -> None:
    items = list(YouTubeTakeoutReader(FolderFiles(TAKEOUT_2023)).items())
    assert [(i.kind, i.platform_id) for i in items] == [
        ("video", "Rv2023CcOct"),
        ("video", "Rv2023Parks"),
        ("comment", "UgzK3vQ9mRvXxTop01Q4AaABAg"),
        ("reply", "UgzK3vQ9mRvXxTop01Q4AaABAg.9vXqR2mPz7u9aB3cD4eF5g"),
    ]
    # lower-case headers in another column order
    assert items[0].data["title"] == "City Council Regular Meeting - October 10, 2023"
    assert items[1].data["privacy"] == "unlisted"
    assert items[1].data["tags"] == ["parks"]
    # {"takeoutSegments": [...]} comment text
    assert items[2].text == "Elm Street update starts at 1:10:00"
    assert items[3].text.startswith("Thanks Priya")
    assert items[3].parent_platform_id == "UgzK3vQ9mRvXxTop01Q4AaABAg"
    assert items[2].created_at == datetime(2023, 10, 11, 15, 5, 41, 274000, tzinfo=UTC)


def test_takeout_bad_rows_name_the_row() -> None:
    files = folder(TAKEOUT)
    text = files[COMMENTS_CSV].decode().splitlines()
    files[COMMENTS_CSV] = ("\n".join([*text[:3], text[3] + ",extra", *text[4:]]) + "\n").encode()
    with pytest.raises(InvalidInput, match=r"comments\.csv: row 3 \(line 4\): 8 columns"):
        list(YouTubeTakeoutReader(MemoryFiles(files)).items())
    files = folder(TAKEOUT)
    files[COMMENTS_CSV] = files[COMMENTS_CSV].replace(b'""text"":""Yes!', b'""text"" ""Yes!')
    with pytest.raises(InvalidInput, match=r"comments\.csv: row 3: Comment Text is not valid JSON"):
        list(YouTubeTakeoutReader(MemoryFiles(files)).items())


def test_takeout_wrong_encoding_is_reported() -> None:
    files = folder(TAKEOUT)
    files[COMMENTS_CSV] = files[COMMENTS_CSV].decode().encode("latin-1", errors="replace")
    with pytest.raises(InvalidInput, match=r"comments\.csv: after line \d+: not UTF-8"):
        list(YouTubeTakeoutReader(MemoryFiles(files)).items())


def test_takeout_resaved_as_utf16_reads_the_same(takeout: dict[str, NormalizedItem]) -> None:
    files = folder(TAKEOUT)
    files[COMMENTS_CSV] = files[COMMENTS_CSV].decode().encode("utf-16")
    items = {i.platform_id: i for i in YouTubeTakeoutReader(MemoryFiles(files)).items()}
    assert {k: v.content_hash() for k, v in items.items()} == {
        k: v.content_hash() for k, v in takeout.items()
    }


def test_api_account_from_channels_response() -> None:
    hint = YouTubeApiReader(FolderFiles(API)).account()
    assert (hint.platform_account_id, hint.name, hint.handle) == (
        CHANNEL,
        "Rancho Verde TV",
        "@RanchoVerdeTV",
    )


def test_api_counts_and_order(api: list[NormalizedItem]) -> None:
    assert Counter(i.kind for i in api) == {"video": 6, "comment": 19, "reply": 11}
    assert len({i.platform_id for i in api}) == len(api)  # replies seen twice are yielded once
    # the capture's order: videos were fetched first, and a comment comes before its replies
    position = {i.platform_id: n for n, i in enumerate(api)}
    assert [i.kind for i in api[:6]] == ["video"] * 6
    for item in api:
        if item.parent_platform_id in position:
            assert position[item.parent_platform_id] < position[item.platform_id]


def test_api_videos(api: list[NormalizedItem]) -> None:
    elm = next(
        i for i in api if i.kind == "video" and i.data["title"].startswith("Elm Street Rehab")
    )
    assert elm.data["metrics"] == {
        "views": 5210,
        "likes": 88,
        "favorites": 0,
        "comments": 13,
    }
    assert elm.data["privacy"] == "public"
    assert elm.data["duration"] == "PT4M12S"
    assert elm.author_platform_id == CHANNEL


def test_api_comment_threads(api: list[NormalizedItem]) -> None:
    by_id = {i.platform_id: i for i in api}
    top = by_id[LONG_THREAD]
    assert top.kind == "comment"
    assert top.parent_platform_id == top.root_platform_id == top.data["video_id"]
    replies = [i for i in api if i.parent_platform_id == LONG_THREAD]
    assert len(replies) == 7
    assert all(r.root_platform_id == top.data["video_id"] for r in replies)
    # the thread held 5 of 7 replies, the comments page the rest: the capture is complete
    assert top.data["metrics"]["replies"] == 7
    assert top.data["metrics"]["replies_partial"] is False
    edited = next(i for i in api if i.text.startswith("Elm looks amazing now"))
    assert edited.edited_at == datetime(2024, 5, 29, 1, 6, tzinfo=UTC)
    assert edited.created_at == datetime(2024, 5, 29, 1, 0, tzinfo=UTC)
    assert all(i.edited_at is None for i in api if i is not edited)
    reply = by_id[f"{LONG_THREAD}.AobE4jfYDuO4Gs75fdWgSP"]
    assert reply.author_handle == "@RanchoVerdeTV"
    assert reply.source.position.startswith("/items/")


def test_thread_with_more_replies_than_included_is_marked_partial(
    api: list[NormalizedItem],
) -> None:
    page = next(p for p in (API / "commentThreads").rglob("*.json") if LONG_THREAD in p.read_text())
    body = json.loads(page.read_text())
    thread = next(t for t in body["items"] if t["id"] == LONG_THREAD)
    items = normalize_comment_thread(thread)
    assert len(items) == 6  # the top-level comment and the 5 included replies
    assert items[0].data["metrics"]["replies_partial"] is True
    assert items[0].data["metrics"]["replies_included"] == 5
    # without the comments page the whole capture is partial too
    files = {k: v for k, v in folder(API).items() if not k.startswith("comments/")}
    manifest = json.loads(files["manifest.json"])
    manifest["requests"] = [
        r for r in manifest["requests"] if not r["file"].startswith("comments/")
    ]
    files["manifest.json"] = json.dumps(manifest).encode()
    top = next(
        i for i in YouTubeApiReader(MemoryFiles(files)).items() if i.platform_id == LONG_THREAD
    )
    assert top.data["metrics"]["replies_partial"] is True
    # a partial thread is a count, not an edit: the version does not change
    complete = next(i for i in api if i.platform_id == LONG_THREAD)
    assert complete.data["metrics"]["replies_partial"] is False
    assert complete.content_hash() == top.content_hash()


def test_pure_functions_without_a_source() -> None:
    video = normalize_video({"kind": "youtube#video", "id": "abc", "snippet": {"title": "T"}})
    assert (video.platform_id, video.data["title"], video.source.file) == ("abc", "T", "")
    comment = normalize_comment(
        {
            "id": "Ugx1",
            "snippet": {
                "videoId": "abc",
                "textDisplay": 'See <a href="https://www.youtube.com/watch?v=abc&amp;t=5">0:05</a><br>&quot;ok&quot;',
                "publishedAt": "2024-05-15T13:55:02.000Z",
                "updatedAt": "2024-05-15T13:55:02Z",
            },
        }
    )
    assert comment.text == 'See 0:05\n"ok"'  # textOriginal absent: the display text, untagged
    assert comment.edited_at is None


def test_api_invalid_json_names_file_and_line() -> None:
    files = folder(API)
    files["videos/page-001.json"] = files["videos/page-001.json"][:900]
    with pytest.raises(InvalidInput, match=r"videos/page-001\.json: line \d+, column \d+"):
        list(YouTubeApiReader(MemoryFiles(files)).items())


def test_unrecognized_export_is_not_youtube() -> None:
    files = ZipFiles(SAMPLE / "broken" / "unrecognized_contents.zip")
    assert not YouTubeTakeoutReader.detect(files)
    assert not YouTubeApiReader.detect(files)


def test_unexpected_resource_structure_names_the_position() -> None:
    files = folder(API)
    page = "commentThreads/O96dOvLaciK/page-001.json"
    body = json.loads(files[page])
    body["items"][1]["snippet"] = "oops"
    files[page] = json.dumps(body).encode()
    with pytest.raises(InvalidInput, match=rf"{page}: /items/1: unexpected resource structure"):
        list(YouTubeApiReader(MemoryFiles(files)).items())


def test_item_data_is_plain_json(
    takeout: dict[str, NormalizedItem], api: list[NormalizedItem]
) -> None:
    for item in [*takeout.values(), *api]:
        json.dumps(item.data, allow_nan=False)


def test_api_files_follow_the_manifest() -> None:
    manifest = json.loads((API / "manifest.json").read_text())
    order = YouTubeApiReader(FolderFiles(API)).responses
    listed = [r["file"] for r in manifest["requests"]]
    assert order == [f for f in listed if not f.startswith("playlistItems/")]
    # inline replies come from the thread, fetched first; the rest from the comments page
    sources = {
        i.platform_id: i.source.file
        for i in YouTubeApiReader(FolderFiles(API)).items()
        if i.parent_platform_id == LONG_THREAD
    }
    assert Counter(f.split("/")[0] for f in sources.values()) == {
        "commentThreads": 5,
        "comments": 2,
    }


def test_api_file_missing_from_the_capture() -> None:
    files = folder(API)
    del files["videos/page-001.json"]
    with pytest.raises(InvalidInput, match=r"manifest\.json: /requests/2: .*videos/page-001\.json"):
        YouTubeApiReader(MemoryFiles(files))
