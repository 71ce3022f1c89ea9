"""Saved searches keep the record of a reasonable search; searches for a request are audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from archiver.archive import Archive
from archiver.audit_log import list_events
from archiver.errors import Conflict, NotFound, PermissionDenied
from archiver.search import (
    SearchFilters,
    index_items,
    list_saved_searches,
    rerun_saved_search,
    save_search,
    search,
    show_saved_search,
    thread,
)
from tests.conftest import FakeClock, actor
from tests.factories import Store


@pytest.fixture
def store(archive: Archive) -> Store:
    return Store(archive)


def test_saved_search_records_query_filters_who_when_and_ids(
    archive: Archive, store: Store, clock: FakeClock
) -> None:
    city = store.account("facebook", "RanchoVerdeCity")
    first = store.item(city, "Elm Street closure starts March 4")
    other = store.item(city, "Library hours extended")
    index_items(archive, [first, other])
    view = save_search(
        archive,
        actor("clerk"),
        "elm-closure",
        "closure",
        SearchFilters(platform=("facebook",)),
        request_number="PRR-2026-031",
    )
    assert view.query == "closure" and view.filters == {"platform": ["facebook"]}
    assert view.created_by == "clerk" and view.request_number == "PRR-2026-031"
    assert [r.result_ids for r in view.runs] == [[first]]
    assert view.created_at == view.runs[0].run_at
    event = list_events(archive, limit=1)[0]
    assert event.action == "search.saved" and event.actor == "clerk"
    assert json.loads(event.details)["result_count"] == 1

    with pytest.raises(Conflict, match="search saved rerun elm-closure"):
        save_search(archive, actor("clerk"), "elm-closure", "anything")
    assert [s.name for s in list_saved_searches(archive)] == ["elm-closure"]


def test_rerun_reports_what_was_added_and_removed(any_archive: Archive, clock: FakeClock) -> None:
    archive, store = any_archive, Store(any_archive)
    city = store.account("facebook", "RanchoVerdeCity")
    kept = store.item(city, "Elm Street closure update")
    dropped = store.item(city, "Closure of the Elm Street pool")
    index_items(archive, [kept, dropped])
    save_search(archive, actor("clerk"), "elm", '"elm street" closure')

    clock.advance(days=3)
    added = store.item(city, "Elm Street closure extended to May")
    store.change(dropped, text="The pool reopened", state="edited")
    store.change(dropped, text="The pool reopened")
    index_items(archive, [added, dropped])
    result = rerun_saved_search(archive, actor("attorney"), "elm", "PRR-2026-031")
    # the pool post still matches through its earlier text: an edit does not hide it
    assert result.added == [added] and result.removed == []

    with archive.unit() as session:
        from sqlalchemy import delete

        from archiver.db.models import Item, ItemVersion

        session.execute(delete(ItemVersion).where(ItemVersion.item_id == dropped))
        session.execute(delete(Item).where(Item.id == dropped))
    index_items(archive, [dropped])
    clock.advance(days=1)
    again = rerun_saved_search(archive, actor("clerk"), "elm")
    assert again.added == [] and again.removed == [dropped] and again.changed
    assert again.previous_run_at == result.run_at

    shown = show_saved_search(archive, "elm")
    assert [r.run_by for r in shown.runs] == ["clerk", "attorney", "clerk"]
    assert [r.result_count for r in shown.runs] == [2, 3, 2]
    assert shown.runs[1].request_number == "PRR-2026-031"
    event = list_events(archive, limit=1)[0]
    assert event.action == "search.rerun"
    assert json.loads(event.details)["removed"] == [dropped]


def test_saving_needs_the_permission_and_a_known_name(archive: Archive, store: Store) -> None:
    index_items(archive, [store.item(store.account("x", "RanchoVerdeCA"), "hello")])
    with pytest.raises(PermissionDenied):
        save_search(archive, actor("social"), "mine", "hello")
    with pytest.raises(NotFound, match="search saved list"):
        rerun_saved_search(archive, actor("clerk"), "nope")


def test_a_search_for_a_request_is_an_audit_event(archive: Archive, store: Store) -> None:
    city = store.account("facebook", "RanchoVerdeCity")
    ids = [store.item(city, f"closure notice {n}") for n in range(3)]
    index_items(archive, ids)
    before = len(list_events(archive, limit=1000))
    search(archive, actor("clerk"), "closure")  # no request: not audited
    assert len(list_events(archive, limit=1000)) == before
    page = search(archive, actor("clerk"), "closure", per_page=2, request_number="PRR-7")
    event = list_events(archive, limit=1)[0]
    assert (event.action, event.object_type, event.object_id) == ("search.run", "request", "PRR-7")
    details = json.loads(event.details)
    assert details["query"] == "closure" and details["total"] == 3
    assert details["shown"] == [h.item_id for h in page.hits]


def test_thread_expands_to_the_post_and_every_reply(archive: Archive, store: Store) -> None:
    city = store.account("facebook", "RanchoVerdeCity")
    at = datetime(2024, 3, 4, 16, 0, tzinfo=UTC)
    post = store.item(city, "Elm Street closure", created_at=at)
    late = store.item(
        city, "second comment", kind="comment", parent=post, created_at=at.replace(hour=20)
    )
    early = store.item(
        city, "first comment", kind="comment", parent=post, created_at=at.replace(hour=17)
    )
    reply = store.item(
        city,
        "a reply",
        kind="reply",
        parent=early,
        created_at=at.replace(hour=21),
        state="removed_by_city",
    )
    elsewhere = store.item(city, "another post", created_at=at)
    view = thread(archive, actor("clerk"), reply)
    assert view.root_id == post
    assert [(e.item_id, e.depth) for e in view.entries] == [
        (post, 0),
        (early, 1),
        (reply, 2),
        (late, 1),
    ]
    assert view.entries[2].state_badge == "REMOVED BY CITY"
    assert elsewhere not in [e.item_id for e in view.entries]
    with pytest.raises(NotFound):
        thread(archive, actor("clerk"), 999)


def test_a_request_takes_the_ids_of_a_saved_search(archive: Archive, store: Store) -> None:
    from archiver.requests import review
    from tests.test_requests import open_cpra

    open_cpra(archive)
    city = store.account("facebook", "RanchoVerdeCity")
    elm = store.item(city, "Elm Street closure")
    oak = store.item(city, "Oak Avenue parade")
    index_items(archive, [elm, oak])
    save_search(archive, actor("clerk"), "elm", "closure", request_number="CPRA-2026-001")
    result = review.add_saved_search(archive, actor("clerk"), "CPRA-2026-001", "elm")
    assert result.added == [elm]
