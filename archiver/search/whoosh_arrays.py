"""Whoosh's answers computed with arrays (docs/adr/0017-scores-from-posting-blocks.md).

Whoosh matches and scores a query one document at a time, a chain of Python calls per
document; at a million items a common word matches hundreds of thousands of them. Here the same
answers come from whole arrays: a postings list is read a block (an array of document numbers
and one of term frequencies) at a time, BM25F is evaluated over it with NumPy, and the query's
``AND``/``OR``/``NOT`` become operations on boolean masks and score arrays.

Exactness is the point, not an approximation. The matcher tree is built by Whoosh itself
(``query.matcher``), so the shape of each sum (which term is added to which, in what order) is
Whoosh's; each leaf's BM25F uses the parameters of the scorer Whoosh attached to it, with the
same floating-point operations in the same order. Scores are therefore bit-for-bit Whoosh's, and
ties break the same way (lower document number first). A matcher this module does not know (a
phrase, a prefix expanded to many terms...) raises ``Unsupported`` and the caller lets Whoosh do
the whole query.
"""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pickle import Unpickler, loads
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import columns
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
)
from whoosh.matching.binary import DisjunctionMaxMatcher
from whoosh.matching.wrappers import FilterMatcher, InverseMatcher, WrappingMatcher
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

_INT = struct.Struct("!i")

Mask = NDArray[np.bool_]
Scores = NDArray[np.float64]
Docnums = NDArray[np.int64]

# Field length of each length byte (Whoosh stores lengths as one lossy byte per document).
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """The query has a part this module does not evaluate; Whoosh must."""


def block_postings(matcher: Any) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The document numbers and term frequencies (weights) of a leaf's postings from the
    matcher's current position on: read a block at a time from Whoosh's postings file (or from
    the postings inlined in the term index, for a rare term) and decoded as arrays."""
    if isinstance(matcher, ListMatcher):
        return _inlined_postings(matcher)
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        raise Unsupported(type(matcher).__name__)
    # A block's data is a pickled tuple (document-number deltas, weights, values), compressed
    # with zlib; the weights are None (all 1.0), one float (all equal) or one per posting.
    # This is W3LeafMatcher._read_data/_read_ids/_read_weights without the per-posting
    # Python loop of delta decoding.
    deltas: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    skip = matcher._i if matcher.is_active() else 0
    postfile = matcher._postfile
    # The current block is described by the matcher; the next ones are read here, straight
    # from the postings file (``_goto`` reads them through a file object, call by call).
    active = matcher.is_active()
    count, compression = matcher._blocklength, matcher._compression
    dataoffset, nextoffset, last = matcher._dataoffset, matcher._nextoffset, matcher._lastblock
    data = matcher._data
    while active:
        if data is None:
            raw = postfile.get(dataoffset, nextoffset - dataoffset)
            block_deltas, block_weights = _ids_and_weights(raw, compression, count)
        else:
            block_deltas, block_weights = data[0], data[1]
            data = None
        deltas.extend(block_deltas)
        if block_weights is None:
            weights.extend(_ONES[:count] if count <= len(_ONES) else (1.0,) * count)
        elif isinstance(block_weights, float):
            # Whoosh widens a block's one weight through a single-precision array.
            weights.extend((float(np.float32(block_weights)),) * count)
        else:
            weights.extend(block_weights)
        counts.append(count)
        if last:
            break
        count, compression, dataoffset, nextoffset, last = _block_header(postfile, nextoffset)
    # The matcher is used up (its own position no longer means anything): it is dropped.
    total = sum(counts)
    if not total:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    sums = np.cumsum(np.array(deltas, dtype=np.int64))
    # Each block's deltas start from 0: subtract the running sum of the blocks before it.
    ends = np.cumsum(np.array(counts, dtype=np.int64))
    before = np.concatenate((np.zeros(1, np.int64), sums[ends[:-1] - 1]))
    docnums = sums - np.repeat(before, counts)
    return docnums[skip:], np.array(weights, dtype=np.float64)[skip:]


def _inlined_postings(matcher: ListMatcher) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    start = matcher._i
    ids = list(matcher._ids[start:])
    if matcher._all_weights:
        weights: list[Any] = [matcher._all_weights] * len(ids)
    elif matcher._weights:
        weights = list(matcher._weights[start:])
    else:
        weights = [1.0] * len(ids)
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


_ONES = (1.0,) * 128  # Whoosh's block size
_HEADER = 4 + 96  # a block's length (4 bytes) and, within 96 bytes, its pickled info tuple


def _block_header(postfile: Any, position: int) -> tuple[int, int, int, int, bool]:
    """The block at ``position`` of a postings file, as W3LeafMatcher._goto reads it: its
    posting count, compression, where its data begins and ends, and whether it is the last."""
    head = postfile.get(position, _HEADER)
    (length,) = _INT.unpack_from(head)
    info = BytesIO(head)
    info.seek(4)
    count, _maxid, _maxweight, compression, _minlength, _maxlength = Unpickler(info).load()
    last = length < 0
    return count, compression, position + info.tell(), position + 4 + abs(length), last


# How a block's pickled values (positions, as bytes) begin: a MARK, then the global that
# protocol 2 uses to rebuild bytes.
_VALUES = b"(c_codecs\nencode\n"


def _ids_and_weights(raw: bytes, compressed: int, count: int) -> tuple[Any, Any]:
    """The first two parts of a block's pickled (ids, weights, values). Rebuilding the
    values (positions, one call per posting) is most of the cost of unpickling a block of a
    text field, and decompressing them most of the rest; scoring needs neither. So only the
    beginning of the block is decompressed, the pickle is cut where the values begin and closed
    as a pair. Anything unexpected falls back to the whole block, unpickled."""
    data = raw
    if compressed:
        inflater = zlib.decompressobj()
        # ids take at most 5 bytes each, weights 9: the pair fits in this much.
        data = inflater.decompress(raw, 16 * count + 64)
        if data.find(_VALUES) < 0:
            data += inflater.decompress(inflater.unconsumed_tail) + inflater.flush()
    cut = data.find(_VALUES)
    if cut > 0:
        try:
            ids, weights = loads(data[:cut] + b"\x86.")  # TUPLE2, STOP
        except Exception:
            pass
        else:
            if (
                isinstance(ids, tuple)
                and len(ids) == count
                and (
                    weights is None
                    or isinstance(weights, float)
                    or (isinstance(weights, tuple) and len(weights) == count)
                )
            ):
                return ids, weights
        if compressed:
            data = zlib.decompress(raw)
    # No positions in this field (an ID or keyword field), or a surprise: the whole block.
    whole = loads(data)
    return whole[0], whole[1]


def column_array(reader: Any, fieldname: str, dtype: Any) -> NDArray[Any]:
    """One segment's column of a schema field, as an array of its untranslated values."""
    return _column_values(reader.column_reader(fieldname, translate=False), reader, dtype)


