"""Search benchmark: indexing throughput, index size and query latency, with baselines.

Generates N items of varied civic text (seeded), then measures in one run:
- indexing: the archiver's index (``WhooshIndex.rebuild``, 1 and 2 processes) against a bare
  Whoosh writer with the same schema and analyzers on the same documents, and SQLite FTS5;
- index size on disk;
- query latency p50/p95 for 200 mixed queries (1–3 terms, a phrase, a term plus a field filter,
  a term plus a date range), through the archiver's query path, against the naive Whoosh
  ``DateRange`` for the date queries and against FTS5.

    python benchmarks/search.py --items 100000
    python benchmarks/search.py --items 1000000 --runs 2   # long: run it in the background

Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from whoosh import index as wix
from whoosh import query as wq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archiver.search.dates import date_tokens, local_date
from archiver.search.interface import IndexDocument
from archiver.search.query import parse_query
from archiver.search.whoosh_index import WhooshIndex, schema, text_query, whoosh_fields

TZ = "America/Los_Angeles"
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 8 * 365 * 86400


def _words(text: str) -> list[str]:
    return text.split()


COMMON = _words(
    "the a to of and in for on is at with this we our you your are be will from it that by as "
    "all please more about city today new can has have was were not or if what when who how"
)
CIVIC = _words(
    "street closure road traffic detour repair repaving sidewalk crosswalk park playground "
    "library council meeting agenda budget hearing vote ordinance permit zoning housing "
    "development water conservation drought rebate recycling trash pickup holiday schedule "
    "police fire safety emergency evacuation shelter heat cooling center wildfire smoke "
    "community event festival concert farmers market parade volunteer youth senior program "
    "registration class camp pool summer winter spring fall construction project update "
    "notice reminder residents neighborhood business downtown parking lot garage transit bus "
    "bike lane trail tree planting graffiti cleanup pothole streetlight outage power storm "
    "flood sandbag drain sewer survey feedback workshop open house plan general specific "
    "mayor councilmember commissioner staff department director manager clerk election ballot "
    "candidate forum debate petition complaint concern question answer thanks closures delays "
    "repairs meetings permits residents events programs projects updates reopening reopened "
    "closed closing opened opening scheduled rescheduled cancelled approved denied proposed "
    "adopted reviewed discussed announced reported expected"
)
PLACES = _words(
    "Elm Oak Maple Pine Cedar Willow Main Mission Alameda Foothill Vista Ranchito Sierra "
    "Palomar Arroyo Canyon Mesa Sunset Harbor Orchard"
)
FIRST = _words("Maria José Ana Luis Sam Dana Lee Ari Chris Pat Jordan Kim Nguyen Olga Ravi Mei")
LAST = _words("Lopez Núñez Ortega Kim Park Smith Garcia Chen Patel Rossi Müller Tanaka Silva")
PLATFORMS = ("facebook", "instagram", "x", "youtube", "bluesky", "nextdoor")
STATES = (
    ("active",) * 90
    + ("edited",) * 4
    + ("hidden",) * 2
    + ("removed_by_city",) * 2
    + (
        "deleted_by_author",
        "missing_from_source",
    )
)
TAGS = ("ElmStreet", "RanchoVerde", "CityCouncil", "Budget2024", "SummerFun", "WaterWise")
HANDLES = ("RanchoVerdeCA", "rvpd_official", "RanchoVerdeFire", "rv_library", "MayorOrtega")


def _vocabulary() -> tuple[list[str], list[float]]:
    """Common words, civic words, place names, then a long tail of 6,000 made-up words, with
    Zipf-like weights, so that terms range from very frequent to rare as in real text."""
    rng = random.Random(3)
    syllables = _words("ba ro ten mi sal vor den la por qui ster na lo ven ca tri mon el fa du")
    tail = sorted(
        {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(7000)}
        - set(COMMON + CIVIC)
    )[:6000]
    rng.shuffle(tail)
    words = COMMON + CIVIC + [p.lower() for p in PLACES] + tail
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(words))]
    return words, weights


def generate(count: int, seed: int = 7) -> Iterator[IndexDocument]:
    """``count`` documents: posts (about 500 characters) and comments (about 150)."""
    rng = random.Random(seed)
    words, weights = _vocabulary()
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    for n in range(1, count + 1):
        is_post = rng.random() < 0.3
        length = rng.randint(60, 110) if is_post else rng.randint(10, 40)
        body = rng.choices(words, cum_weights=cumulative, k=length)
        body[0] = body[0].capitalize()
        if rng.random() < 0.3:
            body.insert(rng.randrange(len(body)), f"{rng.choice(PLACES)} Street")
        hashtags: tuple[str, ...] = ()
        mentions: tuple[str, ...] = ()
        if rng.random() < 0.2:
            tag = rng.choice(TAGS)
            body.append(f"#{tag}")
            hashtags = (tag.lower(),)
        if rng.random() < 0.15:
            handle = rng.choice(HANDLES)
            body.insert(0, f"@{handle}")
            mentions = (handle.lower(),)
        text = " ".join(body) + "."
        created = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        platform = rng.choice(PLATFORMS)
        handle = rng.choice(HANDLES)
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        root = n if is_post else max(1, n - rng.randint(1, 50))
        earlier = ""
        state = rng.choice(STATES)
        if state == "edited":
            earlier = " ".join(rng.choices(words, cum_weights=cumulative, k=length // 2))
        yield IndexDocument(
            item_id=n,
            text=text,
            earlier_text=earlier,
            platform=platform,
            account=(
                str(PLATFORMS.index(platform) + 1),
                handle.lower(),
                f"{platform}:{handle}".lower(),
            ),
            kind="post" if is_post else rng.choice(("comment", "comment", "reply")),
            author=f"{author} {handle_of(author, n)} @{handle_of(author, n)}",
            created=created,
            captured=created + timedelta(days=rng.randint(0, 30)),
            date_tokens=tuple(date_tokens(local_date(created, TZ))),
            hashtags=hashtags,
            mentions=mentions,
            state=state,
            parent="" if is_post else str(root),
            thread=str(root),
            series="",
            hold=False,
            digest=f"{n:064x}",
        )


def handle_of(author: str, n: int) -> str:
    return f"{author.split()[0].lower()}{n % 997}"


def mixed_queries(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(category, query) pairs: a quarter each of terms, phrases, filters and date ranges."""
    rng = random.Random(seed)
    mid = CIVIC  # the words a clerk searches for
    out: list[tuple[str, str]] = []
    for n in range(count):
        category = ("terms", "phrase", "filter", "date")[n % 4]
        if category == "terms":
            out.append((category, " ".join(rng.sample(mid, rng.randint(1, 3)))))
        elif category == "phrase":
            out.append((category, f'"{rng.choice(PLACES).lower()} street"'))
        elif category == "filter":
            field = rng.choice(
                (
                    f"platform:{rng.choice(PLATFORMS)}",
                    "state:removed_by_city",
                    "kind:comment",
                    f"hashtag:{rng.choice(TAGS).lower()}",
                    f"author:{rng.choice(LAST).lower()}",
                )
            )
            out.append((category, f"{rng.choice(mid)} {field}"))
        else:
            year = rng.randint(2019, 2026)
            if rng.random() < 0.5:
                month = rng.randint(1, 10)
                span = f"from:{year}-{month:02d} to:{year}-{month + rng.randint(0, 2):02d}"
            else:
                first = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
                last = first + timedelta(days=rng.randint(1, 90))
                span = f"from:{first} to:{last}"
            out.append((category, f"{rng.choice(mid)} {span}"))
    return out


