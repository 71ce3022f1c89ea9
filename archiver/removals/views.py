"""Plain results of the removals library: what the CLI renders and what holds and disclosure
packages include. Built from rows by the ``*_record`` functions here; nothing else reads rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from archiver.db.models import Account, Item
from archiver.removals.catalog import Ground, PolicyCatalog
from archiver.removals.models import Block, Classification, Removal, RemovalRevision


@dataclass(frozen=True)
class GroundRef:
    """A ground as the catalog stated it when it was cited (snapshotted, so a later catalog edit
    does not rewrite history)."""

    code: str
    title: str
    clause: str
    text: str
    categories: tuple[str, ...]
    applies_to: str
    catalog_id: str

    @classmethod
    def of(cls, ground: Ground, catalog: PolicyCatalog) -> GroundRef:
        return cls(
            ground.code,
            ground.title,
            ground.clause,
            ground.text,
            ground.categories,
            ground.applies_to,
            catalog.id,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GroundRef:
        return cls(
            data["code"],
            data["title"],
            data["clause"],
            data["text"],
            tuple(data["categories"]),
            data["applies_to"],
            data["catalog_id"],
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = list(self.categories)
        return data


@dataclass(frozen=True)
class RevisionRecord:
    revision_no: int
    recorded_at: datetime
    recorded_by: str
    grounds: tuple[GroundRef, ...]
    note: str
    platform_action: str
    change_reason: str
    audit_seq: int


@dataclass(frozen=True)
class ClassificationRecord:
    id: int
    item_id: int | None  # None once the item was lawfully destroyed
    item_ref: str
    missing_since: datetime | None
    classified_at: datetime
    classified_by: str
    outcome: str
    note: str
    previous_state: str
    removal_id: int | None
    audit_seq: int


@dataclass(frozen=True)
class RemovalRecord:
    """A removal with its whole history: the newest revision's grounds, note and action are
    current; ``revisions`` holds every statement, oldest first."""

    id: int
    item_id: int | None  # None once the item was lawfully destroyed (item_ref still names it)
    item_ref: str
    item_kind: str
    item_state: str
    account: str
    origin: str
    removed_at: datetime
    recorded_at: datetime
    recorded_by: str
    catalog_id: str
    policy_source: str
    poster_name: str
    poster_handle: str
    poster_platform_id: str
    posted_at: datetime | None
    permalink: str
    text: str
    content: tuple[dict[str, Any], ...]
    revisions: tuple[RevisionRecord, ...]
    classifications: tuple[ClassificationRecord, ...] = ()
    attestation_capture_id: int | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def current(self) -> RevisionRecord:
        return self.revisions[-1]

    @property
    def grounds(self) -> tuple[GroundRef, ...]:
        return self.current.grounds

    @property
    def note(self) -> str:
        return self.current.note

    @property
    def platform_action(self) -> str:
        return self.current.platform_action

    @property
    def amended(self) -> bool:
        return len(self.revisions) > 1

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["grounds"] = [g.as_json() for g in self.grounds]
        data["note"], data["platform_action"] = self.note, self.platform_action
        return data


@dataclass(frozen=True)
class QueueEntry:
    item_id: int
    item_ref: str
    account: str
    kind: str
    author: str
    text: str
    created_at: datetime | None
    last_seen_at: datetime
    missing_since: datetime | None
    earlier_classifications: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class UnblockRecord:
    unblocked_at: datetime
    recorded_by: str
    reason: str
    audit_seq: int


@dataclass(frozen=True)
class BlockRecord:
    id: int
    platform: str
    user_handle: str
    user_platform_id: str
    user_name: str
    account: str
    blocked_at: datetime
    recorded_at: datetime
    recorded_by: str
    catalog_id: str
    policy_source: str
    grounds: tuple[GroundRef, ...]
    blocking_clause: str
    min_violations: int
    note: str
    evidence: tuple[str, ...]  # platform:platform_id of each post
    evidence_ids: tuple[int, ...]  # archive ids of those not destroyed since
    unblock: UnblockRecord | None
    audit_seq: int
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def user(self) -> str:
        return f"{self.platform}:{self.user_handle or self.user_platform_id}"

    @property
    def active(self) -> bool:
        return self.unblock is None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["user"], data["active"] = self.user, self.active
        return data


def item_ref(item: Item) -> str:
    return f"{item.platform}:{item.platform_id}"


def account_ref(account: Account) -> str:
    return f"{account.platform}:{account.handle}"


def revision_record(row: RemovalRevision) -> RevisionRecord:
    return RevisionRecord(
        revision_no=row.revision_no,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        grounds=tuple(GroundRef.from_json(g) for g in row.grounds),
        note=row.note,
        platform_action=row.platform_action,
        change_reason=row.change_reason,
        audit_seq=row.audit_seq,
    )


def classification_record(row: Classification) -> ClassificationRecord:
    return ClassificationRecord(
        id=row.id,
        item_id=row.item_id,
        item_ref=row.item_ref,
        missing_since=row.missing_since,
        classified_at=row.classified_at,
        classified_by=row.classified_by,
        outcome=row.outcome,
        note=row.note,
        previous_state=row.previous_state,
        removal_id=row.removal_id,
        audit_seq=row.audit_seq,
    )


def removal_record(
    removal: Removal,
    item: Item | None,
    account: Account,
    classifications: list[Classification] | None = None,
    warnings: tuple[str, ...] = (),
) -> RemovalRecord:
    """``item`` is None once the item was lawfully destroyed: the record stays, without text."""
    latest = ""
    if item is not None:
        latest = item.versions[-1].text if item.versions else item.text
    return RemovalRecord(
        id=removal.id,
        item_id=removal.item_id,
        item_ref=f"{removal.item_platform}:{removal.item_platform_id}",
        item_kind=removal.item_kind,
        item_state=item.state if item is not None else "destroyed",
        account=account_ref(account),
        origin=removal.origin,
        removed_at=removal.removed_at,
        recorded_at=removal.recorded_at,
        recorded_by=removal.recorded_by,
        catalog_id=removal.catalog_id,
        policy_source=removal.policy_source,
        poster_name=removal.poster_name,
        poster_handle=removal.poster_handle,
        poster_platform_id=removal.poster_platform_id,
        posted_at=removal.posted_at,
        permalink=removal.permalink,
        text=latest,
        content=tuple(dict(c) for c in removal.content),
        revisions=tuple(revision_record(r) for r in removal.revisions),
        classifications=tuple(classification_record(c) for c in classifications or []),
        attestation_capture_id=removal.attestation_capture_id,
        warnings=warnings,
    )


def block_record(block: Block, account: Account, warnings: tuple[str, ...] = ()) -> BlockRecord:
    unblock = block.unblock
    return BlockRecord(
        id=block.id,
        platform=block.platform,
        user_handle=block.user_handle,
        user_platform_id=block.user_platform_id,
        user_name=block.user_name,
        account=account_ref(account),
        blocked_at=block.blocked_at,
        recorded_at=block.recorded_at,
        recorded_by=block.recorded_by,
        catalog_id=block.catalog_id,
        policy_source=block.policy_source,
        grounds=tuple(GroundRef.from_json(g) for g in block.grounds),
        blocking_clause=block.blocking_clause,
        min_violations=block.min_violations,
        note=block.note,
        evidence=tuple(e.item_ref for e in block.evidence),
        evidence_ids=tuple(e.item_id for e in block.evidence if e.item_id is not None),
        unblock=None
        if unblock is None
        else UnblockRecord(
            unblock.unblocked_at, unblock.recorded_by, unblock.reason, unblock.audit_seq
        ),
        audit_seq=block.audit_seq,
        warnings=warnings,
    )
