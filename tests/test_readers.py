"""The readers, on exports built here in the platforms' structures and on the sample data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.errors import InvalidInput
from archiver.sources.base import NormalizedItem
from archiver.sources.facebook import FacebookDyiReader
from archiver.sources.files import open_export
from archiver.sources.graph import GraphCaptureReader, normalize_graph_post, normalize_ig_media
from archiver.sources.instagram import InstagramDyiReader
from archiver.sources.meta import repair, repair_text
from archiver.sources.registry import READERS, detect
from tests import exports as ex
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "exports"
SAMPLE_EXPORTS = REPO / "sample_data" / "exports"


def read(path: Path) -> tuple[object, list[NormalizedItem]]:
    export = open_export(path)
    reader = detect(export, source=path.name)(export)
    return reader, list(reader.items())


# -- mojibake ----------------------------------------------------------------------------------
@given(st.text())
def test_repair_is_safe_for_correct_strings(text: str) -> None:
    """Repairing a correctly encoded string never changes it, unless it is itself exactly the
    mojibake of another string (then it is repaired to that string)."""
    repaired = repair_text(text)
    assert repaired == text or repaired.encode("utf-8").decode("latin-1") == text


@given(st.text())
def test_repair_undoes_meta_mojibake(text: str) -> None:
    assert repair_text(text.encode("utf-8").decode("latin-1")) == text


def test_repair_covers_keys_and_keeps_correct_latin1() -> None:
    fixed = repair({"Due\u00c3\u00b1o del contenido": ["caf\u00c3\u00a9", "Renée", "Nguyễn"]})
    assert fixed == {"Dueño del contenido": ["café", "Renée", "Nguyễn"]}


# -- Facebook ----------------------------------------------------------------------------------
def test_facebook_multi_photo_posts_collapse_and_keep_every_photo(tmp_path: Path) -> None:
    photos = tuple(f"{ex.FB}/posts/media/Album_1/p{i}.jpg" for i in range(3))
    files = ex.facebook_export(
        [ex.fb_post(ex.T0, "Elm Street is open! 🎉 Café Olé too", photos=photos)],
        media={p: b"jpeg" + p.encode() for p in photos},
    )
    _reader, items = read(ex.write_tree(tmp_path / "fb", files))
    assert len(items) == 1
    post = items[0]
    assert post.text == "Elm Street is open! 🎉 Café Olé too"  # mojibake repaired
    assert [m.uri for m in post.media] == list(photos)
    assert all(m.description == "" for m in post.media)  # the repeated post text is dropped
    assert post.platform_id == f"dyi-post:{ex.T0}" and post.id_synthesized
    assert post.data["collapsed_objects"] == 3
    assert post.source.position == "/0"


def test_facebook_edits_become_versions_and_ids_survive_edits(tmp_path: Path) -> None:
    first, second = "Cooling centers open 10 AM–8 PM", "Cooling centers open 10 AM–9 PM"
    edits = [
        {
            "timestamp": ex.T0 + 60,
            "fbid": "99",
            "label_values": [{"label": "Text", "value": first}],
        },
        {
            "timestamp": ex.T0 + 120,
            "fbid": "99",
            "label_values": [{"label": "Text", "value": second}],
        },
    ]
    files = ex.facebook_export([ex.fb_post(ex.T0, second, updated=ex.T0 + 120)], edits=edits)
    _reader, items = read(ex.write_tree(tmp_path / "fb", files))
    assert [i.text for i in items] == [first, second]
    assert {i.platform_id for i in items} == {f"dyi-post:{ex.T0}"}
    assert items[0].content_hash() != items[1].content_hash()
    assert items[1].edited_at is not None and items[0].edited_at < items[1].edited_at  # type: ignore[operator]


def test_facebook_mentions_places_links_events(tmp_path: Path) -> None:
    place = {"name": "City Hall", "coordinate": {"latitude": 34.1, "longitude": -117.4}}
    text = "Thanks @[100064555000111:274:Rancho Verde Public Library]!"
    post = ex.fb_post(
        ex.T0,
        text,
        place=dict(place, url="https://www.facebook.com/a"),
        external_context={"name": "Agenda", "url": "https://ranchoverde.example/agenda"},
        event={"name": "Night Out", "start_timestamp": ex.T0, "end_timestamp": ex.T0 + 3600},
        title=f"{ex.PAGE} shared a link.",
    )
    post[0]["attachments"].append(
        {"data": [{"place": dict(place, url="https://www.facebook.com/b")}]}
    )
    _reader, items = read(ex.write_tree(tmp_path / "fb", ex.facebook_export([post])))
    data = items[0].data
    assert items[0].text == "Thanks Rancho Verde Public Library!"
    assert data["mentions"] == [
        {"id": "100064555000111", "type": "274", "name": "Rancho Verde Public Library"}
    ]
    assert data["place"]["urls"] == ["https://www.facebook.com/a", "https://www.facebook.com/b"]
    assert data["links"][0]["url"] == "https://ranchoverde.example/agenda"
    assert data["event"]["name"] == "Night Out"
    assert items[0].author_name == ex.PAGE


def test_facebook_same_second_posts_get_distinct_stable_ids(tmp_path: Path) -> None:
    posts = [ex.fb_post(ex.T0, "one"), ex.fb_post(ex.T0, "two")]
    _reader, items = read(ex.write_tree(tmp_path / "a", ex.facebook_export(posts)))
    _reader, again = read(ex.write_tree(tmp_path / "b", ex.facebook_export(posts[::-1])))
    assert len({i.platform_id for i in items}) == 2
    assert {i.platform_id for i in items} == {i.platform_id for i in again}


def test_facebook_comments_and_followers(tmp_path: Path) -> None:
    comments = [
        {
            "timestamp": ex.T0,
            "title": f"{ex.PAGE} replied to Dana's comment.",
            "data": [
                {"comment": {"timestamp": ex.T0, "comment": "We’ll fix it.", "author": ex.PAGE}}
            ],
        },
        {
            "timestamp": ex.T0 + 5,
            "title": f"{ex.PAGE} commented on Library's post.",
            "data": [
                {"comment": {"timestamp": ex.T0 + 5, "comment": "See you!", "author": ex.PAGE}}
            ],
        },
    ]
    files = ex.facebook_export(
        [ex.fb_post(ex.T0, "x")], comments=comments, followers=[("José Ibáñez", ex.T0)]
    )
    reader, items = read(ex.write_tree(tmp_path / "fb", files))
    by_kind = {i.kind: i for i in items}
    assert by_kind["reply"].text == "We’ll fix it." and by_kind["comment"].text == "See you!"
    assert by_kind["reply"].author_name == ex.PAGE
    (followers,) = list(reader.followers())  # type: ignore[attr-defined]
    assert followers.followers[0].name == "José Ibáñez"


@pytest.mark.parametrize(
    ("fixture", "layout", "kinds"),
    [
        ("facebook_2019_status_updates", "facebook-dyi-2019", {"post": 2}),
        ("facebook_2021_your_posts", "facebook-dyi-2019", {"post": 2, "comment": 3, "reply": 1}),
        (
            "facebook_2023_your_activity_across_facebook",
            "facebook-dyi-2023",
            {"post": 2, "reply": 2},
        ),
        ("facebook_2024_your_facebook_activity", "facebook-dyi-2024", {"post": 2, "reply": 2}),
        ("instagram_2021_content", "instagram-dyi-2021", {"post": 2, "comment": 2}),
        (
            "instagram_2023_your_instagram_activity_nl",
            "instagram-dyi-2022",
            {"post": 2, "comment": 2},
        ),
    ],
)
def test_older_eras(fixture: str, layout: str, kinds: dict[str, int]) -> None:
    if not (FIXTURES / fixture).is_dir():
        pytest.skip(f"tests/fixtures/exports/{fixture} is not in this checkout yet")
    reader, items = read(FIXTURES / fixture)
    assert reader.layout == layout  # type: ignore[attr-defined]
    assert Counter(i.kind for i in items) == kinds
    assert all("Ã" not in i.text and "â" not in i.text for i in items)


# -- Graph API ---------------------------------------------------------------------------------
def test_graph_post_threads_hidden_and_withheld_authors() -> None:
    reply = ex.graph_comment(7, 2, "Yes, at the tent.", who=ex.PAGE, parent={"id": "7_1"})
    hidden = ex.graph_comment(7, 3, "buy followers", is_hidden=True)
    anonymous = ex.graph_comment(7, 4, "why so long")
    del anonymous["from"]
    top = ex.graph_comment(7, 1, "Gloves?", comments={"data": [reply]})
    post = ex.graph_post(7, "Cleanup Saturday", comments=[top, hidden, anonymous])
    items = list(normalize_graph_post(post, source=ex_source()))
    kinds = {i.platform_id: i for i in items}
    assert kinds["7_2"].kind == "reply" and kinds["7_2"].parent_platform_id == "7_1"
    assert kinds["7_2"].root_platform_id == f"{ex.PAGE_ID}_7"
    assert kinds["7_2"].source.position == "/data/0/comments/data/0/comments/data/0"
    assert kinds["7_3"].state == "hidden"
    assert kinds["7_4"].data["author_withheld"] is True and kinds["7_4"].author_name == ""
    assert all(i.account_platform_id == ex.PAGE_ID for i in items)


def test_graph_counts_are_not_edits() -> None:
    one = next(normalize_graph_post(ex.graph_post(1, "Hello", likes=3), source=ex_source()))
    two = next(normalize_graph_post(ex.graph_post(1, "Hello", likes=90), source=ex_source()))
    edited = next(normalize_graph_post(ex.graph_post(1, "Hello!", likes=90), source=ex_source()))
    assert one.content_hash() == two.content_hash() != edited.content_hash()


def test_graph_media_keep_the_stable_address_and_the_signed_link_to_fetch() -> None:
    """Live capture fetches the CDN link; the item names the photo, so a new signature on
    the next request (or an export without the link) is the same content."""

    def photo(signature: str) -> dict[str, object]:
        image = {"src": f"https://scontent.example/fb_442.jpg?oh={signature}"}
        attachment = {"type": "photo", "target": {"id": "442"}, "media": {"image": image}}
        return dict(ex.graph_post(3, "Album"), attachments={"data": [attachment]})

    one = next(normalize_graph_post(photo("aaa"), source=ex_source()))
    two = next(normalize_graph_post(photo("bbb"), source=ex_source()))
    assert one.media[0].uri == "https://www.facebook.com/442"
    assert one.media[0].download_url.endswith("oh=aaa")
    assert one.content_hash() == two.content_hash()
    media = {"id": "1791", "media_type": "IMAGE", "media_url": "https://cdn.example/i.jpg?x=1"}
    ig = next(normalize_ig_media(media, source=ex_source()))
    assert ig.media[0].uri == "urn:instagram:media:1791"
    assert ig.media[0].download_url == "https://cdn.example/i.jpg?x=1"


def test_instagram_media_with_comments_and_replies() -> None:
    media = {
        "id": "1790",
        "caption": "Ribbon cutting",
        "media_type": "CAROUSEL_ALBUM",
        "timestamp": "2024-05-13T09:00:00+0000",
        "username": "rvpd_official",
        "owner": {"id": ex.IG_ID},
        "like_count": 5,
        "children": {
            "data": [{"id": "c1", "media_type": "IMAGE"}, {"id": "c2", "media_type": "VIDEO"}]
        },
        "comments": {
            "data": [
                {
                    "id": "k1",
                    "text": "So excited",
                    "username": "dana",
                    "hidden": False,
                    "replies": {
                        "data": [{"id": "k2", "text": "See you", "username": "rvpd_official"}]
                    },
                }
            ]
        },
    }
    items = list(normalize_ig_media(media, source=ex_source()))
    assert [i.kind for i in items] == ["post", "comment", "reply"]
    assert [m.kind for m in items[0].media] == ["photo", "video"]
    assert items[2].parent_platform_id == "k1" and items[2].root_platform_id == "1790"
    assert {i.account_platform_id for i in items} == {ex.IG_ID}


def test_graph_capture_reader_reads_saved_pages(tmp_path: Path) -> None:
    files = ex.graph_feed([ex.graph_post(1, "A", comments=[ex.graph_comment(1, 1, "B")])])
    reader, items = read(ex.write_tree(tmp_path / "capture", files))
    assert isinstance(reader, GraphCaptureReader)
    assert [i.kind for i in items] == ["post", "comment"]
    assert reader.account().platform_account_id == ex.PAGE_ID


# -- Instagram download ----------------------------------------------------------------------
def test_instagram_caption_eras_and_localized_comment_keys(tmp_path: Path) -> None:
    posts = [
        {
            "media": [
                {
                    "uri": "media/posts/202405/111.jpg",
                    "creation_timestamp": ex.T0,
                    "title": "Single caption on media[0]",
                }
            ]
        },
        {
            "media": [
                {"uri": "media/posts/202405/222.jpg", "creation_timestamp": ex.T0, "title": ""},
                {"uri": "media/posts/202405/223.mp4", "creation_timestamp": ex.T0, "title": ""},
            ],
            "title": "Carousel caption at the top",
            "creation_timestamp": ex.T0 + 1,
        },
    ]
    comments = [
        {
            "media_list_data": [{"uri": "media/posts/202405/111.jpg"}],
            "string_map_data": {
                "Comentario": {"value": "¡Gracias!"},
                "Dueño del contenido": {"value": "rvpd_official"},
                "Hora": {"timestamp": ex.T0 + 50},
            },
        },
        {
            "string_map_data": {
                "Kommentti": {"value": "Kiitos"},
                "Omistaja": {"value": "rvlibrary"},
                "Aika": {"timestamp": ex.T0 + 60},
            }
        },
    ]
    files = {
        "your_instagram_activity/media/posts_1.json": ex.meta_json(posts),
        "your_instagram_activity/comments/post_comments_1.json": ex.meta_json(comments),
        "media/posts/202405/111.jpg": b"1",
        "media/posts/202405/222.jpg": b"2",
        "media/posts/202405/223.mp4": b"3",
    }
    reader, items = read(ex.write_tree(tmp_path / "ig", files))
    assert isinstance(reader, InstagramDyiReader) and reader.layout == "instagram-dyi-2025"
    single, carousel, spanish, unknown = items
    assert single.text == "Single caption on media[0]" and single.platform_id == "dyi-media:111"
    assert carousel.text == "Carousel caption at the top" and len(carousel.media) == 2
    assert carousel.created_at is not None and carousel.created_at.timestamp() == ex.T0 + 1
    assert spanish.text == "¡Gracias!" and spanish.data["media_owner"] == "rvpd_official"
    assert spanish.parent_platform_id == "dyi-media:111"
    assert unknown.text == "Kiitos" and unknown.data["media_owner"] == "rvlibrary"


# -- detection ---------------------------------------------------------------------------------
def test_unknown_layout_says_what_was_found_and_what_is_supported(tmp_path: Path) -> None:
    folder = ex.write_tree(tmp_path / "odd", {"IMG_2041.jpg": b"x", "notes/a.txt": b"y"})
    with pytest.raises(InvalidInput) as raised:
        detect(open_export(folder), source="odd")
    assert "Found 2 files" in raised.value.message and "notes/" in raised.value.message
    assert all(r.layout in (raised.value.hint or "") for r in READERS)


def test_detection_is_by_content(tmp_path: Path) -> None:
    """A file at a Facebook path that holds something else is not taken for Facebook."""
    odd = b'[{"unrelated": ' + b"1" * 200 + b"}]"
    folder = ex.write_tree(tmp_path / "x", {"posts/your_posts_1.json": odd})
    assert not FacebookDyiReader.detect(open_export(folder))


@pytest.mark.parametrize(
    ("export", "reader"),
    [
        ("facebook_page_dyi", FacebookDyiReader),
        ("facebook_graph_api", GraphCaptureReader),
        ("instagram_dyi", InstagramDyiReader),
    ],
)
def test_sample_exports(export: str, reader: type) -> None:
    if not (SAMPLE_EXPORTS / export).is_dir():
        pytest.skip(f"sample_data/exports/{export} is not in this checkout yet")
    found, items = read(SAMPLE_EXPORTS / export)
    assert isinstance(found, reader)
    assert items and len({(i.platform, i.platform_id) for i in items}) == len(
        {(i.platform, i.platform_id, i.content_hash()) for i in items}
    )


def ex_source() -> object:
    from archiver.sources.base import SourceRef

    return SourceRef("feed/page-001.json", "/data/0")
