"""Put accounts, items and versions in an archive through the ORM, the way ingest would, so
removal tests do not depend on the ingest pipeline. Content goes into real WARC records."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select

from archiver import SOFTWARE
from archiver.archive import Archive
from archiver.db.models import Account, Capture, Item, ItemVersion
from tests.conftest import actor

T0 = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def make_account(
    archive: Archive,
    platform: str = "facebook",
    handle: str = "RanchoVerdeCity",
    platform_account_id: str = "100200300",
) -> int:
    with archive.unit() as session:
        found = session.scalars(
            select(Account).where(Account.platform == platform, Account.handle == handle)
        ).first()
        if found is not None:
            return found.id
        account = Account(
            platform=platform,
            handle=handle,
            name=handle,
            platform_account_id=platform_account_id,
            registered_at=T0,
            registered_by="records",
            termination_reason="",
        )
        session.add(account)
        session.flush()
        return account.id


def make_item(
    archive: Archive,
    account_id: int,
    platform_id: str,
    *,
    text: str = "a comment",
    author_handle: str = "resident1",
    author_name: str = "Pat Resident",
    author_platform_id: str = "",
    kind: str = "comment",
    created_at: datetime = T0,
    versions: tuple[str, ...] = (),
    state: str = "active",
    missing_since: datetime | None = None,
) -> int:
    """An item with one version per text (``versions`` are earlier texts, then ``text``), each
    stored in a WARC resource record as ingest stores exports."""
    texts = (*versions, text)
    with archive.warc_unit(actor("records")) as unit:
        session = unit.session
        account = session.get_one(Account, account_id)
        capture = Capture(
            account_id=account_id,
            source_kind="export",
            source_format="test",
            operator="records",
            tool_version=SOFTWARE,
            started_at=T0,
            finished_at=T0,
            outcome="succeeded",
        )
        session.add(capture)
        session.flush()
        unit.capture_id = capture.id
        item = Item(
            account_id=account_id,
            platform=account.platform,
            platform_id=platform_id,
            kind=kind,
            author_name=author_name,
            author_handle=author_handle,
            author_platform_id=author_platform_id or f"uid-{author_handle}",
            created_at=created_at,
            permalink=f"https://{account.platform}.example/{platform_id}",
            text=text,
            state=state,
            first_seen_at=T0,
            last_seen_at=T0,
            missing_since=missing_since,
            content_hash="",
            version_count=len(texts),
        )
        session.add(item)
        session.flush()
        for number, body in enumerate(texts, start=1):
            data = json.dumps({"id": platform_id, "text": body}).encode()
            written = unit.writer.write_resource(
                f"urn:test:{platform_id}:{number}", data, content_type="application/json"
            )
            (row,) = unit.register(written)
            digest = hashlib.sha256(data).hexdigest()
            session.add(
                ItemVersion(
                    item_id=item.id,
                    version_no=number,
                    content_hash=digest,
                    text=body,
                    first_observed_at=T0,
                    last_observed_at=T0,
                    capture_id=capture.id,
                    warc_record_id=row.id,
                )
            )
            item.content_hash = digest
        session.flush()
        return item.id


def set_missing(archive: Archive, item_id: int, since: datetime) -> None:
    """What ingest does when a complete export no longer contains an item."""
    with archive.unit() as session:
        item = session.get_one(Item, item_id)
        item.state, item.missing_since, item.state_changed_at = "missing_from_source", since, since


def item_state(archive: Archive, item_id: int) -> str:
    with archive.db.read() as session:
        return session.get_one(Item, item_id).state
