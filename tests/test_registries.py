"""Loading registries: every bad input gives one clear problem with file, row, column; exit 2.

Each case is built in a temporary copy of the example workspace and run through
``shuijie check PLAN --json`` (exit code and the problems as written), so the
tests see exactly what a clerk's script would.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import openpyxl
import yaml
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.ids import id_check_char, uscc_check_char
from shuijie.registries.check import load_workspace

PLAN = "plans/2026-Q1-危化.yaml"
runner = CliRunner()


def check(ws: Path, *extra: str) -> tuple[int, list[dict]]:
    res = runner.invoke(app, ["check", str(ws / PLAN), "--json", *extra])
    doc = json.loads(res.stdout)
    assert doc["exit_code"] == res.exit_code
    # the repo's example ships each registry in both forms; these tests edit one of them
    return res.exit_code, [p for p in doc["problems"] + doc.get("warnings", [])
                           if p["code"] != "registry_sibling_differs"]


def only(problems: list[dict], code: str) -> dict:
    hits = [p for p in problems if p["code"] == code]
    assert hits, f"no {code} in {[p['code'] for p in problems]}"
    return hits[0]


def set_plan(ws: Path, **registries: str) -> None:
    f = ws / PLAN
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["registries"].update(registries)
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def objects_book(ws: Path) -> tuple[openpyxl.Workbook, Path]:
    p = ws / "registries" / "objects.xlsx"
    return openpyxl.load_workbook(p), p


def test_shipped_plan_passes(workspace: Path):
    code, problems = check(workspace)
    assert code == 0 and problems == []


def test_yaml_and_excel_forms_load_the_same(workspace: Path):
    a = load_workspace(workspace / PLAN)
    set_plan(workspace, items="../registries/items.xlsx", objects="../registries/objects.yaml",
             inspectors="../registries/inspectors.xlsx", experts="../registries/experts.xlsx")
    b = load_workspace(workspace / PLAN)
    for role in ("items", "objects", "inspectors", "experts"):
        ra, rb = (list(w.objects.every_record()) if role == "objects" else getattr(w, role) for w in (a, b))
        assert [r.model_dump() for r in ra] == [r.model_dump() for r in rb], role
    # recusals from the 回避 sheet, with Chinese labels, are the same pairs as in YAML
    rec_a = sorted((r.person_id, r.object_id, r.reason.value) for p in a.inspectors for r in p.recusals)
    rec_b = sorted((r.person_id, r.object_id, r.reason.value) for p in b.inspectors for r in p.recusals)
    assert rec_a == rec_b and len(rec_a) >= 3
    assert b.files["inspectors"].name == "inspectors.xlsx"
    # every record knows where it came from
    insp = b.inspectors[3]
    assert insp.src.file == "registries/inspectors.xlsx" and insp.src.row == 5
    assert insp.src.column("qualified") == "执法资格"
    rc = next(r for p in b.inspectors for r in p.recusals)
    assert rc.src.file.endswith("[回避]") and rc.src.row >= 2


def test_csv_objects_with_bom(workspace: Path):
    src = load_workspace(workspace / PLAN)
    import csv

    p = workspace / "registries" / "objects.csv"
    with p.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["统一社会信用代码", "名称", "地址", "负责人", "联系方式", "区域", "行业", "类型", "风险等级", "信用等级",
                    "许可文件名称", "许可文号"])
        for o in src.objects.every_record():
            w.writerow([o.id, o.name, o.address, o.principal, o.phone, o.area, o.industry, o.kind, o.risk, o.credit,
                        o.license_name, o.license_no])
    set_plan(workspace, objects="../registries/objects.csv")
    ws = load_workspace(workspace / PLAN)
    assert [o.model_dump() for o in ws.objects.every_record()] == [o.model_dump() for o in src.objects.every_record()]
    assert ws.objects.records([4])[0].src.row == 6


def test_merged_cells(workspace: Path):
    wb, p = objects_book(workspace)
    wb.active.merge_cells("F5:F6")
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "cell_merged")
    assert pr["file"] == "registries/objects.xlsx" and pr["row"] == 5 and pr["column"] == "区域"
    assert "F5:F6" in pr["message"]


def test_formula_cell(workspace: Path):
    wb, p = objects_book(workspace)
    wb.active["B7"] = '=CONCATENATE("信阳","公司")'
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "cell_formula")
    assert (pr["file"], pr["row"], pr["column"]) == ("registries/objects.xlsx", 7, "名称")
    assert "B7" in pr["message"]
    # one message for the mistake: the formula's missing value is not reported again as empty
    assert [p["code"] for p in problems if (p["row"], p["column"]) == (7, "名称")] == ["cell_formula"]


def test_id_stored_as_number(workspace: Path):
    wb, p = objects_book(workspace)
    first17 = "41150219850101123"
    wb.active["A4"] = float(first17 + id_check_char(first17))  # what Excel does with an 18-digit number
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "id_numeric")
    assert (pr["file"], pr["row"], pr["column"]) == ("registries/objects.xlsx", 4, "统一社会信用代码")
    assert "文本" in pr["message"]


def test_blank_row_in_the_middle_but_not_at_the_end(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    for c in range(1, ws.max_column + 1):
        ws.cell(row=10, column=c).value = None
    last = ws.max_row
    ws.cell(row=last + 3, column=1).value = "   "  # trailing whitespace-only rows: ignored
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    assert [(p["code"], p["row"]) for p in problems] == [("row_blank", 10)]


def test_corrupt_zip(workspace: Path):
    p = workspace / "registries" / "objects.xlsx"
    p.write_bytes(p.read_bytes()[:3000])
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "xlsx_corrupt")
    assert pr["file"] == "registries/objects.xlsx" and "objects.xlsx" in pr["message"]


def _cfb(names: list[str]) -> bytes:
    """A minimal OLE/CFB header plus a directory sector naming ``names`` (UTF-16LE)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    dir_sector = b""
    for n in names:
        raw = n.encode("utf-16-le") + b"\x00\x00"
        dir_sector += raw.ljust(64, b"\x00") + b"\x00" * 64
    return head + dir_sector.ljust(512, b"\x00")


