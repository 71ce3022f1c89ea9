"""``verify_package``: check a disclosure package as its recipient (or a court) would.

- the bag: complete and valid by the ``bagit`` library (every checksum of both manifests, the
  tag manifests, Payload-Oxum);
- Bates continuity: ``records.csv`` ranges follow each other without gaps or overlaps, the PDF
  has one page per number, and each page's stamp reads its number, in order;
- counts: a native JSON file for each released record, an exemption-log entry for each
  withholding, the DAT/OPT pair agreeing with the CSV when present;
- the WACZ: its datapackage hashes and sizes, the digest file, each WARC record's digests, and
  one index line per record.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
from pypdf import PdfReader
from warcio.archiveiterator import ArchiveIterator

from archiver.errors import IntegrityError, Problem
from archiver.warc.store import StoredRecord, check_digests


@dataclass
class VerifyReport:
    path: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "counts": self.counts,
            "problems": [str(p) for p in self.problems],
        }


def verify_package(path: Path) -> VerifyReport:
    report = VerifyReport(str(path))
    add = report.problems.append
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagValidationError as exc:
        details = getattr(exc, "details", None) or []
        for detail in details or [exc]:
            add(Problem("bag", str(detail)))
    except bagit.BagError as exc:
        add(Problem("bag", str(exc)))
        return report
    data = path / "data"
    rows = _rows(data / "records.csv", report)
    if rows is None:
        return report
    _check_bates(data, rows, report)
    _check_counts(data, rows, report)
    if (data / "archive.wacz").is_file():
        _check_wacz(data / "archive.wacz", report)
    return report


def _rows(csv_path: Path, report: VerifyReport) -> list[dict[str, str]] | None:
    if not csv_path.is_file():
        report.problems.append(Problem("data/records.csv", "missing"))
        return None
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(stamp: str) -> tuple[str, int]:
    match = re.fullmatch(r"(.*?)(\d+)", stamp)
    if not match:
        raise ValueError(stamp)
    return match.group(1), int(match.group(2))


def _check_bates(data: Path, rows: list[dict[str, str]], report: VerifyReport) -> None:
    add = report.problems.append
    expected: list[str] = []
    previous: int | None = None
    for line, row in enumerate(rows, 2):
        try:
            prefix, begin = _number(row["bates_begin"])
            _, end = _number(row["bates_end"])
        except ValueError:
            add(Problem(f"records.csv line {line}", "Bates numbers are not PREFIX + digits"))
            return
        if previous is not None and begin != previous + 1:
            add(
                Problem(
                    f"records.csv line {line}",
                    f"Bates {row['bates_begin']} does not follow {previous} (gap or overlap)",
                )
            )
        if end < begin:
            add(Problem(f"records.csv line {line}", "Bates range ends before it begins"))
        width = len(row["bates_begin"]) - len(prefix)
        expected += [f"{prefix}{n:0{width}d}" for n in range(begin, end + 1)]
        previous = end
    report.counts["pages_expected"] = len(expected)
    pdf_path = data / "records.pdf"
    if not pdf_path.is_file():
        add(Problem("data/records.pdf", "missing"))
        return
    reader = PdfReader(str(pdf_path))
    report.counts["pdf_pages"] = len(reader.pages)
    if len(reader.pages) != len(expected):
        add(
            Problem(
                "data/records.pdf",
                f"{len(reader.pages)} pages, but records.csv numbers {len(expected)}",
            )
        )
    for index, (page, stamp) in enumerate(zip(reader.pages, expected, strict=False), 1):
        if stamp not in (page.extract_text() or ""):
            add(Problem(f"records.pdf page {index}", f"Bates stamp {stamp} not found"))
            break


def _check_counts(data: Path, rows: list[dict[str, str]], report: VerifyReport) -> None:
    add = report.problems.append
    released = [r for r in rows if r["disclosure"] != "withheld"]
    withheld = [r for r in rows if r["disclosure"] == "withheld"]
    report.counts.update(records=len(rows), released=len(released), withheld=len(withheld))
    natives = (
        {p.name for p in (data / "native").glob("*.json")} if (data / "native").is_dir() else set()
    )
    wanted = {f"{r['item_id']}.json" for r in released}
    if natives != wanted:
        add(
            Problem(
                "data/native",
                f"{len(natives)} files for {len(wanted)} released records"
                f" (missing {sorted(wanted - natives)[:5]}, extra {sorted(natives - wanted)[:5]})",
            )
        )
    log_path = data / "exemption_log.csv"
    if not log_path.is_file():
        add(Problem("data/exemption_log.csv", "missing"))
    else:
        with log_path.open(encoding="utf-8", newline="") as handle:
            log = list(csv.DictReader(handle))
        report.counts["exemption_log_entries"] = len(log)
        logged = {e["item_id"] for e in log if e["action"] == "withheld"}
        missing = [r["item_id"] for r in withheld if r["item_id"] not in logged]
        if missing:
            add(Problem("exemption_log.csv", f"withheld records not logged: {missing[:5]}"))
        unexplained = [e["entry"] for e in log if not (e["exemption"] and e["reviewer_name"])]
        if unexplained:
            add(
                Problem(
                    "exemption_log.csv", f"entries without exemption or reviewer: {unexplained[:5]}"
                )
            )
    if (data / "records.dat").is_file():
        lines = (data / "records.dat").read_text("utf-8-sig").splitlines()
        if len(lines) - 1 != len(rows):
            add(
                Problem(
                    "data/records.dat", f"{len(lines) - 1} documents, records.csv has {len(rows)}"
                )
            )
        opt = (
            (data / "records.opt").read_text("utf-8").splitlines()
            if (data / "records.opt").is_file()
            else []
        )
        if len(opt) != report.counts.get("pages_expected", -1):
            add(
                Problem(
                    "data/records.opt",
                    f"{len(opt)} pages, expected {report.counts.get('pages_expected')}",
                )
            )


def _check_wacz(path: Path, report: VerifyReport) -> None:
    add = report.problems.append
    where = "data/archive.wacz"
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        add(Problem(where, f"not a ZIP file ({exc})"))
        return
    with zf:
        names = set(zf.namelist())
        for required in ("datapackage.json", "pages/pages.jsonl"):
            if required not in names:
                add(Problem(where, f"{required} is missing"))
                return
        package_bytes = zf.read("datapackage.json")
        package = json.loads(package_bytes)
        if "datapackage-digest.json" in names:
            digest = json.loads(zf.read("datapackage-digest.json"))
            if digest.get("hash") != "sha256:" + hashlib.sha256(package_bytes).hexdigest():
                add(Problem(where, "datapackage-digest.json does not match datapackage.json"))
        listed = set()
        for resource in package.get("resources", []):
            name = resource["path"]
            listed.add(name)
            if name not in names:
                add(Problem(where, f"{name} is listed but missing"))
                continue
            data = zf.read(name)
            if resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest() or resource.get(
                "bytes"
            ) != len(data):
                add(Problem(where, f"{name}: hash or size differs from datapackage.json"))
            if name.startswith("archive/") and zf.getinfo(name).compress_type != zipfile.ZIP_STORED:
                add(Problem(where, f"{name} must be stored, not compressed"))
        unlisted = names - listed - {"datapackage.json", "datapackage-digest.json"}
        if unlisted:
            add(Problem(where, f"files not in datapackage.json: {sorted(unlisted)[:5]}"))
        records = 0
        for name in sorted(n for n in names if n.startswith("archive/")):
            for record in ArchiveIterator(io.BytesIO(zf.read(name)), check_digests=False):
                payload = record.raw_stream.read()
                head = b""
                if record.http_headers:
                    head = record.http_headers.headers_buff or record.http_headers.to_bytes()
                stored = StoredRecord(dict(record.rec_headers.headers), head + payload, payload)
                try:
                    check_digests(stored, where=f"{name} record {records + 1}")
                except IntegrityError as exc:
                    add(Problem(where, exc.message))
                records += 1
        index = [x for n in names if n.startswith("indexes/") for x in _lines(zf.read(n), n)]
        report.counts["wacz_records"] = records
        if len(index) != records:
            add(Problem(where, f"{len(index)} index lines for {records} WARC records"))
        indexed = {json.loads(line.split(" ", 2)[2]).get("url") for line in index}
        pages = _lines(zf.read("pages/pages.jsonl"), "pages.jsonl")
        for number, line in enumerate(pages[1:], 2):
            page = json.loads(line)
            if not page.get("url") or not page.get("ts"):
                add(Problem(where, f"pages.jsonl line {number}: a page needs url and ts"))
            elif page["url"] not in indexed:
                add(Problem(where, f"pages.jsonl line {number}: {page['url']} is not indexed"))


def _lines(data: bytes, name: str) -> list[str]:
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return [line for line in data.decode("utf-8").splitlines() if line.strip()]
