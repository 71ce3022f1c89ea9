"""The removal report: every removal and block in a period, with grounds and clauses, and counts
per ground, category and account. It serves the annual review of Policy 702.6 and is what an
attorney asks for when a removal is challenged. ``summarize`` is pure; ``removal_report`` reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from archiver.accounts import find_account
from archiver.archive import Archive
from archiver.db.models import Item
from archiver.errors import InvalidInput
from archiver.removals.blocks import select_blocks
from archiver.removals.history import select_removals
from archiver.removals.models import Classification
from archiver.removals.queue import unclassified_count
from archiver.removals.views import (
    BlockRecord,
    ClassificationRecord,
    RemovalRecord,
    classification_record,
)


@dataclass(frozen=True)
class GroundCount:
    catalog_id: str
    code: str
    clause: str
    title: str
    removals: int
    blocks: int


@dataclass(frozen=True)
class CategoryCount:
    category: str
    removals: int
    blocks: int


@dataclass(frozen=True)
class AccountCount:
    account: str
    removals: int
    blocks: int
    unblocks: int


@dataclass(frozen=True)
class Summary:
    removals: int
    amended: int
    attested: int
    blocks: int
    unblocks: int
    by_ground: tuple[GroundCount, ...]
    by_category: tuple[CategoryCount, ...]
    by_account: tuple[AccountCount, ...]
    by_action: dict[str, int]
    by_outcome: dict[str, int]  # review-queue classifications in the period


@dataclass(frozen=True)
class RemovalReport:
    city: str
    start: date
    end: date  # inclusive
    timezone: str
    account: str
    generated_at: datetime
    removals: tuple[RemovalRecord, ...]
    blocks: tuple[BlockRecord, ...]  # blocked or unblocked in the period
    classifications: tuple[ClassificationRecord, ...]
    summary: Summary
    unclassified_now: int
    policies: tuple[str, ...] = ()  # "Council Policy 01.01.04 (carson)": the catalogs cited

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["removals"] = [r.as_dict() for r in self.removals]
        data["blocks"] = [b.as_dict() for b in self.blocks]
        return data


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _touches(block: BlockRecord, start: datetime, end: datetime) -> bool:
    lifted = block.unblock.unblocked_at if block.unblock else None
    return _in(block.blocked_at, start, end) or _in(lifted, start, end)


def summarize(
    removals: list[RemovalRecord],
    blocks: list[BlockRecord],
    classifications: list[ClassificationRecord],
    start: datetime,
    end: datetime,
) -> Summary:
    """Counts over the period ``[start, end)``; a block counts when it was placed in the period,
    an unblock when it was lifted in the period."""
    placed = [b for b in blocks if _in(b.blocked_at, start, end)]
    lifted = [b for b in blocks if b.unblock and _in(b.unblock.unblocked_at, start, end)]
    grounds: dict[tuple[str, str], list[Any]] = {}
    categories: dict[str, list[int]] = {}
    for kind, records in ((0, removals), (1, placed)):
        for record in records:
            for g in record.grounds:
                entry = grounds.setdefault((g.catalog_id, g.code), [g.clause, g.title, 0, 0])
                entry[2 + kind] += 1
            for category in dict.fromkeys(c for g in record.grounds for c in g.categories):
                categories.setdefault(category, [0, 0])[kind] += 1
    accounts: dict[str, list[int]] = {}
    for record in removals:
        accounts.setdefault(record.account, [0, 0, 0])[0] += 1
    for index, blocked in ((1, placed), (2, lifted)):
        for block in blocked:
            accounts.setdefault(block.account, [0, 0, 0])[index] += 1
    return Summary(
        removals=len(removals),
        amended=sum(1 for r in removals if r.amended),
        attested=sum(1 for r in removals if r.origin == "attestation"),
        blocks=len(placed),
        unblocks=len(lifted),
        by_ground=tuple(
            GroundCount(cat, code, v[0], v[1], v[2], v[3])
            for (cat, code), v in sorted(grounds.items(), key=lambda kv: (-kv[1][2], kv[0]))
        ),
        by_category=tuple(
            CategoryCount(c, v[0], v[1])
            for c, v in sorted(categories.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ),
        by_account=tuple(AccountCount(a, *v) for a, v in sorted(accounts.items())),
        by_action=dict(sorted(Counter(r.platform_action for r in removals).items())),
        by_outcome=dict(sorted(Counter(c.outcome for c in classifications).items())),
    )


def period_bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants of the City-local days ``start`` through ``end`` (inclusive)."""
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
    zone = ZoneInfo(timezone)
    return (
        datetime.combine(start, time(), zone),
        datetime.combine(end + timedelta(days=1), time(), zone),
    )


def removal_report(
    archive: Archive, *, start: date, end: date, account: str | None = None
) -> RemovalReport:
    """Every removal, block and unblock in the City-local days ``start``..``end``."""
    low, high = period_bounds(start, end, archive.settings.timezone)
    with archive.db.read() as session:
        removals = select_removals(
            session, account=account, start=low, end=high, newest_first=False
        )
        blocks = [
            b
            for b in reversed(select_blocks(session, account=account))
            if _in(b.blocked_at, low, high)
            or (b.unblock and _in(b.unblock.unblocked_at, low, high))
        ]
        query = select(Classification).where(
            Classification.classified_at >= low, Classification.classified_at < high
        )
        if account:
            account_id = find_account(session, account).id
            query = query.join(Item, Item.id == Classification.item_id).where(
                Item.account_id == account_id
            )
        classifications = [
            classification_record(c) for c in session.scalars(query.order_by(Classification.id))
        ]
        waiting = unclassified_count(session)
    return RemovalReport(
        city=archive.settings.city.name,
        start=start,
        end=end,
        timezone=archive.settings.timezone,
        account=account or "",
        generated_at=archive.clock(),
        removals=tuple(removals),
        blocks=tuple(blocks),
        classifications=tuple(classifications),
        summary=summarize(removals, blocks, classifications, low, high),
        unclassified_now=waiting,
        policies=tuple(
            sorted(
                {f"{r.policy_source} ({r.catalog_id})" for r in removals}
                | {f"{b.policy_source} ({b.catalog_id})" for b in blocks}
            )
        ),
    )
