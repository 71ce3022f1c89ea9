"""The registry of the City's social-media accounts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.config import AccountSpec
from archiver.db.models import ACCOUNT_KINDS, Account, Capture, FollowerSnapshot, Item
from archiver.errors import Conflict, InvalidInput, NotFound

PLATFORMS = (
    "facebook",
    "instagram",
    "x",
    "youtube",
    "bluesky",
    "nextdoor",
    "linkedin",
    "tiktok",
    "threads",
    "blog",
    "web",
)


@dataclass(frozen=True)
class AccountView:
    id: int
    platform: str
    handle: str
    name: str
    url: str
    platform_account_id: str
    department: str
    kind: str
    status: str
    approved_by: str
    approved_on: str
    terminated_on: str
    termination_reason: str
    administrators: list[str]
    registered_at: str
    registered_by: str
    items: int = 0
    last_capture: str = ""
    followers: int | None = None  # the latest follower snapshot's count (export or capture)
    followers_at: str = ""  # when it was taken

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _view(
    account: Account,
    items: int = 0,
    last_capture: str = "",
    followers: tuple[int, datetime] | None = None,
) -> AccountView:
    return AccountView(
        id=account.id,
        platform=account.platform,
        handle=account.handle,
        name=account.name,
        url=account.url,
        platform_account_id=account.platform_account_id,
        department=account.department,
        kind=account.kind,
        status=account.status,
        approved_by=account.approved_by,
        approved_on=account.approved_on.isoformat() if account.approved_on else "",
        terminated_on=account.terminated_on.isoformat() if account.terminated_on else "",
        termination_reason=account.termination_reason,
        administrators=list(account.administrators or []),
        registered_at=account.registered_at.isoformat(),
        registered_by=account.registered_by,
        items=items,
        last_capture=last_capture,
        followers=followers[0] if followers else None,
        followers_at=followers[1].isoformat() if followers else "",
    )


def latest_follower_counts(
    session: Session, account_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, datetime]]:
    """Each account's latest follower snapshot: its count and when it was taken."""
    rank = (
        func.row_number()
        .over(
            partition_by=FollowerSnapshot.account_id,
            order_by=(FollowerSnapshot.taken_at.desc(), FollowerSnapshot.id.desc()),
        )
        .label("rank")
    )
    ranked = select(
        FollowerSnapshot.account_id,
        FollowerSnapshot.follower_count,
        FollowerSnapshot.taken_at,
        rank,
    )
    if account_ids is not None:
        ranked = ranked.where(FollowerSnapshot.account_id.in_(list(account_ids)))
    latest = ranked.subquery()
    rows = session.execute(
        select(latest.c.account_id, latest.c.follower_count, latest.c.taken_at).where(
            latest.c.rank == 1
        )
    )
    return {account_id: (count, taken_at) for account_id, count, taken_at in rows}


def find_account(session: Session, ref: str) -> Account:
    """Find an account by id, ``platform:handle``, handle, or platform account id."""
    ref = ref.strip().lstrip("@")
    query = select(Account)
    if ref.isdigit() and (found := session.get(Account, int(ref))) is not None:
        return found
    if ":" in ref and not ref.startswith("did:"):
        platform, handle = ref.split(":", 1)
        matches = session.scalars(
            query.where(Account.platform == platform, Account.handle == handle.lstrip("@"))
        ).all()
    else:
        matches = session.scalars(
            query.where((Account.handle == ref) | (Account.platform_account_id == ref))
        ).all()
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"no account {ref!r} is registered",
            hint="See `archiver accounts list`; register it with `archiver accounts add`.",
        )
    options = ", ".join(f"{a.platform}:{a.handle}" for a in matches)
    raise InvalidInput(f"{ref!r} matches several accounts: {options}", hint="Use platform:handle.")


def _check_spec(spec: AccountSpec) -> None:
    if spec.platform not in PLATFORMS:
        raise InvalidInput(f"platform {spec.platform!r} is not one of {', '.join(PLATFORMS)}")
    if spec.kind not in ACCOUNT_KINDS:
        raise InvalidInput(f"kind {spec.kind!r} is not one of {', '.join(ACCOUNT_KINDS)}")
    if not spec.handle.strip():
        raise InvalidInput("an account needs a handle")


