"""``shuijie init`` and the example workspace shipped with the package."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.ids import is_id_card_number, is_uscc
from shuijie.registries.check import load_workspace

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "shuijie" / "example"
runner = CliRunner()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_repo_copies_are_identical_to_the_package_example():
    for sub in ("registries", "plans"):
        assert _files(REPO / sub) == _files(EXAMPLE / sub), sub


def test_generator_is_deterministic(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("make_example", REPO / "scripts" / "make_example.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.write_all(tmp_path)
    for sub in ("registries", "plans"):
        assert _files(tmp_path / sub) == _files(EXAMPLE / sub), sub


def test_init_then_check_passes(tmp_path: Path):
    target = tmp_path / "新工作区"
    res = runner.invoke(app, ["init", str(target), "--json"])
    assert res.exit_code == 0, res.output
    files = json.loads(res.stdout)["files"]
    for f in ("registries/objects.xlsx", "registries/inspectors.xlsx", "registries/experts.xlsx",
              "registries/items.xlsx", "registries/calendar.yaml", "registries/lists.yaml",
              "plans/2026-Q1-危化.yaml"):
        assert f in files and (target / f).is_file()
    # one form each, and the plan reads exactly those files
    assert not [p for p in (target / "registries").iterdir()
                if p.stem in ("items", "objects", "inspectors", "experts") and p.suffix != ".xlsx"]
    plan = (target / "plans" / "2026-Q1-危化.yaml").read_text(encoding="utf-8")
    assert "../registries/inspectors.xlsx" in plan and "inspectors.yaml" not in plan
    if (REPO / "shuijie" / "templates").is_dir():
        assert any(f.startswith("templates/") for f in files)
    res = runner.invoke(app, ["check", str(target / "plans" / "2026-Q1-危化.yaml")])
    assert res.exit_code == 0, res.output


def test_init_refuses_non_empty_folder_unless_forced(tmp_path: Path):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    res = runner.invoke(app, ["init", str(tmp_path), "--json"])
    assert res.exit_code == 2 and json.loads(res.stdout)["problems"][0]["code"] == "init_not_empty"
    res = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert res.exit_code == 0
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "plans" / "2026-Q1-危化.yaml").is_file()


def test_example_is_realistic_and_valid():
    ws = load_workspace(EXAMPLE / "plans" / "2026-Q1-危化.yaml")
    assert len(ws.objects) >= 60 and len(ws.inspectors) >= 20 and len(ws.experts) >= 8 and len(ws.items) >= 6
    assert len({o.area for o in ws.objects.every_record()}) == 10
    assert {"危险化学品经营", "工贸", "非煤矿山", "烟花爆竹经营"} <= {o.industry for o in ws.objects.every_record()}
    assert {o.risk for o in ws.objects.every_record()} == {"高", "较高", "一般", "低"}
    assert {o.credit for o in ws.objects.every_record()} == {"A", "B", "C", "D"}
    persons = [o for o in ws.objects.every_record() if is_id_card_number(o.id)]
    assert 2 <= len(persons) <= 3
    assert all(is_uscc(o.id) for o in ws.objects.every_record() if o not in persons)
    assert any(o.id[0].isalpha() for o in ws.objects.every_record())  # a code starting with a letter
    assert any(not p.qualified for p in ws.inspectors)
    assert sum(p.can_lead for p in ws.inspectors) >= 4
    secondary = [p for p in ws.inspectors if p.unit_type == "二级机构"]
    assert secondary and all(p.areas and p.qualified for p in secondary)
    assert sum(len(p.recusals) for p in ws.inspectors) >= 3 and any(e.recusals for e in ws.experts)
    assert ws.plan.team.size == 3 and ws.plan.team.min_qualified == 2 and ws.plan.experts.per_team == 1
    assert ws.plan.schedule.group_by == "area"
    assert ws.rounds_dir == (EXAMPLE / "rounds").resolve()
    # comfortably feasible: every area of the population has more eligible inspectors than a team needs
    pop_areas = {o.area for o in ws.objects.every_record() if o.industry in ws.plan.population["industry"]}
    for a in pop_areas:
        able = [p for p in ws.inspectors if p.active and (not p.areas or a in p.areas)]
        assert len(able) >= 3 * ws.plan.team.size


def test_excel_templates_have_drop_downs_and_recusal_sheet():
    wb = openpyxl.load_workbook(EXAMPLE / "registries" / "objects.xlsx")
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    lists = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        lists[headers[openpyxl.utils.column_index_from_string(col) - 1]] = dv.formula1
    assert {"区域", "行业", "风险等级", "信用等级"} <= set(lists)
    assert "浉河区" in lists["区域"] and "较高" in lists["风险等级"]
    assert all(c.data_type == "s" for c in ws["A"][1:])  # ids are text cells
    insp = openpyxl.load_workbook(EXAMPLE / "registries" / "inspectors.xlsx")
    assert insp.sheetnames[1] == "回避"
    assert [c.value for c in insp["回避"][1]] == ["人员编号", "检查对象", "回避情形", "说明"]


def test_init_yaml_writes_yaml_only(tmp_path: Path):
    target = tmp_path / "ws"
    res = runner.invoke(app, ["init", str(target), "--yaml"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (target / "registries").iterdir()) == [
        "calendar.yaml", "experts.yaml", "inspectors.yaml", "items.yaml", "lists.yaml", "objects.yaml"]
    res = runner.invoke(app, ["check", str(target / "plans" / "2026-Q1-危化.yaml")])
    assert res.exit_code == 0, res.output


def test_check_warns_when_a_sibling_registry_differs(tmp_path: Path):
    import openpyxl
    target = tmp_path / "ws"
    runner.invoke(app, ["init", str(target)])
    plan = target / "plans" / "2026-Q1-危化.yaml"
    res = runner.invoke(app, ["check", str(plan), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout).get("warnings", []) == []
    shutil.copy(EXAMPLE / "registries" / "inspectors.yaml", target / "registries" / "inspectors.yaml")
    res = runner.invoke(app, ["check", str(plan), "--json"])
    assert json.loads(res.stdout).get("warnings", []) == []  # same records: nothing to say
    wb = openpyxl.load_workbook(target / "registries" / "inspectors.xlsx")
    wb.active.cell(row=2, column=2).value = "改过的名字"
    wb.save(target / "registries" / "inspectors.xlsx")
    res = runner.invoke(app, ["check", str(plan), "--json"])
    warns = json.loads(res.stdout)["warnings"]
    assert res.exit_code == 0 and [w["code"] for w in warns] == ["registry_sibling_differs"]
    assert warns[0]["file"] == "registries/inspectors.yaml" and "registries/inspectors.xlsx" in warns[0]["message"]
