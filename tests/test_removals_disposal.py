"""When retention lawfully destroys a removed item, the removal trail is detached, not lost: the
City's decision (who, when, grounds, clause) stays on record and in reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from archiver.archive import Archive
from archiver.db.models import Item, ItemVersion
from archiver.removals.blocks import BlockRequest, list_blocks, record_block
from archiver.removals.catalog import load_catalog
from archiver.removals.disposal import detach_destroyed_items
from archiver.removals.history import list_removals
from archiver.removals.models import Classification
from archiver.removals.queue import ClassifyRequest, classify_missing
from archiver.removals.record import RemovalRequest, record_removal
from archiver.removals.report import removal_report
from archiver.retention import execute
from archiver.retention.disposition import propose, record_consent, record_resolution
from archiver.retention.models import ItemRetention
from archiver.retention.service import load_schedule
from tests.conftest import SAMPLE, FakeClock, actor
from tests.records import Post, when
from tests.records import account as records_account
from tests.records import ingest as records_ingest
from tests.removal_helpers import T0, make_account, make_item, set_missing

CARSON = load_catalog("carson")


def destroy(archive: Archive, item_ids: list[int]) -> None:
    """What disposition does: detach hooks, then delete the versions and the items."""
    with archive.unit() as session:
        detach_destroyed_items(session, item_ids)
        session.execute(delete(ItemVersion).where(ItemVersion.item_id.in_(item_ids)))
        session.execute(delete(Item).where(Item.id.in_(item_ids)))


def test_removal_outlives_its_destroyed_content(any_archive: Archive) -> None:
    account = make_account(any_archive)
    item = make_item(any_archive, account, "c1", author_handle="troll")
    set_missing(any_archive, item, T0)
    classify_missing(any_archive, actor("social"), str(item), ClassifyRequest("unknown", "?"))
    classify_missing(
        any_archive,
        actor("social"),
        str(item),
        ClassifyRequest("removed_by_city", "found it", grounds=("defamatory",)),
        catalog=CARSON,
    )
    record_block(
        any_archive,
        actor("social"),
        "troll",
        BlockRequest(("defamatory",), (str(item),), "n"),
        catalog=CARSON,
    )
    destroy(any_archive, [item])
    destroy(any_archive, [item])  # the hook is idempotent
    (removal,) = list_removals(any_archive)
    assert removal.item_id is None and removal.item_ref == "facebook:c1"
    assert removal.item_state == "destroyed" and removal.text == ""
    assert removal.poster_handle == "troll" and removal.grounds[0].clause == "V.14"
    assert [c.outcome for c in removal.classifications] == ["removed_by_city"]
    (block,) = list_blocks(any_archive)
    assert block.evidence == ("facebook:c1",) and block.evidence_ids == ()
    with any_archive.db.read() as session:
        rows = session.scalars(select(Classification)).all()
        assert [(c.item_id, c.item_ref) for c in rows] == [(None, "facebook:c1")] * 2
    report = removal_report(any_archive, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert report.summary.removals == 1 and report.summary.blocks == 1


def test_other_items_keep_their_links(archive: Archive) -> None:
    account = make_account(archive)
    kept = make_item(archive, account, "kept")
    gone = make_item(archive, account, "gone")

    for item in (kept, gone):
        request = RemovalRequest(("obscene",), "n", "hidden")
        record_removal(archive, actor("social"), str(item), request, catalog=CARSON)
    destroy(archive, [gone])
    by_ref = {r.item_ref: r for r in list_removals(archive)}
    assert by_ref["facebook:kept"].item_id == kept and by_ref["facebook:kept"].text
    assert by_ref["facebook:gone"].item_id is None


def test_removed_comment_moves_to_its_series_and_survives_real_disposition(
    any_archive: Archive, clock: FakeClock
) -> None:
    """Through retention itself: the removal puts the comment in the removed-content series
    (SM-03, five years from the removal); when that has run, the batch destroys the comment and
    the removal record stays."""
    load_schedule(any_archive, actor("records"), SAMPLE / "retention_schedule.toml")
    acct = records_account(any_archive, "RanchoVerdeCity")
    made = records_ingest(
        any_archive,
        acct,
        [Post("c9", "a defamatory comment", when(2021, 1), kind="comment", author="Troll")],
        captured=when(2021, 2),
    )
    item = made.items["c9"]
    removal = record_removal(
        any_archive,
        actor("social"),
        str(item),
        RemovalRequest(("defamatory",), "named an employee", "deleted"),
        catalog=CARSON,
    )
    with any_archive.db.read() as session:
        assert session.get_one(ItemRetention, item).series_code == "SM-03"
    clock.advance(days=5 * 366)
    batch = propose(any_archive, actor("records"))
    record_resolution(
        any_archive, actor("records"), batch.id, number="2031-7", adopted_on=date(2031, 3, 1)
    )
    record_consent(any_archive, actor("attorney"), batch.id, consented_on=date(2031, 3, 2))
    done = execute.execute(any_archive, actor("records"), batch.id)
    assert done.status == "completed" and item in done.destroyed_items
    (kept,) = list_removals(any_archive)
    assert kept.id == removal.id and kept.item_id is None and kept.item_state == "destroyed"
    assert kept.item_ref == "facebook:c9" and kept.grounds[0].code == "defamatory"