@dataclass
class Timing:
    seconds: float
    count: int

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def timed(action: Callable[[], int]) -> Timing:
    started = time.perf_counter()
    count = action()
    return Timing(time.perf_counter() - started, count)


def bare_whoosh(path: Path, documents: list[dict[str, object]]) -> int:
    path.mkdir(parents=True)
    ix = wix.create_in(str(path), schema(), indexname="items")
    writer = ix.writer(limitmb=128)
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    return len(documents)


def fts5(path: Path, documents: list[IndexDocument]) -> int:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE items(id INTEGER PRIMARY KEY, platform TEXT, state TEXT, kind TEXT,
                           created TEXT, author TEXT, hashtags TEXT);
        CREATE VIRTUAL TABLE items_fts USING fts5(text, earlier,
            tokenize = 'porter unicode61 remove_diacritics 2', content='');
        """
    )
    with db:
        db.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    d.item_id,
                    d.platform,
                    d.state,
                    d.kind,
                    local_date(d.created, TZ).isoformat(),
                    d.author.lower(),
                    " ".join(d.hashtags),
                )
                for d in documents
            ),
        )
        db.executemany(
            "INSERT INTO items_fts(rowid, text, earlier) VALUES (?, ?, ?)",
            ((d.item_id, d.text, d.earlier_text) for d in documents),
        )
        db.execute("CREATE INDEX ix_created ON items(created)")
        db.execute("CREATE INDEX ix_platform ON items(platform)")
    db.close()
    return len(documents)


def fts5_query(db: sqlite3.Connection, text: str) -> int:
    parsed = parse_query(text)
    words = parsed.text
    clauses, params = ["items_fts MATCH ?"], [words]
    f = parsed.filters
    for name, column in (("platform", "platform"), ("state", "state"), ("kind", "kind")):
        if f.values(name):
            clauses.append(f"items.{column} = ?")
            params.append(f.values(name)[0])
    if f.hashtag:
        clauses.append("items.hashtags LIKE ?")
        params.append(f"%{f.hashtag[0]}%")
    if f.author:
        clauses.append("items.author LIKE ?")
        params.append(f"%{f.author[0]}%")
    if f.date_from:
        clauses.append("items.created BETWEEN ? AND ?")
        params += [f.date_from.isoformat(), (f.date_to or date(9999, 1, 1)).isoformat()]
    sql = (
        "SELECT items.id FROM items_fts JOIN items ON items.id = items_fts.rowid WHERE "
        + " AND ".join(clauses)
        + " ORDER BY rank LIMIT 20"
    )
    rows = db.execute(sql, params).fetchall()
    return len(rows)


def naive_date_query(engine: WhooshIndex, text: str) -> int:
    """The naive technique the ADR rejects: a DateRange on the DATETIME field."""
    parsed = parse_query(text)
    f = parsed.filters
    assert f.date_from and f.date_to
    with engine._searcher() as searcher:
        q = wq.And(
            [
                text_query(parsed.text),
                wq.DateRange(
                    "created",
                    datetime.combine(f.date_from, datetime.min.time()),
                    datetime.combine(f.date_to, datetime.max.time()),
                ),
            ]
        )
        return len(searcher.search(q, limit=20).top_n)


def latencies(
    run: Callable[[str], object], queries: list[tuple[str, str]]
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for category, text in queries:
        started = time.perf_counter()
        run(text)
        out.setdefault(category, []).append((time.perf_counter() - started) * 1000)
        out.setdefault("all", []).append(out[category][-1])
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def size_of(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def say(text: str) -> None:
    print(text, flush=True)


def indexing(work: Path, documents: list[IndexDocument], runs: set[str]) -> Path:
    """Index the documents with a bare Whoosh writer, the archiver (1 and 2 processes) and
    FTS5; returns the archiver's index folder."""
    bare = Timing(0.0, 0)
    if "bare" in runs:
        fields = [whoosh_fields(d) for d in documents]
        bare = timed(lambda: bare_whoosh(work / "bare", fields))
        del fields
        say(f"bare Whoosh writer (1 process):  {bare.rate:8.0f} items/s  ({bare.seconds:.0f} s)")
    last = Timing(1.0, 1)
    for procs in [n for n in (1, 2) if str(n) in runs]:
        run = timed(
            lambda n=procs: WhooshIndex(work / f"procs{n}", procs=n).rebuild(iter(documents), 5)
        )
        last = run
        say(
            f"archiver index ({procs} process{'es' if procs > 1 else ''}):"
            f"{'    ' if procs > 1 else '      '}{run.rate:8.0f} items/s  "
            + (f"= {run.rate / bare.rate:.2f}x bare  " if bare.count else "")
            + f"({run.seconds:.0f} s)"
        )
    lite = timed(lambda: fts5(work / "fts5.sqlite3", documents))
    say(
        f"SQLite FTS5:                     {lite.rate:8.0f} items/s  "
        f"= {lite.rate / last.rate:.1f}x the archiver's index"
    )
    index_path = work / ("procs1" if "1" in runs else "procs2")
    say(
        f"index size: archiver {size_of(index_path) / 1e6:.0f} MB, FTS5 (with item table) "
        f"{size_of(work / 'fts5.sqlite3') / 1e6:.0f} MB"
    )
    return index_path


