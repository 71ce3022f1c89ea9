"""Removed content carries its removal record into disclosure packages (every output, through
the record's redactions), the request review, and the legal-hold attorney's report."""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from archiver.archive import Archive
from archiver.config import load_settings
from archiver.holds.report import held_rows, write_package
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold
from archiver.removals.catalog import load_catalog
from archiver.removals.queue import ClassifyRequest, classify_missing
from archiver.removals.record import Amendment, RemovalRequest, amend_removal, record_removal
from archiver.requests import review, service
from archiver.requests.package.build import build_package
from archiver.requests.package.verify import verify_package
from archiver.requests.service import NewRequest
from tests.conftest import SAMPLE, actor
from tests.removal_helpers import T0, make_account, make_item, set_missing

CARSON = load_catalog("carson")
CLERK, ATTORNEY, SOCIAL = actor("clerk"), actor("attorney"), actor("social")
NUMBER = "CPRA-2026-031"


def scenario(archive: Archive) -> dict[str, int]:
    """Four comments: one removed and amended (released), one removed whose author the
    reviewer redacted (the note names the poster), one deleted by its author (released), one
    removed and withheld."""
    account = make_account(archive)
    ids = {
        "amended": make_item(archive, account, "c1", text="You stole the park funds, Jo"),
        "redacted": make_item(
            archive,
            account,
            "c2",
            text="obscene words here",
            author_name="Quincy Zabriskie",
            author_handle="qzab77",
        ),
        "author_deleted": make_item(archive, account, "c3", text="never mind"),
        "withheld": make_item(archive, account, "c4", text="a threat under investigation"),
    }
    record_removal(
        archive,
        SOCIAL,
        str(ids["amended"]),
        RemovalRequest(("defamatory",), "Accuses a named employee of theft", "deleted"),
        catalog=CARSON,
    )
    amend_removal(
        archive,
        SOCIAL,
        str(ids["amended"]),
        Amendment(reason="legal review added a ground", add_grounds=("threats",)),
        catalog=CARSON,
    )
    record_removal(
        archive,
        SOCIAL,
        str(ids["redacted"]),
        RemovalRequest(("obscene",), "Quincy Zabriskie (qzab77) posts this weekly", "hidden"),
        catalog=CARSON,
    )
    set_missing(archive, ids["author_deleted"], T0)
    classify_missing(
        archive,
        SOCIAL,
        str(ids["author_deleted"]),
        ClassifyRequest("deleted_by_author", "the author said so in a later comment"),
    )
    record_removal(
        archive,
        SOCIAL,
        str(ids["withheld"]),
        RemovalRequest(("threats",), "Referred to police, case 26-WITHHELD", "deleted"),
        catalog=CARSON,
    )
    service.open_request(
        archive,
        CLERK,
        NewRequest(NUMBER, "CPRA", "Removed comments", date(2026, 2, 25), "Pat Doe", "p@x.org"),
    )
    review.add_items(archive, CLERK, NUMBER, list(ids.values()))
    review.redact_span(
        archive,
        ATTORNEY,
        NUMBER,
        ids["redacted"],
        start=0,
        end=0,
        exemption="7927.700",
        field_name="author",
    )
    review.decide(archive, ATTORNEY, NUMBER, [ids["amended"], ids["author_deleted"]], "release")
    review.decide(archive, ATTORNEY, NUMBER, [ids["redacted"]], "redact")
    review.decide(archive, ATTORNEY, NUMBER, [ids["withheld"]], "withhold", exemption="7923.600")
    return ids


