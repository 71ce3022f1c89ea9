"""Build a disclosure package of 10,000 records with 1,000 redactions and print where the time
goes, with raw-library baselines (reportlab alone, hashing alone) from the same run.

    .venv/bin/python benchmarks/package.py [--records 10000] [--redactions 1000] [--pg URL]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from archiver.actors import ROLE_PERMISSIONS, Actor
from archiver.archive import Archive
from archiver.config import settings_from_dict
from archiver.db.models import Account, Capture, Item, ItemVersion
from archiver.lifecycle import init_archive
from archiver.requests import review, service
from archiver.requests.models import PublicRequest, Redaction
from archiver.requests.package.build import build_package
from archiver.requests.package.verify import verify_package

ROOT = Actor("bench", frozenset(ROLE_PERMISSIONS), "Bench Mark", "City Attorney", single_user=True)
COMMENT = (
    "I drove down Elm Street this morning and the detour signs were confusing; please call me "
    "at 555-{:03d}-{:04d} so I can explain where the signs should go. Thanks for the update."
)
POST = "Elm Street repairs continue this week. Expect delays near the Civic Center. Post {}."


def seed(archive: Archive, records: int) -> list[int]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with archive.warc_unit(ROOT) as unit:
        s = unit.session
        account = Account(
            platform="facebook",
            handle="bench",
            platform_account_id="city",
            registered_at=unit.now,
            registered_by="bench",
        )
        s.add(account)
        s.flush()
        capture = Capture(
            account_id=account.id,
            source_kind="api",
            operator="bench",
            tool_version="bench",
            started_at=unit.now,
            outcome="succeeded",
        )
        s.add(capture)
        s.flush()
        ids: list[int] = []
        written = []
        root_id: int | None = None
        for n in range(records):
            is_post = n % 10 == 0
            text = POST.format(n) if is_post else COMMENT.format(n % 1000, n)
            created = start + timedelta(minutes=n)
            item_id = n + 1
            root_id = item_id if is_post else root_id
            s.add(
                Item(
                    id=item_id,
                    account_id=account.id,
                    platform="facebook",
                    platform_id=str(n),
                    kind="post" if is_post else "comment",
                    parent_id=None if is_post else root_id,
                    root_id=None if is_post else root_id,
                    author_name="City" if is_post else f"Resident {n}",
                    author_handle="city" if is_post else f"r{n}",
                    author_platform_id="city" if is_post else f"r{n}",
                    created_at=created,
                    permalink=f"https://www.facebook.com/bench/posts/{n}",
                    text=text,
                    first_seen_at=created,
                    last_seen_at=created,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                )
            )
            body = json.dumps({"id": str(n), "message": text}).encode()
            written.append(
                unit.writer.write_resource(
                    f"https://www.facebook.com/bench/posts/{n}",
                    body,
                    content_type="application/json",
                )
            )
            ids.append(item_id)
        s.flush()
        rows = unit.register(*written)
        for n, (item_id, row) in enumerate(zip(ids, rows, strict=True)):
            created = start + timedelta(minutes=n)
            text = POST.format(n) if n % 10 == 0 else COMMENT.format(n % 1000, n)
            s.add(
                ItemVersion(
                    item_id=item_id,
                    version_no=1,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    text=text,
                    data={"message": text},
                    first_observed_at=created,
                    last_observed_at=created,
                    capture_id=capture.id,
                    warc_record_id=row.id,
                )
            )
    return ids


def prepare(archive: Archive, ids: list[int], redactions: int) -> None:
    service.open_request(
        archive,
        ROOT,
        service.NewRequest(
            "CPRA-BENCH", "CPRA", "Everything about Elm Street", datetime(2026, 2, 25).date()
        ),
    )
    review.add_items(archive, ROOT, "CPRA-BENCH", ids)
    with archive.db.read() as session:
        comments = session.scalars(
            select(Item.id).where(Item.kind == "comment").order_by(Item.id).limit(redactions)
        ).all()
    redacted = set(comments)
    now = archive.clock()
    with archive.unit() as session:
        request_id = session.scalars(select(PublicRequest.id)).one()
        versions = dict(
            session.execute(
                select(ItemVersion.item_id, ItemVersion.id).where(ItemVersion.item_id.in_(redacted))
            ).all()
        )
        for item_id in comments:
            start = COMMENT.index("555")
            session.add(
                Redaction(
                    request_id=request_id,
                    item_id=item_id,
                    version_id=versions[item_id],
                    field="text",
                    start=start,
                    end=start + 12,
                    kind="phone",
                    status="accepted",
                    exemption="7927.700",
                    basis="",
                    reviewer_login="bench",
                    reviewer_name="Bench Mark",
                    reviewer_title="City Attorney",
                    decided_at=now,
                )
            )
    review.decide(archive, ROOT, "CPRA-BENCH", sorted(redacted), "redact")
    review.decide(archive, ROOT, "CPRA-BENCH", sorted(set(ids) - redacted), "release")


def baseline(pages: int, folder: Path) -> dict[str, float]:
    start = time.perf_counter()
    canvas = Canvas(str(folder / "raw.pdf"), pageCompression=1)
    for n in range(pages):
        canvas.setFont("Helvetica", 10)
        canvas.drawString(54, 700, COMMENT.format(n % 1000, n)[:90])
        canvas.drawString(54, 687, COMMENT.format(n % 1000, n)[90:])
        canvas.drawRightString(558, 27, f"RAW-{n:06d}")
        canvas.showPage()
    canvas.save()
    pdf = time.perf_counter() - start
    blob = io.BytesIO(b"x" * (64 << 20)).getvalue()
    start = time.perf_counter()
    hashlib.sha256(blob).hexdigest()
    hashlib.sha512(blob).hexdigest()
    hashing = (time.perf_counter() - start) / 64
    return {"reportlab, 1 page per record, no layout": pdf, "sha256+sha512 per MB": hashing}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--redactions", type=int, default=1_000)
    parser.add_argument("--pg", default="", help="A PostgreSQL database URL (default: SQLite).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = settings_from_dict({"city": {"name": "City of Rancho Verde"}}, None, {}, folder)
        settings = replace(
            settings,
            root=folder / "archive",
            database_url=args.pg or f"sqlite:///{folder / 'archive.sqlite3'}",
        )
        init_archive(settings, ROOT)
        with Archive.open(settings) as archive:
            t0 = time.perf_counter()
            ids = seed(archive, args.records)
            prepare(archive, ids, args.redactions)
            setup = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = build_package(archive, ROOT, "CPRA-BENCH", folder / "pkg")
            total = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = verify_package(folder / "pkg")
        verify = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in (folder / "pkg").rglob("*") if p.is_file())
        raw = baseline(result.pages, folder)
    print(
        f"package of {args.records} records, {result.redactions} redactions "
        f"({'PostgreSQL' if args.pg else 'SQLite'}); setup {setup:.1f} s"
    )
    print(
        f"  build: {total:.1f} s  (limit 120 s)   {result.pages} pages, "
        f"{result.wacz_records} WARC records in the WACZ, {size / 1e6:.1f} MB"
    )
    for stage, seconds in sorted(result.timings.items(), key=lambda kv: -kv[1]):
        print(f"    {stage:<12} {seconds:6.2f} s  {100 * seconds / total:5.1f} %")
    print(f"  verify: {verify:.1f} s  ({'ok' if report.ok else report.problems[:3]})")
    print("  baselines (same run):")
    for name, seconds in raw.items():
        print(f"    {name}: {seconds:.3f} s")
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