def querying(work: Path, index_path: Path, count: int, naive_dates: bool) -> None:
    queries = mixed_queries(count)
    engine = WhooshIndex(index_path)
    ours = latencies(
        lambda q: engine.search(parse_query(q), sort="relevance", offset=0, limit=20), queries
    )
    db = sqlite3.connect(work / "fts5.sqlite3")
    theirs = latencies(lambda q: fts5_query(db, q), queries)
    dated = [(c, q) for c, q in queries if c == "date"] if naive_dates else []
    naive = latencies(lambda q: naive_date_query(engine, q), dated)
    say(f"query latency, {len(queries)} mixed queries, first 20 hits and exact count (ms):")
    say(
        f"  {'category':9} {'n':>4} {'p50':>8} {'p95':>8}   {'FTS5 p50':>9} {'FTS5 p95':>9}"
        f"   {'p95 vs FTS5':>11}"
    )
    for category in ("terms", "phrase", "filter", "date", "all"):
        mine, fts = ours[category], theirs[category]
        say(
            f"  {category:9} {len(mine):>4} {pct(mine, 50):8.1f} {pct(mine, 95):8.1f}   "
            f"{pct(fts, 50):9.1f} {pct(fts, 95):9.1f}   {pct(mine, 95) / pct(fts, 95):10.1f}x"
        )
    if naive:
        dates = naive["date"]
        say(
            f"  naive DateRange on the same date queries: p50 {pct(dates, 50):.1f} ms, "
            f"p95 {pct(dates, 95):.1f} ms"
        )
    say(f"  mean of all queries: {statistics.mean(ours['all']):.1f} ms")
    engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--runs",
        default="bare,1,2",
        help="Indexing runs: bare (bare Whoosh writer), 1 and 2 (the archiver with 1 or 2 "
        "processes); FTS5 always runs. The queries use the archiver's index.",
    )
    parser.add_argument(
        "--no-naive", action="store_true", help="Skip the naive DateRange comparison."
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="Keep the indexes in this folder, and reuse them if a previous run left them "
        "there (indexing is then skipped: only the queries run).",
    )
    args = parser.parse_args()
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="search-bench-", dir=args.workdir))
    try:
        say(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        kept = [work / name for name in ("procs1", "procs2") if (work / name).is_dir()]
        if kept and (work / "fts5.sqlite3").exists() and (work / "items").exists():
            say(f"reusing the indexes in {work} ({(work / 'items').read_text().strip()} items)")
            querying(work, kept[0], args.queries, not args.no_naive)
            return
        for name in ("bare", "procs1", "procs2"):
            shutil.rmtree(work / name, ignore_errors=True)
        for name in ("fts5.sqlite3", "items"):
            (work / name).unlink(missing_ok=True)
        started = time.perf_counter()
        documents = list(generate(args.items))
        chars = sum(len(d.text) for d in documents) / len(documents)
        say(
            f"items: {args.items:,} (mean text {chars:.0f} characters), generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
        index_path = indexing(work, documents, set(args.runs.split(",")))
        (work / "items").write_text(f"{args.items}\n")
        del documents
        querying(work, index_path, args.queries, not args.no_naive)
        say(f"load average at end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
