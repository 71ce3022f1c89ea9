"""The audit chain detects every kind of tampering and names the first bad event."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from archiver import audit
from archiver.archive import Archive
from archiver.db.models import AuditEvent
from archiver.verify import verify_audit
from tests.conftest import actor


def fill(archive: Archive, n: int) -> None:
    with archive.unit() as session:
        for i in range(n):
            audit.record(
                session,
                actor("records"),
                "test.event",
                now=archive.clock(),
                object_type="thing",
                object_id=i,
                details={"i": i, "text": "é"},
            )


def report(archive: Archive) -> audit.AuditReport:
    return verify_audit(archive)


def test_intact_chain_verifies(any_archive: Archive) -> None:
    fill(any_archive, 5)
    result = report(any_archive)
    assert result.ok, result.problem
    assert result.events == 6  # archive.initialized + 5


@pytest.mark.parametrize(
    "column,value",
    [
        ("details", '{"i":2,"text":"changed"}'),
        ("actor", "mallory"),
        ("action", "x.y"),
        ("object_id", "999"),
    ],
)
def test_edited_event_is_named(archive: Archive, column: str, value: str) -> None:
    fill(archive, 5)
    with archive.unit() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 4).values({column: value}))
    result = report(archive)
    assert not result.ok and result.first_bad_seq == 4
    assert "edited" in result.problem


def test_deleted_event_is_detected(archive: Archive) -> None:
    fill(archive, 5)
    with archive.unit() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    result = report(archive)
    assert result.first_bad_seq == 4


def test_inserted_event_is_detected(archive: Archive) -> None:
    fill(archive, 3)
    with archive.unit() as session:
        # shift the tail up by one, forge an event at 3 linking to 2, and relink the old 3 to it
        tail = session.scalars(
            select(AuditEvent).where(AuditEvent.seq >= 3).order_by(AuditEvent.seq.desc())
        ).all()
        for event in tail:
            event.seq += 1
            session.flush()
        old_third = tail[-1]
        prev = session.scalars(select(AuditEvent).where(AuditEvent.seq == 2)).one()
        old_third.prev_hash = "relinked"
        session.flush()
        forged = AuditEvent(
            seq=3,
            occurred_at=prev.occurred_at,
            actor="mallory",
            actor_roles="",
            action="forged",
            object_type="",
            object_id="",
            details="{}",
            prev_hash=prev.hash,
            hash="",
        )
        forged.hash = audit.event_hash(
            3, prev.hash, prev.occurred_at, "mallory", "", "forged", "", "", "{}"
        )
        session.add(forged)
        session.flush()
        old_third.prev_hash = forged.hash
    result = report(archive)
    assert not result.ok and result.first_bad_seq == 4


def test_reordered_events_are_detected(archive: Archive) -> None:
    fill(archive, 4)
    with archive.unit() as session:
        a = session.get(AuditEvent, 3)
        b = session.get(AuditEvent, 4)
        assert a is not None and b is not None
        a.seq, b.seq = 1000, 1001
        session.flush()
        a.seq, b.seq = 4, 3
    result = report(archive)
    assert not result.ok and result.first_bad_seq == 3


def test_tail_truncation_detected_by_warc_anchor(archive: Archive) -> None:
    fill(archive, 4)
    with archive.warc_unit(actor("records")) as unit:  # anchors the head (seq 5) in the WARC
        unit.writer.write_resource("urn:test:x", b"x")
    with archive.unit() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq >= 5))
    result = report(archive)
    assert not result.ok and result.first_bad_seq == 5
    assert "removed from the end" in result.problem


def test_rewritten_chain_detected_by_warc_anchor(archive: Archive) -> None:
    fill(archive, 2)
    with archive.warc_unit(actor("records")) as unit:
        unit.writer.write_resource("urn:test:x", b"x")
    with archive.unit() as session:  # rewrite the whole chain consistently after an edit
        prev = audit.GENESIS
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            if event.seq == 2:
                event.details = '{"forged":true}'
            event.prev_hash = prev
            event.hash = audit.event_hash(
                event.seq,
                prev,
                event.occurred_at,
                event.actor,
                event.actor_roles,
                event.action,
                event.object_type,
                event.object_id,
                event.details,
            )
            prev = event.hash
    result = report(archive)
    assert not result.ok and "rewritten" in result.problem


@hsettings(max_examples=30, deadline=None)
@given(n=st.integers(2, 12), data=st.data())
def test_any_single_edit_is_caught_property(n: int, data: st.DataObject) -> None:
    from datetime import UTC, datetime, timedelta

    events, prev = [], audit.GENESIS
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for seq in range(1, n + 1):
        e = AuditEvent(
            seq=seq,
            occurred_at=t0 + timedelta(seconds=seq),
            actor="a",
            actor_roles="clerk",
            action="x",
            object_type="o",
            object_id=str(seq),
            details="{}",
            prev_hash=prev,
            hash="",
        )
        e.hash = audit.event_hash(seq, prev, e.occurred_at, "a", "clerk", "x", "o", str(seq), "{}")
        prev = e.hash
        events.append(e)
    assert audit.verify_events(events).ok
    victim = data.draw(st.integers(0, n - 1))
    op = data.draw(st.sampled_from(["edit", "delete", "swap"]))
    if op == "edit":
        events[victim].details = '{"x":1}'
    elif op == "delete":
        if victim == n - 1:
            victim -= 1  # deleting the last event is caught by anchors, tested above
        del events[victim]
    else:
        other = victim + 1 if victim + 1 < n else victim - 1
        events[victim], events[other] = events[other], events[victim]
    assert not audit.verify_events(events).ok
