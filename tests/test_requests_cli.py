"""``archiver requests`` end to end through the real CLI, on the sample configuration."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from archiver.archive import Archive
from archiver.config import load_settings
from tests.conftest import SAMPLE
from tests.request_items import Spec, seed


def test_request_workflow(cli: Any, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "archiver.toml", tmp_path / "archiver.toml")
    assert cli("init").exit_code == 0
    settings = load_settings(tmp_path / "archiver.toml", os.environ, tmp_path)
    with Archive.open(settings) as archive:
        post, comment = seed(
            archive,
            [
                Spec("Library hours change in March."),
                Spec(
                    "Email me at kim@example.com",
                    kind="comment",
                    parent=0,
                    author="Kim",
                    author_id="kim",
                ),
            ],
        )
    opened = cli(
        "--as",
        "clerk",
        "requests",
        "open",
        "CPRA-1",
        "--received",
        "2026-01-05",
        "--description",
        "Library posts",
        "--requester",
        "Pat",
        "--contact",
        "p@x.org",
    )
    assert opened.exit_code == 0, opened.output
    listed = json.loads(cli("--as", "clerk", "requests", "list", "--json").output)
    assert listed[0]["number"] == "CPRA-1" and listed[0]["due_on"] == "2026-01-15"
    too_late = cli(
        "--as",
        "clerk",
        "requests",
        "extend",
        "CPRA-1",
        "--to",
        "2026-01-30",
        "--ground",
        "c2",
        "--notice",
        "n",
        "--signer-name",
        "Maria Lopez",
        "--signer-title",
        "City Clerk",
    )
    assert too_late.exit_code == 6 and "2026-01-29" in too_late.output
    assert cli("--as", "clerk", "requests", "add", "CPRA-1", "--item", str(post)).exit_code == 0
    denied = cli(
        "--as", "clerk", "requests", "decide", "CPRA-1", str(post), "--decision", "release"
    )
    assert denied.exit_code == 5
    suggested = json.loads(
        cli("--as", "attorney", "requests", "suggest", "CPRA-1", "--json").output
    )
    assert [s["kind"] for s in suggested] == ["email"]
    accepted = cli(
        "--as",
        "attorney",
        "requests",
        "accept",
        "CPRA-1",
        str(suggested[0]["id"]),
        "--exemption",
        "7927.700",
    )
    assert accepted.exit_code == 0, accepted.output
    assert (
        cli(
            "--as", "attorney", "requests", "decide", "CPRA-1", str(post), "--decision", "release"
        ).exit_code
        == 0
    )
    assert (
        cli(
            "--as", "attorney", "requests", "decide", "CPRA-1", str(comment), "--decision", "redact"
        ).exit_code
        == 0
    )
    rows = json.loads(cli("--as", "clerk", "requests", "review", "CPRA-1", "--json").output)
    assert {r["decision"] for r in rows} == {"release", "redact"}
    built = cli("--as", "clerk", "requests", "package", "CPRA-1", "--out", "pkg")
    assert built.exit_code == 0, built.output
    info = (tmp_path / "pkg" / "bag-info.txt").read_text()
    assert "Contact-Email: clerk@ranchoverde.example" in info
    assert cli("requests", "verify", "pkg").exit_code == 0
    (tmp_path / "pkg" / "data" / "index.html").write_text("changed")
    broken = cli("requests", "verify", "pkg")
    assert broken.exit_code == 8
    shown = json.loads(cli("requests", "show", "CPRA-1", "--json").output)
    assert [e["kind"] for e in shown["timeline"]][-1] == "packaged"
    assert (
        cli(
            "--as", "clerk", "requests", "close", "CPRA-1", "--outcome", "fulfilled_in_part"
        ).exit_code
        == 0
    )
    assert "7922.000" in cli("requests", "exemptions").output
