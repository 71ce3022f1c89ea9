"""The review queue: items missing from their source wait, oldest first, until classified; a
classification never disappears, and a correction is a classification of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from archiver.archive import Archive
from archiver.db.models import AuditEvent
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.removals.catalog import load_catalog
from archiver.removals.history import show_removal
from archiver.removals.queue import (
    ClassifyRequest,
    classify_missing,
    item_history,
    review_queue,
)
from archiver.removals.record import RemovalRequest, record_removal
from tests.conftest import actor
from tests.removal_helpers import T0, item_state, make_account, make_item, set_missing

CARSON = load_catalog("carson")


def test_queue_lists_unclassified_missing_items_oldest_first(any_archive: Archive) -> None:
    account = make_account(any_archive)
    other = make_account(any_archive, "x", "RanchoVerdeCA", "1500")
    a = make_item(any_archive, account, "a")
    b = make_item(any_archive, other, "b")
    c = make_item(any_archive, account, "c")
    make_item(any_archive, account, "still-there")
    set_missing(any_archive, c, T0 + timedelta(days=1))
    set_missing(any_archive, a, T0 + timedelta(days=3))
    set_missing(any_archive, b, T0 + timedelta(days=2))
    assert [e.item_id for e in review_queue(any_archive)] == [c, b, a]
    assert [e.item_id for e in review_queue(any_archive, account="x:RanchoVerdeCA")] == [b]
    classify_missing(
        any_archive, actor("social"), str(b), ClassifyRequest("deleted_by_author", "author did")
    )
    assert [e.item_id for e in review_queue(any_archive)] == [c, a]
    assert item_state(any_archive, b) == "deleted_by_author"


def test_each_outcome(archive: Archive) -> None:
    account = make_account(archive)
    ids = [make_item(archive, account, f"i{n}") for n in range(4)]
    for item in ids:
        set_missing(archive, item, T0 + timedelta(hours=item))
    city = classify_missing(
        archive,
        actor("social"),
        str(ids[0]),
        ClassifyRequest("removed_by_city", "hid it on Friday", grounds=("obscene",)),
        catalog=CARSON,
    )
    assert city.item_state == "removed_by_city" and city.removal is not None
    assert city.removal.origin == "review"
    assert city.removal.removed_at == T0 + timedelta(hours=ids[0])  # when it went missing
    assert city.classification.removal_id == city.removal.id
    platform = classify_missing(
        archive, actor("social"), str(ids[1]), ClassifyRequest("removed_by_platform", "notice")
    )
    assert platform.item_state == "removed_by_platform" and platform.removal is None
    unknown = classify_missing(
        archive, actor("social"), str(ids[2]), ClassifyRequest("unknown", "no idea")
    )
    assert unknown.item_state == "missing_from_source"  # the archive claims no more than staff
    assert [e.item_id for e in review_queue(archive)] == [ids[3]]
    # recording a removal of a queued item classifies it
    record_removal(
        archive,
        actor("social"),
        str(ids[3]),
        RemovalRequest(("threats",), "threat", "deleted"),
        catalog=CARSON,
    )
    assert review_queue(archive) == []
    shown = show_removal(archive, str(ids[3]))
    assert [c.outcome for c in shown.classifications] == ["removed_by_city"]
    assert shown.removed_at == T0 + timedelta(hours=ids[3])  # not later than it went missing


def test_refusals(archive: Archive) -> None:
    account = make_account(archive)
    item = make_item(archive, account, "i")
    with pytest.raises(Conflict, match="not missing from its source"):
        classify_missing(archive, actor("social"), str(item), ClassifyRequest("unknown", "n"))
    set_missing(archive, item, T0)
    for request, message in (
        (ClassifyRequest("vanished", "n"), "not one of"),
        (ClassifyRequest("unknown", " "), "needs a note"),
        (ClassifyRequest("unknown", "n", grounds=("obscene",)), "grounds belong"),
        (ClassifyRequest("removed_by_city", "n"), "at least one ground"),
        (ClassifyRequest("removed_by_city", "n", grounds=("post_obscene", "x")), "'x' is not"),
    ):
        with pytest.raises(InvalidInput, match=message):
            classify_missing(archive, actor("social"), str(item), request, catalog=CARSON)
    with pytest.raises(PermissionDenied):
        classify_missing(archive, actor("clerk"), str(item), ClassifyRequest("unknown", "n"))
    assert [e.item_id for e in review_queue(archive)] == [item]  # still waiting
    done = ClassifyRequest("removed_by_city", "n", grounds=("obscene",))
    classify_missing(archive, actor("social"), str(item), done, catalog=CARSON)
    with pytest.raises(Conflict, match="amended, never withdrawn"):
        classify_missing(archive, actor("social"), str(item), ClassifyRequest("unknown", "n"))


def test_reclassification_keeps_the_first_and_a_new_absence_requeues(archive: Archive) -> None:
    item = make_item(archive, make_account(archive), "i")
    set_missing(archive, item, T0)
    classify_missing(archive, actor("social"), str(item), ClassifyRequest("unknown", "gone"))
    fixed = classify_missing(
        archive,
        actor("social"),
        str(item),
        ClassifyRequest("removed_by_city", "found the log", grounds=("obscene",)),
        catalog=CARSON,
    )
    assert fixed.removal is not None
    assert [c.outcome for c in fixed.removal.classifications] == ["unknown", "removed_by_city"]
    with archive.db.read() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "item")
        ).all()
    assert actions == ["removal.classified", "removal.reclassified"]
    # an item that came back and went missing again needs a fresh classification
    other = make_item(archive, make_account(archive), "j")
    set_missing(archive, other, T0)
    classify_missing(archive, actor("social"), str(other), ClassifyRequest("unknown", "gone"))
    assert review_queue(archive) == []
    set_missing(archive, other, T0 + timedelta(days=9))
    assert [e.item_id for e in review_queue(archive)] == [other]
    assert review_queue(archive)[0].earlier_classifications == 1


def test_history_of_an_item_the_city_did_not_remove(archive: Archive) -> None:
    item = make_item(archive, make_account(archive), "i")
    with pytest.raises(NotFound, match="no removal record or classification"):
        item_history(archive, str(item))
    set_missing(archive, item, T0)
    classify_missing(archive, actor("social"), str(item), ClassifyRequest("deleted_by_author", "x"))
    history = item_history(archive, str(item))
    assert history.removal is None and history.state == "deleted_by_author"
    assert [c.outcome for c in history.classifications] == ["deleted_by_author"]
