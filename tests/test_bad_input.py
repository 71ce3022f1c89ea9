"""Bad input, one case per kind the ingest must refuse: a clear message naming the file (and the
position), an exit code, no traceback, and nothing already archived touched."""

from __future__ import annotations

import json
import os
import shutil
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archiver.archive import Archive
from archiver.config import load_settings
from archiver.errors import InvalidInput
from archiver.ingest import ingest
from archiver.lifecycle import init_archive
from archiver.sources.files import MIB, ExportLimits, open_export
from tests import exports as ex
from tests.conftest import SAMPLE, actor

POSTS = f"{ex.FB}/posts/profile_posts_1.json"


def good_files() -> dict[str, bytes]:
    return ex.facebook_export([ex.fb_post(ex.T0, "Council meets Tuesday")])


def zip_with(tmp: Path, name: str, extra: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    path = tmp / name
    path.write_bytes(ex.zip_bytes([*good_files().items(), *extra]))
    return path


def link_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


def zip_slip(tmp: Path) -> Path:
    return zip_with(tmp, "slip.zip", [("../../evil.txt", b"x")])


def windows_slip(tmp: Path) -> Path:
    return zip_with(tmp, "slip2.zip", [(f"{ex.FB}\\..\\..\\evil.txt", b"x")])


def absolute_path(tmp: Path) -> Path:
    return zip_with(tmp, "absolute.zip", [("/tmp/evil.txt", b"x")])


def drive_path(tmp: Path) -> Path:
    return zip_with(tmp, "drive.zip", [("C:/Windows/evil.txt", b"x")])


def zip_symlink(tmp: Path) -> Path:
    return zip_with(
        tmp, "link.zip", [(link_info(f"{ex.FB}/posts/media/passwd.jpg"), b"/etc/passwd")]
    )


def folder_symlink(tmp: Path) -> Path:
    folder = ex.write_tree(tmp / "linked", good_files())
    os.symlink("/etc/hostname", folder / ex.FB / "posts" / "photo.jpg")
    return folder


def folder_symlinked_dir(tmp: Path) -> Path:
    folder = ex.write_tree(tmp / "linkdir", good_files())
    os.symlink("/etc", folder / "logged_information" / "etc")
    return folder


def bomb_ratio(tmp: Path) -> Path:
    return zip_with(tmp, "ratio.zip", [(f"{ex.FB}/posts/media/huge.jpg", bytes(8 * MIB))])


def hidden_bomb(tmp: Path) -> Path:
    """A bzip2 bomb whose headers claim a harmless size: stopped by counting the bytes while
    decompressing (zipfile would inflate the whole block in memory before any check)."""
    path = tmp / "hidden.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in good_files().items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        archive.writestr(f"{ex.FB}/posts/media/huge.jpg", bytes(8 * MIB), zipfile.ZIP_BZIP2)
    data = bytearray(path.read_bytes())
    local = data.index(b"huge.jpg") - 30
    struct.pack_into("<I", data, local + 22, 1000)  # uncompressed size, local header
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)  # and central directory
    path.write_bytes(bytes(data))
    return path


