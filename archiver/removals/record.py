"""Recording removals and their corrections; reading them back with their whole history.

A removal is never erased or changed: its first revision states the grounds, note and platform
action; an amendment adds the next revision, with its reason, and its own audit event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import Actor
from archiver.archive import Archive
from archiver.db.models import Account, Item
from archiver.errors import Conflict, InvalidInput
from archiver.governance import govern_recorded_items
from archiver.removals import rules
from archiver.removals.catalog import Ground, PolicyCatalog, city_catalog
from archiver.removals.history import record_of
from archiver.removals.lookup import find_item, removal_of
from archiver.removals.models import (
    PLATFORM_ACTIONS,
    Classification,
    Removal,
    RemovalRevision,
)
from archiver.removals.views import GroundRef, RemovalRecord, item_ref
from archiver.search.indexing import index_changed

# States from which staff may record that the City removed an item.
REMOVABLE_STATES = ("active", "edited", "hidden", "missing_from_source")


@dataclass(frozen=True)
class RemovalRequest:
    grounds: tuple[str, ...]
    note: str
    action: str  # hidden | deleted
    removed_at: datetime | None = None  # when it came down on the platform; default: now


@dataclass(frozen=True)
class Amendment:
    reason: str
    add_grounds: tuple[str, ...] = ()
    drop_grounds: tuple[str, ...] = ()
    note: str | None = None
    action: str | None = None


@dataclass
class _Created:
    removal: Removal
    warnings: list[str] = field(default_factory=list)


def check_action(action: str) -> str:
    if action not in PLATFORM_ACTIONS:
        raise InvalidInput(
            f"platform action {action!r} is not one of {', '.join(PLATFORM_ACTIONS)}",
            hint="Say what was done on the platform: hidden (still there, not public) or deleted.",
        )
    return action


def _note(text: str, what: str = "a removal") -> str:
    if not text.strip():
        raise InvalidInput(
            f"{what} needs a note (--note): what the content said or did that breaks the clause",
        )
    return text.strip()


def posted_by_city(item: Item, account: Account) -> bool:
    """Whether the item was posted by the City's own account (else by a member of the public)."""
    if account.platform_account_id and item.author_platform_id == account.platform_account_id:
        return True
    handle = item.author_handle.lstrip("@").lower()
    if handle and handle == account.handle.lower():
        return True
    return item.kind in ("post", "video", "blog_entry", "web_page") and not (
        item.author_handle or item.author_platform_id
    )


def _content_snapshot(item: Item) -> list[dict[str, object]]:
    return [
        {
            "version_no": v.version_no,
            "content_hash": v.content_hash,
            "first_observed_at": v.first_observed_at.isoformat(),
            "warc_record_id": v.warc_record.record_id if v.warc_record else "",
        }
        for v in item.versions
    ]


