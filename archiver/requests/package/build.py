"""``build_package``: the disclosure package of a request, as a BagIt bag.

The archive is only read, except for one row recording the package and its timeline entry and
audit event. The bag is written to a hidden sibling folder and renamed into place once complete,
so a failure leaves no half-written package.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import ahocorasick
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.errors import Conflict, IntegrityError
from archiver.requests.exemptions import load_catalog
from archiver.requests.models import RequestPackage
from archiver.requests.package import html, letters, loadfiles, pdf, wacz
from archiver.requests.package.bag import make_bag
from archiver.requests.package.records import People, Production, RecordOut, collect
from archiver.requests.service import find_request, local_date, note

Progress = Callable[[str], None]
MIN_CHECKED_LENGTH = 6  # shorter redacted strings are too common to check across the package


@dataclass
class PackageResult:
    number: str
    path: str
    bates_first: str
    bates_last: str
    pages: int
    released: int
    redacted: int
    withheld: int
    redactions: int
    wacz_records: int
    wacz_excluded: int
    tagmanifest_sha256: str
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_prefix(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-").upper() + "-"


@contextmanager
def _stage(timings: dict[str, float], name: str, progress: Progress | None) -> Iterator[None]:
    if progress:
        progress(name)
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


@dataclass
class _Job:
    """What every stage of one build needs."""

    archive: Archive
    actor: Actor
    production: Production
    data: Path
    prefix: str
    first: int
    now: datetime
    timings: dict[str, float]
    progress: Progress | None

    def stage(self, name: str) -> AbstractContextManager[None]:
        return _stage(self.timings, name, self.progress)


def build_package(
    archive: Archive,
    actor: Actor,
    number: str,
    out: Path,
    *,
    prefix: str | None = None,
    progress: Progress | None = None,
) -> PackageResult:
    actor.require("requests.package")
    if out.exists():
        raise Conflict(f"{out} already exists", hint="Choose another --out folder.")
    timings: dict[str, float] = {}
    work = out.parent / f".{out.name}.partial-{secrets.token_hex(4)}"
    try:
        with archive.db.read() as session:
            with _stage(timings, "collect", progress):
                request = find_request(session, number)
                production = collect(session, request, load_catalog(), _people(archive))
                previous = session.scalar(
                    select(func.max(RequestPackage.bates_last)).where(
                        RequestPackage.request_id == request.id
                    )
                )
            job = _Job(
                archive,
                actor,
                production,
                work / "data",
                prefix or default_prefix(request.number),
                (previous or 0) + 1,
                archive.clock(),
                timings,
                progress,
            )
            pages, wacz_records, excluded = _write_payload(job, session)
        with job.stage("leak check"):
            _check_no_leak(job.data, production)
        with job.stage("bag"):
            tag_sha = make_bag(work, _bag_info(job, pages))
        result = PackageResult(
            number=production.number,
            path=str(out),
            bates_first=pdf.bates(job.prefix, pages.first),
            bates_last=pdf.bates(job.prefix, pages.last),
            pages=len(pages.pages),
            released=sum(r.status == "released" for r in production.records),
            redacted=sum(r.status == "redacted" for r in production.records),
            withheld=len(production.withheld),
            redactions=sum(e.action == "redacted" for e in production.log),
            wacz_records=wacz_records,
            wacz_excluded=excluded,
            tagmanifest_sha256=tag_sha,
            timings=timings,
        )
        with job.stage("record"):
            _record_package(job, result, pages, work, out)
        return result
    finally:
        if work.exists():
            shutil.rmtree(work)


def _write_payload(job: _Job, session: Session) -> tuple[pdf.PageMap, int, int]:
    """Every payload file; returns the page map and the WACZ's included and excluded counts."""
    production, data, prefix = job.production, job.data, job.prefix
    (data / "native").mkdir(parents=True)
    with job.stage("pdf"):
        pages = pdf.write_pdf(data / "records.pdf", production, prefix, job.first)
    stamps = {
        item: (pdf.bates(prefix, a), pdf.bates(prefix, b)) for item, (a, b) in pages.ranges.items()
    }
    with job.stage("html"), (data / "index.html").open("w", encoding="utf-8") as handle:
        html.write_index(handle, production, stamps)
    with job.stage("native"):
        for record in production.released:
            (data / "native" / f"{record.item_id}.json").write_text(
                json.dumps(_native(record, stamps), indent=1, ensure_ascii=False),
                encoding="utf-8",
            )
    with job.stage("load files"):
        rows = loadfiles.record_rows(production, pages, prefix)
        loadfiles.write_records_csv(data / "records.csv", rows)
        loadfiles.write_exemption_log(data / "exemption_log.csv", production, pages, prefix)
        if production.litigation:
            loadfiles.write_dat_opt(
                data / "records.dat", data / "records.opt", rows, pages, prefix, "VOL001"
            )
    with job.stage("wacz"):
        full = {r.item_id for r in production.records if r.status == "released"}
        candidates: dict[int, set[int]] = {}
        for record in production.records:
            for record_id in record.warc_record_ids:
                candidates.setdefault(record_id, set()).add(record.item_id)
        keep, excluded = wacz.shareable_records(session, candidates, full)
        included = 0
        if keep:
            included = wacz.write_wacz(
                data / "archive.wacz",
                session,
                job.archive.warcs,
                keep,
                title=f"Records released in full, request {production.number}",
                created=job.now,
            )
    with job.stage("letters"):
        _write_letters(job)
    return pages, included, len(excluded)


