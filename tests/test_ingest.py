"""The ingest pipeline end to end, on SQLite and PostgreSQL, with real WARC files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archiver.accounts import add_account
from archiver.archive import Archive
from archiver.config import AccountSpec
from archiver.db.models import (
    Account,
    AuditEvent,
    Capture,
    CaptureSource,
    Follower,
    FollowerSnapshot,
    Item,
    ItemVersion,
    Media,
    WarcRecord,
)
from archiver.errors import IntegrityError, InvalidInput, NotFound, PermissionDenied
from archiver.ingest import IngestOptions, IngestResult, ingest
from archiver.ingest.observations import export_uri
from archiver.ingest.store import ItemStore
from archiver.sources.base import NormalizedItem, SourceRef
from archiver.warc.catalog import locator
from tests import exports as ex
from tests.conftest import FakeClock, actor

RECORDS = actor("records")
TABLES = (
    Capture,
    CaptureSource,
    Item,
    ItemVersion,
    Media,
    FollowerSnapshot,
    Follower,
    WarcRecord,
    Account,
    AuditEvent,
)


def register(archive: Archive) -> None:
    admin = actor("admin")
    add_account(
        archive,
        admin,
        AccountSpec("facebook", "RanchoVerdeCity", ex.PAGE, platform_account_id=ex.PAGE_ID),
    )
    add_account(
        archive,
        admin,
        AccountSpec("instagram", "rvpd_official", "RVPD", platform_account_id=ex.IG_ID),
    )


def run(archive: Archive, path: Path, **options: object) -> IngestResult:
    return ingest(archive, RECORDS, path, IngestOptions(**options))  # type: ignore[arg-type]


def rows(archive: Archive) -> dict[str, int]:
    with archive.db.read() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in TABLES
        }


def warc_sizes(archive: Archive) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in archive.settings.warc_dir.glob("*.warc.gz")}


PHOTOS = (f"{ex.FB}/posts/media/Album_1/a.jpg", f"{ex.FB}/posts/media/Album_1/b.jpg")


def fb_files(
    extra_post: bool = False, edited: bool = False, followers: int = 2
) -> dict[str, bytes]:
    posts = [
        ex.fb_post(ex.T0, "Elm Street is open! 🎉", photos=PHOTOS),
        ex.fb_post(
            ex.T0 + 86400, "Heat advisory: cooling centers open" + (" until 9" if edited else "")
        ),
        ex.fb_post(ex.T0 + 2 * 86400, "Council meets Tuesday"),
    ]
    if extra_post:
        posts.append(ex.fb_post(ex.T0 + 3 * 86400, "Concerts in the park"))
    people = [(f"Resident {n}", ex.T0 - n) for n in range(followers)]
    return ex.facebook_export(
        posts, followers=people, media={p: b"\xff\xd8jpeg " + p.encode() for p in PHOTOS}
    )


@pytest.fixture
def registered(any_archive: Archive) -> Archive:
    register(any_archive)
    return any_archive


def test_every_file_is_kept_byte_for_byte_and_items_point_at_it(
    registered: Archive, tmp_path: Path
) -> None:
    files = fb_files()
    folder = ex.write_tree(tmp_path / "fb", files)
    result = run(registered, folder, complete=True)
    assert result.capture_id is not None and result.files == len(files)
    assert result.counts["post"].new == 3 and result.counts["follower_snapshot"].new == 1
    with registered.db.read() as session:
        sources = session.scalars(
            select(CaptureSource).where(CaptureSource.capture_id == result.capture_id)
        ).all()
        assert {s.name for s in sources} == set(files)
        for source in sources:
            assert source.warc_record is not None
            record = registered.warcs.read(locator(source.warc_record))
            assert record.payload == files[source.name]
            assert record.headers["WARC-Type"] == "resource"
            assert record.headers["WARC-Target-URI"] == export_uri(
                "facebook", result.export_sha256, source.name
            )
        post = session.scalars(select(Item).where(Item.platform_id == f"dyi-post:{ex.T0}")).one()
        version = post.versions[0]
        assert version.source_position == "/0" and version.warc_record is not None
        assert version.warc_record.target_uri.endswith("profile_posts_1.json")
        media = session.scalars(select(Media).where(Media.item_id == post.id)).all()
        assert sorted(m.source_uri for m in media) == sorted(PHOTOS)
        for m in media:
            assert m.warc_record_id is not None and m.size == len(files[m.source_uri])
        snapshot = session.scalars(select(FollowerSnapshot)).one()
        assert snapshot.follower_count == 2 and snapshot.capture_id == result.capture_id
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "ingest.completed"))
        (event,) = events.all()
        assert event.object_id == str(result.capture_id)
        assert json.loads(event.details)["counts"]["post"]["new"] == 3
    assert (
        sorted(result.changed_item_ids) == sorted(i for i in result.changed_item_ids)
        and len(result.changed_item_ids) == 3
    )


def test_reingest_adds_nothing(registered: Archive, tmp_path: Path) -> None:
    folder = ex.write_tree(tmp_path / "fb", fb_files())
    first = run(registered, folder)
    before, sizes = rows(registered), warc_sizes(registered)
    again = run(registered, folder)
    assert again.already_ingested == first.capture_id and again.capture_id is None
    assert again.counts["post"].unchanged == 3 and again.changed_item_ids == []
    assert rows(registered) == before and warc_sizes(registered) == sizes
    # the same export as a zip: same names, same bytes, nothing added either
    zipped = tmp_path / "fb.zip"
    zipped.write_bytes(ex.zip_bytes(fb_files()))
    assert run(registered, zipped).already_ingested == first.capture_id
    assert rows(registered) == before


def test_changes_make_versions_and_counts_do_not(
    registered: Archive, tmp_path: Path, clock: FakeClock
) -> None:
    first = run(registered, ex.write_tree(tmp_path / "a", fb_files()))
    clock.advance(days=30)
    second = run(registered, ex.write_tree(tmp_path / "b", fb_files(extra_post=True, edited=True)))
    assert second.counts["post"].new == 1
    assert second.counts["post"].changed == 1
    assert second.counts["post"].unchanged == 2
    assert second.files_reused >= 2  # the photos were already in the archive
    with registered.db.read() as session:
        edited = session.scalars(
            select(Item).where(Item.platform_id == f"dyi-post:{ex.T0 + 86400}")
        ).one()
        assert edited.state == "edited" and edited.version_count == 2
        assert [v.text for v in edited.versions] == [
            "Heat advisory: cooling centers open",
            "Heat advisory: cooling centers open until 9",
        ]
        assert edited.versions[0].capture_id == first.capture_id
        assert edited.versions[1].capture_id == second.capture_id
        assert edited.id in second.changed_item_ids
        unchanged = session.scalars(
            select(Item).where(Item.platform_id == f"dyi-post:{ex.T0}")
        ).one()
        assert unchanged.id not in second.changed_item_ids
        assert unchanged.last_seen_at > unchanged.first_seen_at
    assert len(second.changed_item_ids) == 2

    # a Graph capture where only a reaction count moved: no new version
    post = ex.graph_post(1, "Cleanup Saturday", likes=3)
    run(registered, ex.write_tree(tmp_path / "g1", ex.graph_feed([post])))
    moved = run(
        registered,
        ex.write_tree(
            tmp_path / "g2", ex.graph_feed([dict(post, reactions={"summary": {"total_count": 90}})])
        ),
    )
    assert moved.counts["post"].unchanged == 1 and moved.counts["post"].changed == 0


def test_a_reverted_edit_is_a_new_version(
    registered: Archive, tmp_path: Path, clock: FakeClock
) -> None:
    """A, B, then A again (undated, as the Graph API gives it) is three versions: the history
    keeps that the text came back."""
    texts = ["Pool opens at 9am", "Pool opens at 8:30am", "Pool opens at 9am"]
    for number, text in enumerate(texts):
        clock.advance(days=1)
        feed = ex.graph_feed([ex.graph_post(5, text)])
        run(registered, ex.write_tree(tmp_path / f"r{number}", feed))
    with registered.db.read() as session:
        post = session.scalars(select(Item).where(Item.platform_id == f"{ex.PAGE_ID}_5")).one()
        assert post.version_count == 3 and [v.text for v in post.versions] == texts
        assert post.state == "edited"


def test_dated_versions_read_again_are_observations_not_new_versions(
    registered: Archive, clock: FakeClock
) -> None:
    """An export listing an edit chain (X, Facebook's edit history) lists every version each
    time, oldest first and dated: reading it again, even after the latest, adds nothing."""
    when = [datetime(2024, 5, 1, 9, tzinfo=UTC), datetime(2024, 5, 1, 10, tzinfo=UTC)]
    chain = [
        NormalizedItem("facebook", "chain-1", "post", SourceRef(""), text=t, edited_at=w)
        for t, w in zip(["Pool at 9", "Pool at 8:30"], when, strict=True)
    ]

    def record(items: list[NormalizedItem]) -> dict[str, int]:
        clock.advance(days=1)
        with registered.unit() as session:
            account = session.scalars(select(Account.id).where(Account.platform == "facebook"))
            capture = Capture(
                account_id=account.one(), source_kind="export", source_format="test",
                source_path="", complete=False, operator="records", tool_version="test",
                started_at=clock(), outcome="running", error="", counts={},
            )  # fmt: skip
            session.add(capture)
            session.flush()
            store = ItemStore(session, capture, clock(), {})
            for item in items:
                store.add(capture.account_id, item)
            store.finish()
            return store.count("post").as_dict()

    assert record(chain)["new"] == 1
    assert record(chain) == {"new": 0, "changed": 0, "unchanged": 1, "missing": 0, "reappeared": 0}
    assert record(chain[:1])["changed"] == 0  # the first version alone, dated: seen again
    with registered.db.read() as session:
        post = session.scalars(select(Item).where(Item.platform_id == "chain-1")).one()
        assert post.version_count == 2 and post.text == "Pool at 8:30"


def test_a_comment_recorded_before_its_post_is_linked_when_the_post_arrives(
    registered: Archive, tmp_path: Path, clock: FakeClock
) -> None:
    """A capture's later page, or a later export, can bring the post a comment answers."""
    comment = ex.graph_comment(5, 1, "What time?")
    edge = {f"{ex.PAGE_ID}_5/comments/page-001.json": json.dumps({"data": [comment]}).encode()}
    run(registered, ex.write_tree(tmp_path / "c", edge))
    clock.advance(days=1)
    run(registered, ex.write_tree(tmp_path / "p", ex.graph_feed([ex.graph_post(5, "Pool")])))
    with registered.db.read() as session:
        post = session.scalars(select(Item).where(Item.platform_id == f"{ex.PAGE_ID}_5")).one()
        waiting = session.scalars(select(Item).where(Item.platform_id == "5_1")).one()
        assert waiting.parent_id == post.id and waiting.root_id == post.id


def test_complete_exports_mark_missing_and_partial_ones_do_not(
    registered: Archive, tmp_path: Path, clock: FakeClock
) -> None:
    run(registered, ex.write_tree(tmp_path / "a", fb_files(extra_post=True)), complete=True)
    clock.advance(days=7)
    smaller = ex.write_tree(tmp_path / "b", fb_files(followers=3))
    partial = run(registered, smaller)
    assert all(c.missing == 0 for c in partial.counts.values())
    clock.advance(days=7)
    noticed = clock.now
    complete = run(registered, smaller, complete=True)
    assert complete.counts["post"].missing == 1
    with registered.db.read() as session:
        gone = session.scalars(
            select(Item).where(Item.platform_id == f"dyi-post:{ex.T0 + 3 * 86400}")
        ).one()
        assert gone.state == "missing_from_source" and gone.missing_since is not None
        assert gone.missing_since >= noticed and gone.versions  # kept, never deleted
        assert gone.id in complete.changed_item_ids
    clock.advance(days=7)
    back = run(registered, ex.write_tree(tmp_path / "c", fb_files(extra_post=True)), complete=True)
    assert back.counts["post"].reappeared == 1
    with registered.db.read() as session:
        again = session.get(Item, gone.id)
        assert again is not None and again.state == "active" and again.missing_since is None


def test_a_failure_leaves_no_rows_and_no_warc_bytes(registered: Archive, tmp_path: Path) -> None:
    run(registered, ex.write_tree(tmp_path / "a", fb_files()))
    before, sizes = rows(registered), warc_sizes(registered)
    broken = fb_files(extra_post=True)
    broken[f"{ex.FB}/comments_and_reactions/comments.json"] = b'{"comments_v2": [{"timestamp": 1,'
    with pytest.raises(InvalidInput, match=r"comments\.json: invalid JSON at line 1, column 34"):
        run(registered, ex.write_tree(tmp_path / "b", broken))
    assert rows(registered) == before
    assert warc_sizes(registered) == sizes


def test_graph_capture_of_a_page_and_its_instagram(registered: Archive, tmp_path: Path) -> None:
    top = ex.graph_comment(
        7, 1, "Gloves?", comments={"data": [ex.graph_comment(7, 2, "Yes", parent={"id": "7_1"})]}
    )
    hidden = ex.graph_comment(7, 3, "spam", is_hidden=True)
    files = ex.graph_feed([ex.graph_post(7, "Cleanup Saturday", comments=[top, hidden])])
    media = {"id": "1790", "caption": "Ribbon", "media_type": "IMAGE", "owner": {"id": ex.IG_ID},
             "comments": {"data": [{"id": "k1", "text": "Yay", "username": "dana"}]}}  # fmt: skip
    files[f"{ex.IG_ID}/media/page-001.json"] = json.dumps({"data": [media]}).encode()
    result = run(registered, ex.write_tree(tmp_path / "capture", files))
    assert result.accounts == ["facebook:RanchoVerdeCity", "instagram:rvpd_official"]
    with registered.db.read() as session:
        items = {i.platform_id: i for i in session.scalars(select(Item))}
        assert items["7_2"].parent_id == items["7_1"].id
        assert items["7_2"].root_id == items[f"{ex.PAGE_ID}_7"].id
        assert items["7_3"].state == "hidden"
        assert items["k1"].parent_id == items["1790"].id
        assert items["1790"].account.handle == "rvpd_official"
        assert items["7_1"].account.handle == "RanchoVerdeCity"
    unhidden = ex.graph_comment(7, 3, "spam", is_hidden=False)
    files = ex.graph_feed([ex.graph_post(7, "Cleanup Saturday", comments=[top, unhidden])])
    later = run(registered, ex.write_tree(tmp_path / "later", files))
    assert later.counts["comment"].changed == 1
    with registered.db.read() as session:
        assert (
            session.scalars(select(Item.state).where(Item.platform_id == "7_3")).one() == "active"
        )


def test_follower_snapshots_are_taken_only_when_they_change(
    registered: Archive, tmp_path: Path
) -> None:
    run(registered, ex.write_tree(tmp_path / "a", fb_files()))
    same = run(registered, ex.write_tree(tmp_path / "b", fb_files(extra_post=True)))
    assert same.counts["follower_snapshot"].unchanged == 1
    more = run(registered, ex.write_tree(tmp_path / "c", fb_files(followers=5)))
    assert more.counts["follower_snapshot"].new == 1
    with registered.db.read() as session:
        counts = session.scalars(
            select(FollowerSnapshot.follower_count).order_by(FollowerSnapshot.id)
        )
        assert counts.all() == [2, 5]


def test_account_matching(registered: Archive, tmp_path: Path) -> None:
    other = ex.facebook_export(
        [ex.fb_post(ex.T0, "Water main flushing")], page_name="Verde Valley Water"
    )
    zipped = tmp_path / "facebook-VerdeValleyWater-2025-06-30-Zq81LmN0.zip"
    zipped.write_bytes(ex.zip_bytes(other))
    with pytest.raises(NotFound) as raised:
        run(registered, zipped)
    assert (
        "archiver accounts add --platform facebook --handle VerdeValleyWater "
        "--name 'Verde Valley Water'" in (raised.value.hint or "")
    )
    # named explicitly, a Facebook export cannot go to an Instagram account
    with pytest.raises(InvalidInput, match=r"is a Facebook export .* is an Instagram account"):
        run(registered, zipped, account="instagram:rvpd_official")
    # but it can be filed under the Page it belongs to when the user says so
    assert run(registered, zipped, account="facebook:RanchoVerdeCity").counts["post"].new == 1


def test_ingest_needs_the_role(registered: Archive, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        ingest(registered, actor("clerk"), ex.write_tree(tmp_path / "a", fb_files()))


def test_a_file_changed_during_the_ingest_is_refused(registered: Archive, tmp_path: Path) -> None:
    folder = ex.write_tree(tmp_path / "fb", fb_files())
    posts = folder / ex.FB / "posts" / "profile_posts_1.json"
    before, sizes = rows(registered), warc_sizes(registered)

    def meddle(stage: str, done: int, total: int | None) -> None:
        if stage == "storing files":
            posts.write_bytes(posts.read_bytes().replace(b"Council", b"Cuoncil"))

    with pytest.raises(IntegrityError, match=r"profile_posts_1\.json changed while"):
        run(registered, folder, progress=meddle)
    assert rows(registered) == before and warc_sizes(registered) == sizes
