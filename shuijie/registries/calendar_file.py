"""Reading the workspace's ``calendar.yaml`` into a :class:`~shuijie.core.calendar.WorkCalendar`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from shuijie.core.calendar import WorkCalendar, YearDecl
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
                      dates(decl.get("workdays"), "workdays", dline("workdays")))
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
