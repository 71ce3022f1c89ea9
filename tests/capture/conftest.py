"""Archives whose accounts are captured from the replay server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from archiver.archive import Archive
from archiver.capture.runner import CaptureOptions, CaptureResult, capture_account
from archiver.config import AccountSpec, CaptureSettings, CaptureSpec, Settings
from archiver.db.models import Item
from archiver.lifecycle import init_archive
from tests.conftest import FakeClock, actor, make_settings

from .replay import ReplayServer

META_TOKEN = "EAAGmetaTOKENsecret0123456789abcdefZZ"
YOUTUBE_KEY = "AIzaSyYOUTUBEkeySECRET0123456789abc"
X_TOKEN = "AAAAAAAAAAAAAAAAAAAAAxBEARERsecret0123456789"
ENV = {
    "ARCHIVER_META_ACCESS_TOKEN": META_TOKEN,
    "ARCHIVER_YOUTUBE_API_KEY": YOUTUBE_KEY,
    "ARCHIVER_X_BEARER_TOKEN": X_TOKEN,
}
SECRETS = (META_TOKEN, YOUTUBE_KEY, X_TOKEN)
PLATFORMS = ("facebook", "instagram", "youtube", "x", "bluesky", "web")
REFS = {
    "facebook": "facebook:RanchoVerdeCity",
    "instagram": "instagram:rvpd_official",
    "youtube": "youtube:RanchoVerdeCity",
    "x": "x:RanchoVerdeCA",
    "bluesky": "bluesky:ranchoverde.bsky.social",
    "web": "blog:rivera-district2",
}


def account_specs(base: str) -> tuple[AccountSpec, ...]:
    def spec(platform: str, handle: str, pid: str, **capture: object) -> AccountSpec:
        return AccountSpec(
            platform, handle, platform_account_id=pid, capture=CaptureSpec(**capture)
        )  # type: ignore[arg-type]

    return (
        spec(
            "facebook", "RanchoVerdeCity", "100064123456789", api_base=f"{base}/v19.0", page_size=2
        ),
        spec("instagram", "rvpd_official", "17841400000000001", api_base=f"{base}/v19.0"),
        spec(
            "youtube", "RanchoVerdeCity", "UCrv000RanchoVerdeGov00", api_base=f"{base}/youtube/v3"
        ),
        spec("x", "RanchoVerdeCA", "1500000000000000001", api_base=f"{base}/2"),
        spec(
            "bluesky",
            "ranchoverde.bsky.social",
            "did:plc:ranchoverde00000000000000",
            api_base=f"{base}/xrpc",
        ),
        spec(
            "blog",
            "rivera-district2",
            "",
            urls=(f"{base}/blog/",),
            feeds=(f"{base}/blog/feed.xml",),
        ),
    )


@dataclass
class World:
    archive: Archive
    server: ReplayServer
    clock: FakeClock
    sleeps: list[float] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=lambda: dict(ENV))

    def options(self) -> CaptureOptions:
        return CaptureOptions(env=self.env, sleep=self.sleeps.append)

    def capture(self, platform: str) -> CaptureResult:
        return capture_account(self.archive, actor("records"), REFS[platform], self.options())

    def items(self, **where: object) -> list[Item]:
        with self.archive.db.read() as session:
            query = select(Item).order_by(Item.id)
            for key, value in where.items():
                query = query.where(getattr(Item, key) == value)
            rows = list(session.scalars(query))
            session.expunge_all()
            return rows


def capture_settings(tmp_path: Path, base: str, database_url: str | None = None) -> Settings:
    settings = make_settings(tmp_path, database_url)
    return replace(
        settings,
        accounts=account_specs(base),
        capture=CaptureSettings(max_retries=3, max_wait_seconds=60),
    )


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer(token=META_TOKEN)
    for platform in PLATFORMS:
        replay.load(platform)
    replay.start()
    try:
        yield replay
    finally:
        replay.stop()


@pytest.fixture
def world(tmp_path: Path, clock: FakeClock, server: ReplayServer) -> Iterator[World]:
    settings = capture_settings(tmp_path, server.base)
    init_archive(settings, actor("admin"), clock=clock)
    with Archive.open(settings, clock=clock) as archive:
        yield World(archive, server, clock)
