"""The responsive set and its review: items added by id or from saved searches (with their
threads), a decision per item (release, redact, withhold) and redaction spans, each with an
exemption and the reviewer's name and title (Gov. Code § 7922.540(b)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Account, Item, ItemVersion
from archiver.errors import Conflict, InvalidInput, NotFound
from archiver.removals.views import RemovalRecord
from archiver.requests import seams
from archiver.requests.exemptions import load_catalog
from archiver.requests.models import (
    PublicRequest,
    Redaction,
    RequestItem,
    RequestSearch,
)
from archiver.requests.service import find_request, note, require_open
from archiver.requests.suggest import find_personal_information

THIRD_PARTY_KINDS = ("comment", "reply")


@dataclass(frozen=True)
class RedactionView:
    id: int
    item_id: int
    version_id: int | None
    field: str
    start: int
    end: int
    kind: str
    status: str
    exemption: str
    reviewer: str
    excerpt: str = ""


@dataclass(frozen=True)
class ReviewRow:
    item_id: int
    kind: str
    platform: str
    account: str
    author: str
    created_at: str
    decision: str
    exemption: str
    reviewer: str
    added_via: str
    flags: list[str]
    text: str
    redactions: list[RedactionView] = field(default_factory=list)
    # why the City removed it (grounds with clauses, note, who, when), for staff eyes
    removal: dict[str, Any] | None = None
    missing_classifications: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AddResult:
    added: list[int]
    already: list[int]


def _reviewer(actor: Actor) -> tuple[str, str]:
    if not actor.name.strip() or not actor.title.strip():
        raise InvalidInput(
            f"{actor.login} has no name and title on record; a decision must name the person "
            "responsible and their title (Gov. Code § 7922.540(b))",
            hint="Set name and title for this user under [[users]] in the config.",
        )
    return actor.name, actor.title


def thread_ids(session: Session, item_ids: Iterable[int]) -> list[int]:
    """The items with their whole threads (root post, every comment and reply), in order."""
    ids = sorted(set(item_ids))
    if not ids:
        return []
    found = session.execute(select(Item.id, Item.root_id).where(Item.id.in_(ids))).all()
    missing = sorted(set(ids) - {row[0] for row in found})
    if missing:
        raise NotFound(
            f"no item with id {', '.join(map(str, missing[:10]))}",
            hint="Item ids are shown by `archiver search` and `archiver requests review`.",
        )
    roots = {root or item for item, root in found}
    members = set(ids) | roots
    for chunk in _chunks(sorted(roots)):
        members.update(
            session.scalars(
                select(Item.id).where(or_(Item.root_id.in_(chunk), Item.parent_id.in_(chunk)))
            )
        )
    return sorted(members)


def _chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _add(
    session: Session, request: PublicRequest, ids: list[int], via: str, now: datetime
) -> AddResult:
    present = set(
        session.scalars(select(RequestItem.item_id).where(RequestItem.request_id == request.id))
    )
    added = [i for i in thread_ids(session, ids) if i not in present]
    for item_id in added:
        session.add(
            RequestItem(
                request_id=request.id,
                item_id=item_id,
                added_via=via if item_id in ids else f"{via} (thread)",
                added_at=now,
                decision="pending",
            )
        )
    session.flush()
    return AddResult(added, sorted(set(ids) & present))


def add_items(archive: Archive, actor: Actor, number: str, item_ids: list[int]) -> AddResult:
    actor.require("requests.manage")
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        result = _add(session, request, item_ids, "by id", now)
        note(
            session,
            request,
            actor,
            now,
            "items_added",
            f"{len(result.added)} item(s) added by id (with their threads)",
            {"requested": item_ids, "added": len(result.added)},
        )
        return result


def add_saved_search(archive: Archive, actor: Actor, number: str, name: str) -> AddResult:
    """Run a saved search for the request, keep its result with the request (the record of a
    reasonable search) and add what it found, with threads, to the responsive set."""
    actor.require("requests.manage")
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        ids = seams.saved_search_item_ids(session, name)
        session.add(
            RequestSearch(
                request_id=request.id, name=name, item_ids=ids, run_at=now, run_by=actor.login
            )
        )
        result = _add(session, request, ids, f"search {name}", now)
        note(
            session,
            request,
            actor,
            now,
            "search_saved",
            f"saved search {name!r} found {len(ids)} item(s); {len(result.added)} added "
            "with their threads",
            {"search": name, "found": len(ids), "added": len(result.added)},
        )
        return result


def _request_item(session: Session, request: PublicRequest, item_id: int) -> RequestItem:
    row = session.scalars(
        select(RequestItem).where(
            RequestItem.request_id == request.id, RequestItem.item_id == item_id
        )
    ).first()
    if row is None:
        raise NotFound(
            f"item {item_id} is not in the responsive set of {request.number}",
            hint=f"Add it with `archiver requests add {request.number} --item {item_id}`.",
        )
    return row


def decide(
    archive: Archive,
    actor: Actor,
    number: str,
    item_ids: list[int],
    decision: str,
    *,
    exemption: str = "",
    basis: str = "",
) -> int:
    """Mark items release, redact or withhold. Withholding needs an exemption, and an exemption
    that calls for it (§ 7922.000 balancing) needs the written basis."""
    actor.require("requests.review")
    if decision not in ("release", "redact", "withhold"):
        raise InvalidInput(f"decision {decision!r} is not release, redact or withhold")
    name, title = _reviewer(actor)
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        code = ""
        if decision == "withhold":
            code = _checked_exemption(request.law, exemption, basis)
        elif exemption:
            raise InvalidInput(
                f"an exemption goes with a withholding or with each redaction, not with {decision}",
                hint="Give redactions their exemption with `archiver requests redact`.",
            )
        for item_id in item_ids:
            row = _request_item(session, request, item_id)
            row.decision, row.exemption, row.basis = decision, code, basis.strip()
            row.reviewer_login, row.reviewer_name, row.reviewer_title = actor.login, name, title
            row.decided_at = now
        note(
            session,
            request,
            actor,
            now,
            "decided",
            f"{len(item_ids)} item(s) marked {decision}"
            + (f" under {code}" if code else "")
            + f" by {name}, {title}",
            {"items": item_ids, "decision": decision, "exemption": code},
        )
        return len(item_ids)


def _checked_exemption(law: str, code: str, basis: str) -> str:
    if not code.strip():
        raise InvalidInput(
            "a withholding or redaction must cite an exemption",
            hint="See `archiver requests exemptions` for the catalog.",
        )
    entry = load_catalog().exemption(law, code)
    if entry.needs_note and not basis.strip():
        raise InvalidInput(
            f"{entry.citation} needs a written basis ({entry.title.lower()})",
            hint="Explain with --basis why the public interest in withholding clearly "
            "outweighs the public interest in disclosure.",
        )
    return entry.code


def redact_span(
    archive: Archive,
    actor: Actor,
    number: str,
    item_id: int,
    *,
    start: int,
    end: int,
    exemption: str,
    basis: str = "",
    version_no: int | None = None,
    field_name: str = "text",
) -> RedactionView:
    """A reviewer's redaction: a span of a version's text (or the whole author field)."""
    actor.require("requests.review")
    name, title = _reviewer(actor)
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        _request_item(session, request, item_id)
        code = _checked_exemption(request.law, exemption, basis)
        version = _version(session, item_id, version_no) if field_name == "text" else None
        if field_name == "text":
            assert version is not None
            if not 0 <= start < end <= len(version.text):
                raise InvalidInput(
                    f"span {start}–{end} is outside version {version.version_no} of item "
                    f"{item_id} (its text has {len(version.text)} characters)"
                )
        elif field_name != "author":
            raise InvalidInput(f"field {field_name!r} is not text or author")
        row = Redaction(
            request_id=request.id,
            item_id=item_id,
            version_id=version.id if version else None,
            field=field_name,
            start=start if version else 0,
            end=end if version else 0,
            kind="manual",
            status="accepted",
            exemption=code,
            basis=basis.strip(),
            reviewer_login=actor.login,
            reviewer_name=name,
            reviewer_title=title,
            decided_at=now,
        )
        session.add(row)
        session.flush()
        note(
            session,
            request,
            actor,
            now,
            "redacted",
            f"item {item_id}: {field_name} redacted under {code} by {name}, {title}",
            {"item": item_id, "redaction": row.id, "exemption": code},
        )
        return _redaction_view(row, version)


def _version(session: Session, item_id: int, version_no: int | None) -> ItemVersion:
    query = select(ItemVersion).where(ItemVersion.item_id == item_id)
    if version_no is not None:
        query = query.where(ItemVersion.version_no == version_no)
    version = session.scalars(query.order_by(ItemVersion.version_no.desc())).first()
    if version is None:
        raise NotFound(f"item {item_id} has no version {version_no or ''}".strip())
    return version


def suggest_redactions(archive: Archive, actor: Actor, number: str) -> list[RedactionView]:
    """Suggest redactions of personal information in third-party comments and replies of the
    responsive set. Suggestions redact nothing until the reviewer accepts them."""
    actor.require("requests.review")
    now = archive.clock()
    made: list[RedactionView] = []
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        known = {
            (r.version_id, r.start, r.end)
            for r in session.scalars(select(Redaction).where(Redaction.request_id == request.id))
        }
        rows = session.execute(
            select(ItemVersion, Item.author_platform_id, Account.platform_account_id)
            .join(Item, Item.id == ItemVersion.item_id)
            .join(Account, Account.id == Item.account_id)
            .join(RequestItem, RequestItem.item_id == Item.id)
            .where(RequestItem.request_id == request.id, Item.kind.in_(THIRD_PARTY_KINDS))
            .order_by(ItemVersion.item_id, ItemVersion.version_no)
        ).all()
        for version, author_id, account_id in rows:
            if author_id and author_id == account_id:
                continue  # the City's own reply
            for found in find_personal_information(version.text):
                if (version.id, found.start, found.end) in known:
                    continue
                row = Redaction(
                    request_id=request.id,
                    item_id=version.item_id,
                    version_id=version.id,
                    field="text",
                    start=found.start,
                    end=found.end,
                    kind=found.kind,
                    status="suggested",
                    exemption="",
                    basis="",
                )
                session.add(row)
                session.flush()
                made.append(_redaction_view(row, version))
        note(
            session,
            request,
            actor,
            now,
            "suggested",
            f"{len(made)} redaction(s) of personal information suggested for review",
            {"suggested": len(made)},
        )
    return made


def decide_suggestion(
    archive: Archive,
    actor: Actor,
    number: str,
    redaction_id: int,
    *,
    accept: bool,
    exemption: str = "",
    basis: str = "",
) -> RedactionView:
    actor.require("requests.review")
    name, title = _reviewer(actor)
    now = archive.clock()
    with archive.unit() as session:
        request = find_request(session, number)
        require_open(request)
        row = session.get(Redaction, redaction_id)
        if row is None or row.request_id != request.id:
            raise NotFound(f"no redaction {redaction_id} on request {request.number}")
        if row.status != "suggested":
            raise Conflict(f"redaction {redaction_id} was already {row.status}")
        if accept:
            row.exemption = _checked_exemption(request.law, exemption, basis)
        row.status = "accepted" if accept else "rejected"
        row.basis = basis.strip()
        row.reviewer_login, row.reviewer_name, row.reviewer_title = actor.login, name, title
        row.decided_at = now
        note(
            session,
            request,
            actor,
            now,
            "suggestion_" + row.status,
            f"suggested {row.kind} redaction {row.id} on item {row.item_id} {row.status}"
            + (f" under {row.exemption}" if accept else "")
            + f" by {name}, {title}",
            {"redaction": row.id, "status": row.status, "exemption": row.exemption},
        )
        version = session.get(ItemVersion, row.version_id) if row.version_id else None
        return _redaction_view(row, version)


def _redaction_view(row: Redaction, version: ItemVersion | None) -> RedactionView:
    excerpt = version.text[row.start : row.end] if version is not None else ""
    return RedactionView(
        id=row.id,
        item_id=row.item_id,
        version_id=row.version_id,
        field=row.field,
        start=row.start,
        end=row.end,
        kind=row.kind,
        status=row.status,
        exemption=row.exemption,
        reviewer=f"{row.reviewer_name}, {row.reviewer_title}" if row.reviewer_name else "",
        excerpt=excerpt,
    )


def review_rows(archive: Archive, number: str) -> list[ReviewRow]:
    """The responsive set as the reviewer sees it, with hold and removal flags (for staff eyes:
    excerpts of suggested redactions are shown)."""
    with archive.db.read() as session:
        request = find_request(session, number)
        rows = session.execute(
            select(RequestItem, Item, Account)
            .join(Item, Item.id == RequestItem.item_id)
            .join(Account, Account.id == Item.account_id)
            .where(RequestItem.request_id == request.id)
            .order_by(
                func.coalesce(Item.root_id, Item.id),
                Item.root_id.is_not(None),
                Item.created_at,
                Item.id,
            )
        ).all()
        ids = [item.id for _, item, _ in rows]
        held = seams.is_held(session, ids)
        redactions: dict[int, list[RedactionView]] = {}
        for red, version in session.execute(
            select(Redaction, ItemVersion)
            .outerjoin(ItemVersion, ItemVersion.id == Redaction.version_id)
            .where(Redaction.request_id == request.id)
            .order_by(Redaction.id)
        ).all():
            redactions.setdefault(red.item_id, []).append(_redaction_view(red, version))
        removals = seams.removal_records(session, ids)
        classified = seams.missing_classifications(session, ids)
        out = []
        for ri, item, account in rows:
            flags = []
            if item.id in held:
                flags.append("legal_hold")
            if seams.removed_by_city(item):
                flags.append("removed_by_city")
            out.append(
                ReviewRow(
                    item_id=item.id,
                    kind=item.kind,
                    platform=item.platform,
                    account=f"{account.platform}:{account.handle}",
                    author=item.author_name or item.author_handle,
                    created_at=item.created_at.isoformat() if item.created_at else "",
                    decision=ri.decision,
                    exemption=ri.exemption,
                    reviewer=f"{ri.reviewer_name}, {ri.reviewer_title}" if ri.reviewer_name else "",
                    added_via=ri.added_via,
                    flags=flags,
                    text=item.text,
                    redactions=redactions.get(item.id, []),
                    removal=_removal_summary(removals.get(item.id)),
                    missing_classifications=[
                        f"{c.outcome}: {c.note}" for c in classified.get(item.id, [])
                    ],
                )
            )
        return out


def _removal_summary(record: RemovalRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "removed_at": record.removed_at.isoformat(),
        "removed_by": record.recorded_by,
        "platform_action": record.platform_action,
        "policy": record.catalog_id,
        "grounds": [{"code": g.code, "clause": g.clause, "title": g.title} for g in record.grounds],
        "note": record.note,
        "amendments": len(record.revisions) - 1,
    }
