"""Removals benchmark: recording throughput and report time, with raw-library baselines.

Seeds N comments on one account (SQLite, migrated by Alembic), then measures in one run:
- recording: ``record_removal`` per item (one unit of work each: grounds checked against the
  catalog, removal, revision, hash-chained audit event, item state) against raw ``sqlite3``
  inserting the same three rows and the state update, one transaction per removal;
- reading: ``removal_report`` for the whole period and its CSV and HTML renderings, and
  ``removal_records_for`` on every item, against one raw ``sqlite3`` join of the same data.

    python benchmarks/removals.py --removals 2000

Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archiver import SOFTWARE
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.config import City, settings_from_dict
from archiver.db.models import Account, Capture, Item, ItemVersion
from archiver.lifecycle import init_archive
from archiver.removals.catalog import load_catalog
from archiver.removals.history import removal_records_for
from archiver.removals.record import RemovalRequest, record_removal
from archiver.removals.render import report_csv, report_html
from archiver.removals.report import removal_report

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
ADMIN = Actor("admin", frozenset({"admin"}))
STAFF = Actor("social", frozenset({"social_media_staff"}), "Lee Park")
GROUNDS = (("obscene",), ("defamatory",), ("threats", "discrimination"), ("off_topic",))


def seed(archive: Archive, count: int) -> list[int]:
    with archive.unit() as session:
        account = Account(
            platform="facebook",
            handle="RanchoVerdeCity",
            registered_at=T0,
            registered_by="admin",
            termination_reason="",
        )
        session.add(account)
        session.flush()
        capture = Capture(
            account_id=account.id,
            source_kind="export",
            operator="admin",
            tool_version=SOFTWARE,
            started_at=T0,
        )
        session.add(capture)
        session.flush()
        items = []
        for n in range(count):
            text = f"comment {n} about the Elm Street closure"
            digest = hashlib.sha256(text.encode()).hexdigest()
            item = Item(
                account_id=account.id,
                platform="facebook",
                platform_id=f"c{n}",
                kind="comment",
                author_handle=f"user{n % 97}",
                author_name=f"User {n % 97}",
                created_at=T0 + timedelta(minutes=n),
                text=text,
                first_seen_at=T0,
                last_seen_at=T0,
                content_hash=digest,
            )
            item.versions.append(
                ItemVersion(
                    version_no=1,
                    content_hash=digest,
                    text=text,
                    first_observed_at=T0,
                    last_observed_at=T0,
                    capture_id=capture.id,
                )
            )
            items.append(item)
        session.add_all(items)
        session.flush()
        return [i.id for i in items]


def bench_library(archive: Archive, ids: list[int]) -> float:
    catalog = load_catalog("carson")
    start = time.perf_counter()
    for n, item in enumerate(ids):
        request = RemovalRequest(
            GROUNDS[n % len(GROUNDS)], "benchmark", "deleted", T0 + timedelta(hours=n)
        )
        record_removal(archive, STAFF, str(item), request, catalog=catalog)
    return time.perf_counter() - start


def bench_raw(db: Path, ids: list[int]) -> float:
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    seq, prev = connection.execute(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    start = time.perf_counter()
    for n, item in enumerate(ids):
        now = (T0 + timedelta(hours=n)).replace(tzinfo=None).isoformat(sep=" ")
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.execute(
            "INSERT INTO removals (item_id, item_platform, item_platform_id, item_kind, "
            "account_id, origin, removed_at, recorded_at, recorded_by, catalog_id, "
            "policy_source, poster_name, poster_handle, poster_platform_id, permalink, content) "
            "VALUES (?, 'facebook', ?, 'comment', 1, 'recorded', ?, ?, 'social', 'carson', "
            "'Council Policy 01.01.04', '', '', '', '', '[]')",
            (item, f"c{item}", now, now),
        )
        seq += 1
        details = json.dumps({"item_id": item, "grounds": list(GROUNDS[n % len(GROUNDS)])})
        digest = hashlib.sha256(f"{seq}{prev}{details}".encode()).hexdigest()
        connection.execute(
            "INSERT INTO audit_events (seq, occurred_at, actor, actor_roles, action, "
            "object_type, object_id, details, prev_hash, hash) VALUES (?, ?, 'social', "
            "'social_media_staff', 'removal.recorded', 'removal', ?, ?, ?, ?)",
            (seq, now, str(cursor.lastrowid), details, prev, digest),
        )
        prev = digest
        connection.execute(
            "INSERT INTO removal_revisions (removal_id, revision_no, recorded_at, recorded_by, "
            "grounds, note, platform_action, change_reason, audit_seq) VALUES "
            "(?, 1, ?, 'social', ?, 'benchmark', 'deleted', '', ?)",
            (cursor.lastrowid, now, json.dumps(GROUNDS[n % len(GROUNDS)]), seq),
        )
        connection.execute("UPDATE items SET state = 'removed_by_city' WHERE id = ?", (item,))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def bench_read(archive: Archive, db: Path, ids: list[int]) -> dict[str, float]:
    figures: dict[str, float] = {}
    start = time.perf_counter()
    report = removal_report(archive, start=date(2026, 1, 1), end=date(2030, 12, 31))
    figures["removal_report"] = time.perf_counter() - start
    assert report.summary.removals == len(ids)
    start = time.perf_counter()
    report_csv(report)
    figures["render csv"] = time.perf_counter() - start
    start = time.perf_counter()
    report_html(report)
    figures["render html"] = time.perf_counter() - start
    start = time.perf_counter()
    with archive.db.read() as session:
        assert len(removal_records_for(session, ids)) == len(ids)
    figures["removal_records_for"] = time.perf_counter() - start
    connection = sqlite3.connect(db)
    start = time.perf_counter()
    rows = connection.execute(
        "SELECT r.*, v.*, i.text, a.handle FROM removals r "
        "JOIN removal_revisions v ON v.removal_id = r.id "
        "JOIN items i ON i.id = r.item_id JOIN accounts a ON a.id = r.account_id "
        "ORDER BY r.removed_at"
    ).fetchall()
    figures["raw sqlite3 join (baseline)"] = time.perf_counter() - start
    assert len(rows) == len(ids)
    connection.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--removals", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="removals-bench-"))
    try:
        settings = replace(
            settings_from_dict({}, None, {}, root), city=City(name="Bench", policy_catalog="carson")
        )
        init_archive(settings, ADMIN)
        with Archive.open(settings) as archive:
            ids = seed(archive, args.removals)
            db = settings.root / "archiver.sqlite3"
            raw_copy = root / "raw.sqlite3"
            with sqlite3.connect(db) as source, sqlite3.connect(raw_copy) as target:
                source.backup(target)
            library = bench_library(archive, ids)
            raw = bench_raw(raw_copy, ids)
            n = args.removals
            print(f"removals: {n} (SQLite, {settings.root})")
            print(f"record_removal      {library:8.2f} s  {n / library:8.0f} /s")
            print(f"raw sqlite3 inserts {raw:8.2f} s  {n / raw:8.0f} /s  (baseline)")
            for name, seconds in bench_read(archive, db, ids).items():
                print(f"{name:28s} {seconds * 1000:9.1f} ms")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
