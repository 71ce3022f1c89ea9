"""Check the WARC files against the database: digests, missing files and records, and records
no database row points at (left by a crash between the WARC write and the commit). Unreferenced
records are reported, never taken for archived data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from archiver import audit
from archiver.archive import Archive
from archiver.db.models import WarcFile, WarcRecord
from archiver.errors import IntegrityError
from archiver.warc.store import check_digests


@dataclass(frozen=True)
class Finding:
    kind: str  # missing_file | unregistered_file | missing_record | unreferenced_record
    #            | digest_mismatch | mismatch | unreadable
    file: str
    offset: int | None
    message: str


@dataclass
class VerifyReport:
    files_checked: int = 0
    records_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def verify_archive(
    archive: Archive, *, progress: Callable[[str], None] | None = None
) -> VerifyReport:
    report = VerifyReport()
    with archive.db.read() as session:
        known_files = {f.name: f for f in session.scalars(select(WarcFile))}
        rows: dict[tuple[str, int], WarcRecord] = {
            (f.name, r.offset): r
            for r, f in session.execute(
                select(WarcRecord, WarcFile).join(WarcFile, WarcRecord.warc_file_id == WarcFile.id)
            )
        }
    on_disk = set(archive.warcs.files())
    for name in sorted(set(known_files) - on_disk):
        report.findings.append(
            Finding(
                "missing_file",
                name,
                None,
                f"{name} is recorded in the database but missing on disk",
            )
        )
    for name in sorted(on_disk):
        if progress:
            progress(name)
        report.files_checked += 1
        seen = _verify_file(archive, name, rows, report)
        if name not in known_files:
            report.findings.append(
                Finding(
                    "unregistered_file",
                    name,
                    None,
                    f"{name} is not recorded in the database (left by an interrupted run); its "
                    "records are not part of the archive",
                )
            )
        for (file, offset), row in rows.items():
            if file == name and offset not in seen:
                report.findings.append(
                    Finding(
                        "missing_record",
                        name,
                        offset,
                        f"record {row.record_id} is recorded at offset {offset} but is not there",
                    )
                )
    return report


def _verify_file(
    archive: Archive, name: str, rows: dict[tuple[str, int], WarcRecord], report: VerifyReport
) -> set[int]:
    seen: set[int] = set()
    try:
        for offset, length, record in archive.warcs.iter_file(name):
            report.records_checked += 1
            seen.add(offset)
            where = f"{name}@{offset}"
            try:
                check_digests(record, where=where)
            except IntegrityError as exc:
                report.findings.append(Finding("digest_mismatch", name, offset, exc.message))
            row = rows.get((name, offset))
            record_id = record.headers.get("WARC-Record-ID", "")
            if row is None:
                report.findings.append(
                    Finding(
                        "unreferenced_record",
                        name,
                        offset,
                        f"{record_id} ({record.record_type}) at {where} is not in the database "
                        "(written by a run that did not commit); it is not archived data",
                    )
                )
            elif (
                row.record_id != record_id
                or row.length != length
                or (
                    row.block_digest and row.block_digest != record.headers.get("WARC-Block-Digest")
                )
            ):
                report.findings.append(
                    Finding(
                        "mismatch",
                        name,
                        offset,
                        f"the database's record {row.record_id} does not match the file at {where}",
                    )
                )
    except Exception as exc:  # warcio raises assorted errors on corrupt or truncated gzip data
        last = max(seen) if seen else 0
        report.findings.append(
            Finding(
                "unreadable",
                name,
                last,
                f"{name} cannot be read past offset {last} ({type(exc).__name__}: {exc})",
            )
        )
    return seen


def warc_anchors(archive: Archive) -> list[tuple[int, str, str]]:
    """The audit-chain heads recorded in the warcinfo records of every WARC file."""
    anchors: list[tuple[int, str, str]] = []
    for name in archive.warcs.files():
        try:
            for offset, _length, record in archive.warcs.iter_file(name):
                if record.record_type != "warcinfo":
                    continue
                for line in record.payload.decode("utf-8", "replace").splitlines():
                    key, _, value = line.partition(": ")
                    if key == "audit-head" and " " in value:
                        seq, digest = value.split(" ", 1)
                        anchors.append((int(seq), digest.strip(), f"{name}@{offset}"))
        except Exception:  # an unreadable file is reported by verify_archive
            continue
    return anchors


def verify_audit(archive: Archive) -> audit.AuditReport:
    anchors = warc_anchors(archive)
    with archive.db.read() as session:
        return audit.verify(session, anchors)
