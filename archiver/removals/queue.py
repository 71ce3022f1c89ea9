"""The review queue: items that went missing from their source wait here until staff say why.

An item is in the queue while its state is ``missing_from_source`` and no classification has been
recorded since it went missing (``missing_since``). Classifying it as ``unknown`` takes it out of
the queue but leaves its state as it is: the archive does not pretend to know more than staff do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from archiver.accounts import find_account
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Account, Item
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.governance import govern_recorded_items
from archiver.removals.catalog import PolicyCatalog, city_catalog
from archiver.removals.history import record_of
from archiver.removals.lookup import find_item
from archiver.removals.models import OUTCOMES, Classification, Removal
from archiver.removals.record import (
    RemovalRequest,
    add_classification,
    create_removal,
)
from archiver.removals.views import (
    ClassificationRecord,
    QueueEntry,
    RemovalRecord,
    account_ref,
    classification_record,
    item_ref,
)
from archiver.search.indexing import index_changed

# The state each outcome gives the item (unknown leaves it missing_from_source).
OUTCOME_STATE = {
    "removed_by_city": "removed_by_city",
    "deleted_by_author": "deleted_by_author",
    "removed_by_platform": "removed_by_platform",
    "unknown": "missing_from_source",
}
RECLASSIFIABLE = ("missing_from_source", "deleted_by_author", "removed_by_platform")


@dataclass(frozen=True)
class ClassifyRequest:
    outcome: str
    note: str
    grounds: tuple[str, ...] = ()  # for removed_by_city
    action: str = "deleted"  # for removed_by_city
    removed_at: datetime | None = None  # for removed_by_city; default: when it went missing


@dataclass(frozen=True)
class ClassifyResult:
    classification: ClassificationRecord
    item_state: str
    removal: RemovalRecord | None


def _unclassified() -> ColumnElement[bool]:
    classified = exists().where(
        and_(
            Classification.item_id == Item.id,
            (Classification.missing_since == Item.missing_since)
            | (Classification.missing_since.is_(None) & Item.missing_since.is_(None)),
        )
    )
    return and_(Item.state == "missing_from_source", ~classified)


def queue_entries(session: Session, *, account: str | None = None) -> list[QueueEntry]:
    query = (
        select(Item, Account)
        .join(Account, Item.account_id == Account.id)
        .where(_unclassified())
        .order_by(func.coalesce(Item.missing_since, Item.last_seen_at), Item.id)
    )
    if account:
        query = query.where(Item.account_id == find_account(session, account).id)
    earlier = dict(
        session.execute(
            select(Classification.item_id, func.count()).group_by(Classification.item_id)
        ).all()
    )
    return [
        QueueEntry(
            item_id=item.id,
            item_ref=item_ref(item),
            account=account_ref(acct),
            kind=item.kind,
            author=item.author_handle or item.author_name,
            text=item.text,
            created_at=item.created_at,
            last_seen_at=item.last_seen_at,
            missing_since=item.missing_since,
            earlier_classifications=earlier.get(item.id, 0),
        )
        for item, acct in session.execute(query).all()
    ]


def review_queue(archive: Archive, *, account: str | None = None) -> list[QueueEntry]:
    """Items missing from their source and not yet classified, oldest first."""
    with archive.db.read() as session:
        return queue_entries(session, account=account)


def unclassified_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Item).where(_unclassified())) or 0


def classify_missing(
    archive: Archive,
    actor: Actor,
    item: str,
    request: ClassifyRequest,
    *,
    catalog: PolicyCatalog | None = None,
) -> ClassifyResult:
    """Say why an item went missing. ``removed_by_city`` records a removal with grounds; a
    later classification of the same item is a correction and keeps the earlier one."""
    actor.require("removals.record")
    if request.outcome not in OUTCOMES:
        raise InvalidInput(
            f"outcome {request.outcome!r} is not one of {', '.join(OUTCOMES)}",
        )
    if not request.note.strip():
        raise InvalidInput("a classification needs a note (--note): how staff know")
    if request.outcome != "removed_by_city" and request.grounds:
        raise InvalidInput(
            "grounds belong to removals by the City only",
            hint="Use --outcome removed_by_city with --ground, or leave out --ground.",
        )
    if request.outcome == "removed_by_city":
        catalog = catalog or city_catalog(archive.settings)
    with archive.unit() as session:
        row = find_item(session, item)
        _check_classifiable(session, row)
        now = archive.clock()
        previous, missing_since = row.state, row.missing_since
        removal = None
        if request.outcome == "removed_by_city":
            assert catalog is not None
            created = create_removal(
                session,
                actor,
                catalog,
                row,
                RemovalRequest(
                    request.grounds,
                    request.note,
                    request.action,
                    request.removed_at or missing_since,
                ),
                origin="review",
                now=now,
            )
            removal = created.removal
        elif row.state != OUTCOME_STATE[request.outcome]:
            row.state, row.state_changed_at = OUTCOME_STATE[request.outcome], now
            session.flush()
            govern_recorded_items(session, [row.id], now)
        saved = add_classification(
            session,
            actor,
            row,
            outcome=request.outcome,
            note=request.note,
            previous_state=previous,
            missing_since=missing_since,
            removal_id=removal.id if removal else None,
            now=now,
        )
        result = ClassifyResult(
            classification_record(saved),
            row.state,
            record_of(session, removal) if removal is not None else None,
        )
    index_changed(archive, [row.id])  # its state changed
    return result


def _check_classifiable(session: Session, item: Item) -> None:
    if item.state == "removed_by_city":
        raise Conflict(
            f"item {item.id} ({item_ref(item)}) is recorded as removed by the City",
            hint=f"A removal is amended, never withdrawn: `archiver removals amend {item.id}`.",
        )
    if item.state not in RECLASSIFIABLE:
        raise Conflict(
            f"item {item.id} ({item_ref(item)}) is {item.state}, not missing from its source",
            hint=f"If the City took it down, use `archiver removals record {item.id}`.",
        )
    if item.state != "missing_from_source":
        earlier = session.scalars(
            select(Classification.id).where(Classification.item_id == item.id)
        ).first()
        if earlier is None:
            raise Conflict(
                f"item {item.id} ({item_ref(item)}) is {item.state} as its source reported, "
                "not by a classification of the review queue",
            )


@dataclass(frozen=True)
class ItemHistory:
    """What the removal trail knows about one item: its removal (if the City removed it) and
    every review-queue classification, oldest first."""

    item_id: int
    item_ref: str
    state: str
    removal: RemovalRecord | None
    classifications: tuple[ClassificationRecord, ...]


def item_history(archive: Archive, item: str) -> ItemHistory:
    """An item's removal and classifications; NotFound when the trail has nothing on it."""
    with archive.db.read() as session:
        row = find_item(session, item)
        removal = session.scalars(select(Removal).where(Removal.item_id == row.id)).first()
        rows = session.scalars(
            select(Classification)
            .where(Classification.item_id == row.id)
            .order_by(Classification.id)
        ).all()
        if removal is None and not rows:
            raise NotFound(
                f"item {row.id} ({item_ref(row)}) has no removal record or classification "
                f"(it is {row.state})",
                hint=f"Record one with `archiver removals record {row.id} --ground CODE ...`.",
            )
        return ItemHistory(
            item_id=row.id,
            item_ref=item_ref(row),
            state=row.state,
            removal=record_of(session, removal) if removal is not None else None,
            classifications=tuple(classification_record(c) for c in rows),
        )