def _write_letters(job: _Job) -> None:
    city, catalog = job.archive.settings.city, load_catalog()
    today = local_date(job.archive, job.now)
    (job.data / "determination_letter.txt").write_text(
        letters.determination_letter(job.production, city, job.actor, catalog, today),
        encoding="utf-8",
    )
    if job.production.extension is not None:
        (job.data / "extension_notice.txt").write_text(
            letters.extension_notice(job.production, city, catalog), encoding="utf-8"
        )


def _record_package(
    job: _Job, result: PackageResult, pages: pdf.PageMap, work: Path, out: Path
) -> None:
    """The package's row and timeline entry; the finished bag is moved into place in the same
    unit of work, so a failed commit leaves no package behind and vice versa."""
    with job.archive.unit() as session:
        request = find_request(session, job.production.number)
        overlap = session.scalar(
            select(func.max(RequestPackage.bates_last)).where(
                RequestPackage.request_id == request.id
            )
        )
        if overlap is not None and overlap >= job.first:
            raise Conflict(
                f"another package of {request.number} was built meanwhile (Bates numbers "
                f"up to {overlap}); this one would repeat them",
                hint="Build it again; it will continue the sequence.",
            )
        session.add(
            RequestPackage(
                request_id=request.id,
                built_at=job.now,
                built_by=job.actor.login,
                path=str(out),
                bates_prefix=job.prefix,
                bates_first=pages.first,
                bates_last=pages.last,
                tagmanifest_sha256=result.tagmanifest_sha256,
                counts={k: v for k, v in result.as_dict().items() if isinstance(v, int)},
            )
        )
        note(
            session,
            request,
            job.actor,
            job.now,
            "packaged",
            f"package built: {result.bates_first}–{result.bates_last}, {result.released} "
            f"released, {result.redacted} redacted, {result.withheld} withheld",
            {
                "tagmanifest_sha256": result.tagmanifest_sha256,
                "bates_first": result.bates_first,
                "bates_last": result.bates_last,
            },
        )
        work.rename(out)


def _people(archive: Archive) -> People:
    """Staff are named with their name and title from the config's users (the login otherwise)."""

    def person(login: str) -> tuple[str, str]:
        user = archive.settings.user(login)
        return (user.name or login, user.title) if user else (login, "")

    return person


def _native(record: RecordOut, stamps: dict[int, tuple[str, str]]) -> dict[str, Any]:
    return {
        "item_id": record.item_id,
        "bates": list(stamps[record.item_id]),
        "disclosure": record.status,
        "exemptions": list(record.exemptions),
        "kind": record.kind,
        "platform": record.platform,
        "account": record.account,
        "author": record.author,
        "created_at": record.created_at,
        "permalink": record.permalink,
        "state": record.state,
        "parent_id": record.parent_id,
        "thread_root_id": record.root_id,
        "original_sha256": record.original_sha256 if record.status == "released" else "",
        "versions": [
            {
                "version": v.version_no,
                "observed_at": v.observed_at,
                "edited_at": v.edited_at,
                "text": "".join(f"[{s.label}]" if s.redacted else s.text for s in v.segments),
                "redactions": [s.label for s in v.segments if s.redacted],
                "data": v.data,
            }
            for v in record.versions
        ],
        "removed_by_city": asdict(record.removal) if record.removal else None,
        "missing_from_source": [asdict(c) for c in record.classifications],
    }


def _check_no_leak(data: Path, production: Production) -> None:
    """Refuse to finish if a redacted string appears anywhere in the text outputs (a redacted
    phrase repeated in another released record needs its own decision). One Aho-Corasick pass
    over each file finds every string at once."""
    checked = {s for s in production.redacted_strings if len(s) >= MIN_CHECKED_LENGTH}
    if not checked:
        return
    automaton = ahocorasick.Automaton()
    for secret in checked:
        automaton.add_word(secret, secret)
    automaton.make_automaton()
    for path in sorted(data.rglob("*")):
        if path.suffix not in (".html", ".json", ".csv", ".txt", ".dat"):
            continue
        for _end, secret in automaton.iter(path.read_text("utf-8")):
            raise IntegrityError(
                f"redacted or withheld text appears in {path.relative_to(data)}: {secret[:40]!r}",
                hint="Another released record repeats it: redact it there too, then build again.",
            )


def _bag_info(job: _Job, pages: pdf.PageMap) -> list[tuple[str, str]]:
    production, actor, prefix = job.production, job.actor, job.prefix
    city = job.archive.settings.city
    contact = city.records_contact
    email = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", contact)
    info = [
        ("Source-Organization", city.name),
        ("Organization-Address", city.address),
        ("Contact-Name", f"{actor.name or actor.login}, {actor.title}".strip(", ")),
        ("Contact-Email", email.group(0) if email else ""),
        ("Records-Contact", contact),
        ("External-Identifier", production.number),
        (
            "External-Description",
            f"{production.law} request {production.number}: records produced",
        ),
        ("Bagging-Date", local_date(job.archive, job.now).isoformat()),
        ("Request-Law", production.law),
        ("Request-Received-Date", production.received_on.isoformat()),
        ("Bates-Range", f"{pdf.bates(prefix, pages.first)}-{pdf.bates(prefix, pages.last)}"),
    ]
    info += [("Responsible-Person", f"{n}, {t}") for n, t in production.responsible()]
    return info
