"""Deadline arithmetic for CPRA and FOIA requests: pure functions over dates.

CPRA (Gov. Code § 7922.535(a)): a determination is due within 10 days of receipt, counted in
calendar days. The statute does not move a deadline that falls on a weekend or holiday, so the
archiver does not either: the due date is received + 10 calendar days, and ``show`` warns when
that day is a weekend so the City answers on the last working day before it. (A rule in the Code
of Civil Procedure, § 12a, extends some deadlines that end on a holiday; whether it applies to
§ 7922.535 is for the City Attorney, and keeping the earlier date is never late.)
§ 7922.535(b): one written extension, for a ground listed in (c)(1)–(5), ending no more than 14
days after the original due date.

FOIA (5 U.S.C. § 552(a)(6)(A)(i)): 20 days "excepting Saturdays, Sundays, and legal public
holidays", counted from the day after receipt. Legal public holidays are those of 5 U.S.C.
§ 6103(a), observed on the Friday before when they fall on a Saturday and on the Monday after
when they fall on a Sunday (§ 6103(b); Executive Order 11582). Inauguration Day (§ 6103(c)) is
a holiday only for employees in the District of Columbia area and is not counted here.
§ 552(a)(6)(B)(i): an extension of at most 10 working days; (B)(ii): longer only when the
requester was offered the chance to narrow the request or agreed to an alternative time frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

CPRA = "CPRA"
FOIA = "FOIA"
LAWS = (CPRA, FOIA)

CPRA_DAYS = 10
CPRA_MAX_EXTENSION_DAYS = 14
FOIA_WORKING_DAYS = 20
FOIA_MAX_EXTENSION_WORKING_DAYS = 10
DUE_SOON_DAYS = 2  # RecordTrac's default "due soon" window


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday = 0) of a month; n = -1 for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days federal offices observe as legal public holidays in a calendar year (5 U.S.C.
    § 6103), including New Year's Day of the next year observed on Friday 31 December."""
    fixed = [(1, 1), (7, 4), (11, 11), (12, 25)]
    if year >= 2021:
        fixed.append((6, 19))  # Juneteenth National Independence Day, Pub. L. 117-17
    days = {_observed(date(year, m, d)) for m, d in fixed}
    days |= {
        _nth_weekday(year, 1, 0, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
    }
    next_new_year = date(year + 1, 1, 1)
    if next_new_year.weekday() == 5:
        days.add(next_new_year - timedelta(days=1))
    return frozenset(d for d in days if d.year == year)


def is_federal_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th federal working day after ``start`` (``start`` itself never counts)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_federal_working_day(day):
            count -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_federal_working_day(day)
    return count


def determination_due(law: str, received: date) -> date:
    """The statutory date the determination is due, before any extension."""
    if law == CPRA:
        return received + timedelta(days=CPRA_DAYS)
    if law == FOIA:
        return add_working_days(received, FOIA_WORKING_DAYS)
    raise ValueError(f"unknown law {law!r}")


def latest_extension(
    law: str, original_due: date, *, requester_agreed: bool = False
) -> date | None:
    """The latest date an extension notice may name; ``None`` when no limit applies (FOIA with
    the requester's agreement to an alternative time frame, § 552(a)(6)(B)(ii))."""
    if law == CPRA:
        return original_due + timedelta(days=CPRA_MAX_EXTENSION_DAYS)
    if law == FOIA:
        if requester_agreed:
            return None
        return add_working_days(original_due, FOIA_MAX_EXTENSION_WORKING_DAYS)
    raise ValueError(f"unknown law {law!r}")


@dataclass(frozen=True)
class ExtensionCheck:
    allowed: bool
    latest: date | None
    reason: str = ""


def check_extension(
    law: str,
    original_due: date,
    new_due: date,
    *,
    extensions_so_far: int,
    requester_agreed: bool = False,
) -> ExtensionCheck:
    """Whether an extension to ``new_due`` is within the statute."""
    latest = latest_extension(law, original_due, requester_agreed=requester_agreed)
    if extensions_so_far >= 1:
        return ExtensionCheck(False, latest, "the request was already extended once")
    if new_due <= original_due:
        return ExtensionCheck(False, latest, f"the new date must be after {original_due}")
    if latest is not None and new_due > latest:
        if law == CPRA:
            why = "§ 7922.535(b) allows at most 14 days beyond the original due date"
        else:
            why = (
                "5 U.S.C. § 552(a)(6)(B)(i) allows at most 10 working days unless the requester "
                "agreed to an alternative time frame under (B)(ii)"
            )
        return ExtensionCheck(False, latest, f"{new_due} is after {latest}: {why}")
    return ExtensionCheck(True, latest)


def status(due: date, today: date, *, closed: bool = False) -> str:
    """open | due_soon | overdue | closed (due soon: within DUE_SOON_DAYS calendar days)."""
    if closed:
        return "closed"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"


def weekend_or_holiday_note(law: str, due: date) -> str:
    """A warning for a CPRA due date that is not a working day (the statute does not move it)."""
    if law != CPRA or is_federal_working_day(due):
        return ""
    previous = due
    while not is_federal_working_day(previous):
        previous -= timedelta(days=1)
    return f"{due} is not a working day; § 7922.535 counts calendar days, so respond by {previous}."
