"""The Whoosh implementation of ``SearchIndex`` (docs/adr/0012-search-engine.md)."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import fields, highlight, index, qparser
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.filedb import structfile
from whoosh.idsets import DocIdSet
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

from archiver.errors import Busy, InvalidInput, NotFound
from archiver.search.analysis import fold, name_analyzer, text_analyzer
from archiver.search.dates import range_tokens
from archiver.search.interface import EngineHit, EngineResults, IndexDocument
from archiver.search.query import FILTER_FIELDS, ParsedQuery, SearchFilters
from archiver.search.whoosh_arrays import (
    Mask,
    SegmentArrays,
    Unsupported,
    block_postings,
    column_array,
    scored_matches,
    top,
)

INDEX_NAME = "items"
TEXT_FIELDS = ("text", "earlier")
SHORT_TEXT = 280  # characters: a text this short is shown whole, longer ones in fragments
# Filter name in the query language -> index field.
FILTER_INDEX_FIELDS = {name: name for name in FILTER_FIELDS} | {
    "hashtag": "hashtags",
    "mention": "mentions",
}


def schema() -> fields.Schema:
    text = text_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        digest=fields.STORED(),
        text=fields.TEXT(analyzer=text, phrase=True),
        earlier=fields.TEXT(analyzer=text, phrase=True),
        platform=fields.ID(),
        account=fields.KEYWORD(lowercase=True),
        kind=fields.ID(),
        author=fields.TEXT(analyzer=name_analyzer(), phrase=True),
        created=fields.DATETIME(sortable=True),
        captured=fields.DATETIME(),
        dates=fields.KEYWORD(),
        hashtags=fields.KEYWORD(lowercase=True),
        mentions=fields.KEYWORD(lowercase=True),
        state=fields.ID(),
        parent=fields.ID(),
        thread=fields.ID(),
        series=fields.ID(),
        hold=fields.BOOLEAN(),
    )


def whoosh_fields(doc: IndexDocument) -> dict[str, Any]:
    """The Whoosh field values of a document (also used by the benchmark's bare writer)."""
    values: dict[str, Any] = {
        "id": str(doc.item_id),
        "digest": doc.digest,
        "text": doc.text,
        "earlier": doc.earlier_text,
        "platform": doc.platform,
        "account": " ".join(doc.account),
        "kind": doc.kind,
        "author": doc.author,
        "created": doc.created.replace(tzinfo=None),
        "captured": doc.captured.replace(tzinfo=None),
        "dates": " ".join(doc.date_tokens),
        "hashtags": " ".join(doc.hashtags),
        "mentions": " ".join(doc.mentions),
        "state": doc.state,
        "thread": doc.thread,
        "hold": doc.hold,
    }
    for name, value in (("parent", doc.parent), ("series", doc.series)):
        if value:
            values[name] = value
    return values


class _Writer:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def put(self, document: IndexDocument) -> None:
        self._writer.update_document(**whoosh_fields(document))

    def delete(self, item_id: int) -> None:
        self._writer.delete_by_term("id", str(item_id))


def _remember_missing_columns() -> None:
    """Whoosh's per-segment reader looks on disk for a field-lengths column on every posting of
    a field that has none (IDs, keywords) while it writes a segment: one ``stat`` per posting,
    about a third of indexing time. A segment's files never change, so the absence is
    remembered like a presence already is."""
    reader_class = whoosh3.W3PerDocReader
    original = reader_class._cached_reader
    if getattr(original, "remembers_missing", False):
        return

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        reader = original(self, fieldname, column)
        if reader is None:
            self._readers[fieldname] = None
        return reader

    _cached_reader.remembers_missing = True  # type: ignore[attr-defined]
    reader_class._cached_reader = _cached_reader


def _share_mapped_files() -> None:
    """Whoosh maps a segment's compound file into memory, then wraps each file inside it in a
    ``BytesIO``, which copies it: opening a searcher on a million items read 2 GB into the
    process (4 GB peak) and took 1.4 s. A read-only file over the mapped memory does what the
    ``BytesIO`` was for (sequential reads of block headers) without the copy."""
    buffer_file = structfile.BufferFile
    original = buffer_file.__init__
    if getattr(original, "shares_mapped_memory", False):
        return

    def __init__(self: Any, buf: Any, name: Any = None, onclose: Any = None) -> None:
        original(self, b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MappedFile(buf) if isinstance(buf, memoryview) else BytesIO(buf)

    __init__.shares_mapped_memory = True  # type: ignore[attr-defined]
    buffer_file.__init__ = __init__


class _MappedFile:
    """A read-only file over a memory view (no copy)."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        end = len(view) if size is None or size < 0 else min(start + size, len(view))
        newline = bytes(view[start:end]).find(b"\n")
        return self.read(end - start if newline < 0 else newline + 1)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def close(self) -> None:
        pass


class WhooshIndex:
    """A Whoosh index in ``path``. ``path.with_name(path.name + ".lock")`` serializes writers
    across processes (an ``flock``, released by the kernel if a writer dies)."""

    def __init__(self, path: Path, *, procs: int = 1, limitmb: int = 128) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.procs = procs
        self.limitmb = limitmb
        self._open_searcher: Searcher | None = None
        self._sets = DocSets(None)
        self._folder = 0
        _remember_missing_columns()
        _share_mapped_files()

    # -- writing --------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.is_dir() and index.exists_in(str(self.path), INDEX_NAME)

    @contextmanager
    def _locked(self, timeout: float) -> Iterator[None]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy(
                            "index busy: another archiver process is writing the search index",
                            hint="Wait for it to finish (an ingest or `archiver index rebuild`) "
                            "and run the command again.",
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)

    def _open_or_create(self) -> Any:
        if self.exists():
            return index.open_dir(str(self.path), indexname=INDEX_NAME)
        self.path.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.path), schema(), indexname=INDEX_NAME)

    @contextmanager
    def writer(self, timeout: float) -> Iterator[_Writer]:
        """Add, replace and delete documents; committed together on success, dropped on error."""
        with self._locked(timeout):
            writer = self._open_or_create().writer(limitmb=self.limitmb)
            try:
                yield _Writer(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def rebuild(self, documents: Iterable[IndexDocument], timeout: float) -> int:
        """Build a new index beside the old one, then swap it in: searches keep working on the
        old index meanwhile, and a failed rebuild leaves it untouched."""
        fresh = self.path.with_name(self.path.name + ".rebuild")
        with self._locked(timeout):
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir(parents=True)
            ix = index.create_in(str(fresh), schema(), indexname=INDEX_NAME)
            options: dict[str, Any] = {"limitmb": self.limitmb}
            if self.procs > 1:
                options.update(procs=self.procs, multisegment=True)
            writer = ix.writer(**options)
            count = 0
            try:
                for document in documents:
                    writer.add_document(**whoosh_fields(document))
                    count += 1
            except BaseException:
                writer.cancel()
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            writer.commit()
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                self.path.rename(old)
            fresh.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)
            return count

    # -- reading --------------------------------------------------------------------------------

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher on the latest commit, kept open between searches (a long-lived process
        such as a web UI then pays the index opening once)."""
        if not self.exists():
            raise NotFound(
                "the search index has not been built",
                hint="Run `archiver index rebuild`.",
            )
        folder = self.path.stat().st_ino  # a rebuild swaps in a new folder
        searcher = self._open_searcher
        if searcher is not None and (folder != self._folder or not searcher.up_to_date()):
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = index.open_dir(str(self.path), indexname=INDEX_NAME).searcher()
            self._sets = DocSets(searcher)
        self._open_searcher, self._folder = searcher, folder
        yield searcher

    def close(self) -> None:
        if self._open_searcher is not None:
            self._open_searcher.close()
            self._open_searcher = None
            self._sets = DocSets(None)

    def search(self, query: ParsedQuery, *, sort: str, offset: int, limit: int) -> EngineResults:
        with self._searcher() as searcher:
            wanted = offset + limit
            if sort == "relevance" and query.text.strip():
                # Every match of the words, scored, restricted by the filters' cached document
                # mask (the filters only ever restricted: a constant score). Unlimited, so
                # that the count is exact; the page is picked from the scores.
                allowed = self._filter_docs(searcher, query)
                if allowed is not None and not allowed.any():
                    return EngineResults([], 0)
                words = text_query(query.text)
                try:
                    docnums, scores = scored_matches(searcher, words, self._sets.segments)
                except Unsupported:
                    page, total = self._whoosh_scored(searcher, words, allowed, offset, wanted)
                else:
                    if allowed is not None:
                        keep = allowed[docnums]
                        docnums, scores = docnums[keep], scores[keep]
                    total = len(docnums)
                    page = top(docnums, scores, offset, wanted)
            else:
                # Date order needs no scores: the exact match set, and the page picked from it
                # by the ``created`` column.
                docs = np.flatnonzero(self._docs(searcher, query))
                total = len(docs)
                picked = _by_date(docs, self._sets.created(), sort, wanted)
                page = [(n, 0.0) for n in picked[offset:]]
            hits = [EngineHit(int(searcher.stored_fields(n)["id"]), score) for n, score in page]
            return EngineResults(hits, total)

    @staticmethod
    def _whoosh_scored(
        searcher: Searcher, words: wq.Query, allowed: Mask | None, offset: int, wanted: int
    ) -> tuple[list[tuple[int, float]], int]:
        """Whoosh's own scoring pass, for the queries ``whoosh_arrays`` does not evaluate
        (phrases, slop...): unlimited, because Whoosh's collector undercounts a limited
        search (documents whose current and earlier texts both match)."""
        results = searcher.search(
            words,
            filter=None if allowed is None else _Allowed(allowed),
            limit=None,
            optimize=False,
            terms=False,
        )
        page = [(n, float(score or 0.0)) for score, n in results.top_n[offset:wanted]]
        return page, len(results)

    def matching_ids(self, query: ParsedQuery) -> list[int]:
        with self._searcher() as searcher:
            docs = np.flatnonzero(self._docs(searcher, query))
            return sorted(int(searcher.stored_fields(int(n))["id"]) for n in docs)

    def _docs(self, searcher: Searcher, parsed: ParsedQuery) -> Mask:
        """The exact set of documents (a mask over Whoosh document numbers) the query
        matches."""
        sets = self._sets
        found = sets.every()
        if parsed.text.strip():
            found = found & sets.of(text_query(parsed.text))
        filters = self._filter_docs(searcher, parsed)
        if filters is not None:
            found = found & filters
        return found

    def _filter_docs(self, searcher: Searcher, parsed: ParsedQuery) -> Mask | None:
        filters = self._filter_query(searcher, parsed.filters)
        return None if filters is None else self._sets.of(filters)

    def digests(self) -> Iterator[tuple[int, str]]:
        with self._searcher() as searcher:
            for fields_ in searcher.all_stored_fields():
                yield int(fields_["id"]), str(fields_.get("digest", ""))

    def snippets(self, query: ParsedQuery, texts: Mapping[int, str]) -> dict[int, str]:
        """Up to three fragments of each text around the query's words, matches in **bold**."""
        if not query.text.strip():
            return {}
        with self._searcher() as searcher:
            q = text_query(query.text)
            # Query.existing_terms skips fields after the first (whoosh reuses its argument
            # name in the loop), so the leaves are expanded here.
            words = {
                (t.decode("utf-8") if isinstance(t, bytes) else t)
                for leaf in q.leaves()
                for name, t in leaf.expanded_terms(searcher.reader(), phrases=True)
                if name in TEXT_FIELDS
            }
        analyzer = text_analyzer()
        whole, context = highlight.WholeFragmenter(), highlight.ContextFragmenter(200, 60)
        formatter = _BoldFormatter()
        out: dict[int, str] = {}
        for item_id, text in texts.items():
            if text and words:
                fragmenter = whole if len(text) <= SHORT_TEXT else context
                snippet = highlight.highlight(
                    text, words, analyzer, fragmenter, formatter, top=3, mode="index"
                )
                if snippet:
                    out[item_id] = snippet
        return out

    # -- query building -------------------------------------------------------------------------

    def _filter_query(self, searcher: Searcher, filters: SearchFilters) -> wq.Query | None:
        musts: list[wq.Query] = []
        for name in FILTER_FIELDS:
            values = filters.values(name)
            if values:
                musts.append(wq.Or([field_query(name, v) for v in values]))
        dates = _date_query(searcher, filters.date_from, filters.date_to)
        if dates is not None:
            musts.append(dates)
        if not musts and filters.exclude:
            musts.append(wq.Every())
        if not musts:
            return None
        query: wq.Query = musts[0] if len(musts) == 1 else wq.And(musts)
        if filters.exclude:
            excluded = wq.Or([field_query(name, value) for name, value in filters.exclude])
            # Not AndNot: Whoosh's AndNot here let through an item the exclusion names
            # (``state:active -platform:facebook``), found by the hold matcher's property test.
            query = wq.And([query, wq.Not(excluded)])
        return query


def text_query(text: str) -> wq.Query:
    """The free text of a query, parsed (and normalized) over the current and earlier texts."""
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema())
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.PlusMinusPlugin())
    try:
        query: wq.Query = parser.parse(text)
    except (
        IndexError,
        NotImplementedError,
    ) as exc:  # Whoosh's parser on "NOT NOT x", "NOT (e-mail)"
        raise InvalidInput(
            f"the query {text!r} cannot be read",
            hint='Simplify its NOT and - operators, or put a word with a hyphen in "quotes".',
        ) from exc
    _binary_ors(query)
    return query


