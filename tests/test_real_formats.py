"""Registries as clerks really have them (REAL-FORMATS.md): platform exports and import
templates — title and instruction rows above the header, a 序号 column, platform header
names, unused columns, a hint row, a template's example row, a two-row merged header,
footer rows, a 参数表 sheet, a legacy .xls, numbers typed as numbers, 注册号 ids, a roster
without 执法资格 / 可任组长 — must give the same snapshot as the clean registry of the same
records (第八、九条), and a value typed slightly differently must be named with the value
it most likely means.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from shuijie.cli import app
from shuijie.core.ids import regno_check_digit
from shuijie.core.snapshot import build_snapshot
from shuijie.registries.check import load_workspace

PLAN = "plans/2026-Q1-危化.yaml"
runner = CliRunner()

# platform header names (REAL-FORMATS.md) for the example's columns, and columns the tool does not use
OBJECT_HEADERS = {"统一社会信用代码": "统一社会信用代码（注册号）", "名称": "企业（单位）名称", "地址": "住所（经营场所）",
                  "负责人": "法定代表人/负责人", "联系方式": "手机号码", "区域": "所属行政区划", "行业": "所属行业",
                  "类型": "市场主体类型", "风险等级": "风险等级", "信用等级": "信用等级", "许可文件名称": "许可证名称",
                  "许可文号": "许可证编号", "备注": "备注"}
UNUSED = ("注册资本", "成立日期", "登记机关")


def check(ws: Path) -> tuple[int, list[dict]]:
    res = runner.invoke(app, ["check", str(ws / PLAN), "--json"])
    doc = json.loads(res.stdout)
    return res.exit_code, doc["problems"] + doc.get("warnings", [])


def snapshot(ws: Path) -> dict[str, bytes]:
    return build_snapshot(load_workspace(ws / PLAN)).files


def set_plan(ws: Path, **registries: str) -> None:
    f = ws / PLAN
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["registries"].update(registries)
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def sheet_rows(path: Path) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def export_objects(ws: Path, *, example_row: bool = False, hint: bool = True, footer: bool = True) -> Path:
    """The example's objects laid out like a provincial platform's export (title, notes, 序号,
    platform names, unused columns, a hint row, a footer, a 参数表 sheet)."""
    rows = sheet_rows(ws / "registries" / "objects.xlsx")
    header, data = rows[0], rows[1:]
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "待抽检库"
    width = 1 + len(header) + len(UNUSED)
    sh.append(["待抽检库导入模板"])
    sh.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sh.append(["填报单位：信阳市应急管理局　　填报时间：2026年2月1日"])
    sh.append(["序号", *[OBJECT_HEADERS[h] for h in header], *UNUSED])
    if hint:
        sh.append(["", "必填", "必填", "", "", "", "浉河区/平桥区", "", "", "高/较高/一般/低", "A/B/C/D", "", "", "",
                   "YYYY-MM-DD", "YYYY-MM-DD", ""])
    if example_row:
        sh.append([0, "91411502MA00000000", "案例（请删除）", *[""] * (width - 3)])
    for i, r in enumerate(data, start=1):
        sh.append([i, *r, "100万元", "2015-06-01", "信阳市市场监督管理局"])
    if footer:
        sh.append(["合计", f"{len(data)} 户"])
        sh.append(["填表说明：1. 统一社会信用代码须与营业执照一致。"])
    ref = wb.create_sheet("参数表")
    ref.append(["风险等级", "高", "较高", "一般", "低"])
    out = ws / "registries" / "objects-export.xlsx"
    wb.save(out)
    return out


def test_export_layout_gives_the_same_snapshot(workspace: Path):
    clean = snapshot(workspace)
    export_objects(workspace)
    set_plan(workspace, objects="../registries/objects-export.xlsx")
    code, problems = check(workspace)
    assert code == 0, problems
    notes = {p["code"]: p for p in problems}
    assert set(notes) == {"rows_above_header", "columns_unused", "hint_row", "footer_rows"}
    assert notes["rows_above_header"]["row"] == 1 and "1、2" in notes["rows_above_header"]["message"]
    assert notes["hint_row"]["row"] == 4
    assert all(f"「{h}」" in notes["columns_unused"]["message"] for h in UNUSED)
    assert "序号" not in notes["columns_unused"]["message"]
    assert all(p["severity"] == "warning" for p in problems)
    assert snapshot(workspace) == clean


def test_rows_keep_the_numbers_excel_shows(workspace: Path):
    p = export_objects(workspace)
    wb = openpyxl.load_workbook(p)
    sh = wb.active
    sh.cell(row=7, column=2).value = "91411502MA00000001"  # the 3rd record: row 7 (title, notes, header, hint)
    wb.save(p)
    set_plan(workspace, objects="../registries/objects-export.xlsx")
    code, problems = check(workspace)
    bad = [x for x in problems if x["severity"] == "error"]
    assert code == 2 and [(x["code"], x["row"], x["column"]) for x in bad] == \
        [("uscc_check", 7, "统一社会信用代码（注册号）")]


def test_example_row_is_a_problem_never_a_record(workspace: Path):
    export_objects(workspace, example_row=True)
    set_plan(workspace, objects="../registries/objects-export.xlsx")
    code, problems = check(workspace)
    bad = [x for x in problems if x["severity"] == "error"]
    assert code == 2 and [(x["code"], x["row"]) for x in bad] == [("row_example", 5)]
    assert "案例（请删除）" in bad[0]["message"] and "删除" in bad[0]["message"]


def test_csv_export_with_title_rows(workspace: Path):
    clean = snapshot(workspace)
    rows = sheet_rows(export_objects(workspace, footer=True))
    import csv
    with (workspace / "registries" / "objects.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["" if c is None else c for c in r] for r in rows])
    set_plan(workspace, objects="../registries/objects.csv")
    code, problems = check(workspace)
    assert code == 0, problems
    assert snapshot(workspace) == clean


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_xls(src: Path) -> Path:
    exe = _soffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is required in CI to build the .xls fixture")
        pytest.skip("soffice (LibreOffice) is not installed: cannot build a real .xls")
    profile = src.parent / ".lo-profile"
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls",
                    "--outdir", str(src.parent), str(src)], check=True, capture_output=True, timeout=180)
    out = src.with_suffix(".xls")
    assert out.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # a real BIFF/OLE file
    return out


def test_legacy_xls_export_reads_like_xlsx(workspace: Path):
    clean = snapshot(workspace)
    xls = to_xls(export_objects(workspace))
    set_plan(workspace, objects=f"../registries/{xls.name}")
    code, problems = check(workspace)
    assert code == 0, problems
    assert {p["code"] for p in problems} == {"rows_above_header", "columns_unused", "hint_row", "footer_rows"}
    assert snapshot(workspace) == clean


def test_legacy_xls_problems_name_the_same_rows(workspace: Path):
    p = export_objects(workspace)
    wb = openpyxl.load_workbook(p)
    wb.active.cell(row=7, column=2).value = "91411502MA00000001"
    wb.save(p)
    xls = to_xls(p)
    set_plan(workspace, objects=f"../registries/{xls.name}")
    code, problems = check(workspace)
    bad = [x for x in problems if x["severity"] == "error"]
    assert code == 2 and [(x["code"], x["file"], x["row"]) for x in bad] == \
        [("uscc_check", "registries/objects-export.xls", 7)]


def roster(ws: Path) -> tuple[list, list[list], list[list]]:
    book = openpyxl.load_workbook(ws / "registries" / "inspectors.xlsx")
    rows = [list(r) for r in book["执法检查人员"].iter_rows(values_only=True)]
    rec = [list(r) for r in book["回避"].iter_rows(values_only=True)]
    return rows[0], rows[1:], rec


def test_two_row_merged_header_roster(workspace: Path):
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    clean = snapshot(workspace)
    header, data, rec = roster(workspace)
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "人员名单"
    sh.append(["信阳市应急管理局执法人员名单"])
    ci = header.index("执法证号")
    top = ["序号", *header[:ci], "执法证件", None, *header[ci + 1:], "学历"]
    low = [None] * (ci + 1) + ["证件名称", "证件编号"] + [None] * (len(header) - ci)
    sh.append(top)
    sh.append(low)
    sh.merge_cells(start_row=2, start_column=ci + 2, end_row=2, end_column=ci + 3)
    for col in [*range(1, ci + 2), *range(ci + 4, len(top) + 1)]:
        sh.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    for i, r in enumerate(data, start=1):
        sh.append([i, *r[:ci], "河南省行政执法证", r[ci], *r[ci + 1:], "本科"])
    rs = wb.create_sheet("回避")
    for r in rec:
        rs.append(r)
    wb.save(workspace / "registries" / "inspectors.xlsx")
    code, problems = check(workspace)
    assert code == 0, problems
    unused = [p for p in problems if p["code"] == "columns_unused"]
    assert len(unused) == 1 and "「证件名称」" in unused[0]["message"] and "「学历」" in unused[0]["message"]
    assert unused[0]["row"] == 3
    assert snapshot(workspace) == clean


def test_roster_without_id_qualification_and_leader_columns(workspace: Path):
    """No 编号, 执法资格, 可任组长: the 执法证号 is the key, holding a valid 执法证 qualifies,
    settings.yaml says who leads."""
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    header, data, rec = roster(workspace)
    keep = [h for h in header if h not in ("编号", "执法资格", "可任组长")]
    idx = {h: header.index(h) for h in header}
    data = [r for r in data if r[idx["执法证号"]]]  # keyed by 执法证号: everyone listed holds one
    ids = {r[idx["编号"]]: r[idx["执法证号"]] for r in data}
    rec = [rec[0], *[r for r in rec[1:] if r[0] in ids]]
    leaders = sorted({r[idx["职务"]] for r in data if r[idx["可任组长"]] == "是"})
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["序号", *[{"执法证号": "行政执法证编号", "所在单位": "所在科室"}.get(h, h) for h in keep], "执法证有效期"])
    for i, r in enumerate(data, start=1):
        sh.append([i, *[r[idx[h]] for h in keep], "2028-12-31"])
    rs = wb.create_sheet("回避")
    rs.append(rec[0])
    for r in rec[1:]:
        rs.append([ids.get(r[0], r[0]), *r[1:]])
    wb.save(workspace / "registries" / "inspectors.xlsx")
    (workspace / "registries" / "settings.yaml").write_text(
        "leaders: [" + ", ".join(leaders) + "]\n", encoding="utf-8")
    code, problems = check(workspace)
    assert code == 0, problems
    ws = load_workspace(workspace / PLAN)
    assert sorted(p.id for p in ws.inspectors) == sorted(ids.values())
    lines = snapshot(workspace)["inspectors.csv"].decode().splitlines()[1:]
    by_id = {ln.split(",")[0]: ln.split(",") for ln in lines}
    assert by_id and all(v[1] == "1" for v in by_id.values())  # a valid 执法证: qualified
    for r in data:
        if r[idx["在岗"]] == "是":
            assert by_id[r[idx["执法证号"]]][2] == ("1" if r[idx["职务"]] in leaders else "0")


def test_numbers_typed_as_numbers_and_regno_ids(workspace: Path):
    p = workspace / "registries" / "objects.xlsx"
    wb = openpyxl.load_workbook(p)
    sh = wb.active
    sh.cell(row=2, column=5).value = 13912345678        # a mobile number typed as a number
    regno = "41150200001234"
    regno += regno_check_digit(regno)
    sh.cell(row=3, column=1).value = regno              # a 注册号 as text
    sh.cell(row=4, column=1).value = 914115020000000000  # an 18-digit code typed as a number: refused
    wb.save(p)
    code, problems = check(workspace)
    bad = [x for x in problems if x["severity"] == "error"]
    assert code == 2 and [(x["code"], x["row"]) for x in bad] == [("id_numeric", 4)]


def test_mobile_number_kept_whole(workspace: Path):
    p = workspace / "registries" / "objects.xlsx"
    wb = openpyxl.load_workbook(p)
    wb.active.cell(row=2, column=5).value = 13912345678
    regno = "41150200001234"
    regno += regno_check_digit(regno)
    sh = wb.active
    new = [c.value for c in sh[3]]
    new[0] = int(regno)  # a 注册号 typed as a number keeps its 15 digits
    sh.append(new)
    last = sh.max_row
    wb.save(p)
    code, problems = check(workspace)
    assert code == 0, problems
    ws = load_workspace(workspace / PLAN)
    rows = {o.src.row: o for o in ws.objects.every_record()}
    assert rows[2].phone == "13912345678" and rows[last].id == regno


def write_lists(ws: Path) -> None:
    """lists.yaml holding the example's own values (so the clean example passes)."""
    rows = sheet_rows(ws / "registries" / "objects.xlsx")
    out = {}
    for name in ("区域", "行业", "风险等级", "信用等级"):
        i = rows[0].index(name)
        out[name] = sorted({r[i] for r in rows[1:] if r[i]} | ({"高", "较高", "一般", "低"} if name == "风险等级" else set()))
    (ws / "registries" / "lists.yaml").write_text(yaml.safe_dump(out, allow_unicode=True), encoding="utf-8")