def create_removal(
    session: Session,
    actor: Actor,
    catalog: PolicyCatalog,
    item: Item,
    request: RemovalRequest,
    *,
    origin: str,
    now: datetime,
    attestation_capture_id: int | None = None,
    details: Mapping[str, object] | None = None,
) -> _Created:
    """Add a removal (revision 1 and its audit event) in the caller's transaction and set the
    item's state. Grounds are checked against the catalog before anything is written."""
    grounds = rules.removal_grounds(catalog, request.grounds)
    action, note = check_action(request.action), _note(request.note)
    existing = session.scalars(select(Removal).where(Removal.item_id == item.id)).first()
    if existing is not None:
        raise Conflict(
            f"item {item.id} ({item_ref(item)}) already has removal {existing.id}",
            hint=f"Correct it with `archiver removals amend {item.id} --reason ...`; see "
            f"`archiver removals show {item.id}`.",
        )
    removal = Removal(
        item_id=item.id,
        item_platform=item.platform,
        item_platform_id=item.platform_id,
        item_kind=item.kind,
        account_id=item.account_id,
        origin=origin,
        removed_at=request.removed_at or now,
        recorded_at=now,
        recorded_by=actor.login,
        catalog_id=catalog.id,
        policy_source=catalog.source,
        poster_name=item.author_name,
        poster_handle=item.author_handle,
        poster_platform_id=item.author_platform_id,
        posted_at=item.created_at,
        permalink=item.permalink,
        content=_content_snapshot(item),
        attestation_capture_id=attestation_capture_id,
    )
    session.add(removal)
    session.flush()
    refs = [GroundRef.of(g, catalog) for g in grounds]
    event = audit.record(
        session,
        actor,
        "removal.recorded",
        now=now,
        object_type="removal",
        object_id=removal.id,
        details={
            "item_id": item.id,
            "item": item_ref(item),
            "origin": origin,
            "revision_no": 1,
            "grounds": [f"{g.code} ({g.clause})" for g in grounds],
            "catalog": catalog.id,
            "note": note,
            "platform_action": action,
            "removed_at": removal.removed_at.isoformat(),
            "previous_state": item.state,
            **(details or {}),
        },
    )
    session.add(
        RemovalRevision(
            removal_id=removal.id,
            revision_no=1,
            recorded_at=now,
            recorded_by=actor.login,
            grounds=[r.as_json() for r in refs],
            note=note,
            platform_action=action,
            change_reason="",
            audit_seq=event.seq,
        )
    )
    item.state, item.state_changed_at = "removed_by_city", now
    session.flush()
    govern_recorded_items(session, [item.id], now)  # the removed-content retention series
    session.refresh(removal)
    return _Created(removal, _warnings(catalog, item, grounds))


def _warnings(catalog: PolicyCatalog, item: Item, grounds: Sequence[Ground]) -> list[str]:
    kept = rules.Kept(
        content=bool(item.versions or item.text),
        posted_at=item.created_at is not None,
        poster_identity=bool(item.author_name or item.author_platform_id),
        poster_username=bool(item.author_handle),
        reason=bool(grounds),
    )
    warnings = rules.retention_gaps(catalog, kept)
    return warnings + rules.scope_warnings(grounds, by_city=posted_by_city(item, item.account))


def record_removal(
    archive: Archive,
    actor: Actor,
    item: str,
    request: RemovalRequest,
    *,
    catalog: PolicyCatalog | None = None,
) -> RemovalRecord:
    """Record that the City took an item down, under which grounds, and what was done on the
    platform. An item waiting in the review queue is classified as removed by the City."""
    actor.require("removals.record")
    catalog = catalog or city_catalog(archive.settings)
    with archive.unit() as session:
        row = find_item(session, item)
        if row.state not in (*REMOVABLE_STATES, "removed_by_city"):  # the latter: see below
            raise Conflict(
                f"item {row.id} ({item_ref(row)}) is {row.state}; a removal is recorded for "
                f"content in the states {', '.join(REMOVABLE_STATES)}",
                hint=f"See `archiver removals show {row.id}`; a missing item that was classified "
                "otherwise is reclassified with `archiver removals classify`.",
            )
        previous, missing_since = row.state, row.missing_since
        if previous == "missing_from_source" and request.removed_at is None:
            request = replace(request, removed_at=missing_since)  # it came down before that
        now = archive.clock()
        created = create_removal(session, actor, catalog, row, request, origin="recorded", now=now)
        if previous == "missing_from_source":
            add_classification(
                session,
                actor,
                row,
                outcome="removed_by_city",
                note=request.note,
                previous_state=previous,
                missing_since=missing_since,
                removal_id=created.removal.id,
                now=now,
            )
        result = record_of(session, created.removal, tuple(created.warnings))
    index_changed(archive, [row.id])  # its state is now removed_by_city
    return result