def _column_values(column: Any, reader: Any, dtype: Any) -> NDArray[Any]:
    """``reader.doc_count_all()`` values of a column: a numeric column read as one buffer,
    any other value by value."""
    count = reader.doc_count_all()
    if isinstance(column, columns.NumericColumn.Reader):
        width, stored = column._fixedlen, min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * width) if stored else b""
        out = np.full(count, column._default, dtype=dtype)
        out[:stored] = np.frombuffer(raw, dtype=np.dtype(column._typecode).newbyteorder(">"))
        return out
    return np.fromiter(column, dtype=dtype, count=count)


class SegmentArrays:
    """What scoring needs of one segment, read once per searcher: its size, its deleted
    documents and the field lengths of each scored field."""

    def __init__(self, searcher: Searcher, offset: int) -> None:
        self.searcher = searcher
        self.offset = offset
        reader = searcher.reader()
        self.size: int = reader.doc_count_all()
        self._lengths: dict[str, Scores] = {}
        self._deleted: Mask | None = None

    def lengths(self, fieldname: str) -> Scores:
        found = self._lengths.get(fieldname)
        if found is None:
            # The lengths column Whoosh's own scorer reads (W3PerDocReader.doc_field_length).
            reader = self.searcher.reader()
            column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if column is None:
                found = np.ones(self.size, dtype=np.float64)  # Whoosh's default: 1
            else:
                found = _LENGTHS[_column_values(column, reader, np.uint8)]
            self._lengths[fieldname] = found
        return found

    def deleted(self) -> Mask:
        return self.listed(self.searcher.reader().deleted_docs_set)

    def listed(self, ids: Any) -> Mask:
        """A mask of the documents in ``ids`` (a ``FilterMatcher``'s set); the segment's
        deleted documents, which every postings list of the segment is filtered by, are
        turned into a mask once."""
        deleted = ids is self.searcher.reader().deleted_docs_set
        if deleted and self._deleted is not None:
            return self._deleted
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[np.fromiter(ids, dtype=np.int64)] = True
        if deleted:
            self._deleted = mask
        return mask


class _Result:
    """A matcher's matches in one segment: a mask, and the scores (``None``: unscored),
    which are 0.0 wherever the mask is not set, so that adding two results adds exactly the
    scores of the sides that match (``x + 0.0`` is ``x``)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: Mask, scores: Scores | None) -> None:
        self.mask = mask
        self.scores = scores


def evaluate(matcher: Any, segment: SegmentArrays) -> tuple[Mask, Scores]:
    """Every match of ``matcher`` (fresh from ``query.matcher``) in the segment, and its
    score, computed as Whoosh's matcher would compute it."""
    result = _evaluate(matcher, segment)
    scores = result.scores
    if scores is None:
        scores = np.zeros(segment.size, dtype=np.float64)
    return result.mask, scores


