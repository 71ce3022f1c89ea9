"""The retention schedule: file validation, and the pure series/eligibility rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.archive import Archive
from archiver.errors import ValidationFailed
from archiver.retention.schedule import (
    Duration,
    ItemFacts,
    add_duration,
    assign,
    load_schedule_file,
    parse_duration,
    two_years_after,
)
from archiver.retention.service import load_schedule, retention_report, show_schedule
from tests.conftest import SAMPLE, actor
from tests.records import Post, account, ingest, when

SCHEDULE, _DOC, _SHA = load_schedule_file(SAMPLE / "retention_schedule.toml")
TODAY = date(2026, 11, 1)


def facts(**values: object) -> ItemFacts:
    base: dict[str, object] = {
        "id": 1,
        "platform": "facebook",
        "kind": "post",
        "state": "active",
        "account": "facebook:RanchoVerdeCity",
        "created_at": when(2022, 3, 1),
        "first_seen_at": when(2026, 3, 1),
    }
    base.update(values)
    return ItemFacts(**base)  # type: ignore[arg-type]


def test_durations() -> None:
    assert parse_duration("P2Y") == Duration(years=2)
    assert parse_duration("P1Y6M2W3D") == Duration(1, 6, 17)
    assert parse_duration("permanent") is None
    assert add_duration(date(2024, 2, 29), Duration(years=1)) == date(2025, 2, 28)
    assert add_duration(date(2025, 11, 30), Duration(months=3)) == date(2026, 2, 28)


def test_posts_on_official_accounts_after_two_years() -> None:
    a = assign(SCHEDULE, facts(), TODAY)
    assert (a.series_code, a.matched, a.eligible_on, a.eligible) == (
        "SM-01",
        True,
        date(2024, 3, 1),
        True,
    )


def test_removed_comments_have_their_own_series_counted_from_removal() -> None:
    a = assign(
        SCHEDULE,
        facts(kind="comment", state="removed_by_city", state_changed_at=when(2023, 6, 1)),
        TODAY,
    )
    assert (a.series_code, a.eligible_on, a.eligible) == ("SM-03", date(2028, 6, 1), False)


def test_council_member_accounts_are_kept_until_terminated_plus_two_years() -> None:
    active = assign(SCHEDULE, facts(account_kind="council_member"), TODAY)
    assert active.series_code == "SM-04" and active.eligible_on is None and not active.eligible
    left = assign(
        SCHEDULE,
        facts(account_kind="council_member", account_terminated_on=date(2024, 1, 15)),
        TODAY,
    )
    assert left.eligible_on == date(2026, 1, 15) and left.eligible


def test_unmatched_items_go_to_the_default_series_for_review() -> None:
    a = assign(
        SCHEDULE, facts(account_kind="official", kind="follower_snapshot", platform="x"), TODAY
    )
    assert a.series_code == "SM-02"
    odd = assign(
        SCHEDULE, facts(platform="requests", kind="post", account_kind="council_member"), TODAY
    )
    assert odd.series_code == "SM-04"
    none = assign(SCHEDULE, facts(account_kind="official_personal", kind="video"), TODAY)
    assert none.series_code == "SM-05"
    unknown = assign(SCHEDULE, facts(account_kind="other"), TODAY)
    assert (unknown.series_code, unknown.matched, unknown.action) == ("SM-99", False, "review")


@given(
    created=st.dates(date(2015, 1, 1), date(2026, 12, 31)),
    today=st.dates(date(2015, 1, 1), date(2032, 12, 31)),
    kind=st.sampled_from(["post", "comment", "reply", "follower_snapshot", "video"]),
    state=st.sampled_from(["active", "removed_by_city", "hidden", "edited"]),
    account_kind=st.sampled_from(["official", "council_member", "official_personal", "other"]),
)
def test_never_eligible_under_two_years(
    created: date, today: date, kind: str, state: str, account_kind: str
) -> None:
    moment = when(created.year, created.month, created.day)
    a = assign(
        SCHEDULE,
        facts(
            created_at=moment,
            kind=kind,
            state=state,
            state_changed_at=moment,
            account_kind=account_kind,
            account_terminated_on=created,
        ),
        today,
    )
    if a.eligible:
        assert two_years_after(created) <= today and a.action in ("destroy", "review", "transfer")
    if a.eligible_on is not None:
        assert a.eligible_on >= two_years_after(created)


def test_bad_files_report_every_problem_with_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text(
        "schedule:\n  name: x\n  version: '1'\n  default_series: D\n  adopted_on: 2026-01-01\n"
        "series:\n"
        "  - {code: A, title: a, retention: P2Y, trigger: created, action: destroy, citation: c}\n"
        "  - {code: A, title: b, retention: P2Y, trigger: created, action: destroy, citation: c}\n"
        "  - {code: D, title: d, retention: P2Y, trigger: created, action: destroy, citation: c}\n"
    )
    with pytest.raises(ValidationFailed) as failed:
        load_schedule_file(bad)
    where = [p.where for p in failed.value.problems]
    assert where == ["series[1].code", "series[2].action"]
    bad.write_text("schedule: {name: x}\nseries:\n  - {code: 'bad code', retention: 2y}\n")
    with pytest.raises(ValidationFailed) as failed:
        load_schedule_file(bad)
    messages = [str(p) for p in failed.value.problems]
    assert any(m.startswith("schedule:") and "version" in m for m in messages)
    assert any(m.startswith("series[0].code") for m in messages)
    assert any(m.startswith("series[0]:") and "'title'" in m for m in messages)
    assert len(messages) >= 5


def test_a_new_version_keeps_the_old_one_and_reports_changes(
    archive: Archive, tmp_path: Path
) -> None:
    first = load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    assert first.items == 0
    acct = account(archive, "RanchoVerdeCity")
    ingest(
        archive,
        acct,
        [Post("p", "post", when(2022, 1)), Post("c", "c", when(2022, 1), kind="profile")],
    )
    revised = (SAMPLE / "retention_schedule.toml").read_text()
    revised = revised.replace('version = "2026-1"', 'version = "2026-2"')
    revised = revised.replace('"video", "profile", "blog_entry"', '"video", "blog_entry"')
    path = tmp_path / "v2.toml"
    path.write_text(revised)
    second = load_schedule(archive, actor("records"), path)
    assert second.previous_version == "2026-1" and second.items == 2
    assert [(c.before, c.after, c.eligible_after) for c in second.changes] == [
        ("SM-01", "SM-99", "2024-01-01")
    ]
    assert len(second.unmatched) == 1
    report = retention_report(archive, today=date(2026, 11, 1))
    assert report.version == "2026-2" and report.unmatched == second.unmatched
    _schedule, info = show_schedule(archive)
    assert [v["version"] for v in info["versions"]] == ["2026-1", "2026-2"]
