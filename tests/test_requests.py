"""Requests: intake, deadlines, extension limits, review decisions, suggestions, timeline."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from archiver.archive import Archive
from archiver.db.models import AuditEvent
from archiver.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from archiver.requests import review, service
from archiver.requests.service import ExtensionNotice, NewRequest
from tests.conftest import FakeClock, actor
from tests.request_items import Spec, seed

CLERK, ATTORNEY = actor("clerk"), actor("attorney")


def open_cpra(archive: Archive, number: str = "CPRA-2026-001", **kw: object) -> None:
    new = NewRequest(
        number=number,
        law=str(kw.pop("law", "CPRA")),
        description="All comments on the City's posts about the Elm Street closure",
        received_on=kw.pop("received_on", date(2026, 2, 26)),  # type: ignore[arg-type]
        requester_name=str(kw.pop("requester", "Pat Doe")),
        requester_contact="pat@example.org",
    )
    service.open_request(archive, CLERK, new)


def test_open_backdated_and_due_dates(any_archive: Archive) -> None:
    open_cpra(any_archive)
    view = service.show_request(any_archive, "CPRA-2026-001")
    assert view.received_on == "2026-02-26" and view.due_on == "2026-03-08"
    assert view.status == "open" and view.days_left == 7  # the clock reads 2026-03-01
    assert "not a working day" in view.warning  # 8 March 2026 is a Sunday
    assert "received 2026-02-26, entered 2026-03-01" in view.timeline[0].summary
    events = any_archive.db.read
    with events() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "request.opened" in actions


def test_anonymous_requester_and_foia(archive: Archive) -> None:
    open_cpra(archive, "FOIA-1", law="FOIA", requester="", received_on=date(2026, 2, 27))
    view = service.show_request(archive, "FOIA-1")
    assert view.requester == "(anonymous)" and view.anonymous
    assert view.due_on == "2026-03-27"


def test_open_refuses_future_dates_duplicates_and_bad_law(archive: Archive) -> None:
    with pytest.raises(InvalidInput, match="future"):
        open_cpra(archive, received_on=date(2026, 3, 2))
    with pytest.raises(InvalidInput, match="law"):
        open_cpra(archive, law="GDPR")
    open_cpra(archive)
    with pytest.raises(Conflict):
        open_cpra(archive)


def test_list_due_soon_and_overdue(archive: Archive, clock: FakeClock) -> None:
    open_cpra(archive, "A", received_on=date(2026, 2, 10))  # due 2026-02-20: overdue
    open_cpra(archive, "B", received_on=date(2026, 2, 27))  # due 2026-03-09
    open_cpra(archive, "C", received_on=date(2026, 2, 20))  # due 2026-03-02: due soon
    views = {v.number: v.status for v in service.list_requests(archive)}
    assert views == {"A": "overdue", "B": "open", "C": "due_soon"}


def test_extension_once_within_fourteen_days(archive: Archive) -> None:
    open_cpra(archive)  # due 2026-03-08
    notice = ExtensionNotice(
        ground="c2",
        notice_text="The request covers several thousand comments.",
        signer_name="Maria Lopez",
        signer_title="City Clerk",
        new_due_on=date(2026, 3, 23),
    )
    with pytest.raises(Conflict, match="2026-03-22"):
        service.extend_request(archive, CLERK, "CPRA-2026-001", notice)
    with pytest.raises(InvalidInput, match="not a ground"):
        service.extend_request(
            archive,
            CLERK,
            "CPRA-2026-001",
            ExtensionNotice("staff on vacation", "x", "M", "Clerk", date(2026, 3, 20)),
        )
    ok = ExtensionNotice("c2", notice.notice_text, "Maria Lopez", "City Clerk", date(2026, 3, 22))
    view = service.extend_request(archive, CLERK, "CPRA-2026-001", ok)
    assert view.due_on == "2026-03-22" and view.original_due_on == "2026-03-08"
    with pytest.raises(Conflict, match="already extended"):
        service.extend_request(archive, CLERK, "CPRA-2026-001", ok)


def test_roles(archive: Archive) -> None:
    with pytest.raises(PermissionDenied):
        service.open_request(
            archive,
            actor("social"),
            NewRequest("X", "CPRA", "d", date(2026, 2, 1)),
        )
    open_cpra(archive)
    ids = seed(archive, [Spec("A post")])
    review.add_items(archive, CLERK, "CPRA-2026-001", ids)
    with pytest.raises(PermissionDenied):  # the clerk manages; the city attorney decides
        review.decide(archive, CLERK, "CPRA-2026-001", ids, "release")


def test_threads_decisions_and_exemptions(archive: Archive) -> None:
    open_cpra(archive)
    post, comment, reply, other = seed(
        archive,
        [
            Spec("Elm Street closes Monday."),
            Spec("Call me at 555-123-4567", kind="comment", parent=0, author="Jo", author_id="jo"),
            Spec("Thanks, we will.", kind="reply", parent=1),
            Spec("Unrelated post"),
        ],
    )
    added = review.add_items(archive, CLERK, "CPRA-2026-001", [comment])
    assert added.added == [post, comment, reply]  # the whole thread, not the other post
    with pytest.raises(NotFound):
        review.add_items(archive, CLERK, "CPRA-2026-001", [999])
    with pytest.raises(InvalidInput, match="cite an exemption"):
        review.decide(archive, ATTORNEY, "CPRA-2026-001", [reply], "withhold")
    with pytest.raises(InvalidInput, match="written basis"):
        review.decide(archive, ATTORNEY, "CPRA-2026-001", [reply], "withhold", exemption="7922.000")
    with pytest.raises(InvalidInput, match="not a CPRA exemption"):
        review.decide(archive, ATTORNEY, "CPRA-2026-001", [reply], "withhold", exemption="b6")
    review.decide(
        archive,
        ATTORNEY,
        "CPRA-2026-001",
        [reply],
        "withhold",
        exemption="§ 7922.000",
        basis="Reply names a juvenile; public interest in withholding clearly outweighs.",
    )
    rows = {r.item_id: r for r in review.review_rows(archive, "CPRA-2026-001")}
    assert rows[reply].decision == "withhold" and rows[reply].exemption == "7922.000"
    assert rows[reply].reviewer == "Dana Kim, City Attorney"
    nameless = actor("attorney").__class__("x", frozenset({"city_attorney"}))
    with pytest.raises(InvalidInput, match="name and title"):
        review.decide(archive, nameless, "CPRA-2026-001", [post], "release")
    assert other not in rows


def test_suggestions_need_a_decision(archive: Archive) -> None:
    open_cpra(archive)
    ids = seed(
        archive,
        [
            Spec("Our office number is 555-000-1111"),  # the City's post: no suggestion
            Spec(
                "I live at 42 Elm Street, email jo@example.com, DOB: 01/02/1980, "
                "SSN 123-45-6789, cell (555) 222-3333",
                kind="comment",
                parent=0,
                author="Jo",
                author_id="jo",
            ),
        ],
    )
    review.add_items(archive, CLERK, "CPRA-2026-001", ids[:1])
    found = review.suggest_redactions(archive, ATTORNEY, "CPRA-2026-001")
    kinds = sorted(f.kind for f in found)
    assert kinds == ["date_of_birth", "email", "phone", "ssn", "street_address"]
    assert all(f.status == "suggested" and f.item_id == ids[1] for f in found)
    assert review.suggest_redactions(archive, ATTORNEY, "CPRA-2026-001") == []  # no repeats
    email = next(f for f in found if f.kind == "email")
    with pytest.raises(InvalidInput):
        review.decide_suggestion(archive, ATTORNEY, "CPRA-2026-001", email.id, accept=True)
    done = review.decide_suggestion(
        archive, ATTORNEY, "CPRA-2026-001", email.id, accept=True, exemption="7927.700"
    )
    assert done.status == "accepted" and done.excerpt == "jo@example.com"
    with pytest.raises(Conflict):
        review.decide_suggestion(archive, ATTORNEY, "CPRA-2026-001", email.id, accept=False)


def test_flags_removed_by_city(archive: Archive) -> None:
    open_cpra(archive)
    removed = Spec("spam", kind="comment", parent=0, state="removed_by_city")
    ids = seed(archive, [Spec("post"), removed])
    review.add_items(archive, CLERK, "CPRA-2026-001", ids)
    flags = {r.item_id: r.flags for r in review.review_rows(archive, "CPRA-2026-001")}
    assert flags == {ids[0]: [], ids[1]: ["removed_by_city"]}


def test_saved_search_is_kept_with_the_request(archive: Archive) -> None:
    open_cpra(archive)
    from archiver.search import index_items, save_search

    ids = seed(archive, [Spec("Elm Street closure"), Spec("Oak Avenue paving")])
    index_items(archive, ids)
    save_search(archive, CLERK, "elm", "closure", request_number="CPRA-2026-001")
    result = review.add_saved_search(archive, CLERK, "CPRA-2026-001", "elm")
    assert result.added == [ids[0]]
    view = service.show_request(archive, "CPRA-2026-001")
    assert any("saved search 'elm' found 1" in e.summary for e in view.timeline)
    with pytest.raises(NotFound):
        review.add_saved_search(archive, CLERK, "CPRA-2026-001", "nope")


def test_close_is_final(archive: Archive, clock: FakeClock) -> None:
    open_cpra(archive)
    clock.advance(days=10)
    view = service.close_request(archive, CLERK, "CPRA-2026-001", "fulfilled")
    assert view.status == "closed"
    last = service.show_request(archive, "CPRA-2026-001").timeline[-1]
    assert "after the due date" in last.summary
    with pytest.raises(Conflict):
        service.close_request(archive, CLERK, "CPRA-2026-001", "fulfilled")
    with archive.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) >= 3


def test_legal_hold_flag(archive: Archive) -> None:
    """An item under an active legal hold is flagged in the review; after release it is not."""
    from archiver.holds.rules import HoldScope
    from archiver.holds.service import HoldRequest, create_hold, release_hold

    open_cpra(archive)
    ids = seed(archive, [Spec("post"), Spec("c", kind="comment", parent=0)])
    review.add_items(archive, CLERK, "CPRA-2026-001", ids)
    hold = create_hold(
        archive, actor("attorney"), HoldRequest("Doe v. City", HoldScope(item_ids=(ids[1],)))
    )
    flags = {r.item_id: r.flags for r in review.review_rows(archive, "CPRA-2026-001")}
    assert flags == {ids[0]: [], ids[1]: ["legal_hold"]}
    release_hold(archive, actor("attorney"), hold.code, reason="matter settled")
    flags = {r.item_id: r.flags for r in review.review_rows(archive, "CPRA-2026-001")}
    assert flags == {ids[0]: [], ids[1]: []}


def test_days_are_the_citys_days(archive: Archive, clock: FakeClock) -> None:
    """At 03:00 UTC on 2 March it is still 1 March in California."""
    clock.advance(hours=18)  # 2026-03-02 03:00 UTC = 2026-03-01 19:00 PST
    with pytest.raises(InvalidInput, match="future"):
        open_cpra(archive, received_on=date(2026, 3, 2))
    open_cpra(archive, received_on=date(2026, 3, 1))
    assert service.show_request(archive, "CPRA-2026-001").days_left == 10


def test_review_lists_each_thread_together(archive: Archive) -> None:
    open_cpra(archive)
    a, a1, b, b1 = seed(
        archive,
        [
            Spec("A"),
            Spec("a1", kind="comment", parent=0),
            Spec("B"),
            Spec("b1", kind="comment", parent=2),
        ],
    )
    review.add_items(archive, CLERK, "CPRA-2026-001", [a, b])
    assert [r.item_id for r in review.review_rows(archive, "CPRA-2026-001")] == [a, a1, b, b1]
