"""Each reader recognizes its own exports, of every era, and nothing else in the samples."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from archiver.errors import InvalidInput
from archiver.sources.bluesky import BlueskyRepoReader
from archiver.sources.registry import READERS as ALL_READERS
from archiver.sources.registry import detect
from archiver.sources.x import XArchiveReader
from archiver.sources.youtube import YouTubeApiReader, YouTubeTakeoutReader
from tests.conftest import REPO, SAMPLE
from tests.sources.files import MemoryFiles, open_export

READERS = [XArchiveReader, YouTubeTakeoutReader, YouTubeApiReader, BlueskyRepoReader]
FIXTURES = REPO / "tests" / "fixtures" / "exports"
OWNER = {
    "x_archive.zip": XArchiveReader,
    "x_archive_2022_tweet_js": XArchiveReader,
    "youtube_takeout": YouTubeTakeoutReader,
    "youtube_takeout_2023_old_comments": YouTubeTakeoutReader,
    "youtube_data_api": YouTubeApiReader,
    "bluesky_repo.car": BlueskyRepoReader,
}
EXPORTS = sorted((SAMPLE / "exports").iterdir()) + sorted(FIXTURES.iterdir())
# zips the test helper can open (the bombs are left to the safe reader of the ingest package)
BROKEN = [
    p
    for p in sorted((SAMPLE / "broken").glob("*.zip"))
    if "bomb" not in p.name and zipfile.is_zipfile(p)
]


def files_of(path: Path) -> object:
    if path.suffix == ".car":
        return MemoryFiles({path.name: path.read_bytes()})
    return open_export(path)


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_only_the_owner_detects_an_export(path: Path) -> None:
    files = files_of(path)
    detected = [r for r in READERS if r.detect(files)]  # type: ignore[arg-type]
    assert detected == ([OWNER[path.name]] if path.name in OWNER else [])


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_zips_are_not_claimed(path: Path) -> None:
    """The X, YouTube and Bluesky readers claim none of the broken inputs that get past the
    safety checks (several of those are genuine Facebook exports: unregistered, renamed)."""
    try:
        files = open_export(path)
    except InvalidInput:
        return  # refused before any reader sees it (zip slip, bombs, symlinks...)
    for reader in READERS:
        assert not reader.detect(files)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", sorted((SAMPLE / "exports").iterdir()), ids=lambda p: p.name)
def test_each_sample_export_has_exactly_one_reader(path: Path) -> None:
    with open_export(path) as files:
        claimed = [r for r in ALL_READERS if r.detect(files)]
        assert len(claimed) == 1, claimed
        assert detect(files) is claimed[0]
