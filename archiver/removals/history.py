"""Reading removals back with their whole history: one item's, a period's, or those of a set of
items (for legal holds and disclosure packages), with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archiver.accounts import find_account
from archiver.archive import Archive
from archiver.db.models import Account, Item
from archiver.removals.lookup import find_item, removal_of
from archiver.removals.models import Classification, Removal
from archiver.removals.views import (
    ClassificationRecord,
    RemovalRecord,
    classification_record,
    removal_record,
)


def record_of(session: Session, removal: Removal, warnings: tuple[str, ...] = ()) -> RemovalRecord:
    (record,) = records_of(session, [removal])
    return replace(record, warnings=warnings) if warnings else record


def records_of(session: Session, removals: Sequence[Removal]) -> list[RemovalRecord]:
    """Records for many removals with a fixed number of queries (reports, holds, packages)."""
    if not removals:
        return []
    item_ids = {r.item_id for r in removals if r.item_id is not None}
    items = {
        i.id: i
        for i in session.scalars(
            select(Item).where(Item.id.in_(item_ids)).options(selectinload(Item.versions))
        )
    }
    accounts = {
        a.id: a
        for a in session.scalars(
            select(Account).where(Account.id.in_({r.account_id for r in removals}))
        )
    }
    # by item while the item exists; by removal (the classification that made it) afterwards
    removal_of_item = {r.item_id: r.id for r in removals if r.item_id is not None}
    classifications: dict[int, list[Classification]] = {}
    for row in session.scalars(
        select(Classification)
        .where(
            Classification.item_id.in_(item_ids)
            | Classification.removal_id.in_([r.id for r in removals])
        )
        .order_by(Classification.id)
    ):
        owner = removal_of_item.get(row.item_id) if row.item_id is not None else row.removal_id
        if owner is not None:
            classifications.setdefault(owner, []).append(row)
    return [
        removal_record(
            r,
            items.get(r.item_id) if r.item_id is not None else None,
            accounts[r.account_id],
            classifications.get(r.id, []),
        )
        for r in removals
    ]


def show_removal(archive: Archive, item: str) -> RemovalRecord:
    """An item's removal with every revision and classification, oldest first."""
    with archive.db.read() as session:
        return record_of(session, removal_of(session, find_item(session, item)))


def removal_records_for(session: Session, item_ids: Iterable[int]) -> list[RemovalRecord]:
    """The removal records of these items (for legal holds and disclosure packages), in the
    caller's session; items without a removal are skipped."""
    ids = sorted(set(item_ids))
    out: list[RemovalRecord] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        removals = session.scalars(
            select(Removal)
            .where(Removal.item_id.in_(chunk))
            .order_by(Removal.item_id)
            .options(selectinload(Removal.revisions))
        ).all()
        out.extend(records_of(session, removals))
    return out


def classifications_for(
    session: Session, item_ids: Iterable[int]
) -> dict[int, list[ClassificationRecord]]:
    """How staff classified each of these items when it went missing from its source (the
    review queue), oldest first; items never classified are absent."""
    ids = sorted(set(item_ids))
    out: dict[int, list[ClassificationRecord]] = {}
    for start in range(0, len(ids), 500):
        for row in session.scalars(
            select(Classification)
            .where(Classification.item_id.in_(ids[start : start + 500]))
            .order_by(Classification.id)
        ):
            assert row.item_id is not None
            out.setdefault(row.item_id, []).append(classification_record(row))
    return out


def list_removals(
    archive: Archive,
    *,
    account: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[RemovalRecord]:
    """Removals, newest first; ``start``/``end`` bound the time of removal (end exclusive)."""
    with archive.db.read() as session:
        return select_removals(session, account=account, start=start, end=end)


def select_removals(
    session: Session,
    *,
    account: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    newest_first: bool = True,
) -> list[RemovalRecord]:
    query = select(Removal)
    if account:
        query = query.where(Removal.account_id == find_account(session, account).id)
    if start is not None:
        query = query.where(Removal.removed_at >= start)
    if end is not None:
        query = query.where(Removal.removed_at < end)
    if newest_first:
        query = query.order_by(Removal.removed_at.desc(), Removal.id.desc())
    else:
        query = query.order_by(Removal.removed_at, Removal.id)
    rows = session.scalars(query.options(selectinload(Removal.revisions))).all()
    return records_of(session, rows)