def test_near_miss_values_name_file_row_column_and_suggestion(workspace: Path):
    write_lists(workspace)
    code, problems = check(workspace)
    assert code == 0, problems
    p = workspace / "registries" / "objects.xlsx"
    wb = openpyxl.load_workbook(p)
    sh = wb.active
    sh.cell(row=2, column=6).value = "浉河"
    sh.cell(row=3, column=7).value = "危化品经营"
    sh.cell(row=4, column=9).value = "很高"
    wb.save(p)
    code, problems = check(workspace)
    bad = sorted((x["row"], x["column"], x["code"]) for x in problems if x["severity"] == "error")
    assert code == 2 and bad == [(2, "区域", "value_not_in_list"), (3, "行业", "value_not_in_list"),
                                 (4, "风险等级", "value_not_in_list")]
    msgs = {x["row"]: x for x in problems if x["code"] == "value_not_in_list"}
    assert all(m["file"] == "registries/objects.xlsx" for m in msgs.values())
    assert "是否为「浉河区」" in msgs[2]["message"]
    assert "「危险化学品经营」" in msgs[3]["message"]
    assert "「高」" in msgs[4]["message"]


def test_plan_values_checked_against_the_lists(workspace: Path):
    write_lists(workspace)
    f = workspace / PLAN
    f.write_text(f.read_text(encoding="utf-8").replace("  - 较高\n", "  - 较高风险\n", 1), encoding="utf-8")
    code, problems = check(workspace)
    hits = [x for x in problems if x["code"] == "value_not_in_list"]
    assert code == 2 and hits and hits[0]["file"] == PLAN and "「较高」" in hits[0]["message"]