def _add(session: Session, actor: Actor, spec: AccountSpec, archive: Archive) -> Account:
    _check_spec(spec)
    handle = spec.handle.lstrip("@")
    exists = session.scalars(
        select(Account).where(Account.platform == spec.platform, Account.handle == handle)
    ).first()
    if exists is not None:
        raise Conflict(
            f"{spec.platform}:{handle} is already registered (account {exists.id})",
            hint=f"See `archiver accounts show {spec.platform}:{handle}`.",
        )
    now = archive.clock()
    account = Account(
        platform=spec.platform,
        handle=handle,
        name=spec.name,
        url=spec.url,
        platform_account_id=spec.platform_account_id,
        department=spec.department,
        kind=spec.kind,
        status="active",
        approved_by=spec.approved_by,
        approved_on=date.fromisoformat(spec.approved_on) if spec.approved_on else None,
        administrators=list(spec.administrators),
        registered_at=now,
        registered_by=actor.login,
        termination_reason="",
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "account.registered",
        now=now,
        object_type="account",
        object_id=account.id,
        details={
            "platform": spec.platform,
            "handle": handle,
            "kind": spec.kind,
            "department": spec.department,
        },
    )
    return account


def add_account(archive: Archive, actor: Actor, spec: AccountSpec) -> AccountView:
    actor.require("accounts.manage")
    with archive.unit() as session:
        return _view(_add(session, actor, spec, archive))


def sync_accounts(archive: Archive, actor: Actor, specs: Iterable[AccountSpec]) -> list[str]:
    """Register every declared account not yet registered; returns ``platform:handle`` of each."""
    specs = list(specs)
    if not specs:
        return []
    actor.require("accounts.manage")
    added: list[str] = []
    with archive.unit() as session:
        for spec in specs:
            handle = spec.handle.lstrip("@")
            known = session.scalars(
                select(Account.id).where(
                    Account.platform == spec.platform, Account.handle == handle
                )
            ).first()
            if known is None:
                _add(session, actor, spec, archive)
                added.append(f"{spec.platform}:{handle}")
    return added


def list_accounts(archive: Archive, *, include_terminated: bool = True) -> list[AccountView]:
    with archive.db.read() as session:
        counts = dict(
            session.execute(select(Item.account_id, func.count()).group_by(Item.account_id)).all()
        )
        last = dict(
            session.execute(
                select(Capture.account_id, func.max(Capture.started_at)).group_by(
                    Capture.account_id
                )
            ).all()
        )
        query = select(Account).order_by(Account.platform, Account.handle)
        if not include_terminated:
            query = query.where(Account.status == "active")
        followers = latest_follower_counts(session)
        return [
            _view(
                a,
                counts.get(a.id, 0),
                last[a.id].isoformat() if last.get(a.id) else "",
                followers.get(a.id),
            )
            for a in session.scalars(query)
        ]


def show_account(archive: Archive, ref: str) -> AccountView:
    with archive.db.read() as session:
        account = find_account(session, ref)
        items = session.scalar(select(func.count()).where(Item.account_id == account.id)) or 0
        last = session.scalar(
            select(func.max(Capture.started_at)).where(Capture.account_id == account.id)
        )
        followers = latest_follower_counts(session, [account.id]).get(account.id)
        return _view(account, items, last.isoformat() if last else "", followers)


def terminate_account(
    archive: Archive, actor: Actor, ref: str, *, on: date, reason: str
) -> AccountView:
    """Mark an account terminated (e.g. a council member left office). Its records are kept
    under the retention schedule (Torrance ch. 15); nothing is deleted."""
    actor.require("accounts.manage")
    if not reason.strip():
        raise InvalidInput("a termination needs a reason (e.g. 'member left office 2026-12-01')")
    with archive.unit() as session:
        account = find_account(session, ref)
        if account.status == "terminated":
            raise Conflict(
                f"{account.platform}:{account.handle} was terminated on {account.terminated_on}"
            )
        account.status, account.terminated_on, account.termination_reason = "terminated", on, reason
        audit.record(
            session,
            actor,
            "account.terminated",
            now=archive.clock(),
            object_type="account",
            object_id=account.id,
            details={"terminated_on": on.isoformat(), "reason": reason},
        )
        return _view(account)
