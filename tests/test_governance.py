"""Items recorded after a hold or a schedule exists are governed at once, inside the ingest."""

from __future__ import annotations

from sqlalchemy import func, select

from archiver.accounts import sync_accounts
from archiver.archive import Archive
from archiver.config import load_settings
from archiver.db.models import Item
from archiver.holds.models import HoldItem, LegalHold
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold
from archiver.ingest import ingest
from archiver.retention.models import ItemRetention
from archiver.retention.service import load_schedule
from tests.conftest import SAMPLE, actor


def test_hold_and_schedule_cover_items_ingested_later(archive: Archive) -> None:
    sample = load_settings(SAMPLE / "archiver.toml", {}, SAMPLE)
    sync_accounts(archive, actor("admin"), sample.accounts)
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    hold = create_hold(
        archive,
        actor("attorney"),
        HoldRequest("Doe v. City of Rancho Verde", HoldScope(accounts=("x:RanchoVerdeCA",))),
    )
    result = ingest(archive, actor("records"), SAMPLE / "exports" / "x_archive.zip")
    assert result.changed_item_ids
    with archive.db.read() as session:
        x_items = set(session.scalars(select(Item.id).where(Item.platform == "x")))
        held = set(
            session.scalars(
                select(HoldItem.item_id).join(LegalHold).where(LegalHold.code == hold.code)
            )
        )
        assert x_items and held == x_items
        assigned = session.scalar(
            select(func.count())
            .select_from(ItemRetention)
            .where(ItemRetention.item_id.in_(x_items))
        )
        assert assigned == len(x_items)
    ingest(archive, actor("records"), SAMPLE / "exports" / "bluesky_repo.car")
    with archive.db.read() as session:
        held_now = set(
            session.scalars(
                select(HoldItem.item_id).join(LegalHold).where(LegalHold.code == hold.code)
            )
        )
        assert held_now == x_items  # the hold's scope is the X account only


def test_same_text_from_another_source_is_a_version_but_not_an_edit(archive: Archive) -> None:
    """The Takeout export and the Data API capture describe the same videos with different
    fields: the second adds versions (both representations are kept) but edits nothing."""
    sample = load_settings(SAMPLE / "archiver.toml", {}, SAMPLE)
    sync_accounts(archive, actor("admin"), sample.accounts)
    ingest(archive, actor("records"), SAMPLE / "exports" / "youtube_takeout")
    second = ingest(archive, actor("records"), SAMPLE / "exports" / "youtube_data_api")
    assert second.counts["video"].changed > 0
    with archive.db.read() as session:
        videos = session.scalars(select(Item).where(Item.kind == "video")).all()
        reversioned = [v for v in videos if v.version_count > 1]
        assert any(len({version.text for version in v.versions}) == 1 for v in reversioned)
        for video in reversioned:
            texts = {version.text for version in video.versions}
            assert (video.state == "edited") == (len(texts) > 1), video.platform_id
