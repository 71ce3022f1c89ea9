"""Load files: ``records.csv`` (one row per responsive record), ``exemption_log.csv`` (one row
per withholding or redaction, with the names and titles of those responsible) and, for
litigation requests, a Concordance DAT / Opticon OPT pair.

DAT: UTF-8 with a byte-order mark; field separator ASCII 20 (¶ in Concordance's notation), text
qualifier þ (U+00FE), in-field newline ® (U+00AE). OPT: one line per page,
``Bates,Volume,ImagePath,DocBreak,FolderBreak,BoxBreak,PageCount``; the image path is the
production's single ``records.pdf`` (one PDF for all pages), so loaders that want per-page
images split it by the Bates numbers given here.
"""

from __future__ import annotations

import csv
from pathlib import Path

from archiver.requests.package.pdf import PageMap, bates
from archiver.requests.package.records import Production

RECORD_COLUMNS = (
    "bates_begin",
    "bates_end",
    "item_id",
    "kind",
    "platform",
    "account",
    "author",
    "created_at",
    "first_seen_at",
    "last_seen_at",
    "permalink",
    "original_sha256",
    "disclosure",
    "exemptions",
    "native_path",
    "removed_by_city",
    "removal_grounds",
    "missing_classification",
)

LOG_COLUMNS = (
    "entry",
    "bates",
    "item_id",
    "platform",
    "account",
    "item_type",
    "posted_at",
    "action",
    "what",
    "exemption",
    "exemption_title",
    "basis",
    "reviewer_name",
    "reviewer_title",
    "decision_date",
)

DAT_SEPARATOR, DAT_QUOTE, DAT_NEWLINE = "\x14", "\u00fe", "\u00ae"


def record_rows(production: Production, pages: PageMap, prefix: str) -> list[dict[str, str]]:
    rows = []
    for record in production.records:
        first, last = pages.ranges[record.item_id]
        released = record.status != "withheld"
        rows.append(
            {
                "bates_begin": bates(prefix, first),
                "bates_end": bates(prefix, last),
                "item_id": str(record.item_id),
                "kind": record.kind,
                "platform": record.platform,
                "account": record.account,
                "author": record.author if released else "",
                "created_at": record.created_at,
                "first_seen_at": record.first_seen_at,
                "last_seen_at": record.last_seen_at,
                "permalink": record.permalink,
                "original_sha256": record.original_sha256,
                "disclosure": record.status,
                "exemptions": "; ".join(record.exemptions),
                "native_path": f"native/{record.item_id}.json" if released else "",
                "removed_by_city": "yes" if record.removal else "",
                "removal_grounds": record.removal.grounds_text() if record.removal else "",
                "missing_classification": "; ".join(c.outcome for c in record.classifications),
            }
        )
    return rows


def write_records_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, RECORD_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_exemption_log(path: Path, production: Production, pages: PageMap, prefix: str) -> int:
    records = {r.item_id: r for r in production.records}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LOG_COLUMNS)
        for number, entry in enumerate(production.log, 1):
            record = records[entry.item_id]
            writer.writerow(
                (
                    number,
                    bates(prefix, pages.ranges[entry.item_id][0]),
                    entry.item_id,
                    record.platform,
                    record.account,
                    record.kind,
                    record.created_at,
                    entry.action,
                    entry.field,
                    entry.citation,
                    entry.title,
                    entry.basis,
                    entry.reviewer_name,
                    entry.reviewer_title,
                    entry.decided_on,
                )
            )
    return len(production.log)


def _dat_value(value: str) -> str:
    return DAT_QUOTE + value.replace("\r\n", "\n").replace("\n", DAT_NEWLINE) + DAT_QUOTE


def write_dat_opt(
    dat: Path, opt: Path, rows: list[dict[str, str]], pages: PageMap, prefix: str, volume: str
) -> None:
    fields = (
        "BEGBATES",
        "ENDBATES",
        "ITEMID",
        "DOCTYPE",
        "PLATFORM",
        "CUSTODIAN",
        "AUTHOR",
        "DATECREATED",
        "PERMALINK",
        "SHA256HASH",
        "DISCLOSURE",
        "EXEMPTIONS",
        "NATIVEPATH",
        "REMOVEDBYCITY",
        "REMOVALGROUNDS",
    )
    keys = (
        "bates_begin",
        "bates_end",
        "item_id",
        "kind",
        "platform",
        "account",
        "author",
        "created_at",
        "permalink",
        "original_sha256",
        "disclosure",
        "exemptions",
        "native_path",
        "removed_by_city",
        "removal_grounds",
    )
    with dat.open("w", encoding="utf-8-sig", newline="\r\n") as handle:
        handle.write(DAT_SEPARATOR.join(_dat_value(f) for f in fields) + "\n")
        for row in rows:
            handle.write(DAT_SEPARATOR.join(_dat_value(row[k]) for k in keys) + "\n")
    counts: dict[int, int] = {}
    for _, item_id in pages.pages:
        counts[item_id] = counts.get(item_id, 0) + 1
    seen: set[int] = set()
    with opt.open("w", encoding="utf-8", newline="\r\n") as handle:
        for number, item_id in pages.pages:
            first = item_id not in seen
            seen.add(item_id)
            handle.write(
                f"{bates(prefix, number)},{volume},records.pdf,{'Y' if first else ''},,,"
                f"{counts[item_id] if first else ''}\n"
            )
