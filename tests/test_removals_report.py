"""The removal report: the right entries in the City-local period, counts per ground, category
and account, and CSV/HTML/JSON renderings that carry the clauses."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from archiver.archive import Archive
from archiver.config import City
from archiver.errors import InvalidInput
from archiver.removals.blocks import BlockRequest, record_block, record_unblock
from archiver.removals.catalog import load_catalog
from archiver.removals.queue import ClassifyRequest, classify_missing
from archiver.removals.record import Amendment, RemovalRequest, amend_removal, record_removal
from archiver.removals.render import report_csv, report_html
from archiver.removals.report import removal_report
from tests.conftest import actor
from tests.removal_helpers import make_account, make_item, set_missing

CARSON = load_catalog("carson")
# 2026-03-01 07:30 UTC is still 28 February in Rancho Verde (UTC-8)
LATE_FEB = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
MARCH = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


def seed(archive: Archive) -> dict[str, int]:
    fb = make_account(archive)
    x = make_account(archive, "x", "RanchoVerdeCA", "1500")
    ids = {
        "feb": make_item(archive, fb, "feb", author_handle="a"),
        "m1": make_item(archive, fb, "m1", author_handle="troll", text="<script>x</script>"),
        "m2": make_item(archive, x, "m2", author_handle="troll"),
        "m3": make_item(archive, fb, "m3", author_handle="b"),
        "lost": make_item(archive, fb, "lost", author_handle="c"),
    }
    social = actor("social")

    def remove(key: str, grounds: tuple[str, ...], at: datetime) -> None:
        request = RemovalRequest(grounds, f"note {key}", "deleted", removed_at=at)
        record_removal(archive, social, str(ids[key]), request, catalog=CARSON)

    remove("feb", ("obscene",), LATE_FEB)
    remove("m1", ("defamatory", "threats"), MARCH)
    remove("m2", ("defamatory",), MARCH + timedelta(days=1))
    remove("m3", ("off_topic",), MARCH + timedelta(days=2))
    amend_removal(
        archive,
        social,
        str(ids["m3"]),
        Amendment("review", add_grounds=("threats",)),
        catalog=CARSON,
    )
    record_block(
        archive,
        social,
        "facebook:troll",
        BlockRequest(("defamatory",), (str(ids["m1"]),), "repeated", blocked_at=MARCH),
        catalog=CARSON,
    )
    record_unblock(archive, social, "troll", reason="apology", at=MARCH + timedelta(days=20))
    set_missing(archive, ids["lost"], MARCH)
    return ids


@pytest.fixture
def carson_archive(archive: Archive) -> Archive:
    archive.settings = replace(
        archive.settings, city=City(name="City of Rancho Verde", policy_catalog="carson")
    )
    return archive


def test_report_period_and_counts(carson_archive: Archive) -> None:
    ids = seed(carson_archive)
    report = removal_report(carson_archive, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [r.item_id for r in report.removals] == [ids["m1"], ids["m2"], ids["m3"]]
    s = report.summary
    assert (s.removals, s.amended, s.blocks, s.unblocks) == (3, 1, 1, 1)
    by_ground = {g.code: (g.clause, g.removals, g.blocks) for g in s.by_ground}
    assert by_ground == {
        "defamatory": ("V.14", 2, 1),
        "threats": ("V.11", 2, 0),
        "off_topic": ("V.1", 1, 0),
    }
    assert s.by_ground[0].code == "defamatory"
    by_category = {c.category: (c.removals, c.blocks) for c in s.by_category}
    assert by_category["defamatory"] == (2, 1) and by_category["threats"] == (2, 0)
    assert {a.account: (a.removals, a.blocks, a.unblocks) for a in s.by_account} == {
        "facebook:RanchoVerdeCity": (2, 1, 1),
        "x:RanchoVerdeCA": (1, 0, 0),
    }
    assert report.unclassified_now == 1 and s.by_action == {"deleted": 3}
    feb = removal_report(carson_archive, start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert [r.item_id for r in feb.removals] == [ids["feb"]]  # a local-time February removal
    assert feb.blocks == () and feb.summary.by_outcome == {}
    only_x = removal_report(
        carson_archive, start=date(2026, 3, 1), end=date(2026, 3, 31), account="x:RanchoVerdeCA"
    )
    assert [r.item_id for r in only_x.removals] == [ids["m2"]] and only_x.blocks == ()
    with pytest.raises(InvalidInput, match="ends"):
        removal_report(carson_archive, start=date(2026, 3, 2), end=date(2026, 3, 1))


def test_classifications_in_period_are_counted(carson_archive: Archive) -> None:
    ids = seed(carson_archive)
    classify_missing(
        carson_archive, actor("social"), str(ids["lost"]), ClassifyRequest("unknown", "?")
    )
    report = removal_report(carson_archive, start=date(2026, 3, 1), end=date(2026, 3, 1))
    assert report.summary.by_outcome == {"unknown": 1} and report.unclassified_now == 0


def test_renderings(carson_archive: Archive) -> None:
    seed(carson_archive)
    report = removal_report(carson_archive, start=date(2026, 3, 1), end=date(2026, 3, 31))
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert [r["entry"] for r in rows] == ["removal", "removal", "removal", "block", "unblock"]
    assert (
        rows[0]["clauses"] == "V.14; V.11"
        and rows[0]["user_or_poster"] == "Pat Resident @troll uid-troll"
    )
    assert rows[0]["when"] == "2026-03-10 11:00 PDT"
    assert rows[2]["revisions"] == "2" and rows[3]["evidence"] == "facebook:m1"
    assert rows[4]["note"] == "apology"
    page = report_html(report)
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>" not in page
    assert "V.14" in page and "Content that is libelous, defamatory" in page
    assert "rev. 2" in page and "lifted" in page
    assert "Grounds cited from: Council Policy 01.01.04 (carson)." in page
    data = report.as_dict()
    assert data["removals"][0]["grounds"][0]["clause"] == "V.14"
    assert data["summary"]["by_account"][0]["account"] == "facebook:RanchoVerdeCity"
