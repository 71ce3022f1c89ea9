"""How text becomes searchable terms: the analyzers a clerk's expectations call for.

- Case and accent folding: "CAFÉ" and "cafe" are one term.
- English stemming: "closures" and "closure" are one term.
- Hashtags (``#ElmStreet``) and handles (``@RanchoVerdeCA``, ``@dana.bsky.social``) stay whole
  tokens, prefix included, and are never stemmed.
- Prefix terms (``clos*``) are folded but not stemmed, so they match what a clerk typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
)
from whoosh.support.charset import accent_map

# A handle may contain dots (Bluesky's @name.bsky.social); a hashtag is one word; anything else
# is split into plain words (apostrophes split: "José's" gives "jose" and "s").
TOKEN_PATTERN = r"@\w+(?:\.\w+)*|#\w+|\w+"


class StemWordsFilter(Filter):  # type: ignore[misc]
    """Porter stemming for plain words only; hashtags and handles pass through whole.

    Whoosh analyzes prefix and range terms with ``removestops=False`` (and plain query terms and
    phrases with ``removestops=True``): those are left unstemmed so ``clos*`` keeps its letters.
    """

    is_morph = True

    def __init__(self) -> None:
        self._stemmer = StemFilter(cachesize=100_000)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemWordsFilter)

    def __hash__(self) -> int:
        return hash(StemWordsFilter)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        stem = self._stemmer._stem
        for token in tokens:
            text = token.text
            verbatim = token.mode == "query" and not token.removestops
            if not verbatim and text[:1] not in "#@":
                token.text = stem(text)
            yield token


def text_analyzer() -> Analyzer:
    """Post text: folded, stemmed, hashtags and handles whole."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StemWordsFilter()
    )


def name_analyzer() -> Analyzer:
    """Names and handles: folded, not stemmed ("Lopez" must not match "Lope")."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def fold(value: str) -> str:
    """Lower case and accent folding for keyword values (platform, handle, state...)."""
    return "".join(t.text for t in (LowercaseFilter() | CharsetFilter(accent_map))(_one(value)))


def _one(value: str) -> Iterator[Any]:
    yield from RegexTokenizer(r".+")(value, mode="index")
