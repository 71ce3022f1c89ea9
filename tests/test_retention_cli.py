"""Retention, disposition and holds through the real CLI on the sample City's config."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from archiver.archive import Archive
from archiver.config import load_settings
from tests.conftest import SAMPLE
from tests.records import Post, ingest, when


def setup_city(cli: Any, tmp_path: Path) -> Archive:
    for name in ("archiver.toml", "retention_schedule.toml"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    assert cli("init").exit_code == 0
    return Archive.open(load_settings(tmp_path / "archiver.toml"))


def test_retention_disposition_and_holds_through_the_cli(cli: Any, tmp_path: Path) -> None:
    archive = setup_city(cli, tmp_path)
    try:
        export = ingest(
            archive,
            1,
            [
                Post("old", "Street fair 2021", when(2021, 4)),
                Post("claim", "Pothole on Elm damaged my car", when(2021, 5)),
                Post("removed", "spam", when(2022, 6), kind="comment", state="removed_by_city"),
            ],
            own_records=True,
            captured=when(2021, 6),
        )
    finally:
        archive.close()

    loaded = cli("retention", "load", "--json")
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["by_series"] == {"SM-01": 2, "SM-03": 1}
    shown = json.loads(cli("retention", "show", "--json").output)
    assert shown["version"] == "2026-1" and shown["schedule"]["default_series"] == "SM-99"
    report = json.loads(cli("retention", "report", "--json").output)
    by_code = {s["code"]: s for s in report["series"]}
    assert by_code["SM-01"]["eligible"] == 2 and by_code["SM-03"]["eligible"] == 0
    assert by_code["SM-01"]["eligible_bytes"] > 0 and by_code["SM-04"]["items"] == 0

    denied = cli("--as", "records", "holds", "create", "--matter", "Claim", "--query", "pothole")
    assert denied.exit_code == 5
    hold = cli(
        "--as",
        "attorney",
        "holds",
        "create",
        "--matter",
        "Smith claim",
        "--number",
        "CL-26-4",
        "--query",
        "pothole",
        "--custodian",
        "Lee Park",
        "--json",
    )
    assert hold.exit_code == 0, hold.output
    code = json.loads(hold.output)["code"]
    assert json.loads(hold.output)["items"] == 1
    notices = cli("--as", "attorney", "holds", "notices", code, "--send")
    assert notices.exit_code == 0 and "LEGAL HOLD NOTICE" in notices.output
    assert (
        cli("--as", "social", "holds", "acknowledge", code, "--custodian", "Lee Park").exit_code
        == 0
    )
    listed = json.loads(cli("holds", "list", "--json").output)
    assert listed[0]["custodians"][0]["acknowledged_at"]
    assert cli("holds", "report", code, "--csv", "held.csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "held.csv").read_text())))
    assert [r["item_id"] for r in rows] == [str(export.items["claim"])]
    assert cli("holds", "report", code, "--package", "pkg").exit_code == 0
    manifest = json.loads((tmp_path / "pkg" / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {"items.csv", "items.jsonl", "hold.json"}

    proposed = json.loads(cli("disposition", "propose", "--json").output)
    assert proposed["entries"] == 1 and proposed["excluded_held"] == [export.items["claim"]]
    batch = str(proposed["id"])
    refused = cli("disposition", "execute", batch)
    assert refused.exit_code == 12 and "approvals missing" in refused.output
    assert (
        cli(
            "disposition",
            "approve-resolution",
            batch,
            "--number",
            "2026-31",
            "--date",
            "2026-02-24",
        ).exit_code
        == 0
    )
    assert (
        cli("--as", "attorney", "disposition", "consent", batch, "--date", "2026-02-25").exit_code
        == 0
    )
    done = cli("disposition", "execute", batch, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["destroyed_items"] == [export.items["old"]]
    assert cli("disposition", "certificate", batch, "--out", "cert").exit_code == 0
    html = (tmp_path / "cert" / f"certificate-{batch}.html").read_text()
    assert "Resolution" not in html or "2026-31" in html
    assert "2026-31" in html and "Dana Kim" in html and "Original export files" in html
    cert = json.loads((tmp_path / "cert" / f"certificate-{batch}.json").read_text())
    assert cert["items_destroyed"][0]["item_id"] == export.items["old"]
    assert cert["original_exports_kept"] and cert["authority"]["council_resolution"] == "2026-31"
    assert cli("disposition", "show", "--json").exit_code == 0
    assert cli("verify").exit_code == 0
    assert cli("audit", "verify").exit_code == 0

    released = cli("--as", "attorney", "holds", "release", code, "--reason", "claim settled")
    assert released.exit_code == 0
    assert json.loads(cli("holds", "show", code, "--json").output)["status"] == "released"


def test_bad_schedule_reports_every_problem(cli: Any, tmp_path: Path) -> None:
    setup_city(cli, tmp_path).close()
    (tmp_path / "bad.toml").write_text(
        '[schedule]\nname = "x"\nversion = "1"\ndefault_series = "NOPE"\n'
        '[[series]]\ncode = "A"\ntitle = "a"\nretention = "two years"\ntrigger = "created"\n'
        'action = "burn"\ncitation = "x"\n'
    )
    result = cli("retention", "load", "bad.toml")
    assert result.exit_code == 3
    assert "series[0].retention" in result.output and "series[0].action" in result.output
