"""Legal holds: scope matching, items captured later, the guard, release, notices, report."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.archive import Archive
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.holds.matching import apply_holds_to_new_items, assert_not_held, held_items
from archiver.holds.report import held_rows, write_package
from archiver.holds.rules import HoldFacts, HoldScope, matched_by
from archiver.holds.service import (
    HoldRequest,
    acknowledge,
    create_hold,
    overdue_reminders,
    release_hold,
    send_notices,
    show_hold,
)
from tests.conftest import FakeClock, actor
from tests.records import Post, account, ingest, when


def hold(archive: Archive, scope: HoldScope, matter: str = "Doe v. City") -> str:
    return create_hold(archive, actor("attorney"), HoldRequest(matter, scope, "CV-1")).code


def test_scope_rules_are_pure() -> None:
    fact = HoldFacts(
        7, "facebook:RanchoVerdeCity", ("Lee Park",), "Ann", "ann1", when(2026, 2, 3), None
    )
    assert matched_by(HoldScope(item_ids=(7,)), fact, set()) == "explicit"
    assert matched_by(HoldScope(accounts=("facebook:RanchoVerdeCity",)), fact, set()) == "account"
    assert matched_by(HoldScope(custodians=("lee park",)), fact, set()) == "custodian"
    assert matched_by(HoldScope(custodians=("@ANN1",)), fact, set()) == "custodian"
    dated = HoldScope(accounts=("facebook:RanchoVerdeCity",), date_from=date(2026, 2, 1))
    assert matched_by(dated, fact, set()) == "account+dates"
    assert matched_by(HoldScope(date_to=date(2026, 1, 1)), fact, set()) is None
    assert matched_by(HoldScope(query="parking"), fact, {7}) == "query"
    assert matched_by(HoldScope(query="parking"), fact, set()) is None
    undated = HoldFacts(8, "x:y")
    assert matched_by(HoldScope(date_from=date(2026, 1, 1)), undated, set()) == "undated"
    with pytest.raises(InvalidInput):
        HoldScope().check()


def test_a_hold_covers_matching_items_now_and_captured_later(any_archive: Archive) -> None:
    acct = account(any_archive, "RanchoVerdeCity", administrators=("Lee Park",))
    other = account(any_archive, "rvpd_official", platform="instagram")
    first = ingest(
        any_archive,
        acct,
        [Post("1", "Parking on Elm St", when(2026, 1, 5)), Post("2", "Parade", when(2026, 1, 6))],
    )
    ingest(any_archive, other, [Post("3", "parking enforcement", when(2026, 1, 7))])
    with pytest.raises(PermissionDenied):
        create_hold(any_archive, actor("records"), HoldRequest("x", HoldScope(query="parking")))
    code = hold(
        any_archive,
        HoldScope(
            accounts=("facebook:RanchoVerdeCity",), query="parking", date_from=date(2026, 1, 1)
        ),
    )
    view = show_hold(any_archive, code)
    assert view.items == 1 and view.issued_by == "Dana Kim, City Attorney"

    later = ingest(any_archive, acct, [Post("4", "More parking complaints", when(2026, 2, 1))])
    with any_archive.unit() as session:
        assert held_items(session, later.items.values())  # covered even before it is recorded
        added = apply_holds_to_new_items(session, later.items.values(), any_archive.clock())
        assert added == {code: [later.items["4"]]}
        assert apply_holds_to_new_items(session, later.items.values(), any_archive.clock()) == {}
    assert show_hold(any_archive, code).items == 2
    with any_archive.unit() as session, pytest.raises(Conflict, match=code) as raised:
        assert_not_held(session, [first.items["2"], first.items["1"]], action="redact")
    assert f"archiver holds show {code}" in (raised.value.hint or "")
    with any_archive.unit() as session:
        assert_not_held(session, [first.items["2"]])


def test_a_hold_date_range_is_in_days_of_the_city(archive: Archive) -> None:
    """A hold "to 2026-05-31" covers a post made at 8 pm that evening in Rancho Verde, which is
    3 am on June 1 in UTC, and one "from 2026-06-01" does not; the query's ``to:`` agrees."""
    evening = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # 2026-05-31 20:00 PDT
    fact = HoldFacts(9, "facebook:RanchoVerdeCity", created_at=evening)
    assert fact.record_date == date(2026, 6, 1)  # UTC, the default of a bare fact
    local = replace(fact, timezone="America/Los_Angeles")
    assert local.record_date == date(2026, 5, 31)
    assert matched_by(HoldScope(date_to=date(2026, 5, 31)), local, set()) == "dates"
    assert matched_by(HoldScope(date_from=date(2026, 6, 1)), local, set()) is None

    assert archive.settings.timezone == "America/Los_Angeles"
    acct = account(archive, "RanchoVerdeCity")
    made = ingest(archive, acct, [Post("1", "Council recap", evening)])
    may = hold(archive, HoldScope(date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)))
    june = hold(archive, HoldScope(date_from=date(2026, 6, 1)), matter="Roe v. City")
    queried = hold(archive, HoldScope(query="recap to:2026-05-31"), matter="Poe v. City")
    assert show_hold(archive, may).items == 1
    assert show_hold(archive, june).items == 0
    assert show_hold(archive, queried).items == 1
    with archive.unit() as session, pytest.raises(Conflict, match=may):
        assert_not_held(session, made.items.values())