def test_columns_yaml_maps_another_header(workspace: Path):
    clean = snapshot(workspace)
    p = workspace / "registries" / "objects.xlsx"
    wb = openpyxl.load_workbook(p)
    wb.active.cell(row=1, column=3).value = "实际经营场所详址"
    wb.save(p)
    code, problems = check(workspace)
    assert code == 2 and any(x["code"] == "column_missing" for x in problems)
    (workspace / "registries" / "columns.yaml").write_text("objects:\n  实际经营场所详址: 地址\n", encoding="utf-8")
    code, problems = check(workspace)
    assert code == 0, problems
    assert snapshot(workspace) == clean


def test_every_problem_of_every_sheet_in_one_run(workspace: Path):
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    p = workspace / "registries" / "inspectors.xlsx"
    wb = openpyxl.load_workbook(p)
    wb["执法检查人员"].cell(row=2, column=8).value = "也许"   # 执法资格 neither 是 nor 否
    wb["回避"].cell(row=2, column=3).value = "不知道"          # unknown reason on the 回避 sheet
    wb.save(p)
    f = workspace / PLAN
    f.write_text(f.read_text(encoding="utf-8").replace("cooldown: ", "cooldown: 三个月 #", 1), encoding="utf-8")
    code, problems = check(workspace)
    found = [(x["file"], x["row"], x["code"]) for x in problems if x["severity"] == "error"]
    assert code == 2
    assert (PLAN, 0, "int_invalid") in [(f, 0, c) for f, _, c in found]     # the plan's mistake …
    assert ("registries/inspectors.xlsx", 2, "bool_invalid") in found       # … hides neither sheet
    assert ("registries/inspectors.xlsx[回避]", 2, "recusal_reason_unknown") in found
    assert found == sorted(found, key=lambda t: (t[0] != PLAN, t[0], t[1] or 0))  # by file and row


