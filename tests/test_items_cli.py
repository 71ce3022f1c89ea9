"""`archiver ingest`, `archiver items list` and `archiver items show` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests import exports as ex
from tests.conftest import SAMPLE


def test_ingest_then_list_and_show(cli: Any, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "archiver.toml", tmp_path / "archiver.toml")
    assert cli("init").exit_code == 0
    first, second = "Pool open noon to 6", "Pool open noon to 7"
    edits = [
        {"timestamp": ex.T0 + n, "fbid": "9", "label_values": [{"label": "Text", "value": text}]}
        for n, text in ((60, first), (90, second))
    ]
    files = ex.facebook_export(
        [ex.fb_post(ex.T0, second), ex.fb_post(ex.T0 + 5, "Council Tuesday")], edits=edits
    )
    result = cli("ingest", str(ex.write_tree(tmp_path / "fb", files)), "--complete", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["post"]["new"] == 2 and summary["complete"] is True
    human = cli("ingest", str(tmp_path / "fb"))
    assert human.exit_code == 0 and "already ingested" in human.output

    listed = json.loads(cli("items", "list", "--state", "edited", "--json").output)
    assert [i["text"] for i in listed] == [second]
    assert listed[0]["account"] == "facebook:RanchoVerdeCity" and listed[0]["versions"] == 2
    assert len(json.loads(cli("items", "list", "--kind", "post", "--json").output)) == 2
    assert json.loads(cli("items", "list", "--account", "x:RanchoVerdeCA", "--json").output) == []

    shown = json.loads(cli("items", "show", str(listed[0]["id"]), "--json").output)
    assert [v["text"] for v in shown["versions"]] == [first, second]
    version = shown["versions"][-1]
    assert version["source_file"].endswith("posts/profile_posts_1.json")
    assert version["source_position"] == "/0"
    assert version["capture"]["source_format"] == "facebook-dyi-2025-pages"
    warc = version["warc"]
    assert (tmp_path / "archive" / "warc" / warc["file"]).is_file() and warc["length"] > 0
    assert warc["target_uri"].startswith("urn:export:facebook:")
    assert "version 2" in cli("items", "show", str(listed[0]["id"])).output

    missing = cli("items", "show", "999999")
    assert missing.exit_code == 4 and "archiver items list" in missing.output
    bad = cli("items", "list", "--kind", "tweet")
    assert bad.exit_code == 7 and "is not one of" in bad.output
    assert cli("verify").exit_code == 0