def truncated(tmp: Path) -> Path:
    data = ex.zip_bytes(good_files())
    path = tmp / "truncated.zip"
    path.write_bytes(data[: len(data) * 55 // 100])
    return path


def truncated_entry(tmp: Path) -> Path:
    """The central directory is intact but an entry's data was damaged."""
    data = bytearray(ex.zip_bytes(good_files()))
    start = data.index(b"PK\x03\x04") + 30 + len(POSTS.encode()) + 10
    data[start : start + 40] = bytes(40)
    path = tmp / "damaged.zip"
    path.write_bytes(bytes(data))
    return path


def lying_sizes(tmp: Path) -> Path:
    data = bytearray(ex.zip_bytes([(f"{ex.FB}/posts/media/big.jpg", bytes(2 * MIB))]))
    struct.pack_into("<I", data, 22, 1024)  # local header: uncompressed size
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1024)
    path = tmp / "lying.zip"
    path.write_bytes(bytes(data))
    return path


def invalid_json(tmp: Path) -> Path:
    files = good_files()
    files[POSTS] = files[POSTS][:60]
    return ex.write_tree(tmp / "invalid", files)


def utf16(tmp: Path) -> Path:
    files = good_files()
    files[POSTS] = b"\xff\xfe" + files[POSTS].decode("ascii").encode("utf-16-le")
    return ex.write_tree(tmp / "utf16", files)


def latin1(tmp: Path) -> Path:
    files = good_files()
    files[POSTS] = json.dumps(
        [{"timestamp": ex.T0, "data": [{"post": "Café"}]}], ensure_ascii=False
    ).encode("latin-1")
    return ex.write_tree(tmp / "latin1", files)


def facebook_as_instagram(tmp: Path) -> Path:
    path = tmp / "instagram-rvpd_official-2025-06-30-Qm3xT8vL.zip"
    path.write_bytes(ex.zip_bytes(good_files()))
    return path


def unregistered(tmp: Path) -> Path:
    path = tmp / "facebook-VerdeValleyWater-2025-06-30-Zq81LmN0.zip"
    files = ex.facebook_export([ex.fb_post(ex.T0, "Flushing")], page_name="Verde Valley Water")
    path.write_bytes(ex.zip_bytes(files))
    return path


def zero_byte_file(tmp: Path) -> Path:
    files = good_files()
    files[POSTS] = b""
    return ex.write_tree(tmp / "zero", files)


def zero_byte_export(tmp: Path) -> Path:
    path = tmp / "empty.zip"
    path.write_bytes(b"")
    return path


def empty_zip(tmp: Path) -> Path:
    path = tmp / "nothing.zip"
    path.write_bytes(ex.zip_bytes({}))
    return path


def duplicated(tmp: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        return zip_with(tmp, "dup.zip", [(POSTS, b"[]")])


def unrecognized(tmp: Path) -> Path:
    path = tmp / "photos.zip"
    path.write_bytes(ex.zip_bytes({"IMG_2041.jpg": b"\xff\xd8", "Meeting notes.txt": b"x"}))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], int, str]] = {
    "zip slip": (zip_slip, 7, "'../../evil.txt' points outside the export"),
    "zip slip (backslashes)": (windows_slip, 7, "points outside the export"),
    "absolute path": (absolute_path, 7, "'/tmp/evil.txt' has an absolute path"),
    "drive letter": (drive_path, 7, "has an absolute path"),
    "symlink in a zip": (zip_symlink, 7, 'passwd.jpg" is a symbolic link'),
    "symlink in a folder": (folder_symlink, 7, "photo.jpg is a symbolic link"),
    "linked folder": (folder_symlinked_dir, 7, "logged_information/etc is a symbolic link"),
    "zip bomb (declared ratio)": (bomb_ratio, 7, "huge.jpg: declares 8388608 bytes stored in"),
    "zip bomb (hidden, bzip2)": (hidden_bomb, 7, "huge.jpg: the zip misstates its sizes"),
    "truncated zip": (truncated, 7, "truncated.zip is not a readable zip"),
    "damaged entry": (truncated_entry, 7, "profile_posts_1.json: the zip is damaged"),
    "sizes that lie": (lying_sizes, 7, "big.jpg: the zip is damaged, truncated or misstates"),
    "invalid JSON": (
        invalid_json,
        7,
        "profile_posts_1.json: invalid JSON at line 6, column 4 (character 60)",
    ),
    "UTF-16": (utf16, 7, "profile_posts_1.json: the file is UTF-16, not UTF-8"),
    "Latin-1": (
        latin1,
        7,
        "profile_posts_1.json: not UTF-8: byte 0xe9 at offset 49 (line 1, column 50)",
    ),
    "Facebook fed as Instagram": (facebook_as_instagram, 7, "named like an Instagram download"),
    "unregistered account": (unregistered, 4, "archiver accounts add --platform facebook"),
    "0-byte file": (zero_byte_file, 7, "profile_posts_1.json: the file is empty (0 bytes)"),
    "0-byte export": (zero_byte_export, 7, "empty.zip is empty (0 bytes)"),
    "zip without files": (empty_zip, 7, "nothing.zip is empty (no files in the zip)"),
    "duplicated files": (duplicated, 7, 'profile_posts_1.json" appears more than once'),
    "unrecognized": (unrecognized, 7, "not an export this archiver can read. Found 2 files"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample configuration, initialized, with one export already ingested (made once)."""
    root = tmp_path_factory.mktemp("template")
    shutil.copy(SAMPLE / "archiver.toml", root / "archiver.toml")
    settings = load_settings(root / "archiver.toml", {}, root)
    init_archive(settings, actor("admin"))
    with Archive.open(settings) as archive:
        good = ex.write_tree(root / "good", good_files())
        assert ingest(archive, actor("records"), good).capture_id is not None
    return root


@pytest.fixture
def sample_archive(template: Path, tmp_path: Path) -> Path:
    """A copy of the template archive in the CLI's working directory."""
    shutil.copy(template / "archiver.toml", tmp_path / "archiver.toml")
    shutil.copytree(template / "archive", tmp_path / "archive")
    return tmp_path


def state(cli: Any, root: Path) -> tuple[str, dict[str, int]]:
    status = json.loads(cli("status", "--json").output)
    status.pop("last_captures", None)
    sizes = {p.name: p.stat().st_size for p in (root / "archive" / "warc").glob("*.warc.gz")}
    return json.dumps(status, sort_keys=True), sizes


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_cleanly(case: str, cli: Any, sample_archive: Path) -> None:
    make, code, message = CASES[case]
    folder = sample_archive / "bad"
    folder.mkdir()
    before = state(cli, sample_archive)
    result = cli("ingest", str(make(folder)))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert message in " ".join(result.output.split()), result.output
    assert state(cli, sample_archive) == before


def test_expansion_limits_per_file_and_total(tmp_path: Path) -> None:
    files = {f"{ex.FB}/posts/media/{n}.jpg": os.urandom(600 * 1024) for n in range(4)}
    zipped = tmp_path / "big.zip"
    zipped.write_bytes(ex.zip_bytes(files))
    with pytest.raises(InvalidInput, match="larger than the limit of 500000 bytes per file"):
        open_export(zipped, ExportLimits(max_file_bytes=500_000))
    with pytest.raises(InvalidInput, match="expands past the limit of 2000000 bytes"):
        open_export(zipped, ExportLimits(max_total_bytes=2_000_000))
    folder = ex.write_tree(tmp_path / "folder", files)
    with pytest.raises(InvalidInput, match="expands past the limit"):
        open_export(folder, ExportLimits(max_total_bytes=2_000_000))
    assert len(open_export(zipped).names()) == 4


BROKEN_SAMPLES = {
    "zip_slip.zip": "points outside the export",
    "absolute_paths.zip": "has an absolute path",
    "symlink_entry.zip": "is a symbolic link",
    "zip_bomb_1gib.zip": "refused as a zip bomb",
    "zip_bomb_ratio.zip": "refused as a zip bomb",
    "zip_bomb_lying_sizes.zip": "misstates its sizes",
    "truncated.zip": "not a readable zip",
    "facebook_invalid_json": "invalid JSON at line",
    "facebook_posts_utf16": "the file is UTF-16",
    "facebook_posts_latin1": "not UTF-8: byte 0x",
    "instagram-rvpd_official-2025-06-30-Qm3xT8vL.zip": "named like an Instagram download",
    "facebook-VerdeValleyWater-2025-06-30-Zq81LmN0.zip": "archiver accounts add --platform",
    "empty.zip": "is empty (0 bytes)",
    "duplicate_entries.zip": "appears more than once",
    "unrecognized_contents.zip": "not an export this archiver can read",
}


@pytest.mark.parametrize("name", list(BROKEN_SAMPLES))
def test_sample_broken_files(name: str, cli: Any, sample_archive: Path) -> None:
    path = SAMPLE / "broken" / name
    if not path.exists():
        pytest.skip(f"sample_data/broken/{name} is not in this checkout yet")
    before = state(cli, sample_archive)
    result = cli("ingest", str(path))
    assert result.exit_code in (4, 7), result.output
    assert "Traceback" not in result.output
    assert BROKEN_SAMPLES[name] in " ".join(result.output.split()), result.output
    assert state(cli, sample_archive) == before


def test_bzip2_entries_stream_in_bounded_chunks(tmp_path: Path) -> None:
    content = os.urandom(300_000) + bytes(700_000)
    path = tmp_path / "bz.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("media/a.bin", content)
    export = open_export(path)
    assert export.read_bytes("media/a.bin") == content
    with export.seekable("media/a.bin") as stream:
        assert stream.read() == content
