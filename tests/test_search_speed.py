"""The fast query path (document-number sets, cached filter sets, a top-N scoring pass) gives
exactly the answers of Whoosh's own exhaustive scored and sorted search."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from whoosh import query as wq
from whoosh.searching import Searcher

from archiver.archive import Archive
from archiver.db.models import Item, ItemVersion
from archiver.search import index_items, parse_query
from archiver.search.query import ParsedQuery
from archiver.search.whoosh_arrays import Unsupported, scored_matches
from archiver.search.whoosh_index import WhooshIndex, _MappedFile, text_query
from tests.factories import Store
from tests.test_search_index import WORDS, populate

FILTERS = [
    "",
    "platform:facebook",
    "kind:comment",
    "-kind:comment",
    "state:removed_by_city",
    "author:resident2",
    "hashtag:elmstreet",
    "from:2024-01 to:2024-03",
    "from:2024-02-10",
    "to:2023-12-31",
    "account:ranchoverde kind:post",
]


def exhaustive_query(engine: WhooshIndex, searcher: Searcher, parsed: ParsedQuery) -> wq.Query:
    """The whole query as one Whoosh query, for Whoosh's own exhaustive search: the words,
    and the filters as a constant score (they restrict; every hit gets the same constant)."""
    parts: list[wq.Query] = []
    if parsed.text.strip():
        parts.append(text_query(parsed.text))
    filters = engine._filter_query(searcher, parsed.filters)
    if filters is not None:
        parts.append(wq.ConstantScoreQuery(filters, 1.0))
    if not parts:
        return wq.Every()
    return parts[0] if len(parts) == 1 else wq.And(parts)


def test_fast_path_matches_exhaustive_whoosh(archive: Archive) -> None:
    populate(archive)
    engine = WhooshIndex(archive.settings.index_dir)
    terms = st.sampled_from([*WORDS, "elm", "#elmstreet", "draft", "stre*", '"elm street"'])
    joins = st.sampled_from([" ", " AND ", " OR ", " NOT "])

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(terms, min_size=0, max_size=3), joins, st.sampled_from(FILTERS))
    def same(words: list[str], join: str, field: str) -> None:
        text = join.join(words)
        if join == " NOT " and len(words) < 2:
            text = " ".join(words)
        query = parse_query(f"{text} {field}".strip())
        with engine._searcher() as searcher:
            q = exhaustive_query(engine, searcher, query)
            scored = bool(query.text.strip())
            options = {} if scored else {"sortedby": "created", "reverse": True}
            full = searcher.search(q, limit=None, optimize=False, **options)
            expected = [int(hit["id"]) for hit in full]
        assert engine.matching_ids(query) == sorted(expected)
        for offset, limit in ((0, 5), (5, 5), (0, 100)):
            page = engine.search(query, sort="relevance", offset=offset, limit=limit)
            assert page.total == len(expected)
            assert [h.item_id for h in page.hits] == expected[offset : offset + limit]
        newest = engine.search(query, sort="date", offset=0, limit=100)
        oldest = engine.search(query, sort="oldest", offset=0, limit=100)
        assert [h.item_id for h in oldest.hits] == [h.item_id for h in newest.hits][::-1]

    try:
        same()
    finally:
        engine.close()


def test_cached_filter_sets_follow_index_updates(archive: Archive) -> None:
    """A long-lived engine caches the document sets of filter terms; a commit by any writer
    (here ``index_items`` after new items and a state change) must show in its next answer."""
    ids = populate(archive)
    engine = WhooshIndex(archive.settings.index_dir)
    try:
        removed = parse_query("state:removed_by_city")
        dated = parse_query("parade from:2030-01 to:2030-12")
        assert engine.matching_ids(removed) == [ids[3]]
        assert engine.search(dated, sort="relevance", offset=0, limit=20).total == 0

        store = Store(archive)
        account = store.account("facebook", "RanchoVerdeNews")
        new = store.item(account, "parade route", created_at=datetime(2030, 5, 1, tzinfo=UTC))
        store.change(ids[5], state="removed_by_city")
        index_items(archive, [new, ids[5]])

        assert engine.matching_ids(removed) == sorted([ids[3], ids[5]])
        found = engine.search(dated, sort="relevance", offset=0, limit=20)
        assert (found.total, [h.item_id for h in found.hits]) == (1, [new])
        assert engine.search(parse_query(""), sort="date", offset=0, limit=1).hits[0].item_id == new
    finally:
        engine.close()


def test_every_document_of_a_large_postings_list(archive: Archive) -> None:
    """Postings longer than one block, in several segments and with deletions, are read whole."""
    store = Store(archive)
    account = store.account("facebook", "RanchoVerdeCity")
    # Term frequencies and lengths vary, so that scores differ from item to item.
    ids = [
        store.item(account, f"budget hearing {n}" + " budget" * (n % 3) + " draft" * (n % 7))
        for n in range(600)
    ]
    index_items(archive, ids[:450])
    index_items(archive, ids[450:])
    with archive.unit() as session:
        session.execute(delete(ItemVersion).where(ItemVersion.item_id.in_(ids[:10])))
        session.execute(delete(Item).where(Item.id.in_(ids[:10])))
    index_items(archive, ids[:10])
    engine = WhooshIndex(archive.settings.index_dir)
    try:
        with engine._searcher() as searcher:
            expected = set(searcher.docs_for_query(wq.Term("platform", "facebook")))
            found = {int(n) for n in np.flatnonzero(engine._sets.term("platform", "facebook"))}
            assert len(found) == 590 == len(expected)
            assert found == expected
        assert engine.matching_ids(parse_query("budget")) == ids[10:]
        assert engine.search(parse_query("budget"), sort="date", offset=0, limit=1).total == 590
        with engine._searcher() as searcher:
            for words in ("budget", "draft", "hearing budget", "draft OR budget"):
                query = text_query(words)
                docnums, scores = scored_matches(searcher, query, engine._sets.segments)
                full = searcher.search(query, limit=None, optimize=False)
                expected = sorted((hit.docnum, hit.score) for hit in full)
                assert list(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected
    finally:
        engine.close()


def test_count_is_exact_when_words_are_in_both_texts(archive: Archive) -> None:
    """Whoosh's collector, asked for the first page only, undercounts documents whose current
    and earlier texts both match; the count a clerk sees must be every match."""
    store = Store(archive)
    account = store.account("facebook", "RanchoVerdeCity")
    ids = [
        store.item(account, f"budget hearing {n}", earlier=[f"draft budget {n}"] if n % 2 else [])
        for n in range(60)
    ]
    index_items(archive, ids)
    engine = WhooshIndex(archive.settings.index_dir)
    try:
        page = engine.search(parse_query("budget"), sort="relevance", offset=0, limit=20)
        assert page.total == 60
        assert len(page.hits) == 20
        assert engine.matching_ids(parse_query("budget")) == ids
    finally:
        engine.close()


def test_array_scores_are_whooshs_to_the_bit(archive: Archive) -> None:
    """``whoosh_arrays`` evaluates words, AND, OR and NOT over several segments with deleted
    documents, and every match and score equals Whoosh's own, float for float; a phrase is
    left to Whoosh."""
    populate(archive)
    engine = WhooshIndex(archive.settings.index_dir)
    terms = st.sampled_from([*WORDS, "elm", "#elmstreet", "draft", "number", "nowhere"])
    joins = st.sampled_from([" ", " AND ", " OR ", " NOT "])

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(terms, min_size=1, max_size=4), joins)
    def same(words: list[str], join: str) -> None:
        if join == " NOT " and len(words) < 2:
            join = " "
        query = text_query(join.join(words))
        with engine._searcher() as searcher:
            assert len(searcher.leaf_searchers()) > 1
            assert searcher.reader().has_deletions()
            docnums, scores = scored_matches(searcher, query, engine._sets.segments)
            full = searcher.search(query, limit=None, optimize=False)
            expected = sorted((hit.docnum, hit.score) for hit in full)
        assert list(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected

    try:
        same()
        with engine._searcher() as searcher, pytest.raises(Unsupported):
            scored_matches(searcher, text_query('"elm street"'), engine._sets.segments)
    finally:
        engine.close()


def test_pages_of_many_equal_scores_follow_document_order(archive: Archive) -> None:
    """Ties (here 120 items with the same score) are ordered as Whoosh orders them, by index
    order, on every page and in both date orders."""
    store = Store(archive)
    account = store.account("facebook", "RanchoVerdeCity")
    ids = [
        store.item(
            account, f"budget hearing {n}", created_at=datetime(2024, 1, 1 + n % 5, tzinfo=UTC)
        )
        for n in range(120)
    ]
    index_items(archive, ids)
    engine = WhooshIndex(archive.settings.index_dir)
    try:
        query = parse_query("budget")
        pages = [
            engine.search(query, sort="relevance", offset=start, limit=25).hits
            for start in range(0, 120, 25)
        ]
        assert [hit.item_id for page in pages for hit in page] == ids
        newest = engine.search(query, sort="date", offset=0, limit=7).hits
        by_date = sorted(ids, key=lambda i: (ids.index(i) % 5, ids.index(i)), reverse=True)
        assert [hit.item_id for hit in newest] == by_date[:7]
        oldest = engine.search(query, sort="oldest", offset=3, limit=7).hits
        assert [hit.item_id for hit in oldest] == by_date[::-1][3:10]
    finally:
        engine.close()


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=64),
    st.lists(
        st.tuples(
            st.sampled_from(["read", "readline", "seek", "tell"]),
            st.integers(-3, 70),
            st.sampled_from([0, 1, 2]),
        ),
        max_size=12,
    ),
)
def test_mapped_file_reads_like_bytesio(data: bytes, calls: list[tuple[str, int, int]]) -> None:
    """The read-only file over a mapped segment (no copy) answers as the BytesIO it replaces."""
    mapped, copied = _MappedFile(memoryview(data)), io.BytesIO(data)
    for name, number, whence in calls:
        if name == "seek":
            if whence == 0:
                number = abs(number)
            assert mapped.seek(number, whence) == copied.seek(number, whence)
        elif name == "tell":
            assert mapped.tell() == copied.tell()
        else:
            assert getattr(mapped, name)(number) == getattr(copied, name)(number)
    assert list(mapped) == list(copied)


def test_segments_are_read_from_mapped_memory_without_a_copy(archive: Archive) -> None:
    """Opening a searcher must not copy the index into the process (at a million items Whoosh's
    BytesIO copied 2 GB): the files of a compound segment are read through ``_MappedFile``."""
    populate(archive)
    engine = WhooshIndex(archive.settings.index_dir)
    try:
        with engine._searcher() as searcher:
            reader = searcher.reader()
            subreaders = [r for r, _ in reader.leaf_readers()]
            postfiles = [r._terms._postfile for r in subreaders]
            assert any(isinstance(f.file, _MappedFile) for f in postfiles)
            assert not any(isinstance(f.file, io.BytesIO) for f in postfiles)
        assert engine.search(parse_query("parade"), sort="relevance", offset=0, limit=5).total
    finally:
        engine.close()
