"""A hold's search query selects exactly what ``archiver search`` selects.

The property: for generated items (texts with inflections, accents, hashtags, handles, earlier
versions, authors, kinds, states, dates around midnight in the City's time zone) and generated
queries of the search language (words, prefixes, wildcards, phrases, AND/OR/NOT/-, groups and
every field filter), the hold matcher, reading the store, and the search index, built with
``index_items``, find the same items. Then the cases an attorney would ask about, and an item
captured later through the real ingest.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from archiver.accounts import add_account
from archiver.archive import Archive
from archiver.config import AccountSpec
from archiver.db.models import Item
from archiver.errors import Conflict, InvalidInput
from archiver.holds.matching import assert_not_held, held_items, query_hits
from archiver.holds.models import HoldItem, LegalHold
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold, show_hold
from archiver.ingest import ingest
from archiver.search import index_items
from archiver.search.indexing import open_index
from archiver.search.searching import prepare
from tests import exports as ex
from tests.conftest import actor
from tests.factories import Store

WORDS = (
    "closure",
    "closures",
    "Closing",
    "CLOSED",
    "café",
    "CAFE",
    "parking",
    "parked",
    "Elm",
    "street",
    "streets",
    "José",
    "jose",
    "budget",
    "#ElmStreet",
    "#elmstreet",
    "#Parking",
    "@RanchoVerdePW",
    "@dana.bsky.social",
    "e-mail",
    "don't",
    "2024",
)
AUTHORS = (
    ("María López", "maria.lopez"),
    ("Pat Smith", "patsmith"),
    ("City of Rancho Verde", "RanchoVerdeCity"),
)
PLATFORMS = ("facebook", "x", "instagram")
KINDS = ("post", "comment", "reply")
STATES = ("active", "hidden", "removed_by_city")
TAGS = ("ElmStreet", "parking", "Budget2024")
HANDLES = ("RanchoVerdePW", "dana.bsky.social", "maria.lopez")
MIDNIGHT = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)  # March 1, 00:00 in Rancho Verde

texts = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
items = st.lists(
    st.fixed_dictionaries(
        {
            "account": st.integers(0, 2),
            "text": texts,
            "earlier": st.lists(texts, max_size=2),
            "author": st.sampled_from(AUTHORS),
            "kind": st.sampled_from(KINDS),
            "state": st.sampled_from(STATES),
            "minutes": st.integers(-60 * 24 * 40, 60 * 24 * 40),  # around March 1
            "hashtags": st.lists(st.sampled_from(TAGS), max_size=2),
            "mentions": st.lists(st.sampled_from(HANDLES), max_size=2),
        }
    ),
    min_size=1,
    max_size=8,
)


def _variant(word: str, upper: bool) -> str:
    return word.upper() if upper else word


words = st.builds(_variant, st.sampled_from(WORDS), st.booleans())
atoms = st.one_of(
    words,
    words.map(lambda w: w.strip("#@")[:3] + "*"),  # prefix
    st.sampled_from(["clos?r*", "c*e", "?lm"]),  # wildcards
    st.lists(words, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
)
free_text = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" ", " AND ", " OR ", " -"]), inner).map("".join),
        inner.map(lambda q: f"NOT ({q})"),  # "NOT NOT x" crashes the Whoosh parser
        inner.map(lambda q: f"({q})"),
    ),
    max_leaves=4,
)
day = st.dates(date(2024, 1, 20), date(2024, 4, 10)).map(date.isoformat)
filters = st.one_of(
    st.sampled_from(PLATFORMS).map(lambda v: f"platform:{v}"),
    st.sampled_from(["ranchoverde0*", "facebook:RanchoVerde0*", "x:*", "instagram:rancho*"]).map(
        lambda v: f"account:{v}"
    ),
    st.sampled_from(['"María López"', "lopez", "patsmith", "@maria.lopez", "pat*"]).map(
        lambda v: f"author:{v}"
    ),
    st.sampled_from(KINDS).map(lambda v: f"kind:{v}"),
    st.sampled_from(STATES).map(lambda v: f"state:{v}"),
    st.sampled_from(["#ElmStreet", "parking", "budget*"]).map(lambda v: f"hashtag:{v}"),
    st.sampled_from(["@RanchoVerdePW", "dana.bsky.social", "maria*"]).map(lambda v: f"mention:{v}"),
    day.map(lambda d: f"from:{d}"),
    day.map(lambda d: f"to:{d}"),
    st.sampled_from(["2024-03", "2024-02"]).map(lambda m: f"from:{m} to:{m}"),
)
negatable = filters.filter(lambda f: not f.startswith(("from:", "to:")))
queries = st.builds(
    lambda text, found, excluded: " ".join([text, *found, *(f"-{f}" for f in excluded)]).strip(),
    st.one_of(st.just(""), free_text),
    st.lists(filters, max_size=2),
    st.lists(negatable, max_size=1),
)
_numbers = itertools.count()


def _store(archive: Archive, generated: list[dict[str, object]]) -> list[int]:
    store = Store(archive)
    run = next(_numbers)
    accounts = [
        store.account(platform, f"RanchoVerde{n}x{run}") for n, platform in enumerate(PLATFORMS)
    ]
    ids = []
    for number, spec in enumerate(generated):
        ids.append(
            store.item(
                accounts[spec["account"]],  # type: ignore[index]
                spec["text"],  # type: ignore[arg-type]
                earlier=spec["earlier"],  # type: ignore[arg-type]
                author=spec["author"],  # type: ignore[arg-type]
                kind=spec["kind"],  # type: ignore[arg-type]
                state=spec["state"],  # type: ignore[arg-type]
                created_at=MIDNIGHT + timedelta(minutes=spec["minutes"]),  # type: ignore[operator]
                hashtags=spec["hashtags"],  # type: ignore[arg-type]
                mentions=spec["mentions"],  # type: ignore[arg-type]
                platform_id=f"{run}-{number}",
            )
        )
    # A fresh index for each example: Hypothesis seeds ``random``, from which Whoosh names its
    # segments, so a second commit to the same folder would reuse a segment's name.
    shutil.rmtree(archive.settings.index_dir, ignore_errors=True)
    index_items(archive, ids)
    return ids


def _searched(archive: Archive, query: str, among: list[int]) -> set[int]:
    with archive.db.read() as session:
        parsed = prepare(session, query, None, "relevance")
    with open_index(archive) as engine:
        return set(engine.matching_ids(parsed)) & set(among)


def _held(archive: Archive, query: str, among: list[int]) -> set[int]:
    with archive.db.read() as session:
        return query_hits(session, query, among)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=items, asked=st.lists(queries, min_size=1, max_size=12))
def test_hold_matcher_and_search_index_select_the_same_items(
    archive: Archive, generated: list[dict[str, object]], asked: list[str]
) -> None:
    ids = _store(archive, generated)
    for query in asked:
        try:
            expected = _searched(archive, query, ids)
        except InvalidInput:
            with pytest.raises(InvalidInput), archive.db.read() as session:
                query_hits(session, query, ids)
            continue
        assert _held(archive, query, ids) == expected, query


@pytest.fixture
def city(archive: Archive) -> dict[str, int]:
    store = Store(archive)
    page = store.account("facebook", "RanchoVerdeCity")
    pd = store.account("x", "rvpd_official")
    return {
        "closures": store.item(
            page,
            "Elm Street closures begin Monday. #ElmStreet Questions? Ask @RanchoVerdePW",
            hashtags=["ElmStreet"],
            mentions=["RanchoVerdePW"],
            created_at=datetime(2024, 3, 1, 7, 30, tzinfo=UTC),  # Feb 29 in Rancho Verde
        ),
        "cafe": store.item(
            page,
            "CAFÉ owners near Elm: José Núñez explains the parking refunds.",
            created_at=datetime(2024, 3, 20, 19, 0, tzinfo=UTC),
        ),
        "edited": store.item(
            page,
            "Update: schedule posted.",
            kind="comment",
            author=("María López", "maria.lopez"),
            earlier=["This closure of the street is a disgrace"],
            created_at=datetime(2024, 3, 1, 8, 0, tzinfo=UTC),  # March 1 in Rancho Verde
        ),
        "police": store.item(
            pd,
            "Street closed near Elm for the parade",
            author=("Rancho Verde Police", "rvpd_official"),
            state="hidden",
            created_at=datetime(2024, 4, 2, 15, 0, tzinfo=UTC),
        ),
    }


def _hold(archive: Archive, query: str) -> tuple[str, set[int]]:
    """Place a hold with ``query``; its code and the items recorded under it."""
    code = create_hold(
        archive, actor("attorney"), HoldRequest("Doe v. City", HoldScope(query=query), "CV-1")
    ).code
    with archive.db.read() as session:
        items = session.scalars(
            select(HoldItem.item_id)
            .join(LegalHold, HoldItem.hold_id == LegalHold.id)
            .where(LegalHold.code == code)
        )
        return code, set(items)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("closure", {"closures", "edited"}),  # stemming, and an earlier version's text
        ("cafe jose nunez", {"cafe"}),  # case and accent folding
        ("#elmstreet", {"closures"}),  # a hashtag is one whole token
        ("elmstreet", set()),  # ... not the word without its #
        ("@ranchoverdepw", {"closures"}),
        ('"elm street"', {"closures"}),  # a phrase: the words in that order
        ('"street elm"', set()),
        ("clos*", {"closures", "edited", "police"}),  # a prefix keeps its letters
        ("closure OR parking", {"closures", "cafe", "edited"}),
        ("elm NOT parking", {"closures", "police"}),
        ("elm -parking", {"closures", "police"}),
        ("platform:x", {"police"}),
        ("account:facebook:RanchoVerdeCity closure", {"closures", "edited"}),
        ('author:"María López"', {"edited"}),
        ("author:lopez", {"edited"}),
        ("kind:comment", {"edited"}),
        ("state:hidden", {"police"}),
        ("-state:hidden elm", {"closures", "cafe"}),
        ("hashtag:#ElmStreet", {"closures"}),
        ("mention:ranchoverdepw", {"closures"}),
        ("from:2024-03-01 to:2024-03-31", {"cafe", "edited"}),  # days in the City's zone
        ("to:2024-02", {"closures"}),
    ],
)
def test_hold_scopes_match_like_search(
    archive: Archive, city: dict[str, int], query: str, expected: set[str]
) -> None:
    names = {v: k for k, v in city.items()}
    code, held = _hold(archive, query)
    assert {names[i] for i in held} == expected
    assert show_hold(archive, code).items == len(expected)
    index_items(archive, city.values())
    assert held == _searched(archive, query, list(city.values()))


def test_a_bad_query_is_refused_when_the_hold_is_placed(archive: Archive) -> None:
    with pytest.raises(InvalidInput, match="state:gone is not a known state"):
        create_hold(
            archive,
            actor("attorney"),
            HoldRequest("Doe v. City", HoldScope(query="closure state:gone"), "CV-1"),
        )


def test_an_item_captured_later_is_held_by_the_real_ingest(
    archive: Archive, tmp_path: Path
) -> None:
    """The hold's query finds the new post by another form of its word, inside the ingest's
    unit of work (before the index has the post): it is recorded under the hold at once."""
    add_account(
        archive,
        actor("admin"),
        AccountSpec("facebook", "RanchoVerdeCity", ex.PAGE, platform_account_id=ex.PAGE_ID),
    )
    code, held = _hold(archive, "closure #ElmStreet")
    assert held == set()
    feed = ex.graph_feed(
        [
            ex.graph_post(1, "Elm Street CLOSURES start Monday #ElmStreet"),
            ex.graph_post(2, "Elm Street reopens #ElmStreet"),
            ex.graph_post(3, "closures on Oak"),
        ]
    )
    result = ingest(archive, actor("records"), ex.write_tree(tmp_path / "feed", feed))
    with archive.db.read() as session:
        recorded = session.execute(
            select(Item.platform_id, HoldItem.matched_by)
            .join(HoldItem, HoldItem.item_id == Item.id)
            .join(LegalHold, HoldItem.hold_id == LegalHold.id)
            .where(LegalHold.code == code)
        ).all()
    assert recorded == [(f"{ex.PAGE_ID}_1", "query")]
    assert show_hold(archive, code).items == 1
    held_post = next(
        i
        for i in result.changed_item_ids
        if i in _searched(archive, "closure #ElmStreet", list(result.changed_item_ids))
    )
    with pytest.raises(Conflict), archive.db.read() as session:
        assert_not_held(session, [held_post], action="redact")


def test_several_query_holds_share_one_reading_of_the_items(
    archive: Archive, city: dict[str, int]
) -> None:
    first, _ = _hold(archive, "closure")
    second, _ = _hold(archive, "parking OR streets")
    with archive.db.read() as session:
        held = held_items(session, city.values())
    assert held == {
        city["closures"]: [first, second],
        city["edited"]: [first, second],
        city["cafe"]: [second],
        city["police"]: [second],
    }


def test_filters_in_a_query_restrict_what_its_words_find(
    archive: Archive, city: dict[str, int]
) -> None:
    """As in the search, a filter is ANDed with the words: ``parking OR state:hidden`` is
    ``parking`` among hidden items, not either of them."""
    _, held = _hold(archive, "parking OR state:hidden")
    assert held == set()
    index_items(archive, city.values())
    assert _searched(archive, "parking OR state:hidden", list(city.values())) == set()


def test_an_excluded_filter_excludes_in_the_search_too(archive: Archive) -> None:
    """Found by the property test: the index's AndNot let an excluded item through."""
    store = Store(archive)
    page = store.account("facebook", "RanchoVerdeCity")
    ids = [
        store.item(page, "", earlier=["", ""], platform_id="1"),
        store.item(page, "", platform_id="2"),
        store.item(page, "", platform_id="3"),
    ]
    index_items(archive, ids)
    assert _searched(archive, "state:active -platform:facebook", ids) == set()
    assert _held(archive, "state:active -platform:facebook", ids) == set()
    assert _searched(archive, "state:active", ids) == set(ids[1:])
