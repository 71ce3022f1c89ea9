"""A test helper: accounts, items and versions in the archive, each version's original bytes
stored as a real WARC resource record, as ingest would leave them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from archiver.archive import Archive
from archiver.db.models import Account, Capture, Item, ItemVersion
from tests.conftest import actor


@dataclass
class Spec:
    text: str
    kind: str = "post"
    parent: int | None = None  # index into the specs list
    author: str = "City of Rancho Verde"
    author_id: str = "city"
    state: str = "active"
    versions: list[str] = field(default_factory=list)  # earlier texts, oldest first


def seed(archive: Archive, specs: list[Spec], *, handle: str = "ranchoverde") -> list[int]:
    """Insert the items (with their WARC records); returns their ids in spec order."""
    start = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    ids: list[int] = []
    with archive.warc_unit(actor("records")) as unit:
        session = unit.session
        account = session.scalars(
            select(Account).where(Account.platform == "facebook", Account.handle == handle)
        ).first()
        if account is None:
            account = Account(
                platform="facebook",
                handle=handle,
                name="City of Rancho Verde",
                platform_account_id="city",
                registered_at=unit.now,
                registered_by="records",
            )
            session.add(account)
            session.flush()
        capture = Capture(
            account_id=account.id,
            source_kind="api",
            operator="records",
            tool_version="test",
            started_at=unit.now,
            outcome="succeeded",
        )
        session.add(capture)
        session.flush()
        items: list[Item] = []
        for n, spec in enumerate(specs):
            created = start + timedelta(minutes=n)
            parent = items[spec.parent] if spec.parent is not None else None
            platform_id = f"{handle}-{len(ids)}-{n}-{created.timestamp():.0f}"
            item = Item(
                account_id=account.id,
                platform="facebook",
                platform_id=platform_id,
                kind=spec.kind,
                parent_id=parent.id if parent else None,
                root_id=(parent.root_id or parent.id) if parent else None,
                author_name=spec.author,
                author_handle=spec.author_id,
                author_platform_id=spec.author_id,
                created_at=created,
                permalink=f"https://www.facebook.com/{handle}/posts/{platform_id}",
                text=spec.text,
                state=spec.state,
                first_seen_at=created,
                last_seen_at=created,
                content_hash=hashlib.sha256(spec.text.encode()).hexdigest(),
                version_count=len(spec.versions) + 1,
            )
            session.add(item)
            session.flush()
            for number, text in enumerate([*spec.versions, spec.text], 1):
                original = {"id": platform_id, "message": text, "from": spec.author}
                body = json.dumps(original).encode()
                written = unit.writer.write_resource(
                    item.permalink + f"?v={number}", body, content_type="application/json"
                )
                (row,) = unit.register(written)
                session.add(
                    ItemVersion(
                        item_id=item.id,
                        version_no=number,
                        content_hash=hashlib.sha256(text.encode()).hexdigest(),
                        text=text,
                        data={"message": text, "from": spec.author},
                        first_observed_at=created,
                        last_observed_at=created,
                        capture_id=capture.id,
                        warc_record_id=row.id,
                    )
                )
            items.append(item)
            ids.append(item.id)
        session.flush()
    return ids
