"""Legal holds: create, list, show, release; custodian notices and acknowledgments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Item
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.holds.matching import scope_matches
from archiver.holds.models import HoldCustodian, HoldItem, HoldNotice, LegalHold
from archiver.holds.rules import HoldScope
from archiver.retention.models import Tombstone
from archiver.search.indexing import index_changed


@dataclass(frozen=True)
class HoldRequest:
    matter_name: str
    scope: HoldScope
    matter_number: str = ""
    issued_on: date | None = None  # default: today
    reason: str = ""
    ack_due_days: int = 7


@dataclass(frozen=True)
class CustodianView:
    name: str
    noticed_at: str
    last_notice_at: str
    acknowledged_at: str
    acknowledged_by: str
    overdue: bool


@dataclass(frozen=True)
class HoldView:
    code: str
    matter_name: str
    matter_number: str
    issued_by: str
    issued_on: str
    reason: str
    status: str
    scope: dict[str, object]
    items: int
    created_at: str
    released_at: str = ""
    released_by: str = ""
    release_reason: str = ""
    custodians: list[CustodianView] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class NoticeView:
    hold: str
    custodian: str
    kind: str
    sent_at: str
    text: str


def find_hold(session: Session, code: str) -> LegalHold:
    hold = session.scalars(select(LegalHold).where(LegalHold.code == code.strip())).first()
    if hold is None:
        raise NotFound(f"no legal hold {code!r}", hint="See `archiver holds list`.")
    return hold


def is_overdue(
    custodian: HoldCustodian, last_notice: datetime | None, due_days: int, now: datetime
) -> bool:
    """Pure: noticed, not acknowledged, and the last notice is older than the allowed days."""
    if custodian.acknowledged_at is not None or last_notice is None:
        return False
    return now - last_notice > timedelta(days=due_days)


def _view(session: Session, hold: LegalHold, now: datetime) -> HoldView:
    count = session.scalar(select(func.count()).where(HoldItem.hold_id == hold.id)) or 0
    custodians: list[CustodianView] = []
    for custodian in session.scalars(
        select(HoldCustodian).where(HoldCustodian.hold_id == hold.id).order_by(HoldCustodian.name)
    ):
        sent = [
            n.sent_at
            for n in session.scalars(
                select(HoldNotice)
                .where(HoldNotice.custodian_id == custodian.id, HoldNotice.kind != "release")
                .order_by(HoldNotice.sent_at)
            )
        ]
        custodians.append(
            CustodianView(
                name=custodian.name,
                noticed_at=sent[0].isoformat() if sent else "",
                last_notice_at=sent[-1].isoformat() if sent else "",
                acknowledged_at=(
                    custodian.acknowledged_at.isoformat() if custodian.acknowledged_at else ""
                ),
                acknowledged_by=custodian.acknowledged_by,
                overdue=hold.status == "active"
                and is_overdue(custodian, sent[-1] if sent else None, hold.ack_due_days, now),
            )
        )
    return HoldView(
        code=hold.code,
        matter_name=hold.matter_name,
        matter_number=hold.matter_number,
        issued_by=hold.issued_by_name or hold.issued_by,
        issued_on=hold.issued_on.isoformat(),
        reason=hold.reason,
        status=hold.status,
        scope=hold.scope,
        items=count,
        created_at=hold.created_at.isoformat(),
        released_at=hold.released_at.isoformat() if hold.released_at else "",
        released_by=hold.released_by,
        release_reason=hold.release_reason,
        custodians=custodians,
    )


def _next_code(session: Session, year: int) -> str:
    prefix = f"H-{year}-"
    codes = session.scalars(select(LegalHold.code).where(LegalHold.code.like(f"{prefix}%"))).all()
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_items(session: Session, item_ids: Sequence[int]) -> None:
    if not item_ids:
        return
    known = set(session.scalars(select(Item.id).where(Item.id.in_(list(item_ids)))))
    missing = sorted(set(item_ids) - known)
    if not missing:
        return
    destroyed = set(
        session.scalars(select(Tombstone.item_id).where(Tombstone.item_id.in_(missing)))
    )
    detail = ", ".join(f"{i} (destroyed)" if i in destroyed else str(i) for i in missing[:10])
    raise NotFound(f"no item {detail} in the archive", hint="Check the item ids.")


def create_hold(archive: Archive, actor: Actor, request: HoldRequest) -> HoldView:
    """Place a hold: every item its scope covers now is recorded under it at once; items
    captured later are added as they arrive (``apply_holds_to_new_items``)."""
    actor.require("holds.manage")
    request.scope.check()
    if not request.matter_name.strip():
        raise InvalidInput("a hold needs a matter name")
    now = archive.clock()
    with archive.unit() as session:
        _check_items(session, request.scope.item_ids)
        hold = LegalHold(
            code=_next_code(session, now.year),
            matter_name=request.matter_name.strip(),
            matter_number=request.matter_number,
            issued_by=actor.login,
            issued_by_name=", ".join(x for x in (actor.display, actor.title) if x),
            issued_on=request.issued_on or now.date(),
            reason=request.reason,
            scope=request.scope.as_dict(),
            ack_due_days=request.ack_due_days,
            status="active",
            created_at=now,
            release_reason="",
            released_by="",
        )
        session.add(hold)
        session.flush()
        matches = scope_matches(session, request.scope)
        for item_id, how in sorted(matches.items()):
            session.add(HoldItem(hold_id=hold.id, item_id=item_id, matched_by=how, added_at=now))
        for name in dict.fromkeys(c.strip() for c in request.scope.custodians if c.strip()):
            session.add(
                HoldCustodian(hold_id=hold.id, name=name, acknowledged_by="", acknowledgment="")
            )
        audit.record(
            session,
            actor,
            "hold.created",
            now=now,
            object_type="legal_hold",
            object_id=hold.code,
            details={
                "matter_name": hold.matter_name,
                "matter_number": hold.matter_number,
                "issued_on": hold.issued_on.isoformat(),
                "reason": hold.reason,
                "scope": hold.scope,
                "items": len(matches),
            },
        )
        session.flush()
        view = _view(session, hold, now)
    index_changed(archive, matches)  # their documents carry the hold flag
    return view


def list_holds(archive: Archive, *, include_released: bool = True) -> list[HoldView]:
    now = archive.clock()
    with archive.db.read() as session:
        query = select(LegalHold).order_by(LegalHold.id)
        if not include_released:
            query = query.where(LegalHold.status == "active")
        return [_view(session, h, now) for h in session.scalars(query)]


def show_hold(archive: Archive, code: str) -> HoldView:
    with archive.db.read() as session:
        return _view(session, find_hold(session, code), archive.clock())


def release_hold(archive: Archive, actor: Actor, code: str, *, reason: str) -> HoldView:
    """Release a hold, recording who, when and why. Its items stay frozen while any other active
    hold covers them; custodians get a release notice."""
    actor.require("holds.manage")
    if not reason.strip():
        raise InvalidInput("a release needs a reason (e.g. 'case dismissed with prejudice')")
    now = archive.clock()
    with archive.unit() as session:
        hold = find_hold(session, code)
        if hold.status != "active":
            raise Conflict(f"hold {hold.code} was released on {hold.released_at}")
        hold.status, hold.released_at = "released", now
        hold.released_by, hold.release_reason = actor.login, reason
        for custodian in session.scalars(
            select(HoldCustodian).where(HoldCustodian.hold_id == hold.id)
        ):
            session.add(
                HoldNotice(
                    hold_id=hold.id,
                    custodian_id=custodian.id,
                    kind="release",
                    sent_at=now,
                    sent_by=actor.login,
                    text=release_text(hold),
                )
            )
        audit.record(
            session,
            actor,
            "hold.released",
            now=now,
            object_type="legal_hold",
            object_id=hold.code,
            details={"reason": reason},
        )
        session.flush()
        view = _view(session, hold, now)
        released = list(
            session.scalars(select(HoldItem.item_id).where(HoldItem.hold_id == hold.id))
        )
    index_changed(archive, released)  # still held only if another hold covers them
    return view


def notice_text(hold: LegalHold, custodian: str, *, reminder: bool = False) -> str:
    head = "REMINDER — " if reminder else ""
    scope = HoldScope.from_dict(hold.scope)
    period = f"{scope.date_from or 'any date'} to {scope.date_to or 'today'}"
    return (
        f"{head}LEGAL HOLD NOTICE {hold.code}\n"
        f"To: {custodian}\nMatter: {hold.matter_name} {hold.matter_number}".rstrip()
        + f"\nIssued by: {hold.issued_by_name or hold.issued_by} on {hold.issued_on}\n"
        f"Reason: {hold.reason}\nPeriod: {period}\n"
        f"Accounts: {', '.join(scope.accounts) or 'those you administer'}\n"
        "Preserve every post, comment, message, removal record and export of these accounts in "
        "the period, including content created after this notice. Do not delete, edit or hide "
        "anything in scope, and do not judge relevance yourself. Tell the City Attorney's Office "
        "of anyone else with access. Acknowledge this notice in writing "
        f"within {hold.ack_due_days} days.\n"
    )


def release_text(hold: LegalHold) -> str:
    return (
        f"RELEASE OF LEGAL HOLD {hold.code} ({hold.matter_name}). You may return to normal "
        "retention for records held under this notice only; other holds you have received "
        "remain in force.\n"
    )


def send_notices(archive: Archive, actor: Actor, code: str) -> list[NoticeView]:
    """Record the hold notice to every custodian not yet noticed, and a reminder to every
    custodian whose acknowledgment is overdue. Returns the notices, with their text."""
    actor.require("holds.manage")
    now = archive.clock()
    sent: list[NoticeView] = []
    with archive.unit() as session:
        hold = find_hold(session, code)
        if hold.status != "active":
            raise Conflict(f"hold {hold.code} is released; nothing to notice")
        for custodian in session.scalars(
            select(HoldCustodian)
            .where(HoldCustodian.hold_id == hold.id)
            .order_by(HoldCustodian.name)
        ):
            last = session.scalar(
                select(func.max(HoldNotice.sent_at)).where(HoldNotice.custodian_id == custodian.id)
            )
            if last is None:
                kind = "notice"
            elif is_overdue(custodian, last, hold.ack_due_days, now):
                kind = "reminder"
            else:
                continue
            text = notice_text(hold, custodian.name, reminder=kind == "reminder")
            session.add(
                HoldNotice(
                    hold_id=hold.id,
                    custodian_id=custodian.id,
                    kind=kind,
                    sent_at=now,
                    sent_by=actor.login,
                    text=text,
                )
            )
            sent.append(NoticeView(hold.code, custodian.name, kind, now.isoformat(), text))
        if sent:
            audit.record(
                session,
                actor,
                "hold.notices_sent",
                now=now,
                object_type="legal_hold",
                object_id=hold.code,
                details={"notices": [[n.custodian, n.kind] for n in sent]},
            )
    return sent


def overdue_reminders(archive: Archive) -> list[tuple[str, CustodianView]]:
    """(hold code, custodian) for every overdue acknowledgment across active holds."""
    return [
        (view.code, c)
        for view in list_holds(archive, include_released=False)
        for c in view.custodians
        if c.overdue
    ]


def acknowledge(
    archive: Archive, actor: Actor, code: str, custodian: str, *, statement: str = ""
) -> HoldView:
    """Record a custodian's written acknowledgment: by the custodian, or by the city attorney's
    office on their behalf."""
    now = archive.clock()
    with archive.unit() as session:
        hold = find_hold(session, code)
        row = session.scalars(
            select(HoldCustodian).where(
                HoldCustodian.hold_id == hold.id,
                func.lower(HoldCustodian.name) == custodian.strip().lower(),
            )
        ).first()
        if row is None:
            raise NotFound(
                f"{custodian!r} is not a custodian of hold {hold.code}",
                hint=f"See `archiver holds show {hold.code}`.",
            )
        own = custodian.strip().casefold() in {actor.login.casefold(), actor.display.casefold()}
        if not own and not actor.may("holds.manage"):
            raise PermissionDenied(
                f"{actor.login} may not acknowledge for {row.name}",
                hint="A custodian acknowledges for themself; the city attorney may record it.",
            )
        if row.acknowledged_at is not None:
            raise Conflict(f"{row.name} acknowledged hold {hold.code} on {row.acknowledged_at}")
        row.acknowledged_at, row.acknowledged_by = now, actor.login
        row.acknowledgment = statement or "I have read the notice and will comply."
        audit.record(
            session,
            actor,
            "hold.acknowledged",
            now=now,
            object_type="legal_hold",
            object_id=hold.code,
            details={"custodian": row.name, "statement": row.acknowledgment},
        )
        session.flush()
        return _view(session, hold, now)
