"""Property: no sequence of record / amend / missing / classify / lawful-destruction operations,
accepted or refused, ever loses a removal, a revision, a classification or the audit event that
recorded it."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from archiver import audit
from archiver.archive import Archive
from archiver.db.models import AuditEvent, Item, ItemVersion
from archiver.errors import ArchiverError
from archiver.lifecycle import init_archive
from archiver.removals.catalog import load_catalog
from archiver.removals.disposal import detach_destroyed_items
from archiver.removals.models import Classification, Removal, RemovalRevision
from archiver.removals.queue import ClassifyRequest, classify_missing
from archiver.removals.record import Amendment, RemovalRequest, amend_removal, record_removal
from tests.conftest import FakeClock, actor, make_settings
from tests.removal_helpers import T0, make_account, make_item, set_missing

NORWALK = load_catalog("norwalk")
ITEMS = 2
VALID = st.sampled_from(["obscene", "defamatory", "threats"])
GROUNDS = st.one_of(
    st.lists(VALID, min_size=1, max_size=2),
    st.lists(st.sampled_from(["obscene", "spam", "rude"]), max_size=2),  # often refused
).map(tuple)
DROP = st.one_of(st.just(()), st.lists(VALID, max_size=1).map(tuple))
OUTCOMES = st.sampled_from(
    ["removed_by_city", "deleted_by_author", "removed_by_platform", "unknown"]
)
ITEM = st.integers(min_value=1, max_value=ITEMS)
OPERATIONS = st.one_of(
    st.tuples(st.just("record"), ITEM, GROUNDS, st.sampled_from(["hidden", "deleted"])),
    st.tuples(st.just("amend"), ITEM, GROUNDS, DROP, st.sampled_from([None, "", "new note"])),
    st.tuples(st.just("missing"), ITEM, st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("classify"), ITEM, OUTCOMES, GROUNDS),
    st.tuples(st.just("destroy"), ITEM),  # lawful disposal by retention
)


FIRST = ("record", 1, ("obscene",), "hidden")  # so that amendments have something to amend


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with one account and two items, built once and copied per example."""
    root = tmp_path_factory.mktemp("removals-template")
    archive_settings = make_settings(root)
    init_archive(archive_settings, actor("admin"), clock=FakeClock())
    with Archive.open(archive_settings, clock=FakeClock()) as archive:
        account = make_account(archive)
        for n in range(ITEMS):
            make_item(archive, account, f"p{n}", author_handle=f"user{n}")
    return root


@contextmanager
def fresh_archive(template: Path) -> Iterator[Archive]:
    root = Path(tempfile.mkdtemp(prefix="removals-prop-"))
    try:
        shutil.copytree(template / "archive", root / "archive")
        with Archive.open(make_settings(root), clock=FakeClock()) as archive:
            yield archive
    finally:
        shutil.rmtree(root, ignore_errors=True)


def apply(archive: Archive, op: tuple[Any, ...]) -> None:
    social, item = actor("social"), str(op[1])
    if op[0] == "record":
        request = RemovalRequest(op[2], "note", op[3])
        record_removal(archive, social, item, request, catalog=NORWALK)
    elif op[0] == "amend":
        amendment = Amendment("legal review", add_grounds=op[2], drop_grounds=op[3], note=op[4])
        amend_removal(archive, actor("attorney"), item, amendment, catalog=NORWALK)
    elif op[0] == "destroy":
        with archive.unit() as session:
            if session.get(Item, op[1]) is not None:
                detach_destroyed_items(session, [op[1]])
                session.execute(delete(ItemVersion).where(ItemVersion.item_id == op[1]))
                session.execute(delete(Item).where(Item.id == op[1]))
    elif op[0] == "missing":
        with archive.db.read() as session:
            item = session.get(Item, op[1])
        if item is not None and item.state in ("active", "edited"):
            set_missing(archive, op[1], T0 + timedelta(days=op[2]))
    else:
        request = ClassifyRequest(op[2], "staff know", grounds=op[3])
        classify_missing(archive, social, item, request, catalog=NORWALK)


def snapshot(archive: Archive) -> dict[str, Any]:
    with archive.db.read() as session:
        assert audit.verify(session).ok
        events = {e.seq: e for e in session.scalars(select(AuditEvent))}
        revisions = {}
        for row in session.scalars(select(RemovalRevision)):
            event = events[row.audit_seq]
            assert event.object_type == "removal" and event.object_id == str(row.removal_id)
            assert json.loads(event.details)["revision_no"] == row.revision_no
            assert event.action == (
                "removal.recorded" if row.revision_no == 1 else "removal.amended"
            )
            revisions[(row.removal_id, row.revision_no)] = (
                json.dumps(row.grounds, sort_keys=True),
                row.note,
                row.platform_action,
                row.audit_seq,
            )
        removals = {}
        for removal in session.scalars(select(Removal)):
            assert (removal.id, 1) in revisions
            if removal.item_id is not None:
                assert session.get_one(Item, removal.item_id).state == "removed_by_city"
            removals[removal.id] = (removal.item_platform_id, removal.recorded_at)
        classifications = {}
        for row in session.scalars(select(Classification)):
            event = events[row.audit_seq]
            assert event.object_type == "item"
            assert json.loads(event.details)["item"] == row.item_ref
            classifications[row.id] = (row.item_ref, row.outcome, row.audit_seq)
        return {
            "removals": removals,
            "revisions": revisions,
            "classifications": classifications,
            "events": len(events),
        }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, min_size=1, max_size=14))
def test_no_removal_or_audit_event_is_ever_lost(
    template: Path, operations: list[tuple[Any, ...]]
) -> None:
    with fresh_archive(template) as archive:
        before = snapshot(archive)
        for op in [FIRST, *operations]:
            try:
                apply(archive, op)
                refused = False
            except ArchiverError:
                refused = True
            after = snapshot(archive)
            for key in ("removals", "revisions", "classifications"):
                # nothing recorded earlier is missing or changed
                assert {k: v for k, v in after[key].items() if k in before[key]} == before[key]
                assert before[key].keys() <= after[key].keys()
            if refused:
                assert after == before  # a refusal writes nothing at all
            before = after
