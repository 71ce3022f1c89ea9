"""Search: a derived, rebuildable full-text index of every item, and the clerk's queries.

The engine sits behind ``SearchIndex`` (``interface.py``); ``whoosh_index.py`` implements it.
"""

from archiver.search.indexing import (
    IndexDifference,
    IndexReport,
    index_changed,
    index_items,
    open_index,
    rebuild_index,
    verify_index,
)
from archiver.search.interface import IndexDocument, SearchIndex
from archiver.search.query import SearchFilters, parse_query
from archiver.search.saved import (
    RerunResult,
    SavedSearchView,
    list_saved_searches,
    rerun_saved_search,
    save_search,
    show_saved_search,
)
from archiver.search.searching import SearchHit, SearchPage, ThreadView, search, thread

__all__ = [
    "IndexDifference",
    "IndexDocument",
    "IndexReport",
    "RerunResult",
    "SavedSearchView",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "ThreadView",
    "index_changed",
    "index_items",
    "list_saved_searches",
    "open_index",
    "parse_query",
    "rebuild_index",
    "rerun_saved_search",
    "save_search",
    "search",
    "show_saved_search",
    "thread",
    "verify_index",
]
