"""Plan rules of ``shuijie check`` (第十、十一、十四、二十五条): exit 2 with the plan line and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.calendar import LIBRARY_YEARS
from shuijie.registries.check import check_plan, doc_no_problem

PLAN = "plans/2026-Q1-危化.yaml"
runner = CliRunner()


def check(ws: Path, *extra: str) -> tuple[int, list[dict]]:
    res = runner.invoke(app, ["check", str(ws / PLAN), "--json", *extra])
    doc = json.loads(res.stdout)
    return res.exit_code, doc["problems"]


def edit_plan(ws: Path, change) -> str:
    f = ws / PLAN
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    change(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    f.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, startswith: str) -> int:
    return next(i for i, l in enumerate(text.splitlines(), start=1) if l.lstrip().startswith(startswith))


def only(problems: list[dict], code: str) -> dict:
    hits = [p for p in problems if p["code"] == code]
    assert hits, f"no {code} in {[(p['code'], p['message']) for p in problems]}"
    return hits[0]


def test_unknown_item(workspace: Path):
    text = edit_plan(workspace, lambda d: d["items"].append("XX-99"))
    code, problems = check(workspace)
    pr = only(problems, "plan_item_unknown")
    assert code == 2 and pr["file"] == PLAN and pr["row"] == line_of(text, "- XX-99") and "XX-99" in pr["message"]


def test_team_size_six_needs_a_reason(workspace: Path):
    text = edit_plan(workspace, lambda d: d["team"].update(size=6))
    code, problems = check(workspace)
    pr = only(problems, "team_size_reason")
    assert code == 2 and pr["column"] == "team.size" and pr["row"] == line_of(text, "size: 6")
    edit_plan(workspace, lambda d: d["team"].update(size_reason="重大危险源企业，需增加专业人员"))
    code, problems = check(workspace)
    assert "team_size_reason" not in {p["code"] for p in problems}


def test_min_qualified_one(workspace: Path):
    text = edit_plan(workspace, lambda d: d["team"].update(min_qualified=1))
    code, problems = check(workspace)
    pr = only(problems, "team_min_qualified_low")
    assert code == 2 and pr["row"] == line_of(text, "min_qualified:") and "第十四条" in pr["message"]


def test_missing_doc_no_approver_date(workspace: Path):
    def drop(d):
        del d["doc_no"], d["approved_by"], d["approved_on"]
    edit_plan(workspace, drop)
    code, problems = check(workspace)
    assert code == 2
    assert {"plan_doc_no_missing", "plan_approver_missing", "plan_approved_on_missing"} <= {p["code"] for p in problems}
    assert all(p["file"] == PLAN for p in problems)


@pytest.mark.parametrize("bad", ["信应急[2026]5号", "信应急【2026】5号", "信应急(2026)5号"])
def test_doc_no_brackets_suggests_fix(workspace: Path, bad):
    text = edit_plan(workspace, lambda d: d.update(doc_no=bad))
    code, problems = check(workspace)
    pr = only(problems, "doc_no_brackets")
    assert code == 2 and pr["row"] == line_of(text, "doc_no:") and "信应急〔2026〕5号" in pr["message"]
    assert doc_no_problem("信应急〔2026〕5号") is None


def test_notice_date_too_late_names_latest_date(workspace: Path):
    text = edit_plan(workspace, lambda d: d.update(notice_date="2026-03-03"))
    code, problems = check(workspace)
    pr = only(problems, "notice_too_late")
    assert code == 2 and pr["row"] == line_of(text, "notice_date:") and "2026-03-02" in pr["message"]


def test_notice_date_before_the_random_value_is_refused(workspace: Path):
    """第十一、十二条: a letter naming the drawn object is dated on or after the draw."""
    text = edit_plan(workspace, lambda d: d.update(notice_date="2026-02-25"))
    code, problems = check(workspace)
    pr = only(problems, "notice_before_random")
    assert code == 2 and pr["row"] == line_of(text, "notice_date:") and "2026-02-26" in pr["message"]
    assert not [p for p in problems if p["code"] == "notice_too_late"]  # still 5 working days ahead
    edit_plan(workspace, lambda d: d.update(notice_date="2026-02-26"))  # the day itself is fine
    code, problems = check(workspace)
    assert code == 0, problems


def test_window_in_an_unknown_year_is_unknown_until_declared(workspace: Path):
    """The first year chinesecalendar does not know (asked of the library, so this keeps
    working the day a release learns 2027)."""
    y = max(LIBRARY_YEARS) + 1

    def to_unknown_year(d):
        d["window"] = {"start": f"{y}-03-01", "end": f"{y}-03-26"}
        d["notice_date"] = f"{y}-02-19"
        d["approved_on"] = f"{y}-02-01"
    text = edit_plan(workspace, to_unknown_year)
    code, problems = check(workspace)
    pr = only(problems, "date_unknown")
    assert code == 2 and pr["file"] == PLAN and pr["row"] == line_of(text, "start:")
    assert "calendar.yaml" in pr["message"] and str(y) in pr["message"]
    (workspace / "registries" / "calendar.yaml").write_text(
        f"years:\n  {y}:\n    holidays: [{y}-01-01]\n    workdays: []\n", encoding="utf-8")
    code, problems = check(workspace)
    assert code == 0, problems


def test_a_declared_year_the_library_knows_is_a_warning_naming_the_dates(workspace: Path):
    """2026 is in chinesecalendar: declaring it differently changes nothing and says where."""
    (workspace / "registries" / "calendar.yaml").write_text(
        "years:\n  2026:\n    holidays: [2026-01-01, 2026-03-03]\n    workdays: []\n", encoding="utf-8")
    res = runner.invoke(app, ["check", str(workspace / PLAN), "--json"])
    doc = json.loads(res.stdout)
    assert res.exit_code == 0 and doc["problems"] == [], doc
    [w] = doc["warnings"]
    assert w["code"] == "calendar_year_disagrees" and w["file"] == "registries/calendar.yaml"
    assert w["row"] == 2 and w["column"] == "years"
    # 03-03 declared off but worked; 01-02 (the library's 元旦 holiday) declared worked;
    # 01-04 (a make-up Sunday) declared off
    for day in ("2026-03-03", "2026-01-02", "2026-01-04", "2026-02-16"):
        assert day in w["message"], w["message"]
    assert "2026-03-04" not in w["message"] and "chinesecalendar" in w["message"]
    res = runner.invoke(app, ["check", str(workspace / PLAN)])
    assert res.exit_code == 0 and "2026-03-03" in res.output + (res.stderr if res.stderr_bytes else "")


def test_window_reversed(workspace: Path):
    edit_plan(workspace, lambda d: d["window"].update(end="2026-03-01"))
    code, problems = check(workspace)
    assert code == 2 and only(problems, "window_reversed")["column"] == "window.end"


@pytest.mark.parametrize("stratum,code_", [
    ({"name": "x", "ratio": "1.5"}, "stratum_ratio_invalid"),
    ({"name": "x", "ratio": 0}, "stratum_ratio_invalid"),
    ({"name": "x", "ratio": "0.2", "count": 3}, "stratum_ratio_or_count"),
    ({"name": "x"}, "stratum_ratio_or_count"),
    ({"name": "x", "where": {"colour": ["red"]}, "count": 1}, "filter_field_unknown"),
])
def test_strata(workspace: Path, stratum, code_):
    edit_plan(workspace, lambda d: d["strata"].insert(0, stratum))
    code, problems = check(workspace)
    pr = only(problems, code_)
    # the stratum is named by its name, never by its position (strata.0)
    assert code == 2 and pr["file"] == PLAN and pr["row"] and pr["column"].startswith("strata「x」")


def test_yaml_number_ratio_accepted(workspace: Path):
    edit_plan(workspace, lambda d: d["strata"][0].update(ratio=0.3))
    ws, problems = check_plan(workspace / PLAN)
    assert problems == [] and ws.plan.strata[0].ratio == "0.3"


def test_population_that_leaves_nothing(workspace: Path):
    edit_plan(workspace, lambda d: d.update(population={"industry": ["养殖业"]}))
    code, problems = check(workspace)
    assert code == 2 and only(problems, "population_empty")["column"] == "population"


def test_experts_without_registry(workspace: Path):
    edit_plan(workspace, lambda d: d["registries"].pop("experts"))
    code, problems = check(workspace)
    assert code == 2 and only(problems, "experts_registry_missing")["column"] == "experts.per_team"


def test_group_by_other_than_area_and_wrong_type(workspace: Path):
    def change(d):
        d["schedule"]["group_by"] = "industry"
        d["team"]["size"] = "three"
    text = edit_plan(workspace, change)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "value_not_allowed")
    assert pr["column"] == "schedule.group_by" and pr["row"] == line_of(text, "group_by:") and "area" in pr["message"]
    pr = only(problems, "int_invalid")
    assert pr["column"] == "team.size" and pr["row"] == line_of(text, "size: three")
    assert all("Input should" not in p["message"] for p in problems)


def test_unknown_key_and_missing_key(workspace: Path):
    def change(d):
        d["tittle"] = d.pop("title")
    text = edit_plan(workspace, change)
    code, problems = check(workspace)
    assert code == 2
    assert only(problems, "key_unknown")["row"] == line_of(text, "tittle:")
    assert only(problems, "field_required")["column"] == "title"


def test_plan_not_a_mapping_and_missing(workspace: Path, tmp_path: Path):
    (workspace / PLAN).write_text("- a\n- b\n", encoding="utf-8")
    code, problems = check(workspace)
    assert code == 2 and problems[0]["code"] == "plan_not_mapping"
    res = runner.invoke(app, ["check", str(tmp_path / "nope.yaml"), "--json"])
    assert res.exit_code == 2 and json.loads(res.stdout)["problems"][0]["code"] == "file_missing"


def test_all_problems_reported_together(workspace: Path):
    def change(d):
        d["team"]["min_qualified"] = 1
        d["doc_no"] = ""
        d["items"].append("NOPE")
    edit_plan(workspace, change)
    code, problems = check(workspace)
    assert {"team_min_qualified_low", "plan_doc_no_missing", "plan_item_unknown"} <= {p["code"] for p in problems}
