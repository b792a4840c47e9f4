"""One definition of each shared rule (core/rules), through the CLI.

* the inspector pool is unit OR id (docs/draw-algorithm.md) in ``check`` and the
  snapshot alike: a plan naming one 科室 and one more person passes ``check`` and
  is drawn from exactly those people;
* the items of an object (第六、七条): with a mixed-industry population the
  letter (检查通知书) of an object lists exactly the items the results sheet lists
  for it and the importer accepts; a plan item that applies to no object of the
  population is a ``check`` warning (exit 0).
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from conftest import fill_results_sheet
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.registries.init import init_workspace

PLAN = "plans/2026-Q1-危化.yaml"
PLAN_ID = "2026-Q1-危化"
RANDOM = "2026050: 3 1 4"
runner = CliRunner()


def run(*args: str) -> tuple[int, dict]:
    res = runner.invoke(app, [*args, "--json"])
    return res.exit_code, json.loads(res.stdout)


def edit_plan(ws: Path, change) -> None:
    f = ws / PLAN
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    change(data)
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def registry(ws: Path, name: str) -> list[dict]:
    return yaml.safe_load((ws / "registries" / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    base = tmp_path / "ws"
    code, doc = run("init", str(base), "--yaml")
    assert code == 0, doc
    return base


def test_pool_is_unit_or_id_in_check_and_draw(ws: Path):
    unit = "危险化学品安全监督管理科"
    def narrow(d):
        d["inspector_pool"] = {"units": [unit], "ids": ["J002"]}
        d["team"]["max_per_round"] = None  # five people visit every drawn object in turn
    edit_plan(ws, narrow)
    people = registry(ws, "inspectors")
    expected = {p["id"] for p in people if p.get("active", True) and (p["unit"] == unit or p["id"] == "J002")}
    assert "J002" in expected and len(expected) >= 4  # the unit's people plus one named person

    code, doc = run("check", str(ws / PLAN))
    assert code == 0, doc["problems"]
    code, doc = run("draw", str(ws / PLAN), "--random", RANDOM)
    assert code == 0, doc["problems"]

    rd = ws / "rounds" / PLAN_ID
    rows = (rd / "snapshot" / "inspectors.csv").read_text("utf-8").splitlines()[1:]
    assert {r.split(",")[0] for r in rows} == expected
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    drawn = {pid for t in record["teams"] for pid in t["inspectors"]}
    assert record["teams"] and drawn <= expected


def _letter_items(path: Path, names: dict[str, str]) -> set[str]:
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for row in t.rows for c in row.cells)
    return {iid for iid, name in names.items() if name in text}


def test_letter_lists_the_items_the_results_sheet_accepts(ws: Path):
    def mixed(d):
        d["population"] = {"industry": ["危险化学品经营", "烟花爆竹经营"]}
        d["items"] = ["WH-01", "YH-01", "AQ-01"]
        d["strata"] = [{"name": "危化", "where": {"industry": ["危险化学品经营"]}, "count": 2},  # both kinds drawn
                       {"name": "烟花", "where": {"industry": ["烟花爆竹经营"]}, "count": 2}]
    edit_plan(ws, mixed)
    code, doc = run("check", str(ws / PLAN))
    assert code == 0, doc["problems"]
    code, doc = run("draw", str(ws / PLAN), "--random", RANDOM)
    assert code == 0, doc["problems"]

    rd = ws / "rounds" / PLAN_ID
    items = {i["id"]: i for i in registry(ws, "items")}
    names = {iid: items[iid]["name"] for iid in ("WH-01", "YH-01", "AQ-01")}
    objects = {o["id"]: o for o in registry(ws, "objects")}
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    industries = {objects[s["object_id"]]["industry"] for s in record["selected"]}
    assert industries == {"危险化学品经营", "烟花爆竹经营"}  # the test needs both kinds drawn

    wb = openpyxl.load_workbook(rd / "结果录入表.xlsx")
    sheet = wb["逐项检查情况"]
    cols = {c.value: c.column for c in sheet[1]}
    on_sheet: dict[str, set[str]] = {}
    for r in range(2, sheet.max_row + 1):
        oid = sheet.cell(row=r, column=cols["统一社会信用代码"]).value
        on_sheet.setdefault(oid, set()).add(sheet.cell(row=r, column=cols["事项编号"]).value)

    letters = sorted((rd / "检查通知书").glob("*.docx"))
    assert len(letters) == len(record["selected"])
    for seq, (letter, sel) in enumerate(zip(letters, record["selected"]), start=1):
        assert letter.name.startswith(f"{seq:03d}-")
        obj = objects[sel["object_id"]]
        applies = {iid for iid in names if not items[iid].get("industries") or obj["industry"] in items[iid]["industries"]}
        assert _letter_items(letter, names) == applies == on_sheet[obj["id"]], (letter.name, obj["industry"])

    # the importer accepts every item row the sheet offers
    wb, s, _ = fill_results_sheet(rd)
    isheet = wb["逐项检查情况"]
    for r in range(2, isheet.max_row + 1):
        isheet.cell(row=r, column=cols["是否符合"]).value = "符合"
    filled = ws / "filled.xlsx"
    wb.save(filled)
    code, doc = run("results", str(rd), str(filled))
    assert code == 0, doc["problems"]
    stored = json.loads((rd / "results.json").read_text("utf-8"))
    for oid, res in stored["results"].items():
        assert set(res["items"]) == on_sheet[oid]


def test_plan_item_for_no_object_is_a_warning(ws: Path):
    edit_plan(ws, lambda d: d["items"].append("FM-01"))  # 非煤矿山: not in the population
    code, doc = run("check", str(ws / PLAN))
    assert code == 0
    assert doc["problems"] == []
    [warning] = doc["warnings"]
    assert warning["code"] == "plan_item_unused" and warning["severity"] == "warning"
    assert warning["column"] == "items" and "FM-01" in warning["message"] and "非煤矿山" in warning["message"]
    res = runner.invoke(app, ["check", str(ws / PLAN)])
    assert res.exit_code == 0 and "FM-01" in res.output + (res.stderr if res.stderr_bytes else "")


def test_who_the_rules_leave_out_is_in_the_record_and_the_draw_report(tmp_path):
    """第八条 登记状态 and 第九条 执法证: the objects and inspectors left out are counted in draw.json
    and named in 抽取记录; verify recomputes them from inputs/."""
    ws = tmp_path / "ws"
    init_workspace(ws, yaml=True)
    plan = yaml.safe_load((ws / PLAN).read_text("utf-8"))
    objs = yaml.safe_load((ws / "registries" / "objects.yaml").read_text("utf-8"))
    pop = [o for o in objs if o["industry"] in plan["population"]["industry"]]
    pop[0]["status"] = "注销"
    (ws / "registries" / "objects.yaml").write_text(yaml.safe_dump(objs, allow_unicode=True, sort_keys=False),
                                                   "utf-8")
    people = yaml.safe_load((ws / "registries" / "inspectors.yaml").read_text("utf-8"))
    expired = next(p for p in people if not p.get("can_lead"))
    expired["cert_expiry"] = "2020-12-31"
    (ws / "registries" / "inspectors.yaml").write_text(yaml.safe_dump(people, allow_unicode=True, sort_keys=False),
                                                      "utf-8")
    code, doc = run("draw", str(ws / PLAN), "--random", RANDOM)
    assert code == 0, doc["problems"]
    rd = ws / "rounds" / plan["id"]
    record = json.loads((rd / "draw.json").read_text("utf-8"))
    assert record["status_excluded"] == [pop[0]["id"]]
    assert record["inspectors_left_out"] == [{"person_id": expired["id"], "reason": "cert_expired"}]
    assert all(expired["id"] not in t["inspectors"] for t in record["teams"])
    report = docx.Document(str(rd / "抽取记录.docx"))
    text = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        c.text for t in report.tables for row in t.rows for c in row.cells)
    assert "不在抽取范围的对象：1 个" in text and "未参加本轮的检查人员：1 人" in text
    assert expired["name"] in text and "执法证在检查结束前到期" in text
    assert run("verify", str(rd))[0] == 0
