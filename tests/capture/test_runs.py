"""Whole captures: interrupted and resumed without duplicates; edits, deletions and hiding
between two runs; tokens that are missing or revoked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from archiver.archive import Archive
from archiver.audit import verify
from archiver.capture.credentials import load_credential
from archiver.capture.models import CaptureCursor
from archiver.capture.runner import CaptureOptions, capture_account
from archiver.db.models import Capture, Item, ItemVersion, Media
from archiver.errors import CredentialError, ExitCode
from archiver.holds.models import HoldItem, LegalHold
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold
from archiver.lifecycle import init_archive
from archiver.retention.models import ItemRetention
from archiver.retention.service import load_schedule
from tests.conftest import SAMPLE, FakeClock, actor

from .conftest import ENV, REFS, World, capture_settings
from .replay import ReplayServer

FEED = "/v19.0/100064123456789/feed"
SECOND_PAGE = {"after": "QVFIUmNk"}


class Killed(BaseException):
    """Stands for the process being killed mid-run (nothing below catches it)."""


def _totals(world: World) -> tuple[int, int, int]:
    with world.archive.db.read() as session:
        items = session.scalar(select(func.count()).select_from(Item)) or 0
        distinct = session.scalar(select(func.count(func.distinct(Item.platform_id)))) or 0
        versions = session.scalar(select(func.count()).select_from(ItemVersion)) or 0
    return items, distinct, versions


def test_an_interrupted_capture_resumes_where_it_stopped(world: World) -> None:
    world.server.fail(FEED, 503, times=10, query=SECOND_PAGE)
    first = world.capture("facebook")
    assert first.outcome == "interrupted" and "still failing" in first.error
    assert first.exit_code == ExitCode.TOTAL_FAILURE
    assert (
        first.pages == 2 and first.counts.new == 7
    )  # the profile; page one: two posts, four comments
    with world.archive.db.read() as session:
        cursor = session.scalars(
            select(CaptureCursor).where(CaptureCursor.endpoint == "feed")
        ).one()
        assert cursor.cursor == "QVFIUmNk" and not cursor.done
    world.server.faults.clear()
    second = world.capture("facebook")
    assert second.ok and second.resumed and second.capture_id == first.capture_id
    assert second.pages == 1 and second.counts.new == 1 and second.counts.unchanged == 0
    feed_requests = [s.query.get("after", "") for s in world.server.requests_to(FEED)]
    assert feed_requests.count("") == 1, "page one is not fetched again"
    items, distinct, versions = _totals(world)
    assert items == distinct == versions == 8
    with world.archive.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CaptureCursor)) == 0
        capture = session.get(Capture, first.capture_id)
        assert capture is not None and capture.outcome == "succeeded" and capture.complete
        assert verify(session).ok


def test_a_killed_run_leaves_no_duplicates_after_resuming(world: World) -> None:
    def killing_sleep(seconds: float) -> None:
        raise Killed

    world.server.fail(FEED, 429, headers={"Retry-After": "5"}, query=SECOND_PAGE)
    with pytest.raises(Killed):
        capture_account(
            world.archive,
            actor("records"),
            REFS["facebook"],
            CaptureOptions(env=ENV, sleep=killing_sleep),
        )
    with world.archive.db.read() as session:
        capture = session.scalars(select(Capture)).one()
        assert capture.outcome == "running"  # as a killed process leaves it
    resumed = world.capture("facebook")
    assert resumed.ok and resumed.resumed
    again = world.capture("facebook")  # a fresh, full capture: everything unchanged
    assert again.ok and not again.resumed
    assert again.counts.new == 0 and again.counts.changed == 0 and again.counts.unchanged == 8
    items, distinct, versions = _totals(world)
    assert items == distinct == versions == 8


def test_an_edit_a_deletion_and_a_hidden_comment_between_two_runs(world: World) -> None:
    first = world.capture("facebook")
    assert first.ok and first.counts.missing == 0
    world.server.variant = "run2"
    world.clock.advance(days=1)
    second = world.capture("facebook")
    assert second.ok and second.complete
    # changed: the edited post, and the comment the Page hid
    assert second.counts.changed == 2 and second.counts.missing == 1
    assert second.counts.new == 0 and second.counts.reappeared == 0
    by_id = {i.platform_id: i for i in world.items()}
    post = by_id["100064123456789_900001"]
    assert post.version_count == 2 and post.state == "edited" and "8:30am" in post.text
    with world.archive.db.read() as session:
        texts = list(
            session.scalars(
                select(ItemVersion.text)
                .where(ItemVersion.item_id == post.id)
                .order_by(ItemVersion.version_no)
            )
        )
    assert "9am" in texts[0] and "8:30am" in texts[1], "the first version is kept"
    gone = by_id["900001_222"]  # the Page's reply was deleted
    assert gone.state == "missing_from_source" and gone.missing_since is not None
    assert by_id["900001_444"].state == "hidden"  # newly hidden by the Page
    assert by_id["900001_333"].state == "hidden"  # still hidden
    assert by_id["900001_111"].state == "active"


def test_a_reverted_edit_is_a_new_version_and_a_returning_comment_is_active(
    world: World,
) -> None:
    world.capture("facebook")
    world.server.variant = "run2"
    world.clock.advance(days=1)
    world.capture("facebook")
    world.server.variant = ""
    world.clock.advance(days=1)
    third = world.capture("facebook")
    # changed: the post (its first text again), the comment un-hidden, the reply back
    assert third.counts.changed == 3 and third.counts.missing == 0
    assert third.counts.reappeared == 1
    by_id = {i.platform_id: i for i in world.items()}
    assert by_id["100064123456789_900001"].version_count == 3  # A, B, A again: nothing lost
    back = by_id["900001_222"]
    assert back.state == "active" and back.missing_since is None
    assert by_id["900001_444"].state == "active"  # un-hidden by the Page


def test_a_revoked_token_stops_the_account_with_the_fix(world: World) -> None:
    revoked = Path(__file__).parent.parent / "fixtures/capture/facebook/token_revoked.json"
    world.server.fail(FEED, 400, body=revoked.read_bytes())
    result = world.capture("facebook")
    assert result.outcome == "interrupted" and result.exit_code == ExitCode.CONFIG
    assert "expired or revoked" in result.error
    assert "ARCHIVER_META_ACCESS_TOKEN" in result.hint and "meta_access_token" in result.hint


@pytest.mark.parametrize(
    ("platform", "path", "status", "fixture", "variable"),
    [
        (
            "youtube",
            "/youtube/v3/channels",
            400,
            "youtube/key_invalid.json",
            "ARCHIVER_YOUTUBE_API_KEY",
        ),
        (
            "x",
            "/2/users/1500000000000000001/tweets",
            401,
            "x/unauthorized.json",
            "ARCHIVER_X_BEARER_TOKEN",
        ),
    ],
)
def test_rejected_keys_of_other_platforms(
    world: World, platform: str, path: str, status: int, fixture: str, variable: str
) -> None:
    body = (Path(__file__).parent.parent / "fixtures/capture" / fixture).read_bytes()
    world.server.fail(path, status, body=body)
    result = world.capture(platform)
    assert result.exit_code == ExitCode.CONFIG and "expired or revoked" in result.error
    assert variable in result.hint


def test_a_missing_token_names_the_variable_and_the_key(world: World) -> None:
    world.env.clear()
    result = world.capture("youtube")
    assert result.outcome == "failed" and result.capture_id is None
    assert "ARCHIVER_YOUTUBE_API_KEY" in result.error
    assert "youtube_api_key" in result.hint


def test_tokens_come_from_the_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('meta_access_token = "EAAGfromFILE123456"\n', encoding="utf-8")
    found = load_credential("meta_access_token", {}, secrets, account="facebook:x")
    assert found.value == "EAAGfromFILE123456" and "EAAG" not in repr(found)
    env = {"ARCHIVER_META_ACCESS_TOKEN": "EAAGfromENV1234567"}
    assert load_credential("meta_access_token", env, secrets, account="a").value.endswith(
        "ENV1234567"
    )
    with pytest.raises(CredentialError, match="x_bearer_token"):
        load_credential("x_bearer_token", {}, secrets, account="x:RanchoVerdeCA")


@pytest.mark.postgres
def test_capture_resume_and_change_detection_on_postgresql(
    tmp_path: Path, clock: FakeClock, server: ReplayServer, pg_url: str
) -> None:
    settings = capture_settings(tmp_path, server.base, pg_url)
    init_archive(settings, actor("admin"), clock=clock)
    with Archive.open(settings, clock=clock) as archive:
        world = World(archive, server, clock)
        server.fail(FEED, 503, times=10, query=SECOND_PAGE)
        assert world.capture("facebook").outcome == "interrupted"
        server.faults.clear()
        assert world.capture("facebook").resumed
        server.variant = "run2"
        clock.advance(days=1)
        second = world.capture("facebook")
        assert (second.counts.changed, second.counts.missing) == (2, 1)
        items, distinct, versions = _totals(world)
        assert items == distinct == 8 and versions == 9


def test_a_photo_that_could_not_be_fetched_is_linked_by_the_next_capture(world: World) -> None:
    world.server.fail("/media/fb_442.jpg", 404, times=5)
    first = world.capture("facebook")
    assert first.ok and not first.complete and any("fb_442" in n for n in first.notes)

    def photos() -> dict[str, int | None]:
        with world.archive.db.read() as session:
            post = session.scalars(
                select(Item).where(Item.platform_id == "100064123456789_900001")
            ).one()
            rows = session.scalars(select(Media).where(Media.item_id == post.id))
            return {m.source_uri: m.warc_record_id for m in rows}

    assert sorted(v is None for v in photos().values()) == [False, True]
    world.server.faults.clear()
    world.clock.advance(days=1)
    second = world.capture("facebook")
    assert second.ok and second.counts.changed == 0 and second.counts.new == 0
    assert len(photos()) == 2 and all(photos().values())


def test_a_hold_and_the_schedule_take_in_captured_items_as_they_are_recorded(
    world: World,
) -> None:
    load_schedule(world.archive, actor("records"), SAMPLE / "retention_schedule.toml")
    scope = HoldScope(accounts=(REFS["facebook"],))
    hold = create_hold(world.archive, actor("attorney"), HoldRequest("Doe v. City", scope))
    assert world.capture("facebook").ok
    with world.archive.db.read() as session:
        captured = set(session.scalars(select(Item.id).where(Item.platform == "facebook")))
        held = set(
            session.scalars(
                select(HoldItem.item_id).join(LegalHold).where(LegalHold.code == hold.code)
            )
        )
        assigned = set(session.scalars(select(ItemRetention.item_id)))
    assert len(captured) == 8 and held == captured and captured <= assigned
