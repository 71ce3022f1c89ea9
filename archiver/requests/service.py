"""Requests: open, list, show (the timeline), extend, close.

Every change writes a timeline entry on the request and an audit event in the same unit of work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.requests import deadlines
from archiver.requests.exemptions import load_catalog
from archiver.requests.models import (
    OUTCOMES,
    PublicRequest,
    RequestEvent,
    RequestExtension,
    RequestItem,
)


@dataclass(frozen=True)
class NewRequest:
    number: str
    law: str
    description: str
    received_on: date
    requester_name: str = ""
    requester_contact: str = ""
    litigation: bool = False


@dataclass(frozen=True)
class ExtensionNotice:
    ground: str
    notice_text: str
    signer_name: str
    signer_title: str
    new_due_on: date
    requester_agreed: bool = False


@dataclass(frozen=True)
class TimelineEntry:
    at: str
    actor: str
    kind: str
    summary: str


@dataclass(frozen=True)
class RequestView:
    number: str
    law: str
    requester: str
    contact: str
    anonymous: bool
    description: str
    litigation: bool
    received_on: str
    original_due_on: str
    due_on: str
    status: str
    days_left: int
    outcome: str
    items: int = 0
    pending: int = 0
    warning: str = ""
    extension: dict[str, Any] | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def local_date(archive: Archive, moment: datetime) -> date:
    """The City's calendar date at ``moment`` (deadlines are counted in the City's days)."""
    return moment.astimezone(ZoneInfo(archive.settings.timezone)).date()


def find_request(session: Session, number: str) -> PublicRequest:
    found = session.scalars(
        select(PublicRequest).where(PublicRequest.number == number.strip())
    ).first()
    if found is None:
        raise NotFound(
            f"no request {number!r}", hint="See `archiver requests list` for the open requests."
        )
    return found


def note(
    session: Session,
    request: PublicRequest,
    actor: Actor,
    now: datetime,
    kind: str,
    summary: str,
    details: dict[str, Any] | None = None,
) -> None:
    """A timeline entry and its audit event, in the caller's transaction."""
    payload = {"number": request.number, **(details or {})}
    session.add(
        RequestEvent(
            request_id=request.id,
            at=now,
            actor=actor.login,
            kind=kind,
            summary=summary,
            details=payload,
        )
    )
    audit.record(
        session,
        actor,
        f"request.{kind}",
        now=now,
        object_type="request",
        object_id=request.number,
        details=payload,
    )


def _view(
    session: Session, request: PublicRequest, today: date, *, timeline: bool = False
) -> RequestView:
    closed = request.status == "closed"
    counts = dict(
        session.execute(
            select(RequestItem.decision, func.count())
            .where(RequestItem.request_id == request.id)
            .group_by(RequestItem.decision)
        ).all()
    )
    extension = request.extensions[0] if request.extensions else None
    return RequestView(
        number=request.number,
        law=request.law,
        requester="(anonymous)" if request.anonymous else request.requester_name,
        contact=request.requester_contact,
        anonymous=request.anonymous,
        description=request.description,
        litigation=request.litigation,
        received_on=request.received_on.isoformat(),
        original_due_on=request.original_due_on.isoformat(),
        due_on=request.due_on.isoformat(),
        status=deadlines.status(request.due_on, today, closed=closed),
        days_left=(request.due_on - today).days,
        outcome=request.outcome,
        items=sum(counts.values()),
        pending=counts.get("pending", 0),
        warning="" if closed else deadlines.weekend_or_holiday_note(request.law, request.due_on),
        extension=None
        if extension is None
        else {
            "ground": extension.ground,
            "new_due_on": extension.new_due_on.isoformat(),
            "signer": f"{extension.signer_name}, {extension.signer_title}",
            "notice_text": extension.notice_text,
        },
        timeline=[
            TimelineEntry(e.at.isoformat(), e.actor, e.kind, e.summary) for e in request.events
        ]
        if timeline
        else [],
    )


