"""End to end through the CLI, from a real config and secrets file: the tokens appear in no byte
the archiver writes — WARC files (decompressed), the database, the run reports, the output."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from warcio.cli import main as warcio_main

from archiver.config import load_settings

from .conftest import META_TOKEN, SECRETS, X_TOKEN, YOUTUBE_KEY
from .replay import ReplayServer

CONFIG = """
default_actor = "records"

[archive]
secrets_file = "secrets.toml"

[capture]
inbox = "drop"
max_retries = 2

[[users]]
login = "records"
roles = ["records_manager", "admin"]

[[accounts]]
platform = "facebook"
handle = "RanchoVerdeCity"
platform_account_id = "100064123456789"
[accounts.capture]
api_base = "{base}/v19.0"
page_size = 2

[[accounts]]
platform = "instagram"
handle = "rvpd_official"
platform_account_id = "17841400000000001"
[accounts.capture]
api_base = "{base}/v19.0"

[[accounts]]
platform = "youtube"
handle = "RanchoVerdeCity"
platform_account_id = "UCrv000RanchoVerdeGov00"
[accounts.capture]
api_base = "{base}/youtube/v3"
interval_hours = 12

[[accounts]]
platform = "x"
handle = "RanchoVerdeCA"
platform_account_id = "1500000000000000001"
[accounts.capture]
api_base = "{base}/2"

[[accounts]]
platform = "blog"
handle = "rivera-district2"
[accounts.capture]
urls = ["{base}/blog/"]
feeds = ["{base}/blog/feed.xml"]

[[accounts]]
platform = "nextdoor"
handle = "RanchoVerde"
"""

Invoke = Callable[..., Any]


@pytest.fixture
def configured(tmp_path: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "archiver.toml").write_text(CONFIG.format(base=server.base), encoding="utf-8")
    (tmp_path / "secrets.toml").write_text(
        f'meta_access_token = "{META_TOKEN}"\nyoutube_api_key = "{YOUTUBE_KEY}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ARCHIVER_X_BEARER_TOKEN", X_TOKEN)
    return tmp_path


def test_the_config_declares_capture_without_tokens(configured: Path) -> None:
    settings = load_settings(configured / "archiver.toml")
    youtube = next(a for a in settings.accounts if a.platform == "youtube")
    assert youtube.capture is not None and youtube.capture.interval_hours == 12
    assert settings.inbox_dir == (configured / "drop").resolve()
    assert next(a for a in settings.accounts if a.platform == "nextdoor").capture is None


def test_a_token_in_the_config_is_refused(tmp_path: Path) -> None:
    from archiver.errors import ValidationFailed

    (tmp_path / "archiver.toml").write_text(
        '[[accounts]]\nplatform = "x"\nhandle = "a"\n[accounts.capture]\ntoken = "abc"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed, match="token"):
        load_settings(tmp_path / "archiver.toml")


def test_no_token_reaches_any_byte_written(
    cli: Invoke, configured: Path, server: ReplayServer
) -> None:
    outputs = []
    init = cli("init")
    assert init.exit_code == 0, init.output
    due = cli("capture", "due", "--json")
    assert {d["account"] for d in json.loads(due.output)} >= {"facebook:RanchoVerdeCity"}
    nightly = cli("jobs", "nightly")
    outputs.append(nightly.output)
    assert nightly.exit_code == 0, nightly.output
    assert "SUCCEEDED (exit 0)" in nightly.output
    assert "19,410" in nightly.output  # the Page's follower count in the run's summary
    listed = cli("accounts", "list", "--json")
    counts = {(a["platform"], a["handle"]): a["followers"] for a in json.loads(listed.output)}
    assert counts[("facebook", "RanchoVerdeCity")] == 19410
    assert counts[("youtube", "RanchoVerdeCity")] == 6120
    assert counts[("nextdoor", "RanchoVerde")] is None  # no count known: none shown
    shown = cli("accounts", "show", "x:RanchoVerdeCA")
    assert shown.exit_code == 0 and "12873" in shown.output.replace(",", "")
    table = cli("accounts", "list")  # the table's followers column renders
    assert table.exit_code == 0, table.output
    # a revoked token: reported with the fix, and the error text holds no token either
    server.fail("/v19.0/100064123456789/feed", 401, body=b'{"error": {"message": "bad"}}')
    one = cli("capture", "run", "--account", "facebook:RanchoVerdeCity")
    outputs.append(one.output)
    assert one.exit_code == 3 and "expired or revoked" in one.output
    again = cli("capture", "run", "--account", "facebook:RanchoVerdeCity", "--json")
    outputs.append(again.output)
    assert again.exit_code == 0 and json.loads(again.output)["resumed"]

    verified = cli("verify")
    assert verified.exit_code == 0, verified.output  # every record registered, every digest right
    archive = configured / "archive"
    warcs = sorted((archive / "warc").glob("*.warc.gz"))
    assert warcs
    blobs: dict[str, bytes] = {f"output {i}": o.encode() for i, o in enumerate(outputs)}
    for path in archive.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            blobs[str(path)] = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    with sqlite3.connect(archive / "archiver.sqlite3") as db:
        blobs["database dump"] = "\n".join(db.iterdump()).encode()
    for secret in SECRETS:
        for form in {secret, quote(secret, safe="")}:
            for where, data in blobs.items():
                assert form.encode() not in data, f"a token is in {where}"
    assert sum(b"[scrubbed]" in data for data in blobs.values()) >= 1  # Graph's paging.next
    for path in warcs:
        with pytest.raises(SystemExit) as checked:
            warcio_main(["check", str(path)])
        assert checked.value.code == 0, path
