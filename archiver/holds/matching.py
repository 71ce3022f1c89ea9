"""Holds against the database: which items each active hold covers, and the one guard every
destructive or content-changing path calls, ``assert_not_held``.

The search query of a hold uses the same language and matching as ``archiver search``
(``archiver.search.matcher``), evaluated against each item's stored fields, so an item is
covered the moment it is recorded, before the search index has it. Dates in the query are days
in the City's time zone, which the archive puts in ``session.info["timezone"]``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver import audit
from archiver.actors import SYSTEM
from archiver.config import DEFAULT_TIMEZONE
from archiver.db.models import Account, Item
from archiver.errors import Conflict
from archiver.holds.models import HoldItem, LegalHold
from archiver.holds.rules import HoldFacts, HoldScope, matched_by
from archiver.search.items import iter_item_documents, resolve_threads
from archiver.search.matcher import ItemTerms, item_terms, matching_ids
from archiver.search.query import parse_query


def query_hits(
    session: Session,
    query: str,
    candidates: Collection[int] | None,
    terms: Sequence[ItemTerms] | None = None,
) -> set[int]:
    """The items (of ``candidates``, or all) that ``archiver search`` would find for ``query``,
    read from the store: the index may not have them yet. ``terms``: the candidates already
    tokenized (``candidate_terms``), when several holds look at the same items."""
    parsed = parse_query(query)
    parsed = replace(parsed, filters=resolve_threads(session, parsed.filters))
    return matching_ids(parsed, terms if terms is not None else _terms(session, candidates))


def _terms(session: Session, item_ids: Collection[int] | None) -> Iterator[ItemTerms]:
    timezone = session.info.get("timezone", DEFAULT_TIMEZONE)
    return (item_terms(doc) for doc in iter_item_documents(session, item_ids, timezone))


def _shared_terms(
    session: Session, holds: Sequence[LegalHold], item_ids: Collection[int]
) -> list[ItemTerms] | None:
    """The items tokenized once for all the holds, if more than one has a query."""
    if sum(1 for hold in holds if hold.scope.get("query")) < 2:
        return None
    return list(_terms(session, item_ids))


def hold_facts(session: Session, item_ids: Collection[int] | None = None) -> list[HoldFacts]:
    query = select(Item, Account).join(Account, Item.account_id == Account.id)
    if item_ids is not None:
        query = query.where(Item.id.in_(list(item_ids)))
    timezone = session.info.get("timezone", DEFAULT_TIMEZONE)
    return [
        HoldFacts(
            id=item.id,
            account=f"{account.platform}:{account.handle}",
            administrators=tuple(account.administrators or ()),
            author_name=item.author_name,
            author_handle=item.author_handle,
            created_at=item.created_at,
            first_seen_at=item.first_seen_at,
            timezone=timezone,
        )
        for item, account in session.execute(query).all()
    ]


def scope_matches(
    session: Session,
    scope: HoldScope,
    item_ids: Collection[int] | None = None,
    terms: Sequence[ItemTerms] | None = None,
) -> dict[int, str]:
    """item id → how ``scope`` covers it, over ``item_ids`` (or every item)."""
    facts = hold_facts(session, item_ids)
    hits = query_hits(session, scope.query, item_ids, terms) if scope.query else set()
    found: dict[int, str] = {}
    for fact in facts:
        how = matched_by(scope, fact, hits)
        if how is not None:
            found[fact.id] = how
    return found


def active_holds(session: Session) -> list[LegalHold]:
    return list(
        session.scalars(
            select(LegalHold).where(LegalHold.status == "active").order_by(LegalHold.id)
        )
    )


def held_items(session: Session, item_ids: Iterable[int]) -> dict[int, list[str]]:
    """item id → codes of the active holds covering it: the items recorded under each hold, and
    any item its scope matches now (so an item captured later is covered even before
    ``apply_holds_to_new_items`` ran for it)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    holds = active_holds(session)
    if not holds:
        return {}
    covered: dict[int, set[str]] = {}
    rows = session.execute(
        select(HoldItem.item_id, LegalHold.code)
        .join(LegalHold, HoldItem.hold_id == LegalHold.id)
        .where(LegalHold.status == "active", HoldItem.item_id.in_(ids))
    ).all()
    for item_id, code in rows:
        covered.setdefault(item_id, set()).add(code)
    terms = _shared_terms(session, holds, ids)
    for hold in holds:
        for item_id in scope_matches(session, HoldScope.from_dict(hold.scope), ids, terms):
            covered.setdefault(item_id, set()).add(hold.code)
    return {i: sorted(codes) for i, codes in covered.items()}


def assert_not_held(session: Session, item_ids: Iterable[int], *, action: str = "change") -> None:
    """Raise Conflict if any of the items is under an active hold. Every path that destroys or
    changes content (disposition, re-ingest, redaction of originals) calls this first."""
    held = held_items(session, item_ids)
    if not held:
        return
    first = min(held)
    codes = sorted({c for cs in held.values() for c in cs})
    raise Conflict(
        f"cannot {action}: {len(held)} item(s) are under legal hold "
        f"(item {first}: {', '.join(held[first])})",
        hint=f"Holds {', '.join(codes)} cover them; see `archiver holds show {codes[0]}`. Only "
        "the city attorney can release a hold.",
    )


def apply_holds_to_new_items(
    session: Session, item_ids: Iterable[int], now: datetime
) -> dict[str, list[int]]:
    """Record newly captured items under every active hold whose scope covers them.

    Ingest calls this in the unit of work that records the items. Returns hold code → item ids
    added, and writes one audit event per hold that grew."""
    ids = sorted(set(item_ids))
    added: dict[str, list[int]] = {}
    if not ids:
        return added
    holds = active_holds(session)
    terms = _shared_terms(session, holds, ids)
    for hold in holds:
        matches = scope_matches(session, HoldScope.from_dict(hold.scope), ids, terms)
        known = set(
            session.scalars(
                select(HoldItem.item_id).where(
                    HoldItem.hold_id == hold.id, HoldItem.item_id.in_(list(matches))
                )
            )
        )
        fresh = sorted(set(matches) - known)
        for item_id in fresh:
            session.add(
                HoldItem(
                    hold_id=hold.id, item_id=item_id, matched_by=matches[item_id], added_at=now
                )
            )
        if fresh:
            added[hold.code] = fresh
            audit.record(
                session,
                SYSTEM,
                "hold.items_added",
                now=now,
                object_type="legal_hold",
                object_id=hold.code,
                details={"item_ids": fresh, "count": len(fresh)},
            )
    session.flush()
    return added