def open_request(archive: Archive, actor: Actor, new: NewRequest) -> RequestView:
    actor.require("requests.manage")
    if new.law not in deadlines.LAWS:
        raise InvalidInput(f"law {new.law!r} is not one of {', '.join(deadlines.LAWS)}")
    if not new.number.strip() or not new.description.strip():
        raise InvalidInput("a request needs a number and a description of the records sought")
    now = archive.clock()
    today = local_date(archive, now)
    if new.received_on > today:
        raise InvalidInput(f"received date {new.received_on} is in the future (today {today})")
    due = deadlines.determination_due(new.law, new.received_on)
    with archive.unit() as session:
        exists = session.scalars(
            select(PublicRequest.id).where(PublicRequest.number == new.number.strip())
        ).first()
        if exists is not None:
            raise Conflict(
                f"request {new.number} already exists",
                hint=f"See `archiver requests show {new.number}`.",
            )
        request = PublicRequest(
            number=new.number.strip(),
            law=new.law,
            requester_name=new.requester_name.strip(),
            requester_contact=new.requester_contact.strip(),
            anonymous=not new.requester_name.strip(),
            description=new.description.strip(),
            litigation=new.litigation,
            received_on=new.received_on,
            original_due_on=due,
            due_on=due,
            status="open",
            entered_at=now,
            entered_by=actor.login,
            outcome="",
            outcome_note="",
        )
        session.add(request)
        session.flush()
        backdated = (
            f" (received {new.received_on}, entered {today})" if new.received_on < today else ""
        )
        note(
            session,
            request,
            actor,
            now,
            "opened",
            f"{new.law} request received{backdated}; determination due {due}",
            {"received_on": new.received_on.isoformat(), "due_on": due.isoformat()},
        )
        return _view(session, request, today)


def list_requests(archive: Archive, *, include_closed: bool = False) -> list[RequestView]:
    today = local_date(archive, archive.clock())
    with archive.db.read() as session:
        query = select(PublicRequest).order_by(PublicRequest.due_on, PublicRequest.number)
        if not include_closed:
            query = query.where(PublicRequest.status == "open")
        return [_view(session, r, today) for r in session.scalars(query)]


def show_request(archive: Archive, number: str) -> RequestView:
    today = local_date(archive, archive.clock())
    with archive.db.read() as session:
        return _view(session, find_request(session, number), today, timeline=True)


def require_open(request: PublicRequest) -> None:
    if request.status != "open":
        raise Conflict(
            f"request {request.number} is closed ({request.outcome})",
            hint="A closed request's record is final; open a new request for new records.",
        )


def extend_request(
    archive: Archive, actor: Actor, number: str, notice: ExtensionNotice
) -> RequestView:
    """Extend the determination deadline by written notice, within the statute's limits."""
    actor.require("requests.manage")
    if not notice.notice_text.strip():
        raise InvalidInput("an extension needs the text of the written notice to the requester")
    if not notice.signer_name.strip() or not notice.signer_title.strip():
        raise InvalidInput(
            "an extension notice needs its signer's name and title "
            "(the head of the agency or a designee, § 7922.535(b))"
        )
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        ground = load_catalog().ground(request.law, notice.ground)
        check = deadlines.check_extension(
            request.law,
            request.original_due_on,
            notice.new_due_on,
            extensions_so_far=len(request.extensions),
            requester_agreed=notice.requester_agreed,
        )
        if not check.allowed:
            raise Conflict(
                f"cannot extend {request.number} to {notice.new_due_on}: {check.reason}",
                hint=f"The latest lawful date is {check.latest}." if check.latest else None,
            )
        session.add(
            RequestExtension(
                request_id=request.id,
                ground=ground.code,
                notice_text=notice.notice_text.strip(),
                signer_name=notice.signer_name.strip(),
                signer_title=notice.signer_title.strip(),
                previous_due_on=request.due_on,
                new_due_on=notice.new_due_on,
                requester_agreed=notice.requester_agreed,
                extended_at=now,
                extended_by=actor.login,
            )
        )
        request.due_on = notice.new_due_on
        note(
            session,
            request,
            actor,
            now,
            "extended",
            f"extended to {notice.new_due_on} under {ground.citation}; notice signed by "
            f"{notice.signer_name}, {notice.signer_title}",
            {"ground": ground.code, "new_due_on": notice.new_due_on.isoformat()},
        )
        session.flush()
        session.refresh(request)
        return _view(session, request, local_date(archive, now))


def close_request(
    archive: Archive, actor: Actor, number: str, outcome: str, note_text: str = ""
) -> RequestView:
    actor.require("requests.manage")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        request.status, request.outcome, request.outcome_note = "closed", outcome, note_text
        request.closed_at = now
        today = local_date(archive, now)
        late = today > request.due_on
        note(
            session,
            request,
            actor,
            now,
            "closed",
            f"closed: {outcome}"
            + (f" ({note_text})" if note_text else "")
            + (f"; {(today - request.due_on).days} day(s) after the due date" if late else ""),
            {"outcome": outcome},
        )
        return _view(session, request, local_date(archive, now))