# ---------------------------------------------------------------- who may be drawn (properties)


def _objects_with_status(ws: Path, states: list[str]) -> set[str]:
    p = ws / "registries" / "objects.xlsx"
    wb = openpyxl.load_workbook(p)
    sh = wb.active
    col = sh.max_column + 1
    sh.cell(row=1, column=col).value = "登记状态"
    out = set()
    for r in range(2, sh.max_row + 1):
        s = states[(r - 2) % len(states)]
        sh.cell(row=r, column=col).value = s
        if any(w in s for w in ("注销", "吊销", "撤销", "迁出")):
            out.add(sh.cell(row=r, column=1).value)
    wb.save(p)
    return out


STATES = st.lists(st.sampled_from(["存续", "在业", "注销", "吊销，未注销", "已迁出", "撤销", ""]), min_size=1, max_size=9)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=STATES)
def test_deregistered_objects_never_in_the_population(workspace: Path, states: list[str]):
    shutil.copy(Path(__file__).resolve().parent.parent / "registries" / "objects.xlsx",
                workspace / "registries" / "objects.xlsx")
    gone = _objects_with_status(workspace, states)
    try:
        snap = build_snapshot(load_workspace(workspace / PLAN))
    except Exception as exc:  # every object gone: the population may be empty, which check refuses
        assert "population" in repr(exc)
        return
    ids = {ln.split(",")[0] for ln in snap.files["population.csv"].decode().splitlines()[1:]}
    assert not ids & gone
    assert snap.counts["status_excluded"] >= 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expiries=st.lists(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
                         min_size=1, max_size=8),
       scopes=st.lists(st.sampled_from(["", "危险化学品", "工贸", "危险化学品;工贸"]), min_size=1, max_size=5))