def add_classification(
    session: Session,
    actor: Actor,
    item: Item,
    *,
    outcome: str,
    note: str,
    previous_state: str,
    missing_since: datetime | None,
    removal_id: int | None,
    now: datetime,
) -> Classification:
    earlier = session.scalars(
        select(Classification.id).where(Classification.item_id == item.id)
    ).first()
    event = audit.record(
        session,
        actor,
        "removal.reclassified" if earlier is not None else "removal.classified",
        now=now,
        object_type="item",
        object_id=item.id,
        details={
            "item": item_ref(item),
            "outcome": outcome,
            "note": note,
            "previous_state": previous_state,
            "missing_since": missing_since.isoformat() if missing_since else None,
            "removal_id": removal_id,
        },
    )
    row = Classification(
        item_id=item.id,
        item_ref=item_ref(item),
        missing_since=missing_since,
        classified_at=now,
        classified_by=actor.login,
        outcome=outcome,
        note=note.strip(),
        previous_state=previous_state,
        removal_id=removal_id,
        audit_seq=event.seq,
    )
    session.add(row)
    session.flush()
    return row


def _amended_grounds(
    catalog: PolicyCatalog, removal: Removal, current: RemovalRevision, amendment: Amendment
) -> list[GroundRef]:
    """The grounds after an amendment: the current ones (as snapshotted), less the dropped, plus
    the added (checked against today's catalog)."""
    grounds = [GroundRef.from_json(g) for g in current.grounds]
    codes = [g.code for g in grounds]
    unknown = [c for c in amendment.drop_grounds if c not in codes]
    if unknown:
        raise InvalidInput(
            f"removal {removal.id} does not cite {', '.join(unknown)}; it cites {', '.join(codes)}"
        )
    added = rules.removal_grounds(catalog, amendment.add_grounds) if amendment.add_grounds else []
    kept = [g for g in grounds if g.code not in amendment.drop_grounds]
    new = kept + [GroundRef.of(g, catalog) for g in added if g.code not in codes]
    if not new:
        raise InvalidInput(
            "a removal keeps at least one ground",
            hint="Add the right ground with --add-ground in the same amendment.",
        )
    return new


def amend_removal(
    archive: Archive,
    actor: Actor,
    item: str,
    amendment: Amendment,
    *,
    catalog: PolicyCatalog | None = None,
) -> RemovalRecord:
    """Add a revision to an item's removal (a ground added after legal review, a corrected
    note). Earlier revisions stay as they were."""
    actor.require("removals.amend")
    reason = amendment.reason.strip()
    if not reason:
        raise InvalidInput("an amendment needs a reason (--reason): why the record changes")
    catalog = catalog or city_catalog(archive.settings)
    with archive.unit() as session:
        removal = removal_of(session, find_item(session, item))
        current = removal.revisions[-1]
        grounds = _amended_grounds(catalog, removal, current, amendment)
        note = _note(amendment.note) if amendment.note is not None else current.note
        action = check_action(amendment.action) if amendment.action else current.platform_action
        revision = RemovalRevision(
            removal_id=removal.id,
            revision_no=current.revision_no + 1,
            recorded_at=archive.clock(),
            recorded_by=actor.login,
            grounds=[g.as_json() for g in grounds],
            note=note,
            platform_action=action,
            change_reason=reason,
        )
        if (revision.grounds, note, action) == (
            current.grounds,
            current.note,
            current.platform_action,
        ):
            raise InvalidInput(
                "the amendment changes nothing",
                hint="Give --add-ground, --drop-ground, --note or --action.",
            )
        event = audit.record(
            session,
            actor,
            "removal.amended",
            now=revision.recorded_at,
            object_type="removal",
            object_id=removal.id,
            details={
                "item_id": removal.item_id,
                "revision_no": revision.revision_no,
                "reason": reason,
                "grounds": [f"{g.code} ({g.clause})" for g in grounds],
                "added": list(amendment.add_grounds),
                "dropped": list(amendment.drop_grounds),
                "note": note,
                "platform_action": action,
            },
        )
        revision.audit_seq = event.seq
        session.add(revision)
        session.flush()
        session.refresh(removal)
        return record_of(session, removal)
