"""Blocks: the City denies a platform user access to one of its accounts. Recorded with the
grounds (which the catalog must permit for blocking), the evidence posts by that user (as many as
the policy requires), and later the unblock, as a row of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.accounts import PLATFORMS, find_account
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Account, Item
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.removals import rules
from archiver.removals.catalog import PolicyCatalog, city_catalog
from archiver.removals.lookup import find_item
from archiver.removals.models import Block, BlockEvidence, Removal, Unblock
from archiver.removals.views import BlockRecord, GroundRef, block_record, item_ref


@dataclass(frozen=True)
class BlockRequest:
    grounds: tuple[str, ...]
    evidence: tuple[str, ...]  # item refs
    note: str
    account: str | None = None  # the City account; default: the evidence's account
    blocked_at: datetime | None = None


@dataclass(frozen=True)
class UserRef:
    platform: str | None
    name: str  # handle or platform user id, without '@'

    @classmethod
    def parse(cls, text: str) -> UserRef:
        text = text.strip()
        platform, sep, rest = text.partition(":")
        if sep and platform.lower() in PLATFORMS and rest:
            return cls(platform.lower(), rest.strip().lstrip("@"))
        return cls(None, text.lstrip("@"))

    def matches(self, platform: str, handle: str, platform_id: str) -> bool:
        if self.platform and self.platform != platform:
            return False
        wanted = self.name.lower()
        return wanted in (handle.lstrip("@").lower(), platform_id.lower()) and bool(wanted)

    def __str__(self) -> str:
        return f"{self.platform}:{self.name}" if self.platform else self.name


def _evidence(session: Session, user: UserRef, refs: tuple[str, ...]) -> list[Item]:
    items: dict[int, Item] = {}
    for ref in refs:
        item = find_item(session, ref)
        if item.id in items:
            raise InvalidInput(f"evidence item {item.id} is given twice; each post counts once")
        items[item.id] = item
    strangers = [
        f"{i.id} ({item_ref(i)}, by {i.author_handle or i.author_platform_id or 'unknown'})"
        for i in items.values()
        if not user.matches(i.platform, i.author_handle, i.author_platform_id)
    ]
    if strangers:
        raise InvalidInput(
            f"evidence must be posts by {user}; these are not: {', '.join(strangers)}",
            hint="Give only items whose author is the user being blocked.",
        )
    return list(items.values())


def _account(session: Session, request: BlockRequest, evidence: list[Item]) -> Account:
    if request.account:
        account = find_account(session, request.account)
        elsewhere = [i.id for i in evidence if i.platform != account.platform]
        if elsewhere:
            raise InvalidInput(
                f"evidence items {elsewhere} are not on {account.platform}",
            )
        return account
    ids = {i.account_id for i in evidence}
    if len(ids) != 1:
        raise InvalidInput(
            "the evidence is on several of the City's accounts",
            hint="Say which account blocks the user with --account platform:handle.",
        )
    return session.get_one(Account, ids.pop())


def _active_block(session: Session, account_id: int | None, user: UserRef) -> list[Block]:
    query = select(Block).where(~Block.unblock.has())
    if account_id is not None:
        query = query.where(Block.account_id == account_id)
    return [
        b
        for b in session.scalars(query.order_by(Block.id))
        if user.matches(b.platform, b.user_handle, b.user_platform_id)
    ]


def _evidence_warnings(
    session: Session, catalog: PolicyCatalog, evidence: list[Item]
) -> tuple[str, ...]:
    codes = {g.code for g in catalog.grounds if g.permits_blocking}
    warnings: list[str] = []
    for item in evidence:
        removal = session.scalars(select(Removal).where(Removal.item_id == item.id)).first()
        cited = {g["code"] for g in removal.revisions[-1].grounds} if removal else set()
        if not cited & codes:
            warnings.append(
                f"evidence item {item.id} has no removal record citing a ground that permits "
                f"blocking; record it with `archiver removals record {item.id}` so the evidence "
                "shows why it violates the policy"
            )
    return tuple(warnings)


def record_block(
    archive: Archive,
    actor: Actor,
    user: str,
    request: BlockRequest,
    *,
    catalog: PolicyCatalog | None = None,
) -> BlockRecord:
    """Record that the City blocked a user, refusing what the policy does not allow."""
    actor.require("blocks.record")
    catalog = catalog or city_catalog(archive.settings)
    grounds = rules.block_grounds(catalog, request.grounds)
    rules.check_evidence_count(catalog, len(set(request.evidence)))
    if not request.note.strip():
        raise InvalidInput("a block needs a note (--note): what the user repeatedly did")
    who = UserRef.parse(user)
    with archive.unit() as session:
        evidence = _evidence(session, who, request.evidence)
        account = _account(session, request, evidence)
        if _active_block(session, account.id, who):
            raise Conflict(
                f"{who} is already blocked on {account.platform}:{account.handle}",
                hint="See `archiver blocks list --active`.",
            )
        first = evidence[0]
        now = archive.clock()
        refs = [GroundRef.of(g, catalog) for g in grounds]
        block = Block(
            platform=account.platform,
            user_handle=first.author_handle.lstrip("@"),
            user_platform_id=first.author_platform_id,
            user_name=first.author_name,
            account_id=account.id,
            blocked_at=request.blocked_at or now,
            recorded_at=now,
            recorded_by=actor.login,
            catalog_id=catalog.id,
            policy_source=catalog.source,
            grounds=[r.as_json() for r in refs],
            blocking_clause=catalog.blocking.clause,
            min_violations=catalog.blocking.min_violations,
            note=request.note.strip(),
            audit_seq=0,
        )
        session.add(block)
        session.flush()
        session.add_all(
            BlockEvidence(block_id=block.id, item_id=i.id, item_ref=item_ref(i)) for i in evidence
        )
        event = audit.record(
            session,
            actor,
            "block.recorded",
            now=now,
            object_type="block",
            object_id=block.id,
            details={
                "user": str(who),
                "account": f"{account.platform}:{account.handle}",
                "grounds": [f"{g.code} ({g.clause})" for g in grounds],
                "catalog": catalog.id,
                "evidence": [i.id for i in evidence],
                "note": block.note,
            },
        )
        block.audit_seq = event.seq
        session.flush()
        session.refresh(block)
        warnings = _evidence_warnings(session, catalog, evidence)
        return block_record(block, account, warnings)


def record_unblock(
    archive: Archive,
    actor: Actor,
    user: str,
    *,
    reason: str,
    account: str | None = None,
    at: datetime | None = None,
) -> BlockRecord:
    """Record that a block was lifted. The block itself stays as recorded."""
    actor.require("blocks.record")
    if not reason.strip():
        raise InvalidInput("an unblock needs a reason (--reason)")
    who = UserRef.parse(user)
    with archive.unit() as session:
        account_id = find_account(session, account).id if account else None
        active = _active_block(session, account_id, who)
        if not active:
            raise NotFound(
                f"{who} is not blocked" + (f" on {account}" if account else ""),
                hint="See `archiver blocks list --active`.",
            )
        if len(active) > 1:
            where = ", ".join(f"block {b.id} on account {b.account_id}" for b in active)
            raise InvalidInput(
                f"{who} is blocked on several accounts ({where})",
                hint="Say which with --account platform:handle.",
            )
        block = active[0]
        now = archive.clock()
        event = audit.record(
            session,
            actor,
            "block.lifted",
            now=now,
            object_type="block",
            object_id=block.id,
            details={"user": str(who), "reason": reason.strip()},
        )
        session.add(
            Unblock(
                block_id=block.id,
                unblocked_at=at or now,
                recorded_by=actor.login,
                reason=reason.strip(),
                audit_seq=event.seq,
            )
        )
        session.flush()
        session.refresh(block)
        return _block_record(session, block)


def _block_record(session: Session, block: Block) -> BlockRecord:
    return block_record(block, session.get_one(Account, block.account_id))


def select_blocks(
    session: Session,
    *,
    active_only: bool = False,
    account: str | None = None,
    user: str | None = None,
) -> list[BlockRecord]:
    query = select(Block).order_by(Block.blocked_at.desc(), Block.id.desc())
    if active_only:
        query = query.where(~Block.unblock.has())
    if account:
        query = query.where(Block.account_id == find_account(session, account).id)
    rows = list(session.scalars(query))
    if user:
        who = UserRef.parse(user)
        rows = [b for b in rows if who.matches(b.platform, b.user_handle, b.user_platform_id)]
    return [_block_record(session, b) for b in rows]


def list_blocks(
    archive: Archive,
    *,
    active_only: bool = False,
    account: str | None = None,
    user: str | None = None,
) -> list[BlockRecord]:
    """Blocks, newest first, with their unblocks."""
    with archive.db.read() as session:
        return select_blocks(session, active_only=active_only, account=account, user=user)


def show_block(archive: Archive, block_id: int) -> BlockRecord:
    with archive.db.read() as session:
        block = session.get(Block, block_id)
        if block is None:
            raise NotFound(f"no block {block_id}", hint="See `archiver blocks list`.")
        return _block_record(session, block)
