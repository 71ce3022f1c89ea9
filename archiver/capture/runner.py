"""Capturing one account: connector pages into WARC, items into the archive, cursors for resume.

Per page, in this order: the page's HTTP exchanges (and its media) are written and committed in
one WARC unit of work; its items are recorded (``record_capture``, idempotent) and the follower
count it states (``record_followers``: the profile page); then the cursor moves on. A crash
between these steps makes the next run fetch that page again, which stores
the exchange once more (a second observation) but records no item twice. When every endpoint is
finished the capture is closed (``complete`` when the connector saw everything, so vanished
items become missing from the source) and the account's cursors are deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archiver import SOFTWARE, audit
from archiver.accounts import find_account
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.capture.base import Connector, Page, Target, fetch_media
from archiver.capture.bluesky import BlueskyConnector
from archiver.capture.credentials import credential_name, load_credential
from archiver.capture.http import HttpClient, RetryPolicy
from archiver.capture.meta import FacebookConnector, InstagramConnector
from archiver.capture.models import CaptureCursor
from archiver.capture.record import add_counts, record_capture, record_followers
from archiver.capture.web import WebConnector
from archiver.capture.x import XConnector
from archiver.capture.youtube import YouTubeConnector
from archiver.config import AccountSpec, CaptureSpec, Settings
from archiver.db.models import Account, Capture
from archiver.errors import CaptureError, Conflict, NotFound
from archiver.ingest.store import KindCounts

PARTIAL = "partial"  # the capture's marker row: a page of it could not be fetched in full

CONNECTORS: dict[str, type[Connector]] = {
    "facebook": FacebookConnector,
    "instagram": InstagramConnector,
    "youtube": YouTubeConnector,
    "x": XConnector,
    "bluesky": BlueskyConnector,
    "web": WebConnector,
    "blog": WebConnector,
}


@dataclass(frozen=True)
class CaptureOptions:
    """What the environment supplies: secrets' environment variables, and the sleep to use
    (tests pass one that only records)."""

    env: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep


@dataclass
class CaptureResult:
    account: str
    capture_id: int | None = None
    outcome: str = "failed"  # succeeded | interrupted | failed
    complete: bool = False
    resumed: bool = False
    pages: int = 0
    requests: int = 0
    waited_seconds: float = 0.0
    counts: KindCounts = field(default_factory=KindCounts)
    followers: int | None = None  # the follower count the platform stated, if it shows one
    follower_snapshots: int = 0  # dated snapshots taken (none when the count is unchanged)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    hint: str = ""
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts.as_dict()
        return data


def capture_spec(settings: Settings, account: Account) -> CaptureSpec | None:
    """The ``[accounts.capture]`` table declared for a registered account, if any."""
    spec: AccountSpec | None = next(
        (
            s
            for s in settings.accounts
            if s.platform == account.platform and s.handle.lstrip("@") == account.handle
        ),
        None,
    )
    return spec.capture if spec is not None else None


def capture_account(
    archive: Archive, actor: Actor, ref: str, options: CaptureOptions | None = None
) -> CaptureResult:
    """Capture one account now (resuming its interrupted capture, if there is one)."""
    actor.require("capture.run")
    options = options or CaptureOptions()
    with archive.db.read() as session:
        account = find_account(session, ref)
        name = f"{account.platform}:{account.handle}"
        target = _target(archive.settings, account, name)
        account_id = account.id
    result = CaptureResult(account=name)
    client = _client(archive, target, options)
    try:
        connector = _connector(archive, target, options, client)
        capture_id, resumed = _open_capture(archive, actor, account_id, target)
        result.capture_id, result.resumed = capture_id, resumed
        complete = _run_pages(archive, actor, account_id, target, connector, client, result)
        result.complete = complete and connector.complete_when_finished
        add_counts(
            result.counts,
            record_capture(archive, actor, account_id, [], result.complete, capture_id),
        )
        result.outcome = "succeeded"
    except CaptureError as exc:
        result.outcome = "interrupted" if result.capture_id else "failed"
        result.error, result.hint, result.exit_code = exc.message, exc.hint or "", exc.exit_code
    result.requests, result.waited_seconds = client.requests_made, client.waited_seconds
    if result.capture_id is not None:
        _close_capture(archive, actor, account_id, result)
    return result


def _target(settings: Settings, account: Account, name: str) -> Target:
    if account.status != "active":
        raise Conflict(f"{name} is {account.status}; terminated accounts are not captured")
    spec = capture_spec(settings, account)
    if spec is None or not spec.enabled:
        raise NotFound(
            f"{name} has no live capture configured",
            hint="Add an [accounts.capture] table to its entry in the config "
            "(see docs/capture.md).",
        )
    if account.platform not in CONNECTORS:
        raise NotFound(
            f"there is no live capture for {account.platform} accounts",
            hint="Ingest its exports instead (the nightly job's inbox).",
        )
    return Target(name, account.platform, account.handle, account.platform_account_id, spec)


def _client(archive: Archive, target: Target, options: CaptureOptions) -> HttpClient:
    settings = archive.settings
    policy = RetryPolicy(
        max_retries=settings.capture.max_retries,
        max_wait=settings.capture.max_wait_seconds,
        timeout=settings.capture.timeout_seconds,
    )
    return HttpClient(
        account=target.ref,
        user_agent=settings.capture.user_agent,
        policy=policy,
        sleep=options.sleep,
        clock=archive.clock,
    )


def _connector(
    archive: Archive, target: Target, options: CaptureOptions, client: HttpClient
) -> Connector:
    settings = archive.settings
    token = ""
    if name := credential_name(target.platform, target.spec.credential):
        credential = load_credential(name, options.env, settings.secrets_file, account=target.ref)
        client.credential = credential
        client.renewal_hint = credential.renewal_hint(settings.secrets_file, target.ref)
        token = credential.value
    return CONNECTORS[target.platform](target, client, token)


def _open_capture(
    archive: Archive, actor: Actor, account_id: int, target: Target
) -> tuple[int, bool]:
    with archive.unit() as session:
        now = archive.clock()
        existing = session.scalars(
            select(CaptureCursor.capture_id).where(CaptureCursor.account_id == account_id)
        ).first()
        if existing is not None:
            capture = session.get(Capture, existing)
            assert capture is not None
            capture.outcome, capture.error = "running", ""
            action = "capture.resumed"
        else:
            web = target.platform in ("web", "blog")
            capture = Capture(
                account_id=account_id,
                source_kind="web" if web else "api",
                source_format=f"{target.platform}-{'web' if web else 'api'}",
                source_path="",
                complete=False,
                operator=actor.login,
                tool_version=SOFTWARE,
                started_at=now,
                outcome="running",
                error="",
                counts={},
            )
            session.add(capture)
            session.flush()
            action = "capture.started"
            session.add(
                CaptureCursor(
                    account_id=account_id,
                    capture_id=capture.id,
                    endpoint="",
                    cursor="",
                    done=True,
                    pages=0,
                    updated_at=now,
                )
            )
        audit.record(
            session,
            actor,
            action,
            now=now,
            object_type="capture",
            object_id=capture.id,
            details={"account": target.ref},
        )
        return capture.id, existing is not None


def _run_pages(
    archive: Archive,
    actor: Actor,
    account_id: int,
    target: Target,
    connector: Connector,
    client: HttpClient,
    result: CaptureResult,
) -> bool:
    """Fetch and record every page not yet committed; False if any page (in this run or the
    interrupted one) was partial."""
    assert result.capture_id is not None
    capture_id = result.capture_id
    with archive.db.read() as session:
        marker = _cursor(session, account_id, "")
        complete = marker is None or marker.cursor != PARTIAL
    for endpoint in connector.endpoints():
        with archive.db.read() as session:
            row = _cursor(session, account_id, endpoint)
            done, cursor = (row.done, row.cursor) if row else (False, "")
        while not done:
            page = _fetch_page(
                archive, actor, capture_id, connector, client, target, endpoint, cursor
            )
            add_counts(
                result.counts,
                record_capture(
                    archive, actor, account_id, page.items, False, capture_id, page.media
                ),
            )
            for followers in page.followers:
                snapshots = record_followers(archive, actor, account_id, [followers], capture_id)
                result.followers = followers.total
                result.follower_snapshots += snapshots.new
            result.pages += 1
            result.notes += page.notes
            complete = complete and page.complete
            cursor, done = page.next_cursor or "", page.next_cursor is None
            _save_cursor(archive, account_id, capture_id, endpoint, cursor, done, page.complete)
    return complete


def _fetch_page(
    archive: Archive,
    actor: Actor,
    capture_id: int,
    connector: Connector,
    client: HttpClient,
    target: Target,
    endpoint: str,
    cursor: str,
) -> Page:
    info = {"capture-account": target.ref, "capture-endpoint": endpoint}
    try:
        with archive.warc_unit(actor, capture_id=capture_id, info=info) as unit:
            client.writer = unit.writer
            try:
                page = connector.fetch(endpoint, cursor)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                raise CaptureError(
                    f"{target.ref}: the platform's answer for {endpoint} has an unexpected "
                    f"shape ({type(exc).__name__}: {exc})",
                    hint="The API may have changed; the exchanges are in the WARC files of "
                    f"capture {capture_id}. Report it with `archiver status` output.",
                ) from None
            if target.spec.media:
                fetch_media(client, page.items, page)
    finally:
        client.writer = None
    return page


def _cursor(session: Session, account_id: int, endpoint: str) -> CaptureCursor | None:
    return session.scalars(
        select(CaptureCursor).where(
            CaptureCursor.account_id == account_id, CaptureCursor.endpoint == endpoint
        )
    ).first()


def _save_cursor(
    archive: Archive,
    account_id: int,
    capture_id: int,
    endpoint: str,
    cursor: str,
    done: bool,
    complete: bool,
) -> None:
    with archive.unit() as session:
        marker = _cursor(session, account_id, "")
        if marker is not None and not complete:
            marker.cursor = PARTIAL
        row = _cursor(session, account_id, endpoint)
        if row is None:
            row = CaptureCursor(
                account_id=account_id, capture_id=capture_id, endpoint=endpoint, pages=0
            )
            session.add(row)
        row.cursor, row.done, row.updated_at = cursor, done, archive.clock()
        row.pages = (row.pages or 0) + 1


def _close_capture(archive: Archive, actor: Actor, account_id: int, result: CaptureResult) -> None:
    with archive.unit() as session:
        now = archive.clock()
        capture = session.get(Capture, result.capture_id)
        assert capture is not None
        capture.outcome, capture.complete = result.outcome, result.complete
        capture.error = result.error
        previous = dict(capture.counts or {})
        totals = {k: previous.get(k, 0) + v for k, v in result.counts.as_dict().items()}
        capture.counts = {**totals, "pages": previous.get("pages", 0) + result.pages}
        if result.ok:
            capture.finished_at = now
            session.execute(delete(CaptureCursor).where(CaptureCursor.account_id == account_id))
        audit.record(
            session,
            actor,
            "capture.finished" if result.ok else "capture.interrupted",
            now=now,
            object_type="capture",
            object_id=capture.id,
            details={
                "account": result.account,
                "outcome": result.outcome,
                "complete": result.complete,
                "pages": result.pages,
                "error": result.error,
                **result.counts.as_dict(),
            },
        )
