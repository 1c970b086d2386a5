"""Calendar arithmetic and TIMEX3 value formats.

A resolved date is a day plus the unit it is precise to: "vergangene Woche" is a week (``2025-W06``), "Februar
2025" a month (``2025-02``). Units: D (day), W (ISO week), WE (weekend), M, Q (quarter), HALF, SEASON, Y, DE
(decade), CE (century).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

from dateutil.easter import easter

SEASONS = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}  # a month inside each season, for arithmetic


class OutOfCalendar(ValueError):
    """A date outside years 1 to 9999, which no Python date holds ("vor 2900 Jahren" from 2025 is year -875).
    ``year`` is where the arithmetic landed (counted without a year 0), ``unit`` its precision."""

    def __init__(self, year: int, unit: str) -> None:
        super().__init__(f"year {year} is outside the calendar Python can hold (1 to 9999)")
        self.year = year
        self.unit = unit


def out_of_calendar_value(exc: OutOfCalendar) -> str | None:
    """The TIMEX3 value of a date outside Python's calendar: ``BC0875`` for a year before 1 (TIMEX3's BC years;
    only year precision has a form), otherwise None."""
    if exc.year < 1 and exc.unit in ("Y", "DE", "CE"):
        return f"BC{-exc.year:04d}"
    return None


def format_value(day: dt.date, unit: str, season: str | None = None) -> str:
    """The TIMEX3 value of ``day`` at precision ``unit``."""
    if unit == "D":
        return day.isoformat()
    if unit in ("W", "WE"):
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "HALF":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if unit == "SEASON":
        return f"{day.year:04d}-{season}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown unit {unit!r}")


def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` months, kept inside the month it lands in (31 January + 1 month = 28 February)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    _check_year(year, "M")
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_days(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` days; OutOfCalendar past the years 1 to 9999 (not OverflowError)."""
    ordinal = day.toordinal() + n
    if not dt.date.min.toordinal() <= ordinal <= dt.date.max.toordinal():
        raise OutOfCalendar(day.year + (n // 365 if n > 0 else -(-n // 365)), "D")
    return dt.date.fromordinal(ordinal)


def shift(day: dt.date, unit: str, n: int) -> dt.date:
    """``day`` moved by ``n`` units (negative: back); OutOfCalendar with ``unit`` when it leaves years 1 to 9999."""
    try:
        return _shift(day, unit, n)
    except OutOfCalendar as exc:
        raise OutOfCalendar(exc.year, unit) from None


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    if unit == "D":
        return add_days(day, n)
    if unit in ("W", "WE"):
        return add_days(day, 7 * n)
    if unit == "M":
        return add_months(day, n)
    if unit == "Q":
        return add_months(day, 3 * n)
    if unit == "HALF":
        return add_months(day, 6 * n)
    if unit in ("Y", "SEASON"):
        return add_months(day, 12 * n)
    if unit == "DE":
        return add_months(day, 120 * n)
    if unit == "CE":
        return add_months(day, 1200 * n)
    raise ValueError(f"unknown unit {unit!r}")


def calendar_date(year: int, month: int, day: int, unit: str = "D") -> dt.date:
    """``dt.date(year, month, day)``, with OutOfCalendar (at precision ``unit``) for a year outside 1 to 9999."""
    _check_year(year, unit)
    return dt.date(year, month, day)


def _check_year(year: int, unit: str) -> None:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OutOfCalendar(year, unit)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None for an impossible one (31 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def holiday(rule: str, year: int) -> dt.date:
    """The day of a holiday rule from ``time_holidays.txt`` in ``year``."""
    kind, arg = rule.split()
    if kind == "easter":
        sunday: dt.date = easter(year)
        return sunday + dt.timedelta(days=int(arg))
    month, day = arg.split("-")
    return dt.date(year, int(month), int(day))


def weekday_near(anchor: dt.date, iso_weekday: int, direction: str | None) -> dt.date:
    """The weekday ``iso_weekday`` before (``past``), after (``future``) or nearest (None) to ``anchor``; the anchor
    itself when it is that weekday."""
    back = (anchor.isoweekday() - iso_weekday) % 7
    ahead = (iso_weekday - anchor.isoweekday()) % 7
    if direction == "past":
        return add_days(anchor, -back)
    if direction == "future":
        return add_days(anchor, ahead)
    return add_days(anchor, -back) if back <= ahead else add_days(anchor, ahead)


def year_for(anchor: dt.date, build: Callable[[int], dt.date | None], direction: str | None, *,
             months: int = 12) -> dt.date | None:
    """The occurrence of a year-less date (``build(year) -> date | None``) meant relative to ``anchor``: the one
    before it for ``past``, after it for ``future``, the nearest otherwise. ``months`` is how precise the date
    is compared (1 for a month, 0 for a day)."""
    options = [(y, build(y)) for y in (anchor.year - 1, anchor.year, anchor.year + 1) if dt.MINYEAR <= y <= dt.MAXYEAR]
    dated = [(y, d) for y, d in options if d is not None]
    if not dated:
        return None
    same = next((d for y, d in dated if y == anchor.year), None)

    def key(d: dt.date) -> tuple[int, int]:
        return (d.year, d.month) if months else (d.year, d.toordinal())

    if same is not None:
        if direction == "past" and key(same) > key(anchor):
            return next((d for y, d in dated if y == anchor.year - 1), None)
        if direction == "future" and key(same) < key(anchor):
            return next((d for y, d in dated if y == anchor.year + 1), None)
        if direction is not None:
            return same
    return min((d for _, d in dated), key=lambda d: abs(d.toordinal() - anchor.toordinal()))