def test_package_carries_removal_records_through_redactions(
    any_archive: Archive, tmp_path: Path
) -> None:
    ids = scenario(any_archive)
    out = tmp_path / "pkg"
    build_package(any_archive, CLERK, NUMBER, out)
    assert verify_package(out).ok
    data = out / "data"
    everything = "\n".join(
        p.read_text("utf-8") for p in sorted(data.rglob("*")) if p.suffix in (".html", ".json")
    )
    everything += "\n" + (data / "records.csv").read_text("utf-8")
    pdf_text = "\n".join(p.extract_text() or "" for p in PdfReader(data / "records.pdf").pages)
    for secret in ("Quincy", "Zabriskie", "qzab77", "26-WITHHELD", "a threat under"):
        assert secret not in everything and secret not in pdf_text, secret

    amended = json.loads((data / "native" / f"{ids['amended']}.json").read_text("utf-8"))
    removal = amended["removed_by_city"]
    assert (removal["by_name"], removal["by_title"]) == ("Lee Park", "Social Media Coordinator")
    assert removal["removed_at"].startswith("20") and removal["platform_action"] == "deleted"
    assert [(g["code"], g["clause"]) for g in removal["grounds"]] == [
        ("defamatory", "V.14"),
        ("threats", "V.11"),
    ]
    assert removal["note"] == "Accuses a named employee of theft"
    assert removal["poster"] == "Pat Resident" and not removal["poster_redacted"]
    assert [a["reason"] for a in removal["amendments"]] == ["legal review added a ground"]
    assert [g["code"] for g in removal["amendments"][0]["grounds"]] == ["defamatory", "threats"]

    redacted = json.loads((data / "native" / f"{ids['redacted']}.json").read_text("utf-8"))
    assert redacted["removed_by_city"]["poster_redacted"]
    assert redacted["removed_by_city"]["poster"] == redacted["author"]
    assert redacted["removed_by_city"]["note"].endswith("posts this weekly")
    assert "7927.700" in redacted["removed_by_city"]["note"]

    deleted = json.loads((data / "native" / f"{ids['author_deleted']}.json").read_text("utf-8"))
    assert deleted["removed_by_city"] is None
    assert [c["outcome"] for c in deleted["missing_from_source"]] == ["deleted_by_author"]
    assert not (data / "native" / f"{ids['withheld']}.json").exists()

    html = (data / "index.html").read_text("utf-8")
    assert html.count("Removed by the City under its social-media policy") == 2
    assert "V.14 — " in html and "Lee Park, Social Media Coordinator" in html
    assert "Missing from its source: deleted by author" in html
    assert "Accuses a named employee of theft" in html

    assert "Removed by the City under its social-media policy" in pdf_text
    assert "Ground: V.14" in pdf_text and "Accuses a named employee of theft" in pdf_text
    assert "Missing from its source: deleted by author" in pdf_text

    with (data / "records.csv").open(encoding="utf-8", newline="") as handle:
        rows = {int(r["item_id"]): r for r in csv.DictReader(handle)}
    assert rows[ids["amended"]]["removed_by_city"] == "yes"
    assert "V.14" in rows[ids["amended"]]["removal_grounds"]
    assert "V.11" in rows[ids["amended"]]["removal_grounds"]
    assert rows[ids["author_deleted"]]["removed_by_city"] == ""
    assert rows[ids["author_deleted"]]["missing_classification"] == "deleted_by_author"
    withheld = rows[ids["withheld"]]
    assert (withheld["removed_by_city"], withheld["removal_grounds"]) == ("", "")


def test_review_shows_why_an_item_was_removed(archive: Archive) -> None:
    ids = scenario(archive)
    rows = {r.item_id: r for r in review.review_rows(archive, NUMBER)}
    removal = rows[ids["amended"]].removal
    assert removal is not None and "removed_by_city" in rows[ids["amended"]].flags
    assert [g["clause"] for g in removal["grounds"]] == ["V.14", "V.11"]
    assert removal["note"] == "Accuses a named employee of theft" and removal["amendments"] == 1
    assert rows[ids["author_deleted"]].removal is None
    assert rows[ids["author_deleted"]].missing_classifications == [
        "deleted_by_author: the author said so in a later comment"
    ]


def test_hold_report_carries_removal_records(archive: Archive, tmp_path: Path) -> None:
    ids = scenario(archive)
    code = create_hold(
        archive,
        ATTORNEY,
        HoldRequest("Doe v. City", HoldScope(item_ids=tuple(ids.values())), "CV-1"),
    ).code
    rows = {r.item_id: r for r in held_rows(archive, code)}
    amended = rows[ids["amended"]]
    assert amended.removed_by_city == "yes" and amended.removed_by == "social"
    assert "V.14" in amended.removal_grounds and "V.11" in amended.removal_grounds
    assert amended.removal_note == "Accuses a named employee of theft"
    assert "legal review added a ground" in amended.removal_amendments
    # a hold preserves, it does not disclose: the poster and note are kept whole
    assert "Quincy Zabriskie" in rows[ids["redacted"]].removal_note
    assert rows[ids["author_deleted"]].removed_by_city == ""
    assert rows[ids["author_deleted"]].missing_classification.startswith("deleted_by_author")
    write_package(archive, code, tmp_path / "hold")
    entries = {
        e["item_id"]: e
        for e in map(json.loads, (tmp_path / "hold" / "items.jsonl").read_text().splitlines())
    }
    full = entries[ids["redacted"]]["removal"]
    assert full["poster_name"] == "Quincy Zabriskie" and full["grounds"][0]["clause"] == "V.3"
    assert len(entries[ids["amended"]]["removal"]["revisions"]) == 2
    assert entries[ids["author_deleted"]]["removal"] is None
    assert entries[ids["author_deleted"]]["missing_classifications"][0]["outcome"] == (
        "deleted_by_author"
    )
    header = (tmp_path / "hold" / "items.csv").read_text().splitlines()[0]
    assert "removal_grounds" in header and "missing_classification" in header


def test_review_command_shows_the_grounds(cli: Any, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "archiver.toml", tmp_path / "archiver.toml")
    assert cli("init").exit_code == 0
    settings = load_settings(tmp_path / "archiver.toml", os.environ, tmp_path)
    with Archive.open(settings) as archive:
        ids = scenario(archive)
    listed = json.loads(cli("--as", "attorney", "requests", "review", NUMBER, "--json").output)
    rows = {r["item_id"]: r for r in listed}
    assert [g["clause"] for g in rows[ids["amended"]]["removal"]["grounds"]] == ["V.14", "V.11"]
    assert rows[ids["author_deleted"]]["missing_classifications"][0].startswith("deleted_by_author")
    shown = cli("--as", "attorney", "requests", "review", NUMBER)
    assert shown.exit_code == 0
    flat = " ".join(shown.output.split())
    assert all(word in flat for word in ("grounds:", "V.14", "V.11", "missing:"))
