"""The scheduled work: capture every active account that is due, ingest what was dropped in the
inbox, update the index, and leave a report IT can read in one screen.

Exit status, for cron and systemd: 0 when every task succeeded (or there was nothing to do),
11 (partial failure) when some failed and some succeeded, 12 (total failure) when all failed,
10 (busy) when another run holds the lock or a crashed run left it behind.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.capture.models import CaptureCursor
from archiver.capture.runner import (
    CONNECTORS,
    CaptureOptions,
    CaptureResult,
    capture_account,
    capture_spec,
)
from archiver.db.models import Account, Capture
from archiver.errors import ArchiverError, ExitCode
from archiver.jobs import seams
from archiver.jobs.lock import LOCK_NAME, LockInfo, run_lock

IngestFn = Callable[[Archive, Actor, Path], dict[str, int]]
IndexFn = Callable[[Archive, Actor], str]
INBOX_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", ".reason.txt")


@dataclass(frozen=True)
class NightlyOptions:
    capture: CaptureOptions = field(default_factory=CaptureOptions)
    break_stale_lock: bool = False
    everything: bool = False  # capture every enabled account, due or not
    ingest: IngestFn = seams.ingest_export
    update_index: IndexFn = seams.update_index


@dataclass(frozen=True)
class Due:
    account: str
    due: bool
    reason: str


@dataclass
class InboxResult:
    name: str
    outcome: str  # processed | failed
    moved_to: str = ""
    reason: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "processed"


@dataclass
class NightlyReport:
    started_at: str
    finished_at: str = ""
    host: str = ""
    pid: int = 0
    actor: str = ""
    stale_lock_broken: dict[str, object] | None = None
    accounts: list[CaptureResult] = field(default_factory=list)
    not_due: list[Due] = field(default_factory=list)
    inbox: list[InboxResult] = field(default_factory=list)
    index: str = ""
    outcome: str = "nothing to do"
    exit_code: int = ExitCode.OK
    report_path: str = ""
    summary_path: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["accounts"] = [a.as_dict() for a in self.accounts]
        return data


# -- the schedule (pure) ------------------------------------------------------------------------
def is_due(last_success: datetime | None, interval_hours: float, now: datetime) -> bool:
    """Due when the last successful capture is older than the interval, less a tolerance of a
    tenth of it (at most an hour) so that a nightly timer firing a little early still captures."""
    if last_success is None:
        return True
    interval = timedelta(hours=interval_hours)
    tolerance = min(interval / 10, timedelta(hours=1))
    return now - last_success >= interval - tolerance


def exit_code_for(succeeded: int, failed: int) -> int:
    if failed == 0:
        return ExitCode.OK
    return ExitCode.TOTAL_FAILURE if succeeded == 0 else ExitCode.PARTIAL_FAILURE


def due_accounts(archive: Archive, now: datetime, *, everything: bool = False) -> list[Due]:
    """Every active account with live capture configured, and whether it is due now."""
    found: list[Due] = []
    with archive.db.read() as session:
        last = dict(
            session.execute(
                select(Capture.account_id, func.max(Capture.started_at))
                .where(Capture.outcome == "succeeded", Capture.source_kind.in_(("api", "web")))
                .group_by(Capture.account_id)
            ).all()
        )
        unfinished = set(session.scalars(select(CaptureCursor.account_id)))
        query = select(Account).where(Account.status == "active").order_by(Account.id)
        for account in session.scalars(query):
            spec = capture_spec(archive.settings, account)
            if spec is None or not spec.enabled or account.platform not in CONNECTORS:
                continue
            ref = f"{account.platform}:{account.handle}"
            previous = last.get(account.id)
            if account.id in unfinished:
                found.append(Due(ref, True, "resumes an interrupted capture"))
            elif everything or is_due(previous, spec.interval_hours, now):
                why = (
                    f"last captured {previous:%Y-%m-%d %H:%M} UTC" if previous else "never captured"
                )
                found.append(Due(ref, True, why))
            else:
                found.append(Due(ref, False, f"captured {previous:%Y-%m-%d %H:%M} UTC, not due"))
    return found


# -- running ------------------------------------------------------------------------------------
def lock_path(archive: Archive) -> Path:
    return archive.settings.root / "locks" / LOCK_NAME


def capture_now(
    archive: Archive,
    actor: Actor,
    ref: str,
    options: CaptureOptions | None = None,
    *,
    break_stale_lock: bool = False,
) -> CaptureResult:
    """``archiver capture run``: one account, now, under the same lock as the nightly job."""
    actor.require("capture.run")
    with run_lock(
        lock_path(archive),
        now=archive.clock(),
        command=f"archiver capture run --account {ref}",
        break_stale=break_stale_lock,
    ):
        return capture_account(archive, actor, ref, options)


def run_nightly(
    archive: Archive, actor: Actor, options: NightlyOptions | None = None
) -> NightlyReport:
    actor.require("capture.run")
    actor.require("ingest.run")
    options = options or NightlyOptions()
    start = archive.clock()
    report = NightlyReport(
        started_at=start.isoformat(), host=socket.gethostname(), pid=os.getpid(), actor=actor.login
    )
    with run_lock(
        lock_path(archive),
        now=start,
        command="archiver jobs nightly",
        break_stale=options.break_stale_lock,
    ) as broken:
        report.stale_lock_broken = broken.as_dict() if broken else None
        for due in due_accounts(archive, start, everything=options.everything):
            if not due.due:
                report.not_due.append(due)
                continue
            report.accounts.append(_capture(archive, actor, due.account, options.capture))
        report.inbox = process_inbox(archive, actor, options.ingest)
        report.index = options.update_index(archive, actor)
        _conclude(archive, actor, report, broken)
    return report


def _capture(archive: Archive, actor: Actor, ref: str, options: CaptureOptions) -> CaptureResult:
    """One account; an error outside the capture itself (a changed config, a database
    refusal) fails this account only."""
    try:
        return capture_account(archive, actor, ref, options)
    except ArchiverError as exc:
        return CaptureResult(ref, error=exc.message, hint=exc.hint or "", exit_code=exc.exit_code)


def process_inbox(archive: Archive, actor: Actor, ingest: IngestFn) -> list[InboxResult]:
    """Ingest every export dropped in the inbox; move it to processed/ or failed/ (with a
    ``.reason.txt`` beside it: the error's message and its hint)."""
    inbox = archive.settings.inbox_dir
    if not inbox.is_dir():
        return []
    results: list[InboxResult] = []
    stamp = archive.clock().strftime("%Y%m%dT%H%M%SZ")
    for path in sorted(inbox.iterdir()):
        if path.name in ("processed", "failed") or path.name.startswith("."):
            continue
        if path.name.endswith(INBOX_SKIP_SUFFIXES):
            continue
        try:
            counts = ingest(archive, actor, path)
        except ArchiverError as exc:
            moved = _move(path, inbox / "failed", stamp)
            reason = exc.message + (f"\n{exc.hint}" if exc.hint else "")
            moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
            results.append(InboxResult(path.name, "failed", str(moved), exc.message))
            continue
        moved = _move(path, inbox / "processed", stamp)
        results.append(InboxResult(path.name, "processed", str(moved), counts=dict(counts)))
    return results


def _move(path: Path, folder: Path, stamp: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stamp}-{path.name}"
    shutil.move(str(path), target)
    return target


def _conclude(
    archive: Archive, actor: Actor, report: NightlyReport, broken: LockInfo | None
) -> None:
    succeeded = sum(a.ok for a in report.accounts) + sum(i.ok for i in report.inbox)
    failed = sum(not a.ok for a in report.accounts) + sum(not i.ok for i in report.inbox)
    report.exit_code = exit_code_for(succeeded, failed)
    report.outcome = {
        ExitCode.OK: "succeeded" if succeeded else "nothing to do",
        ExitCode.PARTIAL_FAILURE: "partial failure",
        ExitCode.TOTAL_FAILURE: "total failure",
    }[report.exit_code]
    now = archive.clock()
    report.finished_at = now.isoformat()
    folder = archive.settings.reports_dir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"nightly-{now:%Y%m%dT%H%M%SZ}"
    report.report_path = str(folder / f"{name}.json")
    report.summary_path = str(folder / f"{name}.txt")
    _write(folder / f"{name}.json", json.dumps(report.as_dict(), indent=2, default=str) + "\n")
    _write(folder / f"{name}.txt", summary_text(report))
    _write(folder / "latest.txt", summary_text(report))
    with archive.unit() as session:
        audit.record(
            session,
            actor,
            "jobs.nightly",
            now=now,
            object_type="report",
            object_id=name,
            details={
                "outcome": report.outcome,
                "exit_code": report.exit_code,
                "accounts": {a.account: a.outcome for a in report.accounts},
                "inbox": {i.name: i.outcome for i in report.inbox},
                "stale_lock_broken": broken.describe() if broken else "",
            },
        )


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def summary_text(report: NightlyReport) -> str:
    """The one-screen summary: per account new / changed / missing / followers / errors."""
    lines = [
        f"archiver nightly run {report.started_at[:19]} on {report.host}: "
        f"{report.outcome.upper()} (exit {report.exit_code})",
    ]
    if report.stale_lock_broken:
        lines.append(f"  a stale lock was broken: {report.stale_lock_broken}")
    lines.append("")
    head = f"{'account':<34} {'new':>6} {'changed':>8} {'missing':>8} {'followers':>10}"
    lines.append(f"  {head}  result")
    for a in report.accounts:
        c = a.counts
        result = "ok" if a.ok else f"ERROR: {a.error}"
        if a.ok and not a.complete:
            result = "ok (partial view: nothing marked missing)"
        followers = "" if a.followers is None else f"{a.followers:,}"
        row = f"{a.account:<34} {c.new:>6} {c.changed:>8} {c.missing:>8} {followers:>10}"
        lines.append(f"  {row}  {result}")
        if not a.ok and a.hint:
            lines.append(f"  {'':<34} fix: {a.hint}")
    for d in report.not_due:
        lines.append(f"  {d.account:<34} {'':>6} {'':>8} {'':>8} {'':>10}  {d.reason}")
    if not report.accounts and not report.not_due:
        lines.append("  (no account has live capture configured)")
    lines.append("")
    if report.inbox:
        for i in report.inbox:
            where = f" -> {i.moved_to}" if i.moved_to else ""
            why = f": {i.reason}" if i.reason else ""
            lines.append(f"  inbox {i.name}: {i.outcome}{where}{why}")
    else:
        lines.append("  inbox: empty")
    lines.append(f"  index: {report.index}")
    if report.report_path:
        lines.append(f"  full report: {report.report_path}")
    return "\n".join(lines) + "\n"
