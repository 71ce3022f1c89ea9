"""The index is derived data: one writer at a time, rebuildable to the same answers, and
verifiable against the store."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from archiver.archive import Archive
from archiver.db.models import Item, ItemVersion
from archiver.errors import Busy, NotFound, PermissionDenied
from archiver.search import index_items, parse_query, rebuild_index, search, verify_index
from archiver.search.whoosh_index import WhooshIndex
from tests.conftest import actor
from tests.factories import Store

WORDS = ("closure", "street", "park", "budget", "library", "water", "parade", "pothole")
PLACES = ("Elm", "Oak", "Main", "Vista")


def populate(archive: Archive, count: int = 40) -> list[int]:
    """Posts and comments with varied words, dates, states and tags, indexed in several
    batches, then edited, re-stated and deleted as later ingests would."""
    store = Store(archive)
    accounts = [
        store.account("facebook", "RanchoVerdeCity"),
        store.account("instagram", "ranchoverde"),
    ]
    ids: list[int] = []
    start = datetime(2023, 11, 20, 8, 0, tzinfo=UTC)
    for n in range(count):
        words = [WORDS[(n * k) % len(WORDS)] for k in (1, 3, 5)]
        text = f"{PLACES[n % 4]} Street {' '.join(words)} update number {n}"
        parent = ids[n - 1] if n % 3 and ids else None
        ids.append(
            store.item(
                accounts[n % 2],
                text + (" #ElmStreet" if n % 5 == 0 else ""),
                kind="comment" if parent else "post",
                parent=parent,
                created_at=start + timedelta(days=7 * n, hours=n),
                hashtags=["ElmStreet"] if n % 5 == 0 else [],
                author=(f"Resident {n % 6}", f"resident{n % 6}"),
                earlier=["first draft about the " + WORDS[(n + 1) % 8]] if n % 7 == 0 else [],
            )
        )
        if n % 10 == 9:
            index_items(archive, ids[-10:])
    index_items(archive, ids)
    store.change(ids[3], state="removed_by_city")
    store.change(ids[4], text="rewritten about the parade", state="edited")
    with archive.unit() as session:
        session.execute(delete(ItemVersion).where(ItemVersion.item_id == ids[-1]))
        session.execute(delete(Item).where(Item.id == ids[-1]))
    index_items(archive, [ids[3], ids[4], ids[-1]])
    return ids[:-1]


def test_index_items_follows_edits_state_changes_and_deletions(archive: Archive) -> None:
    ids = populate(archive)
    clerk = actor("clerk")
    assert {h.item_id for h in search(archive, clerk, "state:removed_by_city").hits} == {ids[3]}
    rewritten = search(archive, clerk, "parade rewritten").hits
    assert [h.item_id for h in rewritten] == [ids[4]]
    assert search(archive, clerk, "number 39").total == 0  # deleted from the store
    assert verify_index(archive).ok


def test_rebuild_answers_every_query_the_same(archive: Archive, tmp_path: Path) -> None:
    populate(archive)
    incremental = tmp_path / "incremental"
    shutil.copytree(archive.settings.index_dir, incremental)
    assert rebuild_index(archive, actor("records")) == 39
    before, after = WhooshIndex(incremental), WhooshIndex(archive.settings.index_dir)

    terms = st.sampled_from([*WORDS, "elm", "#elmstreet", "draft", "stre*", '"elm street"'])
    filters = st.sampled_from(
        [
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
            "account:ranchoverde",
        ]
    )
    joins = st.sampled_from([" ", " AND ", " OR ", " NOT "])

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(terms, min_size=0, max_size=3), joins, filters)
    def same(words: list[str], join: str, field: str) -> None:
        text = join.join(words)
        if join == " NOT " and len(words) < 2:
            text = " ".join(words)
        query = parse_query(f"{text} {field}".strip())
        assert before.matching_ids(query) == after.matching_ids(query)
        for sort in ("date", "oldest"):
            left = before.search(query, sort=sort, offset=0, limit=100)
            right = after.search(query, sort=sort, offset=0, limit=100)
            assert left.total == right.total
            assert [h.item_id for h in left.hits] == [h.item_id for h in right.hits]

    try:
        same()
    finally:
        before.close()
        after.close()


def test_rebuild_needs_index_manage_and_is_audited(archive: Archive) -> None:
    populate(archive, 5)
    with pytest.raises(PermissionDenied):
        rebuild_index(archive, actor("clerk"))
    rebuild_index(archive, actor("admin"))
    from archiver.audit_log import list_events

    events = list_events(archive, limit=1, action_prefix="index.")
    assert events[0].action == "index.rebuilt" and events[0].actor == "admin"


def test_verify_lists_every_planted_difference(archive: Archive) -> None:
    ids = populate(archive, 12)
    assert verify_index(archive).ok
    store = Store(archive)
    # a new item never indexed; an item whose state changed behind the index's back;
    # a document for an item the store no longer has
    missing = store.item(1, "never indexed")
    store.change(ids[0], state="hidden")
    with WhooshIndex(archive.settings.index_dir).writer(1.0) as writer:
        from archiver.search.documents import build_documents

        with archive.db.read() as session:
            (document,), _ = build_documents(session, [ids[1]], archive.settings.timezone)
        from dataclasses import replace

        writer.put(replace(document, item_id=9999))
    report = verify_index(archive)
    assert not report.ok
    assert {(d.kind, d.item_id) for d in report.differences} == {
        ("missing", missing),
        ("stale", ids[0]),
        ("extra", 9999),
    }
    rebuild_index(archive, actor("records"))
    assert verify_index(archive).ok


HOLD_LOCK = """
import sys, time
from pathlib import Path
from archiver.search.whoosh_index import WhooshIndex
with WhooshIndex(Path(sys.argv[1])).writer(1.0):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_a_second_writer_gets_index_busy_and_the_index_survives(archive: Archive) -> None:
    ids = populate(archive, 6)
    store = Store(archive)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD_LOCK), str(archive.settings.index_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(Busy, match="index busy") as caught:
            index_items(archive, ids, timeout=0.3)
        assert "queued for the next index update" in str(caught.value)
        with pytest.raises(Busy):
            rebuild_index(archive, actor("records"), timeout=0.1)
        store.change(ids[0], state="hidden")
        with pytest.raises(Busy):
            index_items(archive, [ids[0]], timeout=0.1)
        report = verify_index(archive)
        assert report.queued == sorted(ids)
        assert [(d.kind, d.item_id) for d in report.differences] == [("stale", ids[0])]
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    # the next writer takes what was queued, and the index was never damaged
    assert index_items(archive, [], timeout=0.3) == len(ids)
    report = verify_index(archive)
    assert report.ok and report.queued == []


def test_a_waiting_writer_proceeds_when_the_first_finishes(archive: Archive) -> None:
    ids = populate(archive, 6)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(HOLD_LOCK).replace("sys.stdin.readline()", "time.sleep(0.5)"),
            str(archive.settings.index_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    assert index_items(archive, ids, timeout=10) == len(ids)
    holder.wait(timeout=10)


def test_searching_before_any_index_names_the_fix(archive: Archive) -> None:
    with pytest.raises(NotFound, match="archiver index rebuild"):
        search(archive, actor("clerk"), "closure")


def test_a_failed_rebuild_leaves_the_old_index(archive: Archive) -> None:
    populate(archive, 5)
    engine = WhooshIndex(archive.settings.index_dir)

    def broken() -> object:
        from archiver.search.documents import iter_all_documents

        with archive.db.read() as session:
            yield next(iter_all_documents(session, archive.settings.timezone))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        engine.rebuild(broken(), 1.0)  # type: ignore[arg-type]
    assert verify_index(archive).ok
    assert not archive.settings.index_dir.with_name("index.rebuild").exists()
