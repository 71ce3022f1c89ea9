"""Deadline arithmetic: CPRA calendar days, FOIA working days with federal holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.requests import deadlines as d

DATES = st.dates(min_value=date(2021, 1, 1), max_value=date(2040, 12, 31))


def test_federal_holidays_2026() -> None:
    assert d.federal_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 1, 19),  # MLK, third Monday
        date(2026, 2, 16),  # Washington's Birthday
        date(2026, 5, 25),  # Memorial Day, last Monday
        date(2026, 6, 19),
        date(2026, 7, 3),  # July 4 is a Saturday: observed Friday
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),  # Thanksgiving, fourth Thursday
        date(2026, 12, 25),
    }


def test_observed_rules_cross_year_ends() -> None:
    # 1 Jan 2022 was a Saturday: observed on Friday 31 Dec 2021, in 2021's calendar.
    assert date(2021, 12, 31) in d.federal_holidays(2021)
    assert date(2022, 1, 1) not in d.federal_holidays(2022)
    assert len(d.federal_holidays(2021)) == 12 and len(d.federal_holidays(2022)) == 10
    # Sunday holidays move to Monday: 1 Jan 2023 and Christmas 2022.
    assert date(2023, 1, 2) in d.federal_holidays(2023)
    assert date(2022, 12, 26) in d.federal_holidays(2022)
    # Juneteenth 2021 (a Saturday) was observed Friday 18 June; none before 2021.
    assert date(2021, 6, 18) in d.federal_holidays(2021)
    assert not any(h.month == 6 for h in d.federal_holidays(2020))


def test_inauguration_day_is_not_counted() -> None:
    assert date(2029, 1, 22) not in d.federal_holidays(2029)  # 20 Jan 2029 is a Saturday
    assert date(2025, 1, 20) in d.federal_holidays(2025)  # MLK Day, which it coincided with
    assert d.is_federal_working_day(date(2033, 1, 20))  # Thursday, Inauguration Day 2033


def test_foia_over_christmas_new_year_and_mlk() -> None:
    # Received Friday 19 Dec 2025; Christmas, New Year's Day and MLK Day do not count.
    assert d.determination_due(d.FOIA, date(2025, 12, 19)) == date(2026, 1, 21)


def test_foia_received_on_a_weekend_counts_from_monday() -> None:
    assert d.determination_due(d.FOIA, date(2026, 3, 7)) == date(2026, 4, 3)
    assert d.determination_due(d.FOIA, date(2026, 3, 8)) == date(2026, 4, 3)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 30), date(2026, 2, 9)),  # month end
        (date(2026, 12, 28), date(2027, 1, 7)),  # year end
        (date(2028, 2, 20), date(2028, 3, 1)),  # leap February
        (date(2026, 3, 7), date(2026, 3, 17)),  # received on a Saturday
        (date(2026, 3, 4), date(2026, 3, 14)),  # due on a Saturday: not moved
    ],
)
def test_cpra_calendar_days(received: date, due: date) -> None:
    assert d.determination_due(d.CPRA, received) == due


def test_cpra_weekend_due_date_warns_to_answer_before() -> None:
    note = d.weekend_or_holiday_note(d.CPRA, date(2026, 3, 14))
    assert "2026-03-13" in note
    assert d.weekend_or_holiday_note(d.CPRA, date(2026, 3, 16)) == ""
    # 4 July 2026 is Saturday and Friday 3 July is the observed holiday: answer Thursday.
    assert "2026-07-02" in d.weekend_or_holiday_note(d.CPRA, date(2026, 7, 4))


def test_cpra_extension_limits() -> None:
    original = date(2026, 3, 14)
    assert d.check_extension(d.CPRA, original, date(2026, 3, 28), extensions_so_far=0).allowed
    late = d.check_extension(d.CPRA, original, date(2026, 3, 29), extensions_so_far=0)
    assert not late.allowed and late.latest == date(2026, 3, 28) and "7922.535" in late.reason
    twice = d.check_extension(d.CPRA, original, date(2026, 3, 20), extensions_so_far=1)
    assert not twice.allowed
    assert not d.check_extension(d.CPRA, original, original, extensions_so_far=0).allowed


def test_foia_extension_limits() -> None:
    original = date(2026, 1, 21)
    assert d.latest_extension(d.FOIA, original) == date(2026, 2, 4)
    assert not d.check_extension(d.FOIA, original, date(2026, 2, 5), extensions_so_far=0).allowed
    agreed = d.check_extension(
        d.FOIA, original, date(2026, 4, 1), extensions_so_far=0, requester_agreed=True
    )
    assert agreed.allowed


def test_status() -> None:
    due = date(2026, 3, 16)
    assert d.status(due, date(2026, 3, 10)) == "open"
    assert d.status(due, date(2026, 3, 14)) == "due_soon"
    assert d.status(due, date(2026, 3, 16)) == "due_soon"
    assert d.status(due, date(2026, 3, 17)) == "overdue"
    assert d.status(due, date(2026, 3, 17), closed=True) == "closed"


@given(DATES, st.integers(min_value=0, max_value=60))
def test_working_days_round_trip(start: date, count: int) -> None:
    end = d.add_working_days(start, count)
    assert d.working_days_between(start, end) == count
    if count:
        assert d.is_federal_working_day(end)


@given(DATES)
def test_foia_due_is_twenty_working_days_later(received: date) -> None:
    due = d.determination_due(d.FOIA, received)
    assert d.working_days_between(received, due) == 20
    assert d.is_federal_working_day(due)
    assert 26 <= (due - received).days <= 36


@given(DATES)
def test_cpra_due_is_ten_calendar_days_later(received: date) -> None:
    assert d.determination_due(d.CPRA, received) - received == timedelta(days=10)


@given(st.integers(min_value=2021, max_value=2100))
def test_holidays_fall_on_weekdays(year: int) -> None:
    holidays = d.federal_holidays(year)
    assert all(h.weekday() < 5 and h.year == year for h in holidays)
    assert 10 <= len(holidays) <= 12


@given(DATES, st.integers(min_value=1, max_value=40), st.sampled_from(d.LAWS))
def test_no_extension_past_the_statutory_maximum(received: date, days: int, law: str) -> None:
    original = d.determination_due(law, received)
    new = original + timedelta(days=days)
    check = d.check_extension(law, original, new, extensions_so_far=0)
    latest = d.latest_extension(law, original)
    assert latest is not None
    assert check.allowed == (new <= latest)
