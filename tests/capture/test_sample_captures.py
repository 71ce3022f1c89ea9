"""The connectors read the sample data's saved Graph and YouTube API captures (the City of
Rancho Verde) served back on loopback, and find what its README says they hold."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from archiver.archive import Archive
from archiver.config import AccountSpec, CaptureSpec
from archiver.lifecycle import init_archive
from tests.conftest import SAMPLE, FakeClock, actor

from .conftest import World, capture_settings
from .replay import FIXTURES, ReplayServer, Route

GRAPH = SAMPLE / "exports" / "facebook_graph_api"
YOUTUBE = SAMPLE / "exports" / "youtube_data_api"
pytestmark = pytest.mark.skipif(not GRAPH.is_dir(), reason="sample data not present")


@pytest.fixture
def sample_world(tmp_path: Path, clock: FakeClock) -> Iterator[World]:
    server = ReplayServer().load_capture_folder(GRAPH).load_capture_folder(YOUTUBE)
    # the saved captures hold no profile objects: the Page's and the IG user's from the fixtures
    for path, file, platform in (
        ("/v19.0/100064123456789", "page.json", "facebook"),
        ("/v19.0/17841400000000001", "user.json", "instagram"),
    ):
        server.routes.append(Route(path, {}, file, folder=str(FIXTURES / platform)))
    server.start()
    base = server.base
    specs = (
        AccountSpec(
            "facebook",
            "RanchoVerdeCity",
            platform_account_id="100064123456789",
            capture=CaptureSpec(api_base=f"{base}/v19.0", page_size=8, media=False),
        ),
        AccountSpec(
            "instagram",
            "rvpd_official",
            platform_account_id="17841400000000001",
            capture=CaptureSpec(api_base=f"{base}/v19.0", page_size=4, media=False),
        ),
        AccountSpec(
            "youtube",
            "RanchoVerdeCity",
            platform_account_id="UCrv00000000000000000001",
            capture=CaptureSpec(api_base=f"{base}/youtube/v3", media=False),
        ),
    )
    settings = replace(capture_settings(tmp_path, base), accounts=specs)
    init_archive(settings, actor("admin"), clock=clock)
    try:
        with Archive.open(settings, clock=clock) as archive:
            yield World(archive, server, clock)
    finally:
        server.stop()


def _kinds(world: World) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for item in world.items():
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    return kinds


def test_facebook_sample_feed_with_truncated_comments(sample_world: World) -> None:
    result = sample_world.capture("facebook")
    assert result.ok and result.complete, result.error
    assert result.pages == 4  # the profile and three feed pages
    assert _kinds(sample_world) == {"profile": 1, "post": 20, "comment": 54, "reply": 17}
    assert sum(i.state == "hidden" for i in sample_world.items()) == 4
    replies = [i for i in sample_world.items() if i.kind == "reply"]
    assert all(r.parent_id is not None for r in replies)


def test_instagram_sample_media_comments_and_replies(sample_world: World) -> None:
    result = sample_world.capture("instagram")
    assert result.ok and result.complete, result.error
    assert _kinds(sample_world) == {"profile": 1, "post": 8, "comment": 17, "reply": 4}
    assert sum(i.state == "hidden" for i in sample_world.items()) == 2


def test_youtube_sample_videos_threads_and_all_replies(sample_world: World) -> None:
    result = sample_world.capture("youtube")
    assert result.ok and result.complete, result.error
    assert _kinds(sample_world) == {"profile": 1, "video": 6, "comment": 19, "reply": 11}
