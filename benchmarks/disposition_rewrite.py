"""How fast a WARC file is rewritten without some records (disposition), against baselines.

Writes a WARC file of N resource records, then times, in the same run:
  - baseline 1: copying the file (shutil.copyfile + fsync): the floor for any rewrite;
  - baseline 2: reading every record with warcio's ArchiveIterator and checking its digests;
  - the pure retention rule ``assign`` over 100,000 items, against a bare loop building the
    same facts;
  - the archiver's rewrite_without (copy surviving members byte for byte, re-read and verify
    every one, fsync, rename), dropping 10% of the records.

Usage: python benchmarks/disposition_rewrite.py [RECORDS] [BYTES_PER_RECORD]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archiver.retention.rewrite import rewrite_without
from archiver.retention.schedule import ItemFacts, assign, load_schedule_file
from archiver.warc.store import WarcStore


def main() -> None:
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    with tempfile.TemporaryDirectory() as tmp:
        store = WarcStore(Path(tmp))
        writer = store.writer(operator="bench")
        ids = []
        for n in range(records):
            body = (f"record {n} " * (size // 10 + 1)).encode()[:size] + os.urandom(64)
            ids.append(writer.write_resource(f"urn:bench:{n}", body).record_id)
        writer.close()
        name = writer.current_file
        path = store.path(name)
        megabytes = path.stat().st_size / 1e6
        print(f"file: {records} records of ~{size} bytes, {megabytes:.1f} MB compressed")

        start = time.perf_counter()
        shutil.copyfile(path, Path(tmp) / "copy.bin")
        with (Path(tmp) / "copy.bin").open("rb+") as handle:
            os.fsync(handle.fileno())
        copy = time.perf_counter() - start
        print(f"baseline copy+fsync:          {copy:7.3f} s  {megabytes / copy:8.1f} MB/s")

        start = time.perf_counter()
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                record.content_stream().read()
        read = time.perf_counter() - start
        print(f"baseline warcio read+digests: {read:7.3f} s  {records / read:8.0f} records/s")

        drop = set(ids[::10])
        start = time.perf_counter()
        result = rewrite_without(store, name, drop, name.replace(".warc.gz", "-d1.warc.gz"))
        rewrite = time.perf_counter() - start
        print(
            f"rewrite_without (drop {len(drop)}):   {rewrite:7.3f} s  {records / rewrite:8.0f} "
            f"records/s  ({len(result.kept)} kept, verified)"
        )


def rules() -> None:
    schedule, _doc, _sha = load_schedule_file(
        Path(__file__).resolve().parent.parent / "sample_data" / "retention_schedule.toml"
    )
    today = datetime(2026, 11, 1, tzinfo=UTC).date()
    kinds = ("post", "comment", "reply", "video")
    start = time.perf_counter()
    facts = [
        ItemFacts(
            id=n,
            platform="facebook",
            kind=kinds[n % 4],
            state="removed_by_city" if n % 10 == 0 else "active",
            account="facebook:RanchoVerdeCity",
            account_kind="council_member" if n % 7 == 0 else "official",
            created_at=datetime(2019 + n % 7, 1 + n % 12, 1, tzinfo=UTC),
            state_changed_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        for n in range(100_000)
    ]
    built = time.perf_counter() - start
    print(f"baseline build 100,000 facts: {built:7.3f} s")
    start = time.perf_counter()
    eligible = sum(1 for f in facts if assign(schedule, f, today).eligible)
    took = time.perf_counter() - start
    print(
        f"assign 100,000 items:         {took:7.3f} s  {100_000 / took:8.0f} items/s "
        f"({eligible} eligible)"
    )


if __name__ == "__main__":
    rules()
    main()
