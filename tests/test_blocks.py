"""Blocks: refused where the policy does not allow them, with the clause quoted; evidence must be
by the user and as many posts as the policy requires; unblocks are recorded, blocks kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from archiver.archive import Archive
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.removals.blocks import (
    BlockRequest,
    list_blocks,
    record_block,
    record_unblock,
    show_block,
)
from archiver.removals.catalog import load_catalog
from archiver.removals.record import RemovalRequest, record_removal
from tests.conftest import actor
from tests.removal_helpers import T0, make_account, make_item

NORWALK = load_catalog("norwalk")


def spammer(archive: Archive, count: int = 2) -> list[int]:
    account = make_account(archive)
    return [
        make_item(archive, account, f"s{n}", author_handle="spammer", text=f"BUY NOW {n}")
        for n in range(count)
    ]


def test_block_with_repeated_violations(any_archive: Archive) -> None:
    items = spammer(any_archive)
    for item in items:
        record_removal(
            any_archive,
            actor("social"),
            str(item),
            RemovalRequest(("commercial",), "ad", "deleted"),
            catalog=NORWALK,
        )
    request = BlockRequest(("spam",), tuple(map(str, items)), "posted the same ad twice")
    block = record_block(any_archive, actor("social"), "@spammer", request, catalog=NORWALK)
    assert block.user == "facebook:spammer" and block.account == "facebook:RanchoVerdeCity"
    assert block.evidence_ids == tuple(items) and block.active
    assert [(g.code, g.clause) for g in block.grounds] == [("spam", "Content Management ¶7")]
    assert block.blocking_clause == "Content Management ¶7" and block.min_violations == 2
    assert block.warnings == ()
    with pytest.raises(Conflict, match="already blocked"):
        record_block(any_archive, actor("social"), "spammer", request, catalog=NORWALK)
    lifted = record_unblock(
        any_archive, actor("social"), "facebook:spammer", reason="settlement 2026-04"
    )
    assert not lifted.active and lifted.unblock is not None
    assert lifted.unblock.reason == "settlement 2026-04"
    assert lifted.grounds == block.grounds  # the block itself is untouched
    again = record_block(any_archive, actor("social"), "spammer", request, catalog=NORWALK)
    assert [b.id for b in list_blocks(any_archive)] == [again.id, block.id]
    assert [b.id for b in list_blocks(any_archive, active_only=True)] == [again.id]
    assert show_block(any_archive, block.id).unblock is not None


def test_refusals_quote_the_clause(archive: Archive) -> None:
    items = spammer(archive)
    one = BlockRequest(("spam",), (str(items[0]),), "n")
    with pytest.raises(InvalidInput) as few:
        record_block(archive, actor("social"), "spammer", one, catalog=NORWALK)
    assert "Content Management ¶7 of City of Norwalk Social Media Policy requires repeated" in (
        few.value.message
    )
    assert "at least 2 posts" in few.value.message and "“The City may block" in few.value.message
    profane = BlockRequest(("profanity",), tuple(map(str, items)), "n")
    with pytest.raises(InvalidInput) as ground:
        record_block(archive, actor("social"), "spammer", profane, catalog=NORWALK)
    assert "'profanity' (Content Guidelines ¶9, item 3) does not permit blocking" in (
        ground.value.message
    )
    assert "but only to the extent" in ground.value.message
    assert "defamatory (Content Guidelines ¶9, item 10)" in (ground.value.hint or "")
    with pytest.raises(InvalidInput) as forbidden:
        record_block(
            archive,
            actor("social"),
            "spammer",
            BlockRequest(("abusive",), (), "n"),
            catalog=load_catalog("policy702"),
        )
    assert "does not permit blocking users" in forbidden.value.message
    assert "702.5.1: “City social media sites shall be designed" in forbidden.value.message
    twice = BlockRequest(("spam",), (str(items[0]), "facebook:s0"), "n")
    with pytest.raises(InvalidInput, match="counts once"):
        record_block(archive, actor("social"), "spammer", twice, catalog=NORWALK)
    with pytest.raises(PermissionDenied):
        record_block(
            archive,
            actor("clerk"),
            "spammer",
            BlockRequest(("spam",), (), "n"),
            catalog=NORWALK,
        )
    assert list_blocks(archive) == []


def test_evidence_must_be_by_the_user(archive: Archive) -> None:
    items = spammer(archive)
    neighbour = make_item(archive, make_account(archive), "n1", author_handle="neighbour")
    request = BlockRequest(("spam",), (str(items[0]), str(neighbour)), "n")
    with pytest.raises(InvalidInput) as caught:
        record_block(archive, actor("social"), "spammer", request, catalog=NORWALK)
    assert f"{neighbour} (facebook:n1, by neighbour)" in caught.value.message
    assert list_blocks(archive) == []


def test_unrecorded_evidence_is_flagged_and_accounts_must_be_clear(archive: Archive) -> None:
    items = spammer(archive, 1)
    x = make_account(archive, "x", "RanchoVerdeCA", "1500")
    elsewhere = make_item(archive, x, "x1", author_handle="spammer")
    carson = load_catalog("carson")  # any single violation suffices in Carson
    both = BlockRequest(("commercial",), (str(items[0]), str(elsewhere)), "n")
    with pytest.raises(InvalidInput, match="several of the City's accounts"):
        record_block(archive, actor("social"), "spammer", both, catalog=carson)
    block = record_block(
        archive,
        actor("social"),
        "spammer",
        BlockRequest(("commercial",), (str(elsewhere),), "n", blocked_at=T0 + timedelta(1)),
        catalog=carson,
    )
    assert block.account == "x:RanchoVerdeCA" and block.blocked_at == T0 + timedelta(1)
    assert "has no removal record citing a ground that permits blocking" in block.warnings[0]
    with pytest.raises(NotFound, match="not blocked"):
        record_unblock(archive, actor("social"), "someone", reason="r")
    with pytest.raises(InvalidInput, match="needs a reason"):
        record_unblock(archive, actor("social"), "spammer", reason="")
