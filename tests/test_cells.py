"""One definition of formula cells and merged ranges (shuijie.registries.cells), used by both readers.

A registry is read with python-calamine and the filled 结果录入表 with openpyxl; both refuse a
computed cell and a merged range (a registry's record must be what the clerk typed, 第八条's
名录库; a result must be what the inspectors found, 第十七条).  The same workbook is read
both ways here and both readers name the same cells.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import fill_results_sheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from test_end_to_end import drawn_template, round_dir, ws  # noqa: F401 (fixtures)

from shuijie.core.errors import InputError, ProblemList
from shuijie.registries.cells import Cell, MergedRange, sheet_cells
from shuijie.registries.load import load_registry
from shuijie.stages.results import parse_results_sheet
from shuijie.store.rounds import load_round


def _refs(cells: list[Cell]) -> list[str]:
    return [c.ref for c in cells]


def test_formula_array_and_merged_cells(tmp_path: Path):
    wb = openpyxl.Workbook()
    s = wb.active
    s.title = "名录"
    s.append(["代码", "名称", "区域", "备注"])
    for i in range(2, 12):
        s.append([f"X{i}", f"名称{i}", "浉河区", ""])
    s["B3"] = '=CONCATENATE("信阳","公司")'
    s["D5"] = ArrayFormula("D5:D7", "=UPPER(A5:A7)")
    s.merge_cells("C9:C10")
    s.merge_cells("A1:B1")
    p = tmp_path / "a.xlsx"
    wb.save(p)
    got = sheet_cells(p, "名录")
    assert _refs(got.formulas) == ["B3", "D5", "D6", "D7"] and got.complete and got.formulas_seen
    assert [m.ref for m in got.merged] == ["A1:B1", "C9:C10"]
    assert got.merged[1] == MergedRange(9, 3, 10, 3)
    # by index and from bytes: the same answer
    assert sheet_cells(p.read_bytes(), 0) == got
    # a limit stops the formula scan
    few = sheet_cells(p, 0, limit=2)
    assert _refs(few.formulas) == ["B3", "D5"] and not few.complete
    # a sheet the package does not have
    assert sheet_cells(p, "没有").formulas == []


def _rewrite_sheet(p: Path, fn) -> None:
    """Rewrite sheet1.xml through ``fn`` (to write what openpyxl cannot: shared formulas, no r=)."""
    src = zipfile.ZipFile(io.BytesIO(p.read_bytes()))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = fn(data)
            out.writestr(info, data)


def test_shared_formula_dependents_and_cells_without_r(tmp_path: Path):
    wb = openpyxl.Workbook()
    s = wb.active
    for r in range(1, 6):
        s.append([r, r * 2, None])
    p = tmp_path / "s.xlsx"
    wb.save(p)

    def edit(xml: bytes) -> bytes:
        rows = re.findall(rb"<row [^>]*>.*?</row>", xml, re.DOTALL)
        new = []
        for i, row in enumerate(rows, start=1):
            f = (b'<c r="C1"><f t="shared" ref="C1:C3" si="0">A1+B1</f><v>3</v></c>' if i == 1
                 else b'<c r="C%d"><f t="shared" si="0"/><v>0</v></c>' % i if i <= 3
                 else b"")
            row = row.replace(b"</row>", f + b"</row>")
            if i == 5:  # a row whose cells carry no r: the second cell is B5
                row = re.sub(rb'<c r="[A-Z]+5"', b"<c", row) + b""
                row = row.replace(b"</row>", b"<c><f>A5*3</f><v>15</v></c></row>")
            new.append(row)
        for old, n in zip(rows, new):
            xml = xml.replace(old, n, 1)
        return xml

    _rewrite_sheet(p, edit)
    got = sheet_cells(p, 0)
    assert _refs(got.formulas) == ["C1", "C2", "C3", "C5"]
    assert openpyxl.load_workbook(p).active["C2"].value == "=A2+B2"  # openpyxl sees them the same


# ------------------------------------------------------------ both readers, one workbook


def _registry_cells(path: Path) -> tuple[set[tuple[int, str]], set[str]]:
    probs = ProblemList()
    load_registry("objects", path, path.name, probs)
    formulas = {(p.row, p.params["ref"]) for p in probs.items if p.code == "cell_formula"}
    merged = {p.params["ref"] for p in probs.items if p.code == "cell_merged"}
    return {(r, re.sub(r"\d+", "", ref)) for r, ref in formulas}, merged


def _results_cells(rd: Path, cols: dict[str, int]) -> tuple[set[tuple[int, str]], set[str]]:
    record, workspace = load_round(rd)
    with pytest.raises(InputError) as exc:
        parse_results_sheet(rd / "结果录入表.xlsx", workspace, record)
    probs = exc.value.problems
    formulas = {(p.row, get_column_letter(cols[p.column])) for p in probs if p.code == "results_formula"}
    merged = {p.params["cells"] for p in probs if p.code == "results_merged"}
    return formulas, merged


def test_registry_and_results_readers_name_the_same_cells(ws, tmp_path: Path):  # noqa: F811
    rd = round_dir(ws)
    wb, s, cols = fill_results_sheet(rd)
    date, note, findings = (get_column_letter(cols[h]) for h in ("检查日期", "备注", "发现问题情况"))
    s[f"{date}3"] = "=DATE(2026,2,27)"
    s[f"{note}4"] = ArrayFormula(f"{note}4:{note}5", '=IF(A4:A5="","","x")')
    s.merge_cells(f"{findings}6:{findings}7")
    wb.save(rd / "结果录入表.xlsx")
    as_registry = tmp_path / "objects.xlsx"
    shutil.copyfile(rd / "结果录入表.xlsx", as_registry)

    reg_f, reg_m = _registry_cells(as_registry)
    res_f, res_m = _results_cells(rd, cols)
    expected_f = {(3, date), (4, note), (5, note)}
    assert reg_f == expected_f and res_f == expected_f
    assert reg_m == res_m == {f"{findings}6:{findings}7"}
    # and the shared function says the same of the file both read
    got = sheet_cells(as_registry, "检查结果")
    assert {(c.row, get_column_letter(c.col)) for c in got.formulas} == expected_f
