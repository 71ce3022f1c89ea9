#!/usr/bin/env python3
"""Ingest throughput, re-ingest speed and peak memory, against the raw libraries as baseline.

    python benchmarks/ingest.py                       # ~100,000 items, ~250 MB memory run
    python benchmarks/ingest.py --items 30000 --rss-bytes 0
    python benchmarks/ingest.py --rss-bytes 1e9       # the 1 GB peak-RSS run (takes a while)

One run prints:
- the project's ingest into WARC (SHA-256 digests) + SQL on SQLite, items/s;
- the same work by the raw libraries alone: warcio writing the same files as resource records,
  json parsing of the same items, one SQLAlchemy Core bulk insert of the item and version rows,
  and a bare Whoosh writer indexing the same items;
- the ratio of the two, for WARC + SQL, and end to end with the project's search-index step
  (ingest indexes after its commit; here that step is timed on its own and added);
- the re-ingest of the unchanged export, and how much faster it is;
- the peak RSS of a separate process ingesting an export of ``--rss-bytes``.

Wall-clock and CPU seconds are both printed: on a shared machine the CPU time is the steadier
figure. The export is a Meta Graph API capture made by ``benchmarks/synth_export.py`` (posts of a
few hundred characters, shorter comments and replies).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

PAGE_ID = "100064123456789"
ITEMS_PER_POST = 3.0  # the generator's posts carry about two comments and replies each


@dataclass
class Timing:
    wall: float
    cpu: float

    def rate(self, items: int) -> str:
        return (
            f"{items / self.wall:8,.0f} items/s  ({self.wall:6.1f} s wall, {self.cpu:6.1f} s CPU)"
        )


def timed(work: Callable[[], Any]) -> tuple[Timing, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def generate(out: Path, *, items: int = 0, target_bytes: float = 0) -> Path:
    export = out / "facebook_graph_api"
    if export.is_dir():
        return export
    command = [sys.executable, str(HERE / "synth_export.py"), "--format", "graph-feed"]
    if target_bytes:
        command += ["--target-bytes", str(int(target_bytes))]
    else:
        command += ["--items", str(max(1, round(items / ITEMS_PER_POST)))]
    subprocess.run([*command, "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return export


# -- the project ---------------------------------------------------------------------------------
def project_archive(root: Path) -> Any:
    from archiver.accounts import add_account
    from archiver.actors import SYSTEM
    from archiver.archive import Archive
    from archiver.config import AccountSpec, settings_from_dict
    from archiver.lifecycle import init_archive

    settings = settings_from_dict({"city": {"name": "Benchmark City"}}, None, {}, root)
    init_archive(settings, SYSTEM)
    archive = Archive.open(settings)
    spec = AccountSpec("facebook", "RanchoVerdeCity", platform_account_id=PAGE_ID)
    add_account(archive, SYSTEM, spec)
    return archive


def project_ingest(archive: Any, export: Path) -> Any:
    """WARC + SQL: the ingest without its index step (timed apart by ``project_index_step``)."""
    from archiver.actors import SYSTEM
    from archiver.ingest import IngestOptions, ingest

    return ingest(archive, SYSTEM, export, IngestOptions(update_index=False))


def project_index_step(archive: Any, item_ids: list[int]) -> None:
    """The search-index step ingest runs after its commit: index the items it created or
    changed."""
    from archiver.search.indexing import index_items

    index_items(archive, item_ids)


# -- the raw libraries ---------------------------------------------------------------------------
def raw_items(export: Path) -> Iterator[dict[str, Any]]:
    """The same posts, comments and replies, flattened with json alone."""
    for path in sorted(export.rglob("page-*.json")):
        for post in json.loads(path.read_bytes())["data"]:
            yield {
                "id": post["id"],
                "kind": "post",
                "text": post.get("message", ""),
                "author": post.get("from", {}).get("name", ""),
                "time": post["created_time"],
            }
            for comment in post.get("comments", {}).get("data", []):
                yield {
                    "id": comment["id"],
                    "kind": "comment",
                    "text": comment.get("message", ""),
                    "author": comment.get("from", {}).get("name", ""),
                    "time": comment["created_time"],
                }
                for reply in comment.get("comments", {}).get("data", []):
                    yield {"id": reply["id"], "kind": "reply", "text": reply.get("message", ""),
                           "author": reply.get("from", {}).get("name", ""),
                           "time": reply["created_time"]}  # fmt: skip


def raw_warc(export: Path, out: Path) -> int:
    from warcio.warcwriter import WARCWriter

    count = 0
    with (out / "baseline.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for path in sorted(p for p in export.rglob("*") if p.is_file()):
            with path.open("rb") as body:
                record = writer.create_warc_record(
                    f"urn:export:{path.relative_to(export)}",
                    "resource",
                    payload=body,
                    length=path.stat().st_size,
                    warc_content_type="application/json",
                )
                writer.write_record(record)
            count += 1
    return count


def raw_sql(export: Path, out: Path) -> int:
    from sqlalchemy import create_engine, insert

    from archiver.db.models import Account, Capture, Item, ItemVersion
    from archiver.db.registry import full_metadata

    engine = create_engine(f"sqlite:///{out / 'baseline.sqlite3'}")
    full_metadata().create_all(engine)
    now = datetime.now(UTC)
    items, versions = [], []
    for number, raw in enumerate(raw_items(export), 1):
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
        created = datetime.fromisoformat(raw["time"].replace("+0000", "+00:00"))
        items.append(
            {
                "id": number,
                "account_id": 1,
                "platform": "facebook",
                "platform_id": raw["id"],
                "kind": raw["kind"],
                "author_name": raw["author"],
                "created_at": created,
                "text": raw["text"],
                "first_seen_at": now,
                "last_seen_at": now,
                "content_hash": digest,
                "extra": {},
            }
        )
        versions.append({"item_id": number, "version_no": 1, "content_hash": digest,
                         "text": raw["text"], "data": {}, "first_observed_at": now,
                         "last_observed_at": now, "capture_id": 1})  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            insert(Account.__table__),
            [
                {
                    "id": 1,
                    "platform": "facebook",
                    "handle": "bench",
                    "registered_at": now,
                    "registered_by": "bench",
                }
            ],
        )
        conn.execute(insert(Capture.__table__), [{"id": 1, "account_id": 1, "source_kind":
                     "export", "operator": "bench", "tool_version": "0", "started_at": now,
                     "counts": {}}])  # fmt: skip
        conn.execute(insert(Item.__table__), items)
        conn.execute(insert(ItemVersion.__table__), versions)
    engine.dispose()
    return len(items)


def raw_whoosh(export: Path, out: Path) -> int:
    """A bare Whoosh writer with the project's schema and analyzers (the same definition the
    project's index uses), fed the same items' values directly: no store, no document builder."""
    from whoosh import index

    from archiver.search.whoosh_index import schema

    folder = out / "whoosh"
    folder.mkdir()
    writer = index.create_in(str(folder), schema(), indexname="items").writer(limitmb=128)
    count = 0
    for raw in raw_items(export):
        count += 1
        created = datetime.fromisoformat(raw["time"].replace("+0000", "+00:00"))
        writer.add_document(
            id=raw["id"], digest="", text=raw["text"], earlier="", platform="facebook",
            account="facebook:bench", kind=raw["kind"], author=raw["author"],
            created=created.replace(tzinfo=None), captured=created.replace(tzinfo=None),
            dates=created.strftime("d%Y%m%d m%Y%m y%Y"), hashtags="", mentions="",
            state="active", thread=raw["id"], hold=False,
        )  # fmt: skip
    writer.commit()
    return count


# -- peak memory ---------------------------------------------------------------------------------
def rss_child(export: str, root: str) -> None:
    """Runs in its own process: ingest, then print the peak RSS in MB and the item count."""
    archive = project_archive(Path(root))
    result = project_ingest(archive, Path(export))
    archive.close()
    peak = peak_rss_mb()
    items = sum(c.new for k, c in result.counts.items() if k != "follower_snapshot")
    print(json.dumps({"peak_rss_mb": peak, "items": items}))


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss it starts afresh at exec, so
    the parent's memory does not count)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="about this many items")
    parser.add_argument("--rss-bytes", type=float, default=250e6,
                        help="size of the export for the peak-RSS run (0: skip)")  # fmt: skip
    parser.add_argument("--work", type=Path, help="keep generated exports here (reused)")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(*args.rss_child)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="archiver-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    export = generate(work / f"export-{args.items}", items=args.items)
    size = sum(p.stat().st_size for p in export.rglob("*") if p.is_file())
    print(f"export: {export.name}, {size / 1e6:.0f} MB, made by benchmarks/synth_export.py")
    scratch = Path(tempfile.mkdtemp(dir=work))

    archive = project_archive(scratch / "project")
    first_time, first = timed(lambda: project_ingest(archive, export))
    items = sum(c.new for k, c in first.counts.items() if k != "follower_snapshot")
    again_time, again = timed(lambda: project_ingest(archive, export))
    assert again.already_ingested == first.capture_id
    index_time, _ = timed(lambda: project_index_step(archive, first.changed_item_ids))
    archive.close()

    baseline = scratch / "baseline"
    baseline.mkdir()
    warc_time, _ = timed(lambda: raw_warc(export, baseline))
    sql_time, raw_count = timed(lambda: raw_sql(export, baseline))
    whoosh_time, _ = timed(lambda: raw_whoosh(export, baseline))
    base_ws = Timing(warc_time.wall + sql_time.wall, warc_time.cpu + sql_time.cpu)
    base_all = Timing(base_ws.wall + whoosh_time.wall, base_ws.cpu + whoosh_time.cpu)

    print(f"\n{items:,} items ({raw_count:,} by the baseline's own parse), SQLite\n")
    print(f"project  WARC + SQL            {first_time.rate(items)}   target >= 3,000/s")
    total = Timing(first_time.wall + index_time.wall, first_time.cpu + index_time.cpu)
    print(f"project  search index step     {index_time.rate(items)}")
    print(f"project  end to end            {total.rate(items)}")
    print(f"baseline warcio                {warc_time.rate(items)}")
    print(f"baseline json + Core insert    {sql_time.rate(items)}")
    print(f"baseline WARC + SQL            {base_ws.rate(items)}")
    print(f"baseline Whoosh writer         {whoosh_time.rate(items)}")
    print(f"baseline end to end            {base_all.rate(items)}")
    print(f"\nproject / baseline, WARC + SQL: {base_ws.wall / first_time.wall:.2f}x wall, "
          f"{base_ws.cpu / first_time.cpu:.2f}x CPU")  # fmt: skip
    print(f"project / baseline, end to end: {base_all.wall / total.wall:.2f}x wall, "
          f"{base_all.cpu / total.cpu:.2f}x CPU   target >= 0.7x")  # fmt: skip
    print(f"re-ingest unchanged: {again_time.wall:.2f} s, {first_time.wall / again_time.wall:.0f}x "
          "faster than the first ingest   target >= 10x")  # fmt: skip
    if args.rss_bytes:
        peak(work, args.rss_bytes)


def peak(work: Path, target: float) -> None:
    export = generate(work / f"rss-{int(target)}", target_bytes=target)
    size = sum(p.stat().st_size for p in export.rglob("*") if p.is_file())
    root = Path(tempfile.mkdtemp(dir=work))
    wall = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(export), str(root)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = json.loads(output.strip().splitlines()[-1])
    print(f"peak RSS ingesting a {size / 1e6:,.0f} MB export ({found['items']:,} items): "
          f"{found['peak_rss_mb']:.0f} MB in {time.perf_counter() - wall:.0f} s   "
          "target < 500 MB for 1 GB")  # fmt: skip


if __name__ == "__main__":
    main()
