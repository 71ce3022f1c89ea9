"""Recording removals and amending them: roles, refusals that quote the clause, the snapshot of
content and poster, amendments kept as new revisions with their own audit events."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from archiver import audit
from archiver.archive import Archive
from archiver.db.models import AuditEvent
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.removals.catalog import load_catalog
from archiver.removals.history import list_removals, removal_records_for, show_removal
from archiver.removals.models import Removal, RemovalRevision
from archiver.removals.record import (
    Amendment,
    RemovalRequest,
    amend_removal,
    record_removal,
)
from tests.conftest import actor
from tests.removal_helpers import T0, item_state, make_account, make_item

CARSON = load_catalog("carson")
NORWALK = load_catalog("norwalk")
DEFAME = RemovalRequest(("defamatory",), "Accuses a named employee of theft", "deleted")


def test_record_removal_keeps_who_when_why_and_all_versions(any_archive: Archive) -> None:
    account = make_account(any_archive)
    item = make_item(any_archive, account, "c1", text="edited slur", versions=("first slur",))
    record = record_removal(any_archive, actor("social"), str(item), DEFAME, catalog=CARSON)
    assert item_state(any_archive, item) == "removed_by_city"
    assert record.recorded_by == "social" and record.platform_action == "deleted"
    assert [(g.code, g.clause) for g in record.grounds] == [("defamatory", "V.14")]
    assert record.grounds[0].text.startswith("Content that is libelous, defamatory")
    assert (record.poster_handle, record.poster_name) == ("resident1", "Pat Resident")
    assert record.posted_at == T0 and record.text == "edited slur"
    assert [c["version_no"] for c in record.content] == [1, 2]
    assert all(c["warc_record_id"].startswith("<urn:uuid:") for c in record.content)
    assert record.warnings == ()
    with any_archive.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "removal.recorded")
        ).one()
        assert json.loads(event.details)["grounds"] == ["defamatory (V.14)"]
        assert audit.verify(session).ok


def test_roles(archive: Archive) -> None:
    item = make_item(archive, make_account(archive), "c1")
    for login in ("clerk", "records", "auditor", "admin"):
        with pytest.raises(PermissionDenied, match="social_media_staff"):
            record_removal(archive, actor(login), str(item), DEFAME, catalog=CARSON)
    record_removal(archive, actor("social"), str(item), DEFAME, catalog=CARSON)
    fix = Amendment(reason="legal review", add_grounds=("threats",))
    with pytest.raises(PermissionDenied):
        amend_removal(archive, actor("clerk"), str(item), fix, catalog=CARSON)
    assert amend_removal(archive, actor("attorney"), str(item), fix, catalog=CARSON).amended


def test_refuses_unknown_ground_and_block_only_ground_quoting_the_clause(
    archive: Archive,
) -> None:
    item = make_item(archive, make_account(archive), "c1")
    with pytest.raises(InvalidInput) as unknown:
        record_removal(
            archive,
            actor("social"),
            str(item),
            RemovalRequest(("rude",), "n", "hidden"),
            catalog=NORWALK,
        )
    assert "'rude' is not in the norwalk catalog" in unknown.value.message
    assert "defamatory (Content Guidelines ¶9, item 10)" in (unknown.value.hint or "")
    assert "spam (" not in (unknown.value.hint or "")  # not offered: it permits no removal
    with pytest.raises(InvalidInput) as spam:
        record_removal(
            archive,
            actor("social"),
            str(item),
            RemovalRequest(("spam",), "n", "hidden"),
            catalog=NORWALK,
        )
    assert "Content Management ¶7 of City of Norwalk Social Media Policy" in spam.value.message
    assert "“…such users' comments are determined" in spam.value.message
    assert "off-topic" in (spam.value.hint or "")
    with pytest.raises(InvalidInput, match="platform action 'erased'"):
        record_removal(
            archive,
            actor("social"),
            str(item),
            RemovalRequest(("obscene",), "n", "erased"),
            catalog=NORWALK,
        )
    with pytest.raises(InvalidInput, match="needs a note"):
        record_removal(
            archive,
            actor("social"),
            str(item),
            RemovalRequest(("obscene",), " ", "hidden"),
            catalog=NORWALK,
        )
    assert item_state(archive, item) == "active"
    with archive.db.read() as session:
        assert session.scalars(select(Removal)).all() == []


def test_one_removal_per_item_and_unknown_items(archive: Archive) -> None:
    item = make_item(archive, make_account(archive), "c1")
    record_removal(archive, actor("social"), "facebook:c1", DEFAME, catalog=CARSON)
    with pytest.raises(Conflict, match="already has removal"):
        record_removal(archive, actor("social"), str(item), DEFAME, catalog=CARSON)
    with pytest.raises(NotFound, match="removals attest"):
        record_removal(archive, actor("social"), "facebook:nope", DEFAME, catalog=CARSON)


def test_warnings_for_scope_and_retention(archive: Archive) -> None:
    account = make_account(archive)
    city_post = make_item(
        archive, account, "p1", kind="post", author_handle="RanchoVerdeCity", author_name=""
    )
    record = record_removal(archive, actor("social"), str(city_post), DEFAME, catalog=CARSON)
    assert any("governs comments by the public" in w for w in record.warnings)
    anonymous = make_item(
        archive, account, "c2", author_handle="", author_name="", author_platform_id="x"
    )
    with archive.unit() as session:  # an export that gave no author at all
        from archiver.db.models import Item

        row = session.get_one(Item, anonymous)
        row.author_platform_id = ""
    gaps = record_removal(archive, actor("social"), str(anonymous), DEFAME, catalog=CARSON)
    # Carson asks for the poster's identity only "when available": no warning for it
    assert not any("IV.C.11" in w for w in gaps.warnings)
    claremont = load_catalog("claremont")
    other = make_item(archive, account, "c3", author_handle="")
    kept = record_removal(
        archive,
        actor("social"),
        str(other),
        RemovalRequest(("profanity",), "n", "hidden"),
        catalog=claremont,
    )
    assert not kept.warnings  # Claremont's user name is best effort too


def test_amendments_are_new_revisions_never_overwrites(any_archive: Archive) -> None:
    item = make_item(any_archive, make_account(any_archive), "c1")
    record_removal(any_archive, actor("social"), str(item), DEFAME, catalog=CARSON)
    amend_removal(
        any_archive,
        actor("attorney"),
        str(item),
        Amendment(reason="legal review 2026-03-04", add_grounds=("threats",)),
        catalog=CARSON,
    )
    after = amend_removal(
        any_archive,
        actor("social"),
        str(item),
        Amendment(reason="typo", note="Accuses a named employee of theft and threatens her"),
        catalog=CARSON,
    )
    assert [r.revision_no for r in after.revisions] == [1, 2, 3]
    assert [g.code for g in after.revisions[0].grounds] == ["defamatory"]
    assert [g.code for g in after.grounds] == ["defamatory", "threats"]
    assert after.revisions[0].note == "Accuses a named employee of theft"
    assert after.note.endswith("threatens her")
    assert after.revisions[1].change_reason == "legal review 2026-03-04"
    assert [r.recorded_by for r in after.revisions] == ["social", "attorney", "social"]
    with any_archive.db.read() as session:
        seqs = {r.audit_seq for r in session.scalars(select(RemovalRevision))}
        events = session.scalars(select(AuditEvent).where(AuditEvent.seq.in_(seqs))).all()
        assert sorted(e.action for e in events) == [
            "removal.amended",
            "removal.amended",
            "removal.recorded",
        ]
    assert show_removal(any_archive, str(item)) == after


def test_amendment_refusals(archive: Archive) -> None:
    item = make_item(archive, make_account(archive), "c1")
    with pytest.raises(NotFound, match="has no removal record"):
        amend_removal(
            archive, actor("social"), str(item), Amendment(reason="r", note="x"), catalog=CARSON
        )
    record_removal(archive, actor("social"), str(item), DEFAME, catalog=CARSON)
    for amendment, message in (
        (Amendment(reason=""), "needs a reason"),
        (Amendment(reason="r"), "changes nothing"),
        (Amendment(reason="r", drop_grounds=("defamatory",)), "at least one ground"),
        (Amendment(reason="r", drop_grounds=("obscene",)), "does not cite obscene"),
        (Amendment(reason="r", add_grounds=("rude",)), "not in the carson catalog"),
    ):
        with pytest.raises(InvalidInput, match=message):
            amend_removal(archive, actor("social"), str(item), amendment, catalog=CARSON)
    swapped = amend_removal(
        archive,
        actor("social"),
        str(item),
        Amendment(reason="wrong ground", add_grounds=("threats",), drop_grounds=("defamatory",)),
        catalog=CARSON,
    )
    assert [g.code for g in swapped.grounds] == ["threats"]
    assert [g.code for g in swapped.revisions[0].grounds] == ["defamatory"]


def test_listing_and_records_for_holds(archive: Archive) -> None:
    account = make_account(archive)
    a, b, c = (make_item(archive, account, f"c{n}") for n in range(3))
    record_removal(archive, actor("social"), str(a), DEFAME, catalog=CARSON)
    later = RemovalRequest(("obscene",), "n", "hidden", removed_at=T0 + timedelta(days=3))
    record_removal(archive, actor("social"), str(b), later, catalog=CARSON)
    assert [r.item_id for r in list_removals(archive)] == [a, b]  # newest removal first
    assert [r.item_id for r in list_removals(archive, end=T0 + timedelta(days=5))] == [b]
    with archive.db.read() as session:
        records = removal_records_for(session, [c, b, a, a])
    assert [r.item_id for r in records] == [a, b]
    assert records[1].grounds[0].clause == "V.3"


def test_items_and_users_whose_ids_contain_colons(archive: Archive) -> None:
    from archiver.removals.blocks import UserRef

    bsky = make_account(archive, "bluesky", "danawhitfield.bsky.social", "did:plc:rv")
    uri = "at://did:plc:someone/app.bsky.feed.post/3k"
    item = make_item(archive, bsky, uri, author_handle="someone.bsky.social")
    for ref in (f"bluesky:{uri}", uri, str(item)):
        assert show_or_none(archive, ref) == item
    assert UserRef.parse("did:plc:someone") == UserRef(None, "did:plc:someone")
    assert UserRef.parse("bluesky:@someone.bsky.social") == UserRef(
        "bluesky", "someone.bsky.social"
    )


def show_or_none(archive: Archive, ref: str) -> int:
    from archiver.removals.lookup import find_item

    with archive.db.read() as session:
        return find_item(session, ref).id
