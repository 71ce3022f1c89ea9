"""Each connector reads the account's profile once per capture: a ``profile`` item (a new version
only when it changes) and a dated follower snapshot with the count the platform states."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from archiver.accounts import list_accounts, show_account
from archiver.db.models import Follower, FollowerSnapshot, Item, WarcRecord
from archiver.ingest.observations import _followers_digest
from archiver.sources.base import Follower as ListedFollower
from archiver.sources.base import FollowerList, SourceRef

from .conftest import REFS, World

PROFILES = {
    # platform: (the profile item's platform id, followers, the profile request's path)
    "facebook": ("100064123456789", 19410, "/v19.0/100064123456789"),
    "instagram": ("17841400000000001", 8421, "/v19.0/17841400000000001"),
    "youtube": ("UCrv000RanchoVerdeGov00", 6120, "/youtube/v3/channels"),
    "x": ("1500000000000000001", 12873, "/2/users/1500000000000000001"),
    "bluesky": (
        "at://did:plc:ranchoverde00000000000000/app.bsky.actor.profile/self",
        2311,
        "/xrpc/app.bsky.actor.getProfile",
    ),
}


def _snapshots(world: World) -> list[FollowerSnapshot]:
    with world.archive.db.read() as session:
        rows = list(session.scalars(select(FollowerSnapshot).order_by(FollowerSnapshot.id)))
        session.expunge_all()
        return rows


@pytest.mark.parametrize("platform", sorted(PROFILES))
def test_each_platform_records_its_profile_and_follower_count(world: World, platform: str) -> None:
    platform_id, followers, path = PROFILES[platform]
    result = world.capture(platform)
    assert result.ok, result.error
    assert result.followers == followers and result.follower_snapshots == 1
    assert len(world.server.requests_to(path)) >= 1
    [profile] = world.items(kind="profile")
    assert profile.platform_id == platform_id and profile.version_count == 1
    assert profile.text and "Rancho Verde" in (profile.author_name + profile.text)
    [snapshot] = _snapshots(world)
    assert snapshot.follower_count == followers and snapshot.capture_id == result.capture_id
    assert snapshot.taken_at.date() == world.clock().date()
    with world.archive.db.read() as session:
        # a count alone: no follower rows
        assert session.scalar(select(func.count()).select_from(Follower)) == 0
        record = session.get(WarcRecord, snapshot.warc_record_id)
        assert record is not None and record.record_type == "response"
        assert path in record.target_uri


def test_a_count_change_makes_a_second_snapshot_and_an_unchanged_profile_no_version(
    world: World,
) -> None:
    first = world.capture("facebook")
    world.server.variant = "run2"  # the Page gained 27 followers; its name and about are the same
    world.clock.advance(days=1)
    second = world.capture("facebook")
    assert second.ok and (second.followers, second.follower_snapshots) == (19437, 1)
    snapshots = _snapshots(world)
    assert [(s.follower_count, s.capture_id) for s in snapshots] == [
        (19410, first.capture_id),
        (19437, second.capture_id),
    ]
    assert snapshots[1].taken_at > snapshots[0].taken_at
    [profile] = world.items(kind="profile")
    assert profile.version_count == 1, "a new follower is not a new version of the profile"
    world.clock.advance(days=1)
    third = world.capture("facebook")  # the same count again: no new snapshot
    assert third.followers == 19437 and third.follower_snapshots == 0
    assert len(_snapshots(world)) == 2
    view = show_account(world.archive, REFS["facebook"])
    assert view.followers == 19437 and view.followers_at == snapshots[1].taken_at.isoformat()
    listed = {v.platform: v.followers for v in list_accounts(world.archive)}
    assert listed["facebook"] == 19437 and listed["x"] is None


def test_a_changed_profile_is_a_new_version(world: World) -> None:
    world.capture("x")
    # the same request now answers a new description
    route = next(r for r in world.server.routes if r.path == "/2/users/1500000000000000001")
    route.file = "user_changed.json"
    world.clock.advance(days=1)
    again = world.capture("x")
    assert again.ok and again.follower_snapshots == 0  # the count is the same
    [profile] = world.items(kind="profile")
    assert profile.version_count == 2 and "meetings" in profile.text


def test_a_hidden_subscriber_count_is_not_recorded(world: World) -> None:
    world.server.variant = "hidden"
    result = world.capture("youtube")
    assert result.ok and result.complete, result.error
    assert result.followers is None and result.follower_snapshots == 0
    assert any("does not show" in note for note in result.notes)
    assert _snapshots(world) == []
    with world.archive.db.read() as session:
        profile = session.scalars(select(Item).where(Item.kind == "profile")).one()
        assert profile.platform_id == "UCrv000RanchoVerdeGov00"
    assert show_account(world.archive, REFS["youtube"]).followers is None


def test_a_profile_that_cannot_be_read_leaves_the_capture_incomplete(world: World) -> None:
    world.server.fail("/v19.0/100064123456789", 500, times=10)
    result = world.capture("facebook")
    assert result.outcome == "interrupted" and _snapshots(world) == []
    world.server.faults.clear()
    world.server.fail("/v19.0/100064123456789", 404, times=1)
    resumed = world.capture("facebook")
    assert resumed.ok and not resumed.complete  # nothing is marked missing on a partial view
    assert any("profile" in n and "404" in n for n in resumed.notes)
    assert resumed.followers is None and world.items(kind="profile") == []


def test_an_export_list_hashes_as_before_and_a_count_changes_the_hash() -> None:
    """Snapshots taken before counts were kept still compare equal to the same list read again."""
    followers = (
        ListedFollower("Dana Q. Resident", "danaqresident", "", datetime(2024, 4, 1, tzinfo=UTC)),
        ListedFollower("Sam Lee", "", "", None),
    )
    listed = FollowerList(SourceRef("f.json"), None, followers)
    before = json.dumps(
        sorted(
            [
                f.name,
                f.handle,
                f.platform_user_id,
                f.followed_at.isoformat() if f.followed_at else "",
            ]
            for f in followers
        ),
        ensure_ascii=False,
    )
    assert _followers_digest(listed) == hashlib.sha256(before.encode("utf-8")).hexdigest()
    counted = FollowerList(SourceRef("r"), None, (), 2)
    assert counted.total == listed.total == 2
    assert _followers_digest(counted) != _followers_digest(listed)
    assert _followers_digest(counted) != _followers_digest(
        FollowerList(SourceRef("r"), None, (), 3)
    )