def test_release_keeps_items_frozen_under_another_hold(archive: Archive) -> None:
    acct = account(archive, "RanchoVerdeCity")
    made = ingest(archive, acct, [Post("1", "Budget hearing", when(2026, 1, 5))])
    item = made.items["1"]
    first = hold(archive, HoldScope(item_ids=(item,)), "Claim A")
    second = hold(archive, HoldScope(query="budget"), "Claim B")
    with pytest.raises(PermissionDenied):
        release_hold(archive, actor("records"), first, reason="done")
    release_hold(archive, actor("attorney"), first, reason="claim withdrawn")
    with archive.unit() as session:
        assert held_items(session, [item]) == {item: [second]}
    with pytest.raises(Conflict):
        release_hold(archive, actor("attorney"), first, reason="again")
    release_hold(archive, actor("attorney"), second, reason="settled")
    with archive.unit() as session:
        assert held_items(session, [item]) == {}
    shown = show_hold(archive, first)
    assert (shown.status, shown.released_by, shown.release_reason) == (
        "released",
        "attorney",
        "claim withdrawn",
    )


def test_explicit_items_must_exist(archive: Archive) -> None:
    with pytest.raises(NotFound):
        hold(archive, HoldScope(item_ids=(999,)))


def test_notices_acknowledgments_and_overdue_reminders(archive: Archive, clock: FakeClock) -> None:
    code = hold(archive, HoldScope(custodians=("Lee Park", "Jordan Ellis")))
    sent = send_notices(archive, actor("attorney"), code)
    assert [(n.custodian, n.kind) for n in sent] == [
        ("Jordan Ellis", "notice"),
        ("Lee Park", "notice"),
    ]
    assert send_notices(archive, actor("attorney"), code) == []
    with pytest.raises(PermissionDenied):
        acknowledge(archive, actor("clerk"), code, "Lee Park")
    acknowledge(archive, actor("social"), code, "Lee Park", statement="Will preserve.")
    assert overdue_reminders(archive) == []
    clock.advance(days=8)
    assert [(h, c.name) for h, c in overdue_reminders(archive)] == [(code, "Jordan Ellis")]
    reminders = send_notices(archive, actor("attorney"), code)
    assert [(n.custodian, n.kind) for n in reminders] == [("Jordan Ellis", "reminder")]
    assert "REMINDER" in reminders[0].text
    assert overdue_reminders(archive) == []
    acknowledge(archive, actor("attorney"), code, "jordan ellis")
    with pytest.raises(Conflict):
        acknowledge(archive, actor("attorney"), code, "Jordan Ellis")


def test_report_and_package_with_provenance(archive: Archive, tmp_path: Path) -> None:
    acct = account(archive, "RanchoVerdeCity")
    made = ingest(archive, acct, [Post("1", "Library hours", when(2026, 1, 5))], own_records=True)
    code = hold(archive, HoldScope(query="library"))
    rows = held_rows(archive, code)
    assert len(rows) == 1 and rows[0].item_id == made.items["1"]
    assert "export.json" in rows[0].source_files and made.item_records["1"] in rows[0].warc_records
    result = write_package(archive, code, tmp_path / "pkg")
    assert result.items == 1
    originals = list((tmp_path / "pkg" / "originals").iterdir())
    assert len(originals) == 1 and b"Library hours" in originals[0].read_bytes()
    with pytest.raises(Conflict):
        write_package(archive, code, tmp_path / "pkg")


@given(days=st.integers(0, 30), due=st.integers(1, 14))
def test_overdue_is_a_pure_rule(days: int, due: int) -> None:
    from archiver.holds.models import HoldCustodian
    from archiver.holds.service import is_overdue

    sent = when(2026, 3, 1)
    custodian = HoldCustodian(name="x")
    assert is_overdue(custodian, sent, due, sent + timedelta(days=days)) == (days > due)
    custodian.acknowledged_at = sent
    assert not is_overdue(custodian, sent, due, sent + timedelta(days=days))
