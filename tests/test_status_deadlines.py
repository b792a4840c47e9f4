"""Working-day deadlines across Chinese holidays (第十一、十七、十九条)."""

from __future__ import annotations

import datetime as dt

import pytest

from shuijie.core.calendar import LIBRARY_YEARS, WorkCalendar
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

    y = max(LIBRARY_YEARS) + 1  # the first year chinesecalendar does not know
    rd = tmp_path / f"{y}-Q1"
    (rd / "snapshot").mkdir(parents=True)
    (rd / "commitment.json").write_text(f'{{"plan_id": "{y}-Q1"}}', encoding="utf-8")
    (rd / "snapshot" / "parameters.json").write_text(
        f'{{"working_days": ["{y}-03-01", "{y}-03-02"]}}', encoding="utf-8")
    st = round_status(rd, dt.date(y, 2, 1))
    assert st.stage == "committed" and st.notify_by is None
    assert [p.code for p in st.problems][:1] == ["date_unknown"]


@pytest.fixture(scope="module")
def drawn_round(tmp_path_factory):
    """The example round, drawn through the CLI."""
    import json

    from typer.testing import CliRunner

    from shuijie.cli import app

    base = tmp_path_factory.mktemp("status")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(base / "ws")]).exit_code == 0
    plan = base / "ws" / "plans" / "2026-Q1-危化.yaml"
    res = runner.invoke(app, ["draw", str(plan), "--random", "3 1 4", "--json"])
    assert res.exit_code == 0, res.stdout
    rd = base / "ws" / "rounds" / "2026-Q1-危化"
    return rd, json.loads((rd / "draw.json").read_text("utf-8"))


def test_status_of_a_drawn_round_reads_draw_json_plan_and_calendar(drawn_round, tmp_path):
    import shutil

    from shuijie.stages.status import round_status

    rd, record = drawn_round
    dates = sorted(s["date"] for s in record["selected"])
    st = round_status(rd, dt.date(2026, 2, 1))
    assert (st.plan_id, st.stage, st.drawn) == ("2026-Q1-危化", "drawn", len(record["selected"]))
    assert (st.first_day, st.last_day) == (dates[0], dates[-1]) and st.notice_date and st.title
    cal = WorkCalendar()
    assert st.notify_by == workdays.notify_by(cal, dt.date.fromisoformat(dates[0])).isoformat()
    assert st.archive_by == workdays.archive_by(cal, dt.date.fromisoformat(dates[-1])).isoformat()
    assert not st.problems

    # the registries are not read: broken ones change nothing
    copy = tmp_path / rd.name
    shutil.copytree(rd, copy)
    for name in ("objects.xlsx", "inspectors.yaml", "experts.yaml", "items.yaml"):
        (copy / "inputs" / name).write_text("{not: [valid", encoding="utf-8")
    again = round_status(copy, dt.date(2026, 2, 1))
    assert again.to_dict() | {"path": st.path} == st.to_dict()

    # the round's own calendar file counts: a declared extra holiday moves the archive date
    last = dt.date.fromisoformat(dates[-1])
    nxt = cal.add_workdays(last, 1)
    (copy / "inputs" / "calendar.yaml").write_text(f"holidays: [{nxt.isoformat()}]\n", encoding="utf-8")
    moved = round_status(copy, dt.date(2026, 2, 1))
    assert moved.archive_by == cal.add_workdays(last, workdays.ARCHIVE_WORKDAYS + 1).isoformat()

    # a broken plan file is a problem named with its file, not a traceback
    (copy / "inputs" / "2026-Q1-危化.yaml").write_text("id: [", encoding="utf-8")
    bad = round_status(copy, dt.date(2026, 2, 1))
    assert bad.problems and "2026-Q1-危化.yaml" in (bad.problems[0].file or "")
    assert bad.drawn == st.drawn and bad.notice_date is None


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
