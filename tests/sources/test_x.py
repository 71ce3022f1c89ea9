"""The X archive reader on the sample archive and the 2022 ``tweet.js`` era."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from archiver.errors import InvalidInput
from archiver.sources.base import NormalizedItem
from archiver.sources.x import XArchiveReader
from tests.conftest import REPO, SAMPLE
from tests.sources.files import FolderFiles, MemoryFiles, ZipFiles

ARCHIVE = SAMPLE / "exports" / "x_archive.zip"
ERA_2022 = REPO / "tests" / "fixtures" / "exports" / "x_archive_2022_tweet_js"


@pytest.fixture(scope="module")
def items() -> list[NormalizedItem]:
    return list(XArchiveReader(ZipFiles(ARCHIVE)).items())


def archive_files() -> dict[str, bytes]:
    with zipfile.ZipFile(ARCHIVE) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_detects_the_archive_by_its_manifest_and_nothing_else() -> None:
    assert XArchiveReader.detect(ZipFiles(ARCHIVE))
    assert XArchiveReader.detect(FolderFiles(ERA_2022))
    assert not XArchiveReader.detect(FolderFiles(SAMPLE / "exports" / "youtube_takeout"))
    assert not XArchiveReader.detect(FolderFiles(SAMPLE / "exports" / "facebook_page_dyi"))
    # the right file name with other content is not an X archive
    assert not XArchiveReader.detect(MemoryFiles({"data/manifest.js": b'{"userInfo": {}}'}))


def test_account_comes_from_the_manifest() -> None:
    hint = XArchiveReader(ZipFiles(ARCHIVE)).account()
    assert (hint.platform, hint.platform_account_id, hint.handle, hint.name) == (
        "x",
        "1500000000000000001",
        "RanchoVerdeCA",
        "City of Rancho Verde",
    )


def test_counts(items: list[NormalizedItem]) -> None:
    # 27 tweets in tweets.js + tweets-part1.js (one edited post in two versions) + 1 deleted
    assert len(items) == 28
    assert len({i.platform_id for i in items}) == 27
    assert Counter(i.kind for i in items) == {"post": 23, "reply": 5}
    assert sum(len(i.media) for i in items) == 9
    assert all(i.platform == "x" and i.author_handle == "RanchoVerdeCA" for i in items)


def test_numbers_as_strings_become_ids_and_integer_metrics(items: list[NormalizedItem]) -> None:
    for item in items:
        assert item.platform_id.isdigit()
        assert set(item.data["metrics"]) == {"likes", "retweets"}
        assert all(isinstance(v, int) for v in item.data["metrics"].values())
    closed = [i for i in items if i.platform_id == "1764667617387654317"]
    assert closed[-1].data["metrics"] == {"likes": 22, "retweets": 19}


def test_an_edited_post_is_one_item_with_versions_oldest_first(items: list[NormalizedItem]) -> None:
    versions = [i for i in items if i.platform_id == "1764667617387654317"]
    assert len(versions) == 2
    first, second = versions
    assert "Foothil Blvd" in first.text and "Foothill Blvd" in second.text
    assert first.edited_at is not None and second.edited_at is not None
    assert first.edited_at < second.edited_at
    assert first.data["version_tweet_id"] == "1764667617387654317"
    assert second.data["version_tweet_id"] != first.data["version_tweet_id"]
    assert first.content_hash() != second.content_hash()
    assert items.index(first) + 1 == items.index(second)
    # posts never edited carry no edit time
    assert all(i.edited_at is None for i in items if i.platform_id != first.platform_id)


def test_note_tweet_full_text_wins_over_the_truncated_tweet(items: list[NormalizedItem]) -> None:
    (recap,) = [i for i in items if i.data.get("note_tweet_id")]
    assert recap.data["note_tweet_id"] == "1780627280343756177"
    assert recap.platform_id != recap.data["note_tweet_id"]
    assert len(recap.text) > 280
    assert recap.text.startswith("Council recap, April 16:")
    assert recap.text.endswith("#ElmStreet #RVCouncil")
    assert "\u2026 https://t.co/" in recap.data["truncated_text"]
    assert recap.data["hashtags"] == ["ElmStreet", "RVCouncil"]
    assert recap.data["note_source"]["file"] == "data/note-tweet.js"


def test_deleted_tweet_is_kept_and_marked(items: list[NormalizedItem]) -> None:
    (deleted,) = [i for i in items if i.state == "deleted_by_author"]
    assert deleted.source.file == "data/deleted-tweets.js"
    assert deleted.source.position == "/0/tweet"
    assert deleted.text.startswith("Reminder: the Elm Street closure starts TOMORROW")
    # being deleted is part of what a version is
    assert deleted.content_hash() != replace(deleted, state="active").content_hash()


def test_text_is_html_unescaped(items: list[NormalizedItem]) -> None:
    raw = archive_files()["data/tweets.js"].decode()
    assert "&amp;" in raw and "&gt;" in raw
    texts = " ".join(i.text for i in items)
    assert "&amp;" not in texts and "&gt;" not in texts
    assert any("highs > 105°F" in i.text for i in items)
    assert any("1st & 5th Ave" in i.text for i in items)


def test_replies_link_to_parent_and_root(items: list[NormalizedItem]) -> None:
    by_id = {i.platform_id: i for i in items}
    self_reply = by_id["1760002378363623174"]
    assert self_reply.kind == "reply"
    assert self_reply.parent_platform_id == self_reply.root_platform_id == "1760001874844762817"
    assert by_id["1760001874844762817"].root_platform_id is None
    outsider = by_id["1760025275683275266"]
    assert outsider.parent_platform_id == outsider.root_platform_id == "1760000000000000001"
    assert outsider.data["in_reply_to"]["handle"] == "mdelgado_rv"


def test_entities_are_normalized(items: list[NormalizedItem]) -> None:
    welcome = next(i for i in items if i.text.startswith("Welcome to Elm Street, @cafeoleonelm"))
    assert welcome.data["mentions"][0]["handle"] == "cafeoleonelm"
    with_urls = [u for i in items for u in i.data["urls"]]
    assert with_urls and all(u["expanded_url"].startswith("https://") for u in with_urls)
    assert all(not u["expanded_url"].startswith("https://t.co/") for u in with_urls)
    assert any("ElmStreet" in i.data["hashtags"] for i in items)


def test_media_files_are_linked_by_tweet_id(items: list[NormalizedItem]) -> None:
    names = set(ZipFiles(ARCHIVE).names())
    opening = next(i for i in items if i.platform_id == "1794036134504477169")
    assert len(opening.media) == 3
    for item in items:
        for media in item.media:
            assert media.uri in names
            assert media.uri.startswith(f"data/tweets_media/{item.platform_id}-")
    png = next(m for i in items for m in i.media if m.uri.endswith(".png"))
    assert png.mime_type == "image/png" and png.kind == "photo"


def test_followers_are_ids_dated_by_the_archive() -> None:
    (followers,) = XArchiveReader(ZipFiles(ARCHIVE)).followers()
    assert followers.source.file == "data/follower.js"
    assert len(followers.followers) == 14
    assert followers.followers[0].platform_user_id == "333000222"
    assert followers.taken_at == datetime(2025, 7, 1, 13, 46, 38, 82000, tzinfo=UTC)


def test_reading_twice_gives_the_same_items() -> None:
    first = [(i.platform_id, i.content_hash()) for i in XArchiveReader(ZipFiles(ARCHIVE)).items()]
    again = [(i.platform_id, i.content_hash()) for i in XArchiveReader(ZipFiles(ARCHIVE)).items()]
    assert first == again


def test_2022_era_tweet_js_and_tweet_media() -> None:
    reader = XArchiveReader(FolderFiles(ERA_2022))
    items = list(reader.items())
    assert [i.platform_id for i in items] == [  # the archive's order, newest first
        "1520123252478016749",
        "1520100601555593499",
        "1501241336391586086",
    ]
    assert [m.uri for m in items[1].media] == [
        "data/tweet_media/1520100601555593499-7cwH4H1E3PBbexh.jpg"
    ]
    assert items[0].parent_platform_id == "1519999000000000001"
    assert items[2].created_at == datetime(2022, 3, 8, 17, 0, tzinfo=UTC)
    assert sum(len(f.followers) for f in reader.followers()) == 2


def test_archive_in_a_wrapper_folder() -> None:
    files = MemoryFiles({f"twitter-2025/{n}": b for n, b in archive_files().items()})
    items = list(XArchiveReader(files).items())
    assert len(items) == 28
    assert all(m.uri.startswith("twitter-2025/data/tweets_media/") for i in items for m in i.media)


def test_truncated_js_names_file_and_line() -> None:
    files = archive_files()
    files["data/tweets-part1.js"] = files["data/tweets-part1.js"][:5000]
    with pytest.raises(InvalidInput, match=r"data/tweets-part1\.js: line \d+, column \d+"):
        list(XArchiveReader(MemoryFiles(files)).items())


def test_missing_prefix_is_reported() -> None:
    files = archive_files()
    files["data/tweets.js"] = b"[]"
    with pytest.raises(InvalidInput, match=r"data/tweets\.js: line 1: expected 'window\.YTD"):
        list(XArchiveReader(MemoryFiles(files)).items())


def test_file_listed_in_manifest_but_missing() -> None:
    files = archive_files()
    del files["data/tweets-part1.js"]
    with pytest.raises(InvalidInput, match=r"data/tweets-part1\.js: listed in data/manifest\.js"):
        list(XArchiveReader(MemoryFiles(files)).items())


def test_unrecognized_export_is_not_an_x_archive() -> None:
    assert not XArchiveReader.detect(ZipFiles(SAMPLE / "broken" / "unrecognized_contents.zip"))
    with pytest.raises(InvalidInput, match="no X archive found"):
        XArchiveReader(ZipFiles(SAMPLE / "broken" / "unrecognized_contents.zip"))


def test_note_without_its_tweet_is_kept_under_its_own_id() -> None:
    files = archive_files()
    note = files["data/note-tweet.js"].decode()
    files["data/note-tweet.js"] = note.replace(
        "2024-04-17T16:00:00", "2024-04-17T17:00:00"
    ).encode()
    items = list(XArchiveReader(MemoryFiles(files)).items())
    assert len(items) == 29
    (orphan,) = [i for i in items if i.data.get("unmatched_note")]
    assert orphan.platform_id == "1780627280343756177"
    assert orphan.text.startswith("Council recap, April 16:")
    truncated = next(i for i in items if i.platform_id == "1780627280343831952")
    assert truncated.text.endswith(truncated.data["urls"][-1]["url"])
    assert "note_tweet_id" not in truncated.data


def test_unexpected_tweet_structure_names_the_position() -> None:
    files = archive_files()
    text = files["data/tweets.js"].decode()
    files["data/tweets.js"] = text.replace(
        '"entities" : {', '"entities" : "none", "x" : {', 1
    ).encode()
    with pytest.raises(
        InvalidInput, match=r"data/tweets\.js: /0/tweet: unexpected tweet structure"
    ):
        list(XArchiveReader(MemoryFiles(files)).items())


def test_item_data_is_plain_json(items: list[NormalizedItem]) -> None:
    for item in items:
        json.dumps(item.data, allow_nan=False)  # no default=: every value is JSON already


def test_a_tweet_also_listed_as_deleted_is_one_deleted_item() -> None:
    files = archive_files()
    deleted = files["data/deleted-tweets.js"].decode()
    body = deleted[deleted.index("=") + 1 :]
    tweets = files["data/tweets-part1.js"].decode()
    files["data/tweets-part1.js"] = tweets.replace(
        "= [", "= [" + body.strip()[1:-1] + ",", 1
    ).encode()
    assert b"1764334924689996076" in files["data/tweets-part1.js"]
    items = list(XArchiveReader(MemoryFiles(files)).items())
    assert len(items) == 28
    assert [i.state for i in items if i.platform_id == "1764334924689996076"] == [
        "deleted_by_author"
    ]


def test_tweet_times_with_any_offset() -> None:
    from archiver.sources.x import _time

    assert _time("Sat Aug 12 16:10:37 +0000 2023") == datetime(2023, 8, 12, 16, 10, 37, tzinfo=UTC)
    assert _time("Sat Aug 12 09:10:37 -0700 2023") == datetime(2023, 8, 12, 16, 10, 37, tzinfo=UTC)
    assert _time("2022-01-27T15:58:52.744Z") == datetime(
        2022, 1, 27, 15, 58, 52, 744000, tzinfo=UTC
    )
    assert _time("Sat Foo 12 16:10:37 +0000 2023") is None
