"""Working days (第十一、十七、十九条): chinesecalendar plus the workspace calendar.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError
from shuijie.core.rules.deadlines import archive_by, notify_by, publish_by
from shuijie.registries.calendar_file import load_calendar

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


def test_2027_is_unknown_and_says_how(tmp_path: Path):
    cal = WorkCalendar()
    with pytest.raises(InputError) as e:
        cal.is_workday(D(2027, 3, 1))
    p = e.value.problems[0]
    assert p.code == "date_unknown"
    assert "2027" in p.message("zh") and "calendar.yaml" in p.message("zh") and "years" in p.message("zh")
    assert "2027" in p.message("en")


def test_calendar_yaml_declares_2027(tmp_path: Path):
    f = tmp_path / "calendar.yaml"
    f.write_text("years:\n  2027:\n    holidays: [2027-01-01, 2027-02-08]\n    workdays: [2027-02-06]\n"
                 "holidays: [2026-03-03]\nworkdays: [2026-03-07]\n", encoding="utf-8")
    cal = load_calendar(f)
    assert cal.knows(D(2027, 3, 1))
    assert cal.is_workday(D(2027, 3, 1))          # Monday
    assert not cal.is_workday(D(2027, 1, 1))      # declared holiday
    assert cal.is_workday(D(2027, 2, 6))          # declared make-up Saturday
    assert not cal.is_workday(D(2027, 2, 7))      # ordinary Sunday
    assert not cal.is_workday(D(2026, 3, 3))      # top-level override of a chinesecalendar workday
    assert cal.is_workday(D(2026, 3, 7))
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_bad_calendar_dates_point_at_the_line(tmp_path: Path):
    f = tmp_path / "calendar.yaml"
    f.write_text("holidays: [2026-03-03]\nworkdays:\n  - 2026-02-30\nyears:\n  2027:\n    holidays: [2028-01-01]\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_calendar(f, "registries/calendar.yaml")
    probs = {p.code: p for p in e.value.problems}
    assert probs["calendar_bad_date"].row == 2 and probs["calendar_bad_date"].file == "registries/calendar.yaml"
    assert probs["calendar_wrong_year"].row == 5