def _binary_ors(query: wq.Query) -> None:
    """Make every ``OR`` add its scores as a binary tree, as Whoosh does in any segment over
    5,000 documents. In a smaller one Whoosh may instead add an ``OR`` of three or more
    parts in an array, in another order: the same scores up to the last bit, but the order of
    near-ties would then depend on segment sizes, and ``whoosh_arrays`` (which reproduces
    the tree) could not give exactly Whoosh's order."""
    if isinstance(query, wq.Or):
        query.matcher_type = wq.Or.DEFAULT_MATCHER
    for child in query.children():
        _binary_ors(child)


def field_query(name: str, value: str) -> wq.Query:
    """One value of a field filter (``author:"Ann Lee"``, ``hashtag:elm*``...)."""
    field_name = FILTER_INDEX_FIELDS[name]
    if name == "author":
        words = [t.text for t in name_analyzer()(value)]
        if not words:
            raise InvalidInput(f"author:{value} names nobody")
        if value.endswith("*") and len(words) == 1:
            return wq.Prefix(field_name, words[0])
        if len(words) == 1:
            return wq.Term(field_name, words[0])
        return wq.Phrase(field_name, words)
    folded = fold(value)
    if name in ("account", "hashtag", "mention"):
        folded = folded.lstrip("@#")
    if folded.endswith("*"):
        return wq.Prefix(field_name, folded.rstrip("*"))
    return wq.Term(field_name, folded)


