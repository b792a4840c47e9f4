"""Reading the workspace's ``calendar.yaml`` into a :class:`~shuijie.core.calendar.WorkCalendar`,
and comparing the years it declares with chinesecalendar's (:func:`year_disagreements`)."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import chinese_calendar

from shuijie.core.calendar import WorkCalendar, YearDecl, library_knows
from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.registries.yamlsafe import LineDict, load_yaml


def load_calendar(path: Path | None, shown: str | None = None) -> WorkCalendar:
    """Load ``path`` (None: chinesecalendar only). Bad content → InputError with lines."""
    if path is None:
        return WorkCalendar()
    shown = shown or path.name
    data = load_yaml(path, shown)
    if data is None:
        return WorkCalendar(source=shown)
    probs = ProblemList()
    if not isinstance(data, dict):
        raise InputError(Problem("calendar_not_mapping", {}, shown, 1))
    line_of = data.line_of if isinstance(data, LineDict) else (lambda k: None)

    def dates(value: Any, key: str, line: int | None) -> frozenset[dt.date]:
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            probs.add("calendar_not_list", file=shown, row=line, column=key)
            return frozenset()
        out = set()
        for v in value:
            d = _yaml_date(v)
            if d is None:
                probs.add("calendar_bad_date", file=shown, row=line, column=key, value=str(v))
            else:
                out.add(d)
        return frozenset(out)

    cal = WorkCalendar(source=shown)
    for key in data:
        if key not in ("holidays", "workdays", "years"):
            probs.add("calendar_unknown_key", file=shown, row=line_of(str(key)), column=str(key))
    cal.holidays = dates(data.get("holidays"), "holidays", line_of("holidays"))
    cal.workdays = dates(data.get("workdays"), "workdays", line_of("workdays"))
    years = data.get("years") or {}
    if not isinstance(years, dict):
        probs.add("calendar_years_mapping", file=shown, row=line_of("years"), column="years")
        years = {}
    for year, decl in years.items():
        yline = years.line_of(str(year)) if isinstance(years, LineDict) else None
        if not isinstance(year, int) or not 1900 < year < 2200:
            probs.add("calendar_bad_year", file=shown, row=yline, column="years", value=str(year))
            continue
        decl = decl or {}
        if not isinstance(decl, dict):
            probs.add("calendar_years_mapping", file=shown, row=yline, column=str(year))
            continue
        dline = decl.line_of if isinstance(decl, LineDict) else (lambda k: yline)
        yd = YearDecl(dates(decl.get("holidays"), "holidays", dline("holidays")),
                      dates(decl.get("workdays"), "workdays", dline("workdays")), line=yline)
        for d in yd.holidays | yd.workdays:
            if d.year != year:
                probs.add("calendar_wrong_year", file=shown, row=yline, column=str(year),
                          value=d.isoformat(), year=year)
        cal.years[year] = yd
    both = cal.holidays & cal.workdays
    for d in sorted(both):
        probs.add("calendar_both", file=shown, row=line_of("holidays"), column="holidays",
                  value=d.isoformat())
    probs.raise_if_any()
    return cal


def _yaml_date(v: Any) -> dt.date | None:
    """A YAML date or ISO text; None for a datetime or anything else (reported by the caller)."""
    if isinstance(v, dt.datetime):
        return None
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


# At most this many dates are named in one warning (the rest are counted).
_MAX_DATES = 20


def year_disagreements(cal: WorkCalendar) -> list[Problem]:
    """Warnings (for ``shuijie check``): each year declared in the calendar file that
    chinesecalendar now knows, and the dates where the two disagree (the library wins).

    A declared year is compared day by day: in the declaration a day is a working day
    when it is Monday–Friday and not a listed holiday, or a listed working day."""
    try:
        lib = version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - installed from a source tree
        lib = getattr(chinese_calendar, "__version__", "?")
    out: list[Problem] = []
    for year in sorted(cal.years):
        if not library_knows(year):
            continue
        decl = cal.years[year]
        differ: list[str] = []
        d = dt.date(year, 1, 1)
        one = dt.timedelta(days=1)
        while d.year == year:
            declared = d in decl.workdays or (d.weekday() < 5 and d not in decl.holidays)
            if declared != bool(chinese_calendar.is_workday(d)):
                differ.append(d.isoformat())
            d += one
        if not differ:
            continue
        shown = " ".join(differ[:_MAX_DATES]) + (" …" if len(differ) > _MAX_DATES else "")
        out.append(Problem("calendar_year_disagrees",
                           {"year": year, "version": lib, "dates": shown, "count": len(differ)},
                           cal.source or "registries/calendar.yaml", decl.line, "years", warning=True))
    return out
