"""The Bluesky repository reader on the sample CAR, and the CAR/DAG-CBOR layer under it."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.errors import InvalidInput
from archiver.sources.base import NormalizedItem
from archiver.sources.bluesky import BlueskyRepoReader, normalize_post_record
from archiver.sources.car import CID, CarError, decode_dag_cbor, read_car, read_varint
from tests.conftest import SAMPLE
from tests.sources.files import FolderFiles, MemoryFiles, ZipFiles

CAR = SAMPLE / "exports" / "bluesky_repo.car"
DID = "did:plc:rvwhitfield2council7abcd"
POST_URI = f"at://{DID}/app.bsky.feed.post/"


def car_files(data: bytes | None = None) -> MemoryFiles:
    return MemoryFiles({"bluesky_repo.car": CAR.read_bytes() if data is None else data})


@pytest.fixture(scope="module")
def items() -> dict[str, NormalizedItem]:
    return {i.platform_id: i for i in BlueskyRepoReader(car_files()).items()}


def by_text(items: dict[str, NormalizedItem], start: str) -> NormalizedItem:
    return next(i for i in items.values() if i.text.startswith(start))


def test_detects_a_repository_car_by_content() -> None:
    assert BlueskyRepoReader.detect(car_files())
    # the name does not matter, the content does
    assert BlueskyRepoReader.detect(MemoryFiles({"repo.bin": CAR.read_bytes()}))
    assert not BlueskyRepoReader.detect(ZipFiles(SAMPLE / "exports" / "x_archive.zip"))
    assert not BlueskyRepoReader.detect(FolderFiles(SAMPLE / "exports" / "youtube_takeout"))
    assert not BlueskyRepoReader.detect(MemoryFiles({"bluesky_repo.car": b"not a car at all"}))


def test_account_is_the_commit_did_and_profile_name() -> None:
    hint = BlueskyRepoReader(car_files()).account()
    assert (hint.platform, hint.platform_account_id, hint.name) == (
        "bluesky",
        DID,
        "Councilmember Dana Whitfield",
    )


def test_counts(items: dict[str, NormalizedItem]) -> None:
    assert Counter(i.kind for i in items.values()) == {"post": 10, "reply": 4, "profile": 1}
    assert BlueskyRepoReader(car_files()).collections() == {
        "app.bsky.actor.profile": 1,
        "app.bsky.feed.like": 3,
        "app.bsky.feed.post": 14,
        "app.bsky.feed.repost": 1,
        "app.bsky.feed.threadgate": 1,
        "app.bsky.graph.follow": 4,
    }
    assert list(BlueskyRepoReader(car_files()).followers()) == []


def test_ids_are_at_uris_and_sources_name_the_block(items: dict[str, NormalizedItem]) -> None:
    car = read_car(CAR.read_bytes())
    for item in items.values():
        assert item.platform_id.startswith(f"at://{DID}/app.bsky.")
        assert item.source.file == "bluesky_repo.car"
        cid = item.source.position.removeprefix("block ")
        assert any(str(c) == cid for c in car.blocks)
        assert item.author_platform_id == DID
    hello = by_text(items, "Hello Bluesky!")
    assert hello.created_at == datetime(2023, 9, 21, 1, 30, 0, 120000, tzinfo=UTC)
    assert hello.author_name == "Councilmember Dana Whitfield"
    rkey = hello.platform_id.rsplit("/", 1)[1]
    assert hello.permalink == f"https://bsky.app/profile/{DID}/post/{rkey}"


def test_facets_use_utf8_byte_offsets(items: dict[str, NormalizedItem]) -> None:
    approved = by_text(items, "Council just approved the Elm Street rehab")
    assert "\u2013" in approved.text  # a multi-byte character before the link facet
    assert approved.data["links"] == [
        {
            "uri": "https://www.ranchoverde.example/elm-street",
            "text": "ranchoverde.example/elm-street",
        }
    ]
    assert approved.data["hashtags"] == ["ElmStreet"]
    lunch = by_text(items, "Lunch at Caf\u00e9 Ol\u00e9")
    assert lunch.data["hashtags"] == ["ShopElm", "ElmStreet"]
    mention = by_text(items, "@linh-eats.bsky.social thank you!")
    assert mention.data["mentions"] == [
        {"did": mention.data["mentions"][0]["did"], "text": "@linh-eats.bsky.social"}
    ]
    assert mention.data["mentions"][0]["did"].startswith("did:plc:")


def test_reply_threading(items: dict[str, NormalizedItem]) -> None:
    replies = [i for i in items.values() if i.kind == "reply"]
    assert len(replies) == 4
    thanks = by_text(items, "Thanks to everyone who spoke tonight")
    approved = by_text(items, "Council just approved the Elm Street rehab")
    assert thanks.parent_platform_id == thanks.root_platform_id == approved.platform_id
    assert thanks.data["reply"]["root_cid"] == approved.data["cid"]
    to_resident = by_text(items, "@linh-eats.bsky.social thank you!")
    day_one = by_text(items, "Day 1 of the Elm Street closure")
    assert to_resident.root_platform_id == day_one.platform_id
    assert to_resident.parent_platform_id is not None
    assert not to_resident.parent_platform_id.startswith(f"at://{DID}/")
    assert all(i.parent_platform_id is None for i in items.values() if i.kind == "post")


def test_embeds(items: dict[str, NormalizedItem]) -> None:
    opening = by_text(items, "ELM STREET IS OPEN")
    assert opening.data["embed"] == {"type": "images"}
    assert [m.description for m in opening.media] == [
        "Freshly paved Elm Street with new crosswalk stripes",
        "Ribbon cutting with council members and Elm business owners",
    ]
    for media in opening.media:
        assert media.uri.startswith("bafkrei")  # a raw-codec blob CID
        assert (media.kind, media.mime_type) == ("photo", "image/jpeg")
    recap = by_text(items, "Council recap: Elm Street is 60% done")
    external = recap.data["embed"]["external"]
    assert external["uri"] == "https://www.ranchoverde.example/elm-business"
    assert external["title"] == "Elm Street Business Support Program"
    assert external["thumb_cid"].startswith("bafkrei")
    quote = by_text(items, "Love this. See you at Summer Reading")
    assert quote.data["embed"]["type"] == "record"
    assert quote.data["embed"]["record"]["uri"].startswith("at://did:plc:")
    assert quote.data["embed"]["record"]["uri"].rsplit("/", 2)[1] == "app.bsky.feed.post"


def test_profile_record(items: dict[str, NormalizedItem]) -> None:
    profile = items[f"at://{DID}/app.bsky.actor.profile/self"]
    assert profile.kind == "profile"
    assert profile.author_name == "Councilmember Dana Whitfield"
    assert profile.text.startswith("Rancho Verde City Council, District 2.")
    assert [m.description for m in profile.media] == ["avatar", "banner"]


def test_normalize_post_record_accepts_the_appview_json_form() -> None:
    uri = POST_URI + "3kse7vqqxbc2a"
    record = {
        "$type": "app.bsky.feed.post",
        "text": "Caf\u00e9 #Parks",
        "createdAt": "2024-05-14T16:02:45.000Z",
        "facets": [
            {
                "index": {"byteStart": 6, "byteEnd": 12},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Parks"}],
            }
        ],
        "embed": {
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {
                "$type": "app.bsky.embed.record",
                "record": {"uri": POST_URI + "x", "cid": "c"},
            },
            "media": {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "park",
                        "image": {
                            "$type": "blob",
                            "ref": {"$link": "bafkreiabc"},
                            "mimeType": "image/png",
                        },
                    }
                ],
            },
        },
    }
    item = normalize_post_record(uri, record, author_handle="dana.example")
    assert item.kind == "post" and item.author_handle == "dana.example"
    assert item.data["hashtags"] == ["Parks"]
    assert item.media[0].uri == "bafkreiabc" and item.media[0].mime_type == "image/png"
    assert item.data["embed"]["record"]["record"]["uri"] == POST_URI + "x"
    assert item.created_at == datetime(2024, 5, 14, 16, 2, 45, tzinfo=UTC)


def test_corrupt_block_is_reported_by_cid() -> None:
    data = bytearray(CAR.read_bytes())
    car = read_car(bytes(data))
    profile_cid, block = next(
        (c, b) for c, b in car.blocks.items() if b"Rancho Verde City Council" in b.data
    )
    at = bytes(data).index(b"Rancho Verde City Council")
    data[at] ^= 0x20  # "rancho": still valid CBOR, no longer the bytes the CID names
    with pytest.raises(InvalidInput) as error:
        list(BlueskyRepoReader(car_files(bytes(data))).items())
    assert f"block {profile_cid} at byte {block.offset}" in str(error.value)
    assert "bluesky_repo.car" in str(error.value)
    assert "do not match their CID" in str(error.value)


def test_truncated_car_names_the_byte() -> None:
    data = CAR.read_bytes()[:5000]
    reader = BlueskyRepoReader(car_files(data))  # the header and the commit are intact
    with pytest.raises(InvalidInput, match=r"bluesky_repo\.car \(byte \d+\): truncated block"):
        list(reader.items())


def test_missing_record_block_is_reported() -> None:
    data = CAR.read_bytes()
    car = read_car(data)
    post_cid, post = next((c, b) for c, b in car.blocks.items() if b"Tonight I voted yes" in b.data)
    length, start = read_varint(data, post.offset)  # drop the whole frame: length, CID, data
    end = start + length
    cut = data[: post.offset] + data[end:]
    with pytest.raises(InvalidInput, match=rf"block {post_cid}\).*missing"):
        list(BlueskyRepoReader(car_files(cut)).items())


def test_dag_cbor_decoder() -> None:
    assert decode_dag_cbor(bytes.fromhex("a26161016162f5")) == {"a": 1, "b": True}
    assert decode_dag_cbor(bytes.fromhex("3903e7")) == -1000
    assert decode_dag_cbor(bytes.fromhex("fb3ff8000000000000")) == 1.5
    cid = CID.of(b"hello")
    link = bytes.fromhex("d82a5825") + b"\x00" + cid.raw
    assert decode_dag_cbor(link) == cid
    assert str(cid).startswith("bafyrei")
    for bad, why in [
        ("9fff", "indefinite"),  # indefinite-length array
        ("c11a00000000", "tag 1"),  # a tag other than 42
        ("62c328", "UTF-8"),  # invalid UTF-8 text
        ("0101", "trailing"),  # two values
        ("a1016161", "not a string"),  # integer map key
    ]:
        with pytest.raises(CarError, match=why):
            decode_dag_cbor(bytes.fromhex(bad))


def test_unrecognized_export_is_not_a_repository() -> None:
    assert not BlueskyRepoReader.detect(ZipFiles(SAMPLE / "broken" / "unrecognized_contents.zip"))


def test_item_data_is_plain_json(items: dict[str, NormalizedItem]) -> None:
    for item in items.values():
        json.dumps(item.data, allow_nan=False)


def _encode(value: object) -> bytes:
    """Canonical DAG-CBOR, written independently of the decoder under test."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError(n)

    if value is None or isinstance(value, bool):
        return {None: b"\xf6", True: b"\xf5", False: b"\xf4"}[value]
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        return head(3, len(value.encode())) + value.encode()
    if isinstance(value, CID):
        return b"\xd8\x2a" + _encode(b"\x00" + value.raw)
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(_encode(v) for v in value)
    assert isinstance(value, dict)
    keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
    return head(5, len(value)) + b"".join(_encode(k) + _encode(value[k]) for k in keys)


dag_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64 - 1)
    | st.text()
    | st.binary()
    | st.binary(min_size=1).map(CID.of),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


@given(dag_values)
def test_dag_cbor_round_trip(value: object) -> None:
    assert decode_dag_cbor(_encode(value)) == value


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_car_is_read_or_reported_never_crashes(data: st.DataObject) -> None:
    raw = bytearray(CAR.read_bytes())
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    else:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
    files = car_files(bytes(raw))
    if not BlueskyRepoReader.detect(files):
        return
    try:
        list(BlueskyRepoReader(files).items())
    except InvalidInput as error:
        assert "bluesky_repo.car" in str(error)