def _date_query(searcher: Searcher, start: date | None, end: date | None) -> wq.Query | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        years = sorted(
            int(t[1:])
            for t in (
                (raw.decode() if isinstance(raw, bytes) else raw)
                for raw in searcher.lexicon("dates")
            )
            if t.startswith("y")
        )
        if not years:
            return wq.NullQuery
        start = start or date(years[0], 1, 1)
        end = end or date(years[-1], 12, 31)
    if start > end:
        return wq.NullQuery
    return wq.Or([wq.Term("dates", token) for token in range_tokens(start, end)])


class DocSets:
    """Document sets of queries on one searcher, as boolean masks over Whoosh document numbers,
    computed from the postings' blocks (no per-document matcher stepping in Python) and
    combined with array operations. The masks of filter terms (platform, state, date
    tokens…) are cached: they are reused by every later search on the same searcher, and
    dropped with it when the index changes (``WhooshIndex._searcher`` opens a new searcher,
    with new ``DocSets``, whenever a writer has committed). Queries it has no algebra for
    (phrases, prefixes…) are matched by Whoosh itself. Cached masks are read-only."""

    CACHE_LIMIT = 4096  # filter terms kept; each is one byte per document of the index

    def __init__(self, searcher: Searcher | None) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all() if searcher is not None else 0
        self.segments = (
            [SegmentArrays(sub, offset) for sub, offset in searcher.leaf_searchers()]
            if searcher is not None
            else []
        )
        self._terms: dict[tuple[str, str], Mask] = {}
        self._every: Mask | None = None
        self._created: np.ndarray[Any, np.dtype[np.uint64]] | None = None

    def empty(self) -> Mask:
        return np.zeros(self.size, dtype=np.bool_)

    def of(self, q: wq.Query) -> Mask:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, wq.ConstantScoreQuery):
            return self.of(q.child)
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            found = self.empty()
            for sub in q.subqueries:
                found |= self.of(sub)
            return found
        if isinstance(q, wq.And):
            parts = [self.of(sub) for sub in q.subqueries]
            if not parts:
                return self.empty()
            result = parts[0].copy()
            for other in parts[1:]:
                result &= other
            return result
        if isinstance(q, wq.AndNot):
            return self.of(q.a) & ~self.of(q.b)
        if isinstance(q, wq.AndMaybe):
            return self.of(q.a)
        if isinstance(q, wq.Not):
            return self.every() & ~self.of(q.query)
        if isinstance(q, wq.Every) and not q.fieldname:
            return self.every()
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self.empty()
        assert self.searcher is not None
        found = self.empty()
        found[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
        return found

    def term(self, fieldname: str, text: Any) -> Mask:
        key = (fieldname, text if isinstance(text, str) else text.decode("utf-8"))
        cached = self._terms.get(key)
        if cached is not None:
            return cached
        found = self.empty()
        for segment in self.segments:
            reader = segment.searcher.reader()
            if (fieldname, key[1]) not in reader:
                continue
            matcher = reader.postings(fieldname, key[1])
            if isinstance(matcher, FilterMatcher):  # the segment's deleted documents
                matcher = matcher.child
            ids, _ = block_postings(matcher)
            found[ids + segment.offset] = True
        found &= self.every()
        if fieldname not in TEXT_FIELDS:
            if len(self._terms) >= self.CACHE_LIMIT:
                self._terms.clear()
            found.flags.writeable = False
            self._terms[key] = found
        return found

    def every(self) -> Mask:
        """Every live (not deleted) document."""
        if self._every is None:
            every = np.ones(self.size, dtype=np.bool_)
            for segment in self.segments:
                if segment.searcher.reader().has_deletions():
                    every[segment.offset : segment.offset + segment.size] = ~segment.deleted()
            every.flags.writeable = False
            self._every = every
        return self._every

    def created(self) -> np.ndarray[Any, np.dtype[np.uint64]]:
        """The sortable ``created`` value of every document (Whoosh's column, read as one
        array per segment)."""
        if self._created is None:
            parts = [
                column_array(segment.searcher.reader(), "created", np.uint64)
                for segment in self.segments
            ]
            self._created = np.concatenate(parts) if parts else np.empty(0, np.uint64)
        return self._created


def _by_date(
    docs: np.ndarray[Any, Any], created: np.ndarray[Any, Any], sort: str, wanted: int
) -> list[int]:
    """The first ``wanted`` of ``docs`` ordered by creation: newest first (``sort="date"``;
    ties by higher document number first) or oldest first (``"oldest"``; lower first)."""
    keys = created[docs]
    newest = sort != "oldest"
    if wanted < len(docs):
        # Only the documents at or beyond the wanted-th key can be on the page.
        cut = len(docs) - wanted if newest else wanted - 1
        bound = np.partition(keys, cut)[cut]
        keep = np.flatnonzero(keys >= bound if newest else keys <= bound)
        docs, keys = docs[keep], keys[keep]
    ordered = docs[np.lexsort((docs, keys))]
    if newest:
        ordered = ordered[::-1]
    return [int(n) for n in ordered[:wanted]]


class _Allowed(DocIdSet):  # type: ignore[misc]
    """A document mask as Whoosh's ``filter=`` takes it."""

    def __init__(self, docs: Mask) -> None:
        self.docs = docs

    def __contains__(self, docnum: object) -> bool:
        return isinstance(docnum, int) and 0 <= docnum < len(self.docs) and bool(self.docs[docnum])

    def __len__(self) -> int:
        return int(np.count_nonzero(self.docs))

    def __iter__(self) -> Iterator[int]:
        return (int(n) for n in np.flatnonzero(self.docs))


class _BoldFormatter(highlight.Formatter):  # type: ignore[misc]
    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"
