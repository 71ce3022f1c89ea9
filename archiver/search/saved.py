"""Saved searches: what was searched, by whom, when, and what it found then.

A public-records response may have to show that the City searched reasonably. Saving a search
keeps the query, its filters and the ids of every matching record; each re-run is kept too, with
what it added and removed since the run before.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.search.indexing import open_index
from archiver.search.models import SavedSearch, SavedSearchRun
from archiver.search.query import SearchFilters
from archiver.search.searching import prepare


@dataclass(frozen=True)
class RunView:
    id: int
    run_by: str
    run_at: str
    request_number: str
    result_count: int
    result_ids: list[int]


@dataclass(frozen=True)
class SavedSearchView:
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    sort: str
    request_number: str
    created_by: str
    created_at: str
    runs: list[RunView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RerunResult:
    """A re-run of a saved search compared with the run before it."""

    name: str
    previous_run_at: str
    run_at: str
    result_count: int
    added: list[int]
    removed: list[int]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changed": self.changed}


def save_search(
    archive: Archive,
    actor: Actor,
    name: str,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    request_number: str | None = None,
) -> SavedSearchView:
    """Save a search under ``name`` with the ids of every record it matches now."""
    actor.require("search.save")
    name = name.strip()
    if not name:
        raise InvalidInput("a saved search needs a name")
    with archive.db.read() as session:
        parsed = prepare(session, query, filters, sort)
    with open_index(archive) as engine:
        ids = engine.matching_ids(parsed)
    now = archive.clock()
    with archive.unit() as session:
        if session.scalar(select(SavedSearch.id).where(SavedSearch.name == name)) is not None:
            raise Conflict(
                f"a saved search named {name!r} exists",
                hint=f"Re-run it with `archiver search saved rerun {name}`, or pick another name.",
            )
        saved = SavedSearch(
            name=name,
            query=query,
            filters=(filters or SearchFilters()).as_dict(),
            sort=sort,
            request_number=request_number or "",
            created_by=actor.login,
            created_at=now,
        )
        session.add(saved)
        session.flush()
        _add_run(session, saved, actor, now, request_number or "", ids)
        audit.record(
            session,
            actor,
            "search.saved",
            now=now,
            object_type="saved_search",
            object_id=saved.id,
            details={
                "name": name,
                "query": query,
                "filters": parsed.filters.as_dict(),
                "request_number": request_number or "",
                "result_count": len(ids),
            },
        )
        return _view(saved)


def rerun_saved_search(
    archive: Archive, actor: Actor, name: str, request_number: str | None = None
) -> RerunResult:
    """Run a saved search again, keep the run, and report what was added and removed since the
    previous run."""
    actor.require("search.save")
    with archive.db.read() as session:
        saved = _find(session, name)
        filters = SearchFilters.from_dict(saved.filters)
        parsed = prepare(session, saved.query, filters, saved.sort)
    with open_index(archive) as engine:
        ids = engine.matching_ids(parsed)
    now = archive.clock()
    with archive.unit() as session:
        saved = _find(session, name)
        previous = saved.runs[-1]
        before, after = set(previous.result_ids), set(ids)
        request = request_number or saved.request_number
        run = _add_run(session, saved, actor, now, request, ids)
        result = RerunResult(
            name=saved.name,
            previous_run_at=previous.run_at.isoformat(),
            run_at=now.isoformat(),
            result_count=len(ids),
            added=sorted(after - before),
            removed=sorted(before - after),
        )
        audit.record(
            session,
            actor,
            "search.rerun",
            now=now,
            object_type="saved_search",
            object_id=saved.id,
            details={
                "name": saved.name,
                "run": run.id,
                "request_number": request,
                "result_count": len(ids),
                "added": result.added,
                "removed": result.removed,
            },
        )
        return result


def list_saved_searches(archive: Archive) -> list[SavedSearchView]:
    with archive.db.read() as session:
        return [_view(s) for s in session.scalars(select(SavedSearch).order_by(SavedSearch.name))]


def show_saved_search(archive: Archive, name: str) -> SavedSearchView:
    with archive.db.read() as session:
        return _view(_find(session, name))


def last_result_ids(session: Session, name: str) -> list[int] | None:
    """The item ids the saved search ``name`` found at its latest run (None: no such search).
    A public-records request adds these to its responsive set."""
    found = session.scalars(select(SavedSearch).where(SavedSearch.name == name)).first()
    if found is None or not found.runs:
        return None
    return list(found.runs[-1].result_ids)


def _find(session: Session, name: str) -> SavedSearch:
    found = session.scalars(select(SavedSearch).where(SavedSearch.name == name)).first()
    if found is None:
        raise NotFound(f"no saved search named {name!r}", hint="See `archiver search saved list`.")
    return found


def _add_run(
    session: Session,
    saved: SavedSearch,
    actor: Actor,
    now: Any,
    request_number: str,
    ids: list[int],
) -> SavedSearchRun:
    run = SavedSearchRun(
        saved_search_id=saved.id,
        run_by=actor.login,
        run_at=now,
        request_number=request_number,
        result_count=len(ids),
        result_ids=sorted(ids),
    )
    session.add(run)
    session.flush()
    session.refresh(saved, ["runs"])
    return run


def _view(saved: SavedSearch) -> SavedSearchView:
    return SavedSearchView(
        id=saved.id,
        name=saved.name,
        query=saved.query,
        filters=dict(saved.filters),
        sort=saved.sort,
        request_number=saved.request_number,
        created_by=saved.created_by,
        created_at=saved.created_at.isoformat(),
        runs=[
            RunView(
                r.id,
                r.run_by,
                r.run_at.isoformat(),
                r.request_number,
                r.result_count,
                list(r.result_ids),
            )
            for r in saved.runs
        ],
    )
