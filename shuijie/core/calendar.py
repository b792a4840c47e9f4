"""Chinese working days: chinesecalendar plus the workspace's ``calendar.yaml`` (read by
:mod:`shuijie.registries.calendar_file`).

The regulation counts in working days: notify objects 5 working days before the
check (第十一条), archive within 7 working days after it (第十七条), publish
results within 20 working days (第十九条).  Those three rules live in
:mod:`shuijie.core.rules.deadlines`; this module is the calendar they count on.

``chinesecalendar`` knows statutory holidays and make-up working days (调休)
for the years it ships (:data:`LIBRARY_YEARS`; 2004–2026 in 1.11).  A workspace file
``registries/calendar.yaml`` adds or overrides days::

    holidays: [2026-10-09]          # extra days off (any year)
    workdays: [2026-10-10]          # extra working days (any year)
    years:                          # declare a whole year the library does not know
      2027:
        holidays: [2027-01-01, 2027-02-05]
        workdays: [2027-01-31]

In a declared year, a day is a working day when it is Monday–Friday and not
listed as a holiday, or listed as a working day.  A declared year counts only
while the library does not know that year: once a chinesecalendar release ships
it, the library's days win, and ``shuijie check`` warns about every date where the
declaration disagrees (:func:`shuijie.registries.calendar_file.year_disagreements`).
A date that neither source knows is an error that says how to add its year; the
tool never guesses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from shuijie.core.errors import InputError, Problem


def _library_years() -> range:
    """The years chinesecalendar has data for (asked of the library, not assumed)."""
    known = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return range(min(known), max(known) + 1)


LIBRARY_YEARS = _library_years()


def library_knows(year: int) -> bool:
    return year in LIBRARY_YEARS


@dataclass
class YearDecl:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    line: int | None = field(default=None, compare=False)  # where the year is declared


@dataclass
class WorkCalendar:
    """Working days from chinesecalendar, overridden by a workspace calendar file."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: dict[int, YearDecl] = field(default_factory=dict)
    source: str | None = None  # calendar file as shown to the clerk

    # ------------------------------------------------------------ queries
    def knows(self, d: dt.date) -> bool:
        if d in self.holidays or d in self.workdays or d.year in self.years:
            return True
        try:
            chinese_calendar.is_workday(d)
            return True
        except NotImplementedError:
            return False

    def is_workday(self, d: dt.date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        decl = None if library_knows(d.year) else self.years.get(d.year)
        if decl is not None:
            if d in decl.workdays:
                return True
            if d in decl.holidays:
                return False
            return d.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            raise InputError(Problem("date_unknown", {
                "date": d.isoformat(), "year": d.year,
                "calendar": self.source or "registries/calendar.yaml"}))

    def workdays_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days from ``start`` to ``end``, both included, in order."""
        out: list[dt.date] = []
        d = start
        one = dt.timedelta(days=1)
        while d <= end:
            if self.is_workday(d):
                out.append(d)
            d += one
        return out

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d`` (n > 0) or before it (n < 0); ``d`` not counted."""
        if n == 0:
            return d
        step = dt.timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            d += step
            if self.is_workday(d):
                left -= 1
        return d
