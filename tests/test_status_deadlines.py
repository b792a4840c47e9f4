"""Working-day deadlines across Chinese holidays (第十一、十七、十九条)."""

from __future__ import annotations

import datetime as dt

import pytest

from shuijie.core.calendar import WorkCalendar
from shuijie.core.rules import deadlines as workdays


@pytest.mark.parametrize("results_day, expected", [
    ("2026-02-13", "2026-03-19"),  # across the Spring Festival (2-14 and 2-28 are make-up working days)
    ("2026-09-18", "2026-10-22"),  # across National Day / Mid-Autumn (9-20, 10-10 make-up days)
    ("2026-04-30", "2026-06-01"),  # across Labour Day and the Dragon Boat Festival
])
def test_publish_by(results_day, expected):
    cal = WorkCalendar()
    day = dt.date.fromisoformat(results_day)
    assert workdays.publish_by(cal, day).isoformat() == expected
    # exactly 20 working days after, the results day itself not counted
    span = cal.workdays_between(day + dt.timedelta(days=1), dt.date.fromisoformat(expected))
    assert len(span) == 20 and cal.is_workday(dt.date.fromisoformat(expected))


def test_status_reports_unknown_year_instead_of_guessing(tmp_path):
    from shuijie.stages.status import round_status

    rd = tmp_path / "2027-Q1"
    (rd / "snapshot").mkdir(parents=True)
    (rd / "commitment.json").write_text('{"plan_id": "2027-Q1"}', encoding="utf-8")
    (rd / "snapshot" / "parameters.json").write_text(
        '{"working_days": ["2027-03-01", "2027-03-02"]}', encoding="utf-8")
    st = round_status(rd, dt.date(2027, 2, 1))
    assert st.stage == "committed" and st.notify_by is None
    assert [p.code for p in st.problems][:1] == ["date_unknown"]


def test_status_committed_round_deadlines(tmp_path):
    from shuijie.stages.status import round_status

    rd = tmp_path / "2026-Q3"
    (rd / "snapshot").mkdir(parents=True)
    (rd / "commitment.json").write_text('{"plan_id": "2026-Q3"}', encoding="utf-8")
    (rd / "snapshot" / "parameters.json").write_text(
        '{"working_days": ["2026-10-08", "2026-10-09"]}', encoding="utf-8")
    st = round_status(rd, dt.date(2026, 9, 15))

    cal = WorkCalendar()
    assert st.notify_by == workdays.notify_by(cal, dt.date(2026, 10, 8)).isoformat()
    assert st.notify_by < "2026-10-01"
    assert st.archive_by == "2026-10-19"  # 10-10 (Saturday) is a make-up working day
    assert st.stage == "committed" and not st.overdue["notify"]
    assert round_status(rd, dt.date(2026, 10, 5)).overdue["notify"]
