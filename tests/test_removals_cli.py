"""``archiver removals`` and ``archiver blocks`` end to end, through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from archiver.archive import Archive
from archiver.config import load_settings
from tests.removal_helpers import T0, make_item, set_missing

CONFIG = """
[city]
name = "City of Rancho Verde"
policy_catalog = "norwalk"

[archive]
timezone = "America/Los_Angeles"

[[users]]
login = "admin"
roles = ["admin"]

[[users]]
login = "social"
name = "Lee Park"
roles = ["social_media_staff"]

[[users]]
login = "clerk"
roles = ["clerk"]

[[accounts]]
platform = "facebook"
handle = "RanchoVerdeCity"
platform_account_id = "100200300"
"""


def flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def setup(cli: Any, tmp_path: Path) -> dict[str, int]:
    (tmp_path / "archiver.toml").write_text(CONFIG)
    assert cli("--as", "admin", "init").exit_code == 0
    with Archive.open(load_settings(tmp_path / "archiver.toml")) as archive:
        ids = {
            name: make_item(archive, 1, name, author_handle="seller", text=f"Buy {name}")
            for name in ("s1", "s2", "s3")
        }
        set_missing(archive, ids["s3"], T0)
    return ids


def test_removals_and_blocks_commands(cli: Any, tmp_path: Path) -> None:
    ids = setup(cli, tmp_path)
    social = ("--as", "social")
    denied = cli(
        "--as",
        "clerk",
        "removals",
        "record",
        "1",
        "--ground",
        "commercial",
        "--note",
        "ad",
        "--action",
        "deleted",
    )
    assert denied.exit_code == 5
    refused = cli(
        *social,
        "removals",
        "record",
        str(ids["s1"]),
        "--ground",
        "spam",
        "--note",
        "ad",
        "--action",
        "deleted",
    )
    assert refused.exit_code == 7 and "Content Management ¶7" in flat(refused.output)
    done = cli(
        *social,
        "removals",
        "record",
        "facebook:s1",
        "--ground",
        "commercial",
        "--note",
        "ad for a car wash",
        "--action",
        "deleted",
        "--json",
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["grounds"][0]["clause"] == "Content Guidelines ¶9, item 6"
    queue = json.loads(cli(*social, "removals", "queue", "--json").output)
    assert [e["item_id"] for e in queue] == [ids["s3"]]
    classified = cli(
        *social,
        "removals",
        "classify",
        str(ids["s3"]),
        "--outcome",
        "removed_by_city",
        "--ground",
        "commercial",
        "--note",
        "hid it",
    )
    assert classified.exit_code == 0, classified.output
    assert cli(*social, "removals", "queue", "--json").output.strip() == "[]"
    amended = cli(
        *social,
        "removals",
        "amend",
        "facebook:s1",
        "--reason",
        "legal review",
        "--add-ground",
        "illegal_activity",
    )
    assert amended.exit_code == 0 and "revision 2" in flat(amended.output), amended.output
    shown = cli(*social, "removals", "show", str(ids["s1"]))
    assert shown.exit_code == 0 and "History" in shown.output
    history = json.loads(cli(*social, "removals", "show", str(ids["s1"]), "--json").output)
    assert [r["change_reason"] for r in history["revisions"]] == ["", "legal review"]
    few = cli(
        *social,
        "blocks",
        "record",
        "seller",
        "--ground",
        "commercial",
        "--evidence",
        str(ids["s1"]),
        "--note",
        "ads",
    )
    assert few.exit_code == 7 and "requires repeated violations" in flat(few.output)
    blocked = cli(
        *social,
        "blocks",
        "record",
        "seller",
        "--ground",
        "commercial",
        "--evidence",
        str(ids["s1"]),
        "--evidence",
        str(ids["s3"]),
        "--note",
        "ads",
    )
    assert blocked.exit_code == 0, blocked.output
    listed = json.loads(cli("--as", "clerk", "blocks", "list", "--json").output)
    assert listed[0]["user"] == "facebook:seller" and listed[0]["active"]
    lifted = cli(*social, "blocks", "unblock", "seller", "--reason", "apologized")
    assert lifted.exit_code == 0, lifted.output
    shown_block = json.loads(cli("--as", "clerk", "blocks", "show", "1", "--json").output)
    assert shown_block["unblock"]["reason"] == "apologized"
    report = cli(
        "--as",
        "clerk",
        "removals",
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2030-12-31",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(report.output)))
    assert [r["entry"] for r in rows] == ["removal", "removal", "block", "unblock"]
    out = tmp_path / "report.html"
    html = cli(
        "--as",
        "clerk",
        "removals",
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2030-12-31",
        "--output",
        str(out),
    )
    assert html.exit_code == 0 and "2 removals, 1 blocks, 1 unblocks" in flat(html.output)
    assert "Content Guidelines ¶9, item 6" in out.read_text()
    listing = json.loads(cli("--as", "clerk", "removals", "list", "--json").output)
    assert len(listing) == 2
    grounds = cli("--as", "clerk", "removals", "grounds")
    assert grounds.exit_code == 0 and "at least 2 violation" in flat(grounds.output)


def test_attest_command(cli: Any, tmp_path: Path) -> None:
    setup(cli, tmp_path)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG fake")
    result = cli(
        "--as",
        "social",
        "removals",
        "attest",
        "--account",
        "facebook:RanchoVerdeCity",
        "--text",
        "obscene thing",
        "--url",
        "https://facebook.example/x/1",
        "--posted-at",
        "2026-03-02T10:15",
        "--poster-handle",
        "vandal",
        "--file",
        str(shot),
        "--ground",
        "obscene",
        "--note",
        "gone in 2 minutes",
        "--action",
        "deleted",
        "--json",
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["origin"] == "attestation"
    assert record["posted_at"].startswith("2026-03-02 18:15")  # 10:15 Pacific
    bad = cli(
        "--as",
        "social",
        "removals",
        "attest",
        "--account",
        "facebook:RanchoVerdeCity",
        "--text",
        "t",
        "--url",
        "u",
        "--posted-at",
        "yesterday",
        "--ground",
        "obscene",
        "--note",
        "n",
        "--action",
        "deleted",
    )
    assert bad.exit_code == 2 and "not a date-time" in flat(bad.output)
