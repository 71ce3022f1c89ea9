"""The search commands end to end: JSON, CSV, saved searches, threads, index rebuild/verify."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from archiver.archive import Archive
from archiver.config import load_settings
from tests.conftest import SAMPLE
from tests.factories import Store


@pytest.fixture
def items(cli: Any, tmp_path: Path) -> Iterator[dict[str, int]]:
    shutil.copy(SAMPLE / "archiver.toml", tmp_path / "archiver.toml")
    assert cli("init").exit_code == 0
    with Archive.open(load_settings(tmp_path / "archiver.toml", {}, tmp_path)) as archive:
        store = Store(archive)
        city = store.account("facebook", "CityTestPage")
        at = datetime(2024, 3, 4, 16, 0, tzinfo=UTC)
        post = store.item(city, "Elm Street closures begin Monday #ElmStreet", created_at=at)
        comment = store.item(
            city,
            'When will "Elm" reopen, really?',
            kind="comment",
            parent=post,
            author=("María López", "maria.lopez"),
            created_at=at.replace(hour=18),
        )
        yield {"post": post, "comment": comment}


def test_search_json_and_csv(cli: Any, items: dict[str, int]) -> None:
    assert cli("--as", "records", "index", "rebuild").exit_code == 0
    result = cli("--as", "clerk", "search", "elm", "--json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert page["total"] == 2 and page["query"] == "elm"
    assert {h["item_id"] for h in page["hits"]} == set(items.values())
    assert all(h["permalink"] and h["state_badge"] == "ACTIVE" for h in page["hits"])

    result = cli("--as", "clerk", "search", "elm", "--sort", "date", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [int(r["item_id"]) for r in rows] == [items["comment"], items["post"]]
    assert rows[0]["author"] == "María López (@maria.lopez)"
    assert rows[0]["snippet"] == 'When will "Elm" reopen, really?'  # quotes survive CSV
    assert rows[1]["created_at"] == "2024-03-04T08:00:00-08:00"


def test_search_table_pages_and_errors(cli: Any, items: dict[str, int]) -> None:
    cli("--as", "records", "index", "rebuild")
    shown = cli("--as", "clerk", "search", "--per-page", "1", "--page", "2", "elm")
    assert shown.exit_code == 0, shown.output
    assert "page 2 of 2 (2 results" in shown.output
    bad = cli("--as", "clerk", "search", "elm state:gone")
    assert bad.exit_code == 7 and "state:gone" in bad.output


def test_save_show_rerun(cli: Any, items: dict[str, int]) -> None:
    cli("--as", "records", "index", "rebuild")
    saved = cli(
        "--as", "clerk", "search", "#elmstreet", "--save", "elm", "--request", "PRR-2026-031"
    )
    assert saved.exit_code == 0, saved.output
    assert "saved as 'elm' with 1 matching items" in saved.output
    shown = json.loads(cli("--as", "clerk", "search", "saved", "show", "elm", "--json").output)
    assert shown["runs"][0]["result_ids"] == [items["post"]]
    assert shown["request_number"] == "PRR-2026-031"
    listed = json.loads(cli("--as", "clerk", "search", "saved", "list", "--json").output)
    assert [s["name"] for s in listed] == ["elm"]
    rerun = json.loads(cli("--as", "clerk", "search", "saved", "rerun", "elm", "--json").output)
    assert rerun["added"] == [] and rerun["removed"] == [] and not rerun["changed"]
    denied = cli("--as", "social", "search", "x", "--save", "mine")
    assert denied.exit_code == 5
    log = json.loads(cli("--as", "auditor", "audit", "log", "--json").output)
    assert {"search.run", "search.saved", "search.rerun"} <= {e["action"] for e in log}


def test_thread_command(cli: Any, items: dict[str, int]) -> None:
    result = cli("--as", "clerk", "thread", str(items["comment"]), "--json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert [e["item_id"] for e in view["entries"]] == [items["post"], items["comment"]]
    text = cli("--as", "clerk", "thread", str(items["post"])).output
    assert "Elm Street closures begin Monday" in text and "María López" in text


def test_index_verify_and_rebuild(cli: Any, items: dict[str, int]) -> None:
    assert cli("--as", "records", "index", "rebuild").exit_code == 0
    ok = cli("--as", "records", "index", "verify", "--json")
    assert ok.exit_code == 0 and json.loads(ok.output)["ok"]
    shutil.rmtree(Path("archive") / "index")
    missing = cli("--as", "clerk", "search", "elm")
    assert missing.exit_code == 4 and "archiver index rebuild" in missing.output
    assert cli("--as", "clerk", "index", "rebuild").exit_code == 5
    rebuilt = cli("--as", "records", "index", "rebuild")
    assert rebuilt.exit_code == 0 and "2 items" in rebuilt.output