def test_expired_or_out_of_scope_inspectors_never_drawn(workspace: Path, expiries, scopes):
    src = Path(__file__).resolve().parent.parent / "registries" / "inspectors.xlsx"
    p = workspace / "registries" / "inspectors.xlsx"
    shutil.copy(src, p)
    set_plan(workspace, inspectors="../registries/inspectors.xlsx")
    items = yaml.safe_load((workspace / "registries" / "items.yaml").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(p)
    sh = wb["执法检查人员"]
    c1, c2 = sh.max_column + 1, sh.max_column + 2
    sh.cell(row=1, column=c1).value = "执法证有效期"
    sh.cell(row=1, column=c2).value = "执法门类"
    plan = yaml.safe_load((workspace / PLAN).read_text(encoding="utf-8"))
    end = plan["window"]["end"]
    keys = [set(i.get("industries") or []) for i in items if i["id"] in plan["items"]]
    expect_out = set()
    for r in range(2, sh.max_row + 1):
        e = expiries[(r - 2) % len(expiries)]
        s = scopes[(r - 2) % len(scopes)]
        sh.cell(row=r, column=c1).value = e.isoformat()
        sh.cell(row=r, column=c2).value = s
        scope = {x for x in s.split(";") if x}
        if e < end or (scope and not all(not k or k & scope for k in keys)):
            expect_out.add(sh.cell(row=r, column=1).value)
    wb.save(p)
    try:
        ws = load_workspace(workspace / PLAN)
    except Exception as exc:
        assert "pool_too_small" in repr(exc) or "InputError" in type(exc).__name__
        return
    snap = build_snapshot(ws)
    pool = {ln.split(",")[0] for ln in snap.files["inspectors.csv"].decode().splitlines()[1:]}
    assert not pool & expect_out
    from shuijie.core.draw import run_draw
    from shuijie.core.errors import ShuijieError
    try:
        rec = run_draw(snap.files, ["1"])
    except ShuijieError:
        return
    drawn = {m for t in rec.get("teams", []) for m in t.get("members", [])} | \
        {t.get("leader") for t in rec.get("teams", [])}
    assert not drawn & expect_out
