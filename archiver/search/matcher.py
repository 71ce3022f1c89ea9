"""The search query language evaluated against one item, without the index.

A legal hold's query must select exactly what ``archiver search`` selects, including items
captured a moment ago that the index has not seen yet (holds take in new items inside the
ingest's unit of work, before the index is updated). So the query is parsed by the same parser
(``parse_query`` and the engine's ``text_query``/``field_query``) and the item's fields are
tokenized by the same analyzers the index uses (``archiver.search.analysis``); only the lookup of
terms differs: here, in the terms of one document instead of the index's postings.
docs/adr/0015-hold-queries-without-the-index.md explains the choice.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from whoosh import query as wq
from whoosh.analysis import Analyzer

from archiver.search.analysis import name_analyzer, text_analyzer
from archiver.search.interface import IndexDocument
from archiver.search.query import FILTER_FIELDS, ParsedQuery, SearchFilters
from archiver.search.whoosh_index import field_query, text_query

Positions = dict[str, list[int]]  # term -> its positions in the field


@dataclass(frozen=True)
class ItemTerms:
    """One item's terms per index field (as the index would hold them) and its local day."""

    item_id: int
    fields: dict[str, Positions]
    day: date


def item_terms(doc: IndexDocument) -> ItemTerms:
    """Tokenize a document as ``whoosh_index.schema()`` indexes it."""
    text, names = text_analyzer(), name_analyzer()
    fields: dict[str, Positions] = {
        "text": _analyzed(text, doc.text),
        "earlier": _analyzed(text, doc.earlier_text),
        "author": _analyzed(names, doc.author),
    }
    for name, value in (
        ("platform", doc.platform),
        ("kind", doc.kind),
        ("state", doc.state),
        ("thread", doc.thread),
        ("parent", doc.parent),
        ("series", doc.series),
    ):  # ID fields: the whole value is one term
        fields[name] = {value: [0]} if value else {}
    for name, values in (
        ("account", doc.account),
        ("hashtags", doc.hashtags),
        ("mentions", doc.mentions),
    ):  # KEYWORD fields: space-separated, lower case
        words = " ".join(values).lower().split()
        fields[name] = {w: [i] for i, w in enumerate(dict.fromkeys(words))}
    return ItemTerms(doc.item_id, fields, _day(doc.date_tokens))


def _day(tokens: Iterable[str]) -> date:
    """The local day of a document, from its ``dYYYYMMDD`` date token."""
    day = next(t for t in tokens if t.startswith("d"))
    return date(int(day[1:5]), int(day[5:7]), int(day[7:9]))


def _analyzed(analyzer: Analyzer, value: str) -> Positions:
    found: Positions = {}
    for token in analyzer(value, positions=True, mode="index"):
        found.setdefault(token.text, []).append(token.pos)
    return found


Predicate = Callable[[ItemTerms], bool]


def compile_query(parsed: ParsedQuery) -> Predicate:
    """A predicate true of exactly the items the index returns for ``parsed``."""
    checks: list[Predicate] = []
    if parsed.text.strip():
        checks.append(_predicate(text_query(parsed.text)))
    checks += _filter_checks(parsed.filters)
    return lambda item: all(check(item) for check in checks)


def matching_ids(parsed: ParsedQuery, items: Iterable[ItemTerms]) -> set[int]:
    check = compile_query(parsed)
    return {item.item_id for item in items if check(item)}


def _filter_checks(filters: SearchFilters) -> list[Predicate]:
    checks: list[Predicate] = []
    for name in FILTER_FIELDS:
        values = filters.values(name)
        if values:
            checks.append(_any([_predicate(field_query(name, v)) for v in values]))
    start, end = filters.date_from, filters.date_to
    if start is not None or end is not None:
        checks.append(
            lambda item: (start is None or item.day >= start) and (end is None or item.day <= end)
        )
    if filters.exclude:
        excluded = _any([_predicate(field_query(name, v)) for name, v in filters.exclude])
        checks.append(lambda item: not excluded(item))
    return checks


def _any(predicates: list[Predicate]) -> Predicate:
    return lambda item: any(p(item) for p in predicates)


def _predicate(query: wq.Query) -> Predicate:
    """A Whoosh query tree (as the parser makes it) as a predicate on one item."""
    if query is wq.NullQuery:
        return lambda item: False
    if isinstance(query, wq.ConstantScoreQuery):
        return _predicate(query.child)
    if type(query) in (wq.And, wq.Require):
        parts = [_predicate(q) for q in _children(query)]
        return lambda item: all(p(item) for p in parts)
    if type(query) in (wq.Or, wq.DisjunctionMax):
        parts = [_predicate(q) for q in query.subqueries]
        return _any(parts)
    if isinstance(query, wq.AndNot):
        positive, negative = _predicate(query.a), _predicate(query.b)
        return lambda item: positive(item) and not negative(item)
    if isinstance(query, wq.AndMaybe):
        return _predicate(query.a)
    if isinstance(query, wq.Not):
        inner = _predicate(query.query)
        return lambda item: not inner(item)
    if isinstance(query, wq.Every):
        name = query.fieldname
        if name in (None, "", "*"):
            return lambda item: True
        return lambda item: bool(item.fields.get(name))
    if isinstance(query, wq.Phrase):
        return _phrase(query.fieldname, [str(w) for w in query.words], query.slop)
    if type(query) is wq.Term:
        name, text = query.fieldname, str(query.text)
        return lambda item: text in item.fields.get(name, {})
    if isinstance(query, wq.Prefix):
        prefix = str(query.text)
        return _terms_where(query.fieldname, lambda t: t.startswith(prefix))
    if isinstance(query, wq.Wildcard):
        pattern = re.compile(fnmatch.translate(str(query.text)))
        return _terms_where(query.fieldname, lambda t: pattern.match(t) is not None)
    if isinstance(query, wq.TermRange):
        return _terms_where(query.fieldname, _in_range(query))
    raise TypeError(f"the hold query matcher cannot evaluate {query!r}")


def _children(query: wq.Query) -> list[wq.Query]:
    if isinstance(query, wq.Require):
        return [query.a, query.b]
    return list(query.subqueries)


def _terms_where(name: str, test: Callable[[str], bool]) -> Predicate:
    return lambda item: any(test(t) for t in item.fields.get(name, {}))


def _in_range(query: wq.TermRange) -> Callable[[str], bool]:
    start, end = query.start, query.end

    def test(term: str) -> bool:
        if start is not None and (term < start or (query.startexcl and term == start)):
            return False
        return end is None or not (term > end or (query.endexcl and term == end))

    return test


def _phrase(name: str, words: list[str], slop: int) -> Predicate:
    """The words in this order, each at most ``slop`` positions after the one before."""

    def test(item: ItemTerms) -> bool:
        field = item.fields.get(name, {})
        if not words or any(w not in field for w in words):
            return False
        starts = set(field[words[0]])
        for word in words[1:]:
            following = set(field[word])
            starts = {p for p in following if any(0 < p - s <= slop for s in starts)}
            if not starts:
                return False
        return True

    return test
