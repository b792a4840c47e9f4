"""Chinese working days: chinesecalendar plus the workspace's ``calendar.yaml`` (read by
:mod:`shuijie.registries.calendar_file`).

The regulation counts in working days: notify objects 5 working days before the
check (第十一条), archive within 7 working days after it (第十七条), publish
results within 20 working days (第十九条).  Those three rules live in
:mod:`shuijie.core.rules.deadlines`; this module is the calendar they count on.

``chinesecalendar`` knows statutory holidays and make-up working days (调休)
for the years it ships (up to 2026 in 1.11).  A workspace file
``registries/calendar.yaml`` adds or overrides days::

    holidays: [2026-10-09]          # extra days off (any year)
    workdays: [2026-10-10]          # extra working days (any year)
    years:                          # declare a whole year known
      2027:
        holidays: [2027-01-01, 2027-02-16]
        workdays: [2027-02-07]

In a declared year, a day is a working day when it is Monday–Friday and not
listed as a holiday, or listed as a working day.  A date that neither source
knows is an error that says how to add its year; the tool never guesses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from shuijie.core.errors import InputError, Problem


@dataclass
class YearDecl:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


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
        decl = self.years.get(d.year)
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
