"""Items in a real archive database, written through the ORM in one unit of work each.

Until the ingest pipeline exists, this is how tests put accounts, posts, comments and edits into
the store: the same rows ingest writes (an item, its versions, a capture they came from).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from archiver import SOFTWARE
from archiver.archive import Archive
from archiver.db.models import Account, Capture, Item, ItemVersion

T0 = datetime(2024, 3, 1, 17, 0, tzinfo=UTC)


class Store:
    """Adds accounts and items to ``archive``; each call commits its own unit of work."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._capture: int | None = None

    def account(self, platform: str, handle: str, name: str = "", platform_id: str = "") -> int:
        with self.archive.unit() as session:
            account = Account(
                platform=platform,
                handle=handle,
                name=name or handle,
                platform_account_id=platform_id,
                registered_at=T0,
                registered_by="records",
                administrators=[],
            )
            session.add(account)
            session.flush()
            return account.id

    def _capture_id(self, account_id: int) -> int:
        if self._capture is None:
            with self.archive.unit() as session:
                capture = Capture(
                    account_id=account_id,
                    source_kind="export",
                    operator="records",
                    tool_version=SOFTWARE,
                    started_at=T0,
                    outcome="succeeded",
                    counts={},
                )
                session.add(capture)
                session.flush()
                self._capture = capture.id
        return self._capture

    def item(
        self,
        account_id: int,
        text: str,
        *,
        kind: str = "post",
        created_at: datetime | None = T0,
        author: tuple[str, str] = ("City of Rancho Verde", "RanchoVerdeCity"),
        parent: int | None = None,
        state: str = "active",
        hashtags: Sequence[str] = (),
        mentions: Sequence[Any] = (),
        earlier: Sequence[str] = (),
        permalink: str = "",
        platform_id: str = "",
    ) -> int:
        """An item whose text is ``text``, after the ``earlier`` versions (oldest first)."""
        capture_id = self._capture_id(account_id)
        with self.archive.unit() as session:
            root = None
            if parent is not None:
                parent_item = session.get(Item, parent)
                assert parent_item is not None
                root = parent_item.root_id or parent_item.id
            texts = [*earlier, text]
            data = {"hashtags": list(hashtags), "mentions": list(mentions)}
            item = Item(
                account_id=account_id,
                platform=session.get(Account, account_id).platform,  # type: ignore[union-attr]
                platform_id=platform_id
                or hashlib.sha1(f"{account_id}{text}{len(texts)}".encode()).hexdigest(),
                kind=kind,
                parent_id=parent,
                root_id=root,
                author_name=author[0],
                author_handle=author[1],
                author_platform_id=f"uid-{author[1].lower()}",
                created_at=created_at,
                permalink=permalink or f"https://example.org/{account_id}/{len(text)}",
                text=text,
                state="edited" if earlier and state == "active" else state,
                first_seen_at=T0,
                last_seen_at=T0,
                content_hash=_hash(text),
                version_count=len(texts),
                extra=data,
            )
            session.add(item)
            session.flush()
            for number, version_text in enumerate(texts, 1):
                session.add(
                    ItemVersion(
                        item_id=item.id,
                        version_no=number,
                        content_hash=_hash(version_text),
                        text=version_text,
                        data=data,
                        first_observed_at=T0,
                        last_observed_at=T0,
                        capture_id=capture_id,
                    )
                )
            return item.id

    def change(self, item_id: int, **values: Any) -> None:
        """Change an item's columns (a new state, a new text) as a later ingest would."""
        with self.archive.unit() as session:
            item = session.get(Item, item_id)
            assert item is not None
            for key, value in values.items():
                setattr(item, key, value)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