def test_legacy_xls(workspace: Path):
    (workspace / "registries" / "objects.xlsx").write_bytes(_cfb(["Root Entry", "Workbook"]))
    code, problems = check(workspace)
    pr = only(problems, "xls_legacy")
    assert code == 2 and pr["file"] == "registries/objects.xlsx" and ".xlsx" in pr["message"]


def test_password_protected(workspace: Path):
    (workspace / "registries" / "objects.xlsx").write_bytes(
        _cfb(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    code, problems = check(workspace)
    pr = only(problems, "xlsx_password")
    assert code == 2 and pr["file"] == "registries/objects.xlsx" and "密码" in pr["message"]


def test_missing_file(workspace: Path):
    (workspace / "registries" / "items.yaml").unlink()
    code, problems = check(workspace)
    pr = only(problems, "registry_missing")
    assert code == 2 and pr["file"] == PLAN and pr["column"] == "registries.items"
    assert "registries/items.yaml" in pr["message"] and pr["row"]


def test_wrong_sheet_first(workspace: Path):
    wb, p = objects_book(workspace)
    blank = wb.create_sheet("说明", 0)
    blank["A1"] = None
    wb.save(p)
    code, problems = check(workspace)
    pr = only(problems, "sheet_wrong")
    assert code == 2 and pr["file"] == "registries/objects.xlsx" and "检查对象" in pr["message"]


def test_yaml_not_a_list(workspace: Path):
    (workspace / "registries" / "items.yaml").write_text("id: WH-01\nname: x\n", encoding="utf-8")
    code, problems = check(workspace)
    pr = only(problems, "yaml_not_list")
    assert code == 2 and pr["file"] == "registries/items.yaml" and pr["row"] == 1


def test_yaml_syntax_error_has_line(workspace: Path):
    f = workspace / "registries" / "experts.yaml"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6] + ": : ["
    f.write_text("\n".join(lines), encoding="utf-8")
    code, problems = check(workspace)
    pr = only(problems, "yaml_syntax")
    assert code == 2 and pr["file"] == "registries/experts.yaml" and pr["row"] in (7, 8)


def test_alias_bomb_refused_fast(workspace: Path):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    (workspace / "registries" / "items.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    t = time.perf_counter()
    code, problems = check(workspace)
    assert time.perf_counter() - t < 5
    pr = only(problems, "yaml_alias")
    assert code == 2 and pr["file"] == "registries/items.yaml" and pr["row"] == 1


def test_unknown_and_missing_columns(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    ws["C1"] = "详细住址"      # unknown header (地址 expected)
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "columns_unused")  # a note, named once: the missing column is the error
    assert pr["row"] == 1 and "「详细住址」" in pr["message"] and pr["severity"] == "warning"
    pr = only(problems, "column_missing")
    assert (pr["file"], pr["row"], pr["column"]) == ("registries/objects.xlsx", 1, "地址")
    assert len([p for p in problems if p["code"] == "column_missing"]) == 1  # once, not per row


def test_english_headers_accepted(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    for c in range(1, ws.max_column + 1):
        ws.cell(row=1, column=c).value = ["id", "name", "address", "principal", "phone", "area", "industry",
                                          "kind", "risk", "credit", "license_name", "license_no", "note"][c - 1]
    wb.save(p)
    code, problems = check(workspace)
    assert code == 0, problems


def test_bad_uscc_and_bad_id(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    good = ws["A3"].value
    ws["A3"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    first17 = "41150219850101123"
    right = id_check_char(first17)
    ws["A8"] = first17 + ("0" if right != "0" else "1")
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "uscc_check")
    assert (pr["file"], pr["row"], pr["column"]) == ("registries/objects.xlsx", 3, "统一社会信用代码")
    pr = only(problems, "id_card_check")
    assert (pr["row"], pr["column"]) == (8, "统一社会信用代码")


def test_duplicate_id_names_both_rows(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    ws["A12"] = ws["A5"].value
    wb.save(p)
    code, problems = check(workspace)
    pr = only(problems, "duplicate_id")
    assert code == 2 and pr["row"] == 12 and "5" in pr["message"]


def test_recusal_sheet_unknown_person_and_object(workspace: Path):
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    p = workspace / "registries" / "inspectors.xlsx"
    wb = openpyxl.load_workbook(p)
    rs = wb["回避"]
    rs.append(["X999", rs["B2"].value, "曾工作过", ""])
    first17 = "91411502MA00000AB"
    rs.append(["J002", first17 + uscc_check_char(first17), "本人在其中兼职的单位", ""])
    rs.append(["J003", rs["B2"].value, "朋友", ""])
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    n = rs.max_row
    pr = only(problems, "recusal_unknown_person")
    assert (pr["file"], pr["row"], pr["column"]) == ("registries/inspectors.xlsx[回避]", n - 2, "人员编号")
    pr = only(problems, "recusal_reason_unknown")
    assert (pr["row"], pr["column"]) == (n, "回避情形")


def test_recusal_yaml_unknown_object(workspace: Path):
    f = workspace / "registries" / "inspectors.yaml"
    text = f.read_text(encoding="utf-8")
    first17 = "91411502MA00000AB"
    bad = first17 + uscc_check_char(first17)
    text = text.replace("  name: 钟", f"  recusals:\n  - object_id: {bad}\n    reason: 其他\n  name: 钟", 1)
    f.write_text(text, encoding="utf-8")
    code, problems = check(workspace)
    pr = only(problems, "recusal_unknown_object")
    line = text.splitlines().index(f"  - object_id: {bad}") + 1
    assert code == 2 and pr["file"] == "registries/inspectors.yaml" and pr["row"] == line


def test_wrong_types_in_excel(workspace: Path):
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    p = workspace / "registries" / "inspectors.xlsx"
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["H4"] = "也许"          # 执法资格: yes/no
    ws["G6"] = "事业单位"      # 单位类型: 局机关 / 二级机构
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "bool_invalid")
    assert (pr["row"], pr["column"]) == (4, "执法资格")
    pr = only(problems, "value_not_allowed")
    assert (pr["row"], pr["column"]) == (6, "单位类型") and "二级机构" in pr["message"]
    assert all("pydantic" not in p["message"] and "Input should" not in p["message"] for p in problems)


def test_numeric_id_in_yaml(workspace: Path):
    f = workspace / "registries" / "experts.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("- id: E001", "- id: 1001", 1), encoding="utf-8")
    code, problems = check(workspace)
    pr = only(problems, "id_numeric_yaml")
    assert code == 2 and pr["file"] == "registries/experts.yaml" and pr["row"] and pr["column"] == "id"


def test_secondary_unit_rules_and_leader(workspace: Path):
    f = workspace / "registries" / "inspectors.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    z = next(i for i, p in enumerate(data) if p["unit_type"] == "二级机构")
    data[z]["qualified"] = False
    data[z]["areas"] = []
    j = next(i for i, p in enumerate(data) if p["unit_type"] == "局机关" and not p["qualified"])
    data[j]["can_lead"] = True
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, problems = check(workspace)
    assert code == 2
    codes = {p["code"] for p in problems}
    assert {"secondary_not_qualified", "secondary_no_areas", "leader_not_qualified"} <= codes
    assert all(p["file"] == "registries/inspectors.yaml" and p["row"] for p in problems)


def test_license_fields_required_for_license_items(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 7).value == "危险化学品经营")
    ws.cell(row, 12).value = None
    wb.save(p)
    code, problems = check(workspace)
    pr = only(problems, "license_field_missing")
    assert code == 2 and (pr["row"], pr["column"]) == (row, "许可文号")


def test_english_messages(workspace: Path):
    (workspace / "registries" / "items.yaml").write_text("id: WH-01\n", encoding="utf-8")
    code, problems = check(workspace, "--lang", "en")
    assert code == 2 and "must be a list of records" in problems[0]["message"]


def test_rich_table_names_file_row_column(workspace: Path):
    wb, p = objects_book(workspace)
    wb.active["B7"] = "=1+1"
    wb.save(p)
    res = CliRunner().invoke(app, ["check", str(workspace / PLAN)], terminal_width=200)
    assert res.exit_code == 2
    assert "registries/objects.xlsx" in res.output and "7" in res.output and "名称" in res.output
    assert "Traceback" not in res.output


def test_title_row_above_header(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    ws.insert_rows(1)
    ws["A1"] = "信阳市应急管理局检查对象名录库"
    wb.save(p)
    code, problems = check(workspace)
    # the header is found under the title: a note naming the title row, and the check passes
    assert code == 0 and [(x["code"], x["row"]) for x in problems] == [("rows_above_header", 1)]


def test_recusal_reason_wordings():
    from shuijie.core.rules.recusal import RecusalReason as R
    from shuijie.core.rules.recusal import parse as recusal_reason

    assert recusal_reason("worked") is R.worked
    assert recusal_reason("本人曾工作过的单位") is R.worked
    assert recusal_reason("（二）本人在其中兼职的单位；") is R.part_time
    assert recusal_reason("曾管辖") is R.jurisdiction
    assert recusal_reason("与本人或亲属有直接利害关系的单位") is R.interest
    assert recusal_reason("利害关系") is R.interest
    assert recusal_reason("其他") is R.other
    assert recusal_reason("朋友") is None


def test_overrides_replace_a_registry(workspace: Path, tmp_path: Path):
    other = tmp_path / "inputs"
    other.mkdir()
    shutil.copy(workspace / "registries" / "objects.yaml", other / "objects.yaml")
    ws = load_workspace(workspace / PLAN, overrides={"objects": other / "objects.yaml"})
    assert ws.files["objects"] == (other / "objects.yaml").resolve()
    assert len(ws.objects) >= 60
    assert set(ws.files) == {"plan", "items", "objects", "inspectors", "experts", "calendar"}


def test_fast_object_records_behave_like_validated_ones(workspace: Path):
    ws = load_workspace(workspace / PLAN)  # objects.xlsx goes through the fast path
    from shuijie.core.models import Object

    for o in ws.objects.every_record():
        v = Object.model_validate(o.model_dump())
        assert v.model_dump() == o.model_dump() and o.model_fields_set <= set(Object.model_fields)
        assert o.src.row >= 2 and o.src.file == "registries/objects.xlsx"
    o = ws.objects.records([0])[0].model_copy(update={"name": "改名"})
    assert o.name == "改名" and ws.objects.records([0])[0].name != "改名"


def test_whitespace_only_row_in_the_middle(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    for c in range(1, ws.max_column + 1):
        ws.cell(row=9, column=c).value = " "
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2 and [(x["code"], x["row"]) for x in problems] == [("row_blank", 9)]


def test_table_not_starting_at_a1_keeps_sheet_rows_and_columns(workspace: Path):
    wb, p = objects_book(workspace)
    ws = wb.active
    ws.insert_rows(1, 2)
    ws.insert_cols(1)
    ws["C9"] = "=1+1"      # 名称 of the 6th record, now in column C, row 9
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2
    pr = only(problems, "cell_formula")
    assert (pr["row"], pr["column"]) == (9, "名称")
    ws["C9"] = "信阳某公司"
    wb.save(p)
    code, problems = check(workspace)
    assert code == 0, problems
    obj = load_workspace(workspace / PLAN).objects.records([0])[0]
    assert obj.src.row == 4
