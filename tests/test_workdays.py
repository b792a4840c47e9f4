"""Working days (第十一、十七、十九条): chinesecalendar plus the workspace calendar.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

import shuijie
from shuijie.core.calendar import LIBRARY_YEARS, WorkCalendar
from shuijie.core.errors import InputError
from shuijie.core.rules.deadlines import archive_by, notify_by, publish_by
from shuijie.registries.calendar_file import load_calendar, year_disagreements

D = dt.date


def test_2026_has_248_working_days():
    cal = WorkCalendar()
    assert len(cal.workdays_between(D(2026, 1, 1), D(2026, 12, 31))) == 248


@pytest.mark.parametrize("day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                                 "2026-10-10"])
def test_make_up_days_are_working_days(day):
    d = D.fromisoformat(day)
    assert d.weekday() >= 5  # a weekend day …
    assert WorkCalendar().is_workday(d)  # … that is worked (调休)


@pytest.mark.parametrize("start,n,expected", [
    ("2026-02-13", 20, "2026-03-19"), ("2026-09-18", 20, "2026-10-22"), ("2026-04-30", 20, "2026-06-01"),
])
def test_add_workdays(start, n, expected):
    cal = WorkCalendar()
    assert cal.add_workdays(D.fromisoformat(start), n) == D.fromisoformat(expected)
    # and back again
    assert cal.add_workdays(D.fromisoformat(expected), -n) == D.fromisoformat(start)


def test_rules_of_the_regulation():
    cal = WorkCalendar()
    # 2026-03-02 is a Monday after the Spring Festival; 2026-02-28 (Sat) is a make-up day
    assert notify_by(cal, D(2026, 3, 2)) == D(2026, 2, 24)
    assert archive_by(cal, D(2026, 3, 27)) == D(2026, 4, 8)  # 2026-04-06 is 清明 holiday (Monday)
    assert publish_by(cal, D(2026, 2, 13)) == D(2026, 3, 19)


UNKNOWN = max(LIBRARY_YEARS) + 1  # the first year chinesecalendar has no data for


def test_library_years_are_what_the_library_knows():
    """Asked of the library, not hard-coded: its last year works, the next one does not."""
    assert min(LIBRARY_YEARS) <= 2026 <= max(LIBRARY_YEARS)  # README, tests, example need 2026
    chinese_calendar.is_workday(D(max(LIBRARY_YEARS), 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(UNKNOWN, 1, 1))


def test_an_unknown_year_is_unknown_and_says_how(tmp_path: Path):
    cal = WorkCalendar()
    with pytest.raises(InputError) as e:
        cal.is_workday(D(UNKNOWN, 3, 1))
    p = e.value.problems[0]
    assert p.code == "date_unknown"
    assert str(UNKNOWN) in p.message("zh") and "calendar.yaml" in p.message("zh") and "years" in p.message("zh")
    assert str(UNKNOWN) in p.message("en")


def _weekday(year: int, month: int, want: int) -> D:
    d = D(year, month, 1)
    return d + dt.timedelta(days=(want - d.weekday()) % 7)


def test_calendar_yaml_declares_an_unknown_year(tmp_path: Path):
    y = UNKNOWN
    monday, saturday, sunday = _weekday(y, 3, 0), _weekday(y, 2, 5), _weekday(y, 2, 6)
    f = tmp_path / "calendar.yaml"
    f.write_text(f"years:\n  {y}:\n    holidays: [{y}-01-01, {_weekday(y, 2, 1)}]\n    workdays: [{saturday}]\n"
                 "holidays: [2026-03-03]\nworkdays: [2026-03-07]\n", encoding="utf-8")
    cal = load_calendar(f)
    assert cal.knows(monday)
    assert cal.is_workday(monday)
    assert not cal.is_workday(D(y, 1, 1))          # declared holiday
    assert not cal.is_workday(_weekday(y, 2, 1))   # declared holiday on a Tuesday
    assert cal.is_workday(saturday)                # declared make-up Saturday
    assert not cal.is_workday(sunday)              # ordinary Sunday
    assert not cal.is_workday(D(2026, 3, 3))       # top-level override of a chinesecalendar workday
    assert cal.is_workday(D(2026, 3, 7))
    first = D(y, 1, 2)  # the first working day of the declared year, counted from the library's last day
    while first.weekday() >= 5 and first != saturday:
        first += dt.timedelta(days=1)
    assert cal.add_workdays(D(y - 1, 12, 31), 1) == first


def test_a_declared_year_the_library_knows_does_not_count(tmp_path: Path):
    """The library wins for its own years; the disagreement is a warning naming the dates."""
    f = tmp_path / "calendar.yaml"
    f.write_text("years:\n  2026:\n    holidays: [2026-03-03]\n    workdays: [2026-03-07]\n", encoding="utf-8")
    cal = load_calendar(f, "registries/calendar.yaml")
    assert cal.is_workday(D(2026, 3, 3)) and not cal.is_workday(D(2026, 3, 7))
    assert not cal.is_workday(D(2026, 2, 17))      # 春节 in the library, a Tuesday
    [w] = year_disagreements(cal)
    assert (w.code, w.file, w.row, w.column) == ("calendar_year_disagrees", "registries/calendar.yaml", 2, "years")
    named = w.params["dates"].split()
    assert "2026-03-03" in named and "2026-03-07" in named and "2026-02-17" in named
    assert "2026-03-04" not in named
    assert w.params["count"] >= len(named)
    assert "2026" in w.message("zh") and "2026-03-03" in w.message("en")
    # a file declaring only unknown years, or none, gives no warning
    assert year_disagreements(load_calendar(None)) == []


def _example_sample() -> str:
    """The commented ``years:`` sample in the example workspace's calendar.yaml, uncommented."""
    text = (Path(shuijie.__file__).parent / "example" / "registries" / "calendar.yaml").read_text("utf-8")
    lines = text.splitlines()
    start = lines.index("# years:")
    out = []
    for line in lines[start:]:
        if not line.startswith("# "):
            break
        out.append(line[2:])
    return "\n".join(out) + "\n"


def test_the_example_2027_sample_is_a_possible_arrangement(tmp_path: Path):
    f = tmp_path / "calendar.yaml"
    f.write_text(_example_sample(), encoding="utf-8")
    cal = load_calendar(f)  # every date a real date of its year, none both holiday and workday
    decl = cal.years[2027]
    assert decl.workdays and decl.holidays
    for d in decl.workdays:
        assert d.weekday() >= 5, f"make-up working day {d} is not a weekend day"
    assert D(2027, 2, 6) not in decl.workdays      # 正月初一 is a holiday, never a make-up day
    assert not decl.workdays & decl.holidays
    for d in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 6), D(2027, 4, 5), D(2027, 5, 1),
              D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1)):
        assert d in decl.holidays, d
    assert chinese_calendar.get_solar_terms(D(2027, 4, 1), D(2027, 4, 10)) == [(D(2027, 4, 5), "清明")]


def test_bad_calendar_dates_point_at_the_line(tmp_path: Path):
    f = tmp_path / "calendar.yaml"
    f.write_text("holidays: [2026-03-03]\nworkdays:\n  - 2026-02-30\nyears:\n  2027:\n    holidays: [2028-01-01]\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_calendar(f, "registries/calendar.yaml")
    probs = {p.code: p for p in e.value.problems}
    assert probs["calendar_bad_date"].row == 2 and probs["calendar_bad_date"].file == "registries/calendar.yaml"
    assert probs["calendar_wrong_year"].row == 5