def _evaluate(m: Any, segment: SegmentArrays) -> _Result:
    size = segment.size
    if isinstance(m, NullMatcherClass) or not m.is_active():
        return _Result(np.zeros(size, dtype=np.bool_), None)
    if isinstance(m, W3LeafMatcher | ListMatcher):
        return _leaf(m, segment)
    if isinstance(m, FilterMatcher):
        child = _evaluate(m.child, segment)
        listed = segment.listed(m._ids)
        mask = child.mask & ~listed if m._exclude else child.mask & listed
        return _Result(mask, _only(mask, _boosted(child.scores, m.boost)))
    if type(m) is InverseMatcher:
        # NOT x: every live document from the matcher's position on that x does not match,
        # each scoring the matcher's constant weight (x is matched unscored).
        child = _evaluate(m.child, segment)
        mask = ~child.mask
        mask[: m._id] = False
        mask[m.limit :] = False
        mask &= ~segment.deleted()
        return _Result(mask, np.where(mask, m._weight, 0.0))
    if type(m) is WrappingMatcher:
        child = _evaluate(m.child, segment)
        return _Result(child.mask, _boosted(child.scores, m.boost))
    if isinstance(m, DisjunctionMaxMatcher):
        raise Unsupported("DisjunctionMax")
    if type(m) is UnionMatcher:
        a, b = _evaluate(m.a, segment), _evaluate(m.b, segment)
        # A document matched by one side gets that side's score; by both, a + b. Zero where a
        # side does not match makes both cases one addition (x + 0.0 is exactly x).
        return _Result(a.mask | b.mask, _add(a.scores, b.scores))
    if type(m) is IntersectionMatcher:
        a, b = _evaluate(m.a, segment), _evaluate(m.b, segment)
        mask = a.mask & b.mask
        return _Result(mask, _only(mask, _add(a.scores, b.scores)))
    if type(m) is AndNotMatcher:
        a, b = _evaluate(m.a, segment), _evaluate(m.b, segment)
        mask = a.mask & ~b.mask
        return _Result(mask, _only(mask, a.scores))
    if type(m) is AndMaybeMatcher:
        a, b = _evaluate(m.a, segment), _evaluate(m.b, segment)
        return _Result(a.mask, _only(a.mask, _add(a.scores, b.scores)))
    raise Unsupported(type(m).__name__)


def _leaf(m: Any, segment: SegmentArrays) -> _Result:
    scorer = m.scorer if isinstance(m, W3LeafMatcher) else m._scorer
    term = m._term
    ids, tf = block_postings(m)
    mask = np.zeros(segment.size, dtype=np.bool_)
    mask[ids] = True
    if scorer is None:  # matched, not scored (the x of NOT x)
        return _Result(mask, None)
    if type(scorer) is not BM25FScorer or not isinstance(term, tuple):
        raise Unsupported(f"a leaf scored by {type(scorer).__name__}")
    fl = segment.lengths(term[0])[ids]
    # whoosh.scoring.bm25, operation by operation:
    # idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    scores = np.zeros(segment.size, dtype=np.float64)
    scores[ids] = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
    return _Result(mask, scores)


def _boosted(scores: Scores | None, boost: float) -> Scores | None:
    if scores is None or boost == 1.0:
        return scores
    return scores * boost


def _only(mask: Mask, scores: Scores | None) -> Scores | None:
    """``scores`` with 0.0 wherever ``mask`` is not set (in place: each result owns its array)."""
    if scores is not None:
        np.putmask(scores, ~mask, 0.0)
    return scores


def _add(a: Scores | None, b: Scores | None) -> Scores | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def scored_matches(
    searcher: Searcher, query: Any, segments: list[SegmentArrays]
) -> tuple[Docnums, Scores]:
    """Every document the query matches (top-level document numbers, ascending) and its
    score, as Whoosh's unlimited scored search computes them."""
    context = searcher.context()
    all_ids: list[Docnums] = []
    all_scores: list[Scores] = []
    for segment in segments:
        matcher = query.matcher(segment.searcher, context)
        mask, scores = evaluate(matcher, segment)
        local = np.flatnonzero(mask)
        all_ids.append(local + segment.offset)
        all_scores.append(scores[local])
    if not all_ids:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return np.concatenate(all_ids), np.concatenate(all_scores)


def top(docnums: Docnums, scores: Scores, start: int, stop: int) -> list[tuple[int, float]]:
    """Rows ``start:stop`` of the matches ordered by score (highest first), then document
    number (lowest first): Whoosh's order."""
    count = len(docnums)
    stop = min(stop, count)
    if start >= stop:
        return []
    if stop < count:
        # The stop-th highest score; every match at or above it is a candidate (ties included).
        threshold = np.partition(scores, count - stop)[count - stop]
        keep = np.flatnonzero(scores >= threshold)
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[start:stop]
    return [(int(docnums[i]), float(scores[i])) for i in order]
