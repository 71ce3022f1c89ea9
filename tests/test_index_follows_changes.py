"""Every change to what the index holds updates it when its unit of work commits: ingest, a
removal, a legal hold and its release, a new schedule. `archiver index verify` finds nothing
stale afterwards, and a clerk's `state:` search sees a removal at once."""

from __future__ import annotations

from sqlalchemy import select

from archiver.accounts import sync_accounts
from archiver.archive import Archive
from archiver.config import load_settings
from archiver.db.models import Item
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold, release_hold
from archiver.ingest import ingest
from archiver.removals.catalog import load_catalog
from archiver.removals.record import RemovalRequest, record_removal
from archiver.retention.service import load_schedule
from archiver.search import search, verify_index
from tests.conftest import SAMPLE, actor


def assert_index_current(archive: Archive) -> None:
    report = verify_index(archive)
    assert report.ok, report.differences[:5]


def test_the_index_follows_every_change(archive: Archive) -> None:
    sample = load_settings(SAMPLE / "archiver.toml", {}, SAMPLE)
    sync_accounts(archive, actor("admin"), sample.accounts)
    ingest(archive, actor("records"), SAMPLE / "exports" / "x_archive.zip")
    assert_index_current(archive)
    clerk = actor("clerk")
    assert search(archive, clerk, "state:removed_by_city").total == 0

    with archive.db.read() as session:
        reply = session.scalars(select(Item).where(Item.kind == "reply").order_by(Item.id)).first()
        assert reply is not None
    record_removal(
        archive,
        actor("social"),
        str(reply.id),
        RemovalRequest(("off_topic",), "unrelated advertising", "hidden"),
        catalog=load_catalog("carson"),
    )
    found = search(archive, clerk, "state:removed_by_city")
    assert [hit.item_id for hit in found.hits] == [reply.id]
    assert_index_current(archive)

    hold = create_hold(
        archive, actor("attorney"), HoldRequest("Doe v. City", HoldScope(item_ids=(reply.id,)))
    )
    assert_index_current(archive)
    release_hold(archive, actor("attorney"), hold.code, reason="settled")
    assert_index_current(archive)
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    assert_index_current(archive)
