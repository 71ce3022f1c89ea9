"""The Whoosh implementation of ``SearchIndex`` (docs/adr/0012-search-engine.md)."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from whoosh import fields, highlight, index, qparser
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.searching import Searcher

from archiver.errors import Busy, InvalidInput, NotFound
from archiver.search.analysis import fold, name_analyzer, text_analyzer
from archiver.search.dates import range_tokens
from archiver.search.interface import EngineHit, EngineResults, IndexDocument
from archiver.search.query import FILTER_FIELDS, ParsedQuery, SearchFilters

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


class WhooshIndex:
    """A Whoosh index in ``path``. ``path.with_name(path.name + ".lock")`` serializes writers
    across processes (an ``flock``, released by the kernel if a writer dies)."""

    def __init__(self, path: Path, *, procs: int = 1, limitmb: int = 128) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.procs = procs
        self.limitmb = limitmb
        self._open_searcher: Searcher | None = None
        self._folder = 0
        _remember_missing_columns()

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
        self._open_searcher, self._folder = searcher, folder
        yield searcher

    def close(self) -> None:
        if self._open_searcher is not None:
            self._open_searcher.close()
            self._open_searcher = None

    def search(self, query: ParsedQuery, *, sort: str, offset: int, limit: int) -> EngineResults:
        with self._searcher() as searcher:
            q = self._query(searcher, query)
            options: dict[str, Any] = {}
            if sort != "relevance" or not query.text.strip():
                options = {"sortedby": "created", "reverse": sort != "oldest"}
            # One pass that scores and counts every match: Whoosh's block-skipping top-N pass
            # would need a second pass for the exact count a clerk is shown.
            results = searcher.search(q, limit=offset + limit, optimize=False, **options)
            total = len(results)
            hits = [
                EngineHit(int(hit["id"]), float(hit.score or 0.0))
                for hit in results[offset : offset + limit]
            ]
            return EngineResults(hits, total)

    def matching_ids(self, query: ParsedQuery) -> list[int]:
        with self._searcher() as searcher:
            docnums = searcher.docs_for_query(self._query(searcher, query))
            return sorted(int(searcher.stored_fields(n)["id"]) for n in docnums)

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

    def _query(self, searcher: Searcher, parsed: ParsedQuery) -> wq.Query:
        parts: list[wq.Query] = []
        if parsed.text.strip():
            parts.append(text_query(parsed.text))
        filters = self._filter_query(searcher, parsed.filters)
        if filters is not None:
            # Filters restrict without scoring: every hit gets the same constant from them.
            parts.append(wq.ConstantScoreQuery(filters, 1.0))
        if not parts:
            return wq.Every()
        return parts[0] if len(parts) == 1 else wq.And(parts)

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
    return query


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


class _BoldFormatter(highlight.Formatter):  # type: ignore[misc]
    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"
