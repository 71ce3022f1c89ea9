"""Finding the items and removals a command names."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.accounts import PLATFORMS
from archiver.db.models import Item
from archiver.errors import InvalidInput, NotFound
from archiver.removals.models import Removal
from archiver.removals.views import item_ref


def find_item(session: Session, ref: str) -> Item:
    """An item by archive id, ``platform:platform_id``, or platform id alone."""
    ref = ref.strip()
    if ref.isdigit() and (found := session.get(Item, int(ref))) is not None:
        return found
    platform, sep, platform_id = ref.partition(":")
    matches: Sequence[Item] = []
    if sep and platform in PLATFORMS:
        matches = session.scalars(
            select(Item).where(Item.platform == platform, Item.platform_id == platform_id).limit(5)
        ).all()
    if not matches:  # a platform id may itself contain ':' (at:// URIs, DIDs)
        matches = session.scalars(select(Item).where(Item.platform_id == ref).limit(5)).all()
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(
            f"no item {ref!r} in the archive",
            hint="Give the archive id or platform:platform_id (see `archiver search` or "
            "`archiver removals queue`). For content never captured, use "
            "`archiver removals attest`.",
        )
    options = ", ".join(f"{m.id} ({m.platform}:{m.platform_id})" for m in matches)
    raise InvalidInput(f"{ref!r} matches several items: {options}", hint="Use the archive id.")


def removal_of(session: Session, item: Item) -> Removal:
    removal = session.scalars(select(Removal).where(Removal.item_id == item.id)).first()
    if removal is None:
        raise NotFound(
            f"item {item.id} ({item_ref(item)}) has no removal record (it is {item.state})",
            hint=f"Record one with `archiver removals record {item.id} --ground CODE ...`.",
        )
    return removal
