"""Disposition end to end on real WARC files: approvals, refusals, destruction, crash and resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from archiver.archive import Archive
from archiver.audit import verify as verify_chain
from archiver.db.models import AuditEvent, CaptureSource, Item, WarcRecord
from archiver.errors import InvalidInput, PermissionDenied
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold
from archiver.retention import execute as execution
from archiver.retention.disposition import propose, record_consent, record_resolution
from archiver.retention.models import DispositionEntry, Tombstone
from archiver.retention.service import load_schedule
from archiver.verify import verify_archive
from archiver.warc.catalog import locator
from tests.conftest import SAMPLE, FakeClock, actor
from tests.records import Post, account, ingest, item_ids, when
from tests.test_warc import warcio_check


def payloads(archive: Archive) -> bytes:
    """Every byte of every record payload in every WARC file, for 'is it gone' checks."""
    out = b""
    for name in archive.warcs.files():
        for _offset, _length, record in archive.warcs.iter_file(name):
            out += record.payload + b"\n"
    return out


def assert_catalog_sound(archive: Archive) -> None:
    """Every catalogued record is readable where the database says, digests intact."""
    with archive.db.read() as session:
        for row in session.scalars(select(WarcRecord)):
            archive.warcs.read(locator(row))


def approve(archive: Archive, batch_id: int) -> None:
    record_resolution(
        archive, actor("records"), batch_id, number="2026-31", adopted_on=when(2026, 2, 24).date()
    )
    record_consent(archive, actor("attorney"), batch_id, consented_on=when(2026, 2, 25).date())


@pytest.fixture
def city(any_archive: Archive) -> Archive:
    load_schedule(any_archive, actor("records"), SAMPLE / "retention_schedule.toml")
    return any_archive


def test_destruction_is_real_and_documented(city: Archive) -> None:
    acct = account(city, "RanchoVerdeCity")
    old = ingest(
        city,
        acct,
        [
            Post("p1", "Old parade notice ZEBRA", when(2021, 5)),
            Post("p2", "Old fair ZEBRA", when(2021, 6)),
        ],
        own_records=True,
        captured=when(2021, 7),
    )
    keep = ingest(city, acct, [Post("p3", "Council agenda LLAMA", when(2025, 9))], own_records=True)
    batch = propose(city, actor("records"))
    assert batch.entries == 2

    refused = execution.execute(city, actor("records"), batch.id)
    assert refused.status == "proposed" and len(refused.refusals) == 2
    assert all("approvals missing" in r.reason for r in refused.refusals)
    with pytest.raises(PermissionDenied):
        record_consent(city, actor("records"), batch.id, consented_on=when(2026, 2, 25).date())
    approve(city, batch.id)

    report = execution.execute(city, actor("records"), batch.id)
    assert report.status == "completed" and report.refusals == []
    assert sorted(report.destroyed_items) == sorted(old.items.values())
    assert item_ids(city) == set(keep.items.values())
    content = payloads(city)
    assert b"ZEBRA" not in content and b"LLAMA" in content  # export and item records gone
    assert_catalog_sound(city)
    assert verify_archive(city).ok, verify_archive(city).findings
    warcio_check(city.warcs.directory)  # the rewritten files are valid WARC for other tools
    with city.db.read() as session:
        stones = session.scalars(select(Tombstone)).all()
        assert {t.item_id for t in stones} == set(old.items.values())
        assert all(t.series_code == "SM-01" and t.batch_id == batch.id for t in stones)
        assert (
            session.scalars(
                select(CaptureSource.warc_record_id).where(
                    CaptureSource.capture_id == old.capture_id
                )
            ).one()
            is None
        )
        deletions = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "premis.deletion")
        ).all()
        assert len(deletions) == 2 and '"eventType":"deletion"' in deletions[0].details
        assert verify_chain(session).ok
    seen: list[list[int]] = []
    execution.on_destroyed.append(lambda _archive, ids: seen.append(ids))
    try:  # executing again changes nothing and tells the index again (idempotent hooks)
        again = execution.execute(city, actor("records"), batch.id)
    finally:
        execution.on_destroyed.clear()
    assert again.destroyed_items == report.destroyed_items and seen == [report.destroyed_items]


def test_mixed_export_keeps_the_original_until_its_last_item_goes(
    city: Archive, clock: FakeClock
) -> None:
    acct = account(city, "RanchoVerdeCity")
    export = ingest(
        city,
        acct,
        [
            Post("a", "Old notice MARMOT", when(2021, 1)),
            Post("b", "Recent notice OTTER", when(2025, 6)),
        ],
        captured=when(2025, 7),
    )
    batch = propose(city, actor("records"))
    approve(city, batch.id)
    report = execution.execute(city, actor("records"), batch.id)
    assert report.destroyed_items == [export.items["a"]]
    assert [r["role"] for r in report.records_kept] == ["original_export"]
    assert "still holds kept items" in report.records_kept[0]["reason"]
    assert b"MARMOT" in payloads(city)  # inside the kept original, as the certificate says

    clock.advance(days=365 * 2)  # b is eligible now: the original goes with it
    second = propose(city, actor("records"))
    approve(city, second.id)
    done = execution.execute(city, actor("records"), second.id)
    assert done.destroyed_items == [export.items["b"]]
    assert b"MARMOT" not in payloads(city) and b"OTTER" not in payloads(city)
    assert verify_archive(city).ok


def test_an_original_export_outlives_its_items_until_its_own_series_ends(
    city: Archive, clock: FakeClock
) -> None:
    acct = account(city, "RanchoVerdeCity")
    export = ingest(city, acct, [Post("o", "Old import HERON", when(2020, 1))])  # captured today
    first = propose(city, actor("records"))
    approve(city, first.id)
    report = execution.execute(city, actor("records"), first.id)
    assert report.destroyed_items == [export.items["o"]]
    assert "kept until 2028-03-01 under series SM-07" in report.records_kept[0]["reason"]
    assert b"HERON" in payloads(city)
    with pytest.raises(InvalidInput):
        propose(city, actor("records"))
    clock.advance(days=731)
    second = propose(city, actor("records"))
    assert second.series[0].code == "SM-07" and second.entries == 1
    approve(city, second.id)
    done = execution.execute(city, actor("records"), second.id)
    assert len(done.destroyed_sources) == 1 and done.records_destroyed == 1
    assert b"HERON" not in payloads(city)
    assert verify_archive(city).ok


def test_refusals_per_record(city: Archive) -> None:
    acct = account(city, "RanchoVerdeCity")
    posts = [
        Post("held", "Pothole claim BISON", when(2021, 3)),
        Post("parent", "Old post", when(2021, 3)),
        Post("free", "Old free post", when(2021, 3)),
        Post("young", "Young post", when(2025, 12)),
    ]
    export = ingest(city, acct, posts, own_records=True)
    # a kept reply (under hold) keeps its parent
    reply = ingest(city, acct, [Post("reply", "reply BISON", when(2021, 4), kind="comment")])
    with city.unit() as session:
        session.get(Item, reply.items["reply"]).parent_id = export.items["parent"]  # type: ignore[union-attr]
    batch = propose(city, actor("records"))
    create_hold(
        city,
        actor("attorney"),
        HoldRequest("Doe v. City", HoldScope(query="bison"), matter_number="CV-26-1"),
    )
    with city.unit() as session:  # a young record slipped into the batch: execution still refuses
        session.add(
            DispositionEntry(batch_id=batch.id, item_id=export.items["young"], series_code="SM-01")
        )
    approve(city, batch.id)
    report = execution.execute(city, actor("records"), batch.id)
    reasons = {r.item_id: r.reason for r in report.refusals}
    assert "legal hold H-2026-001" in reasons[export.items["held"]]
    assert "legal hold" in reasons[reply.items["reply"]]
    assert "reply to it" in reasons[export.items["parent"]]
    assert "two years" in reasons[export.items["young"]]
    assert report.destroyed_items == [export.items["free"]]
    assert b"BISON" in payloads(city)
    assert_catalog_sound(city)


STEPS = ["planned", "file_written", "before_commit", "committed", "files_rewritten", "rows_deleted"]


class Crash(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_crash_between_steps_is_consistent_and_resumable(
    archive: Archive, step: str, tmp_path: Path
) -> None:
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    acct = account(archive, "RanchoVerdeCity")
    gone = ingest(
        archive,
        acct,
        [Post("x", "Old KOALA", when(2021, 1))],
        own_records=True,
        captured=when(2021, 2),
    )
    kept = ingest(archive, acct, [Post("y", "New WOMBAT", when(2025, 1))], own_records=True)
    batch = propose(archive, actor("records"))
    approve(archive, batch.id)

    def crash(name: str) -> None:
        if name == step:
            raise Crash(name)

    with pytest.raises(Crash):
        execution.execute(archive, actor("records"), batch.id, checkpoint=crash)
    assert_catalog_sound(archive)  # no row points at bytes that are not there
    assert set(kept.items.values()) <= item_ids(archive)

    report = execution.execute(archive, actor("records"), batch.id)  # resume
    assert report.status == "completed"
    assert report.destroyed_items == list(gone.items.values())
    assert b"KOALA" not in payloads(archive) and b"WOMBAT" in payloads(archive)
    assert verify_archive(archive).ok, verify_archive(archive).findings
    assert not list(archive.warcs.directory.glob(".*part"))


def test_nothing_eligible_is_an_error(city: Archive) -> None:
    acct = account(city, "RanchoVerdeCity")
    ingest(city, acct, [Post("n", "new", when(2025, 1))])
    with pytest.raises(InvalidInput, match="nothing is eligible"):
        propose(city, actor("records"))


def test_a_thread_destroyed_together(archive: Archive) -> None:
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    acct = account(archive, "RanchoVerdeCity")
    made = ingest(
        archive,
        acct,
        [
            Post("post", "Old thread CONDOR", when(2021, 1)),
            Post("reply", "Old reply CONDOR", when(2021, 1), kind="comment", parent="post"),
        ],
        captured=when(2021, 2),
    )
    batch = propose(archive, actor("records"))
    approve(archive, batch.id)
    destroyed: list[int] = []
    execution.on_destroying.append(lambda _session, ids: destroyed.extend(ids))
    try:
        report = execution.execute(archive, actor("records"), batch.id)
    finally:
        execution.on_destroying.clear()
    assert sorted(report.destroyed_items) == sorted(made.items.values()) == sorted(destroyed)
    assert b"CONDOR" not in payloads(archive) and item_ids(archive) == set()


def test_a_hold_placed_during_execution_still_protects(archive: Archive) -> None:
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    acct = account(archive, "RanchoVerdeCity")
    made = ingest(
        archive,
        acct,
        [
            Post("post", "Old thread IBIS", when(2021, 1)),
            Post("reply", "Old reply EGRET", when(2021, 1), kind="comment", parent="post"),
        ],
        own_records=True,
        captured=when(2021, 2),
    )
    batch = propose(archive, actor("records"))
    approve(archive, batch.id)

    def hold_now(step: str) -> None:  # the city attorney acts while the batch runs
        if step == "planned":
            create_hold(
                archive,
                actor("attorney"),
                HoldRequest("Late claim", HoldScope(item_ids=(made.items["reply"],))),
            )

    report = execution.execute(archive, actor("records"), batch.id, checkpoint=hold_now)
    reasons = {r.item_id: r.reason for r in report.refusals}
    assert "legal hold" in reasons[made.items["reply"]]
    assert "a held item replies to it" in reasons[made.items["post"]]
    assert item_ids(archive) == set(made.items.values())
    assert b"EGRET" in payloads(archive) and b"IBIS" in payloads(archive)
    assert_catalog_sound(archive)
