"""结果录入表: the results sheet written at draw time (第十六、十九条).

Sheet 1 (检查结果) has one row per drawn object, in the order of the draw, with
what is known (object, area, planned date, team — leader first) and the
columns the clerk fills after the check: 检查日期 (actual), 检查结果 (drop-down
of the workspace's outcome list, :mod:`shuijie.results.outcomes`), 发现问题情况,
是否立案 (是/否 drop-down, 第二十六条), 立案号, 备注.  Sheet 2 (逐项检查情况)
has one row per object × applicable plan item with 是否符合 (drop-down) and
发现问题情况.  A hidden sheet 选项 holds the outcome list the drop-down uses.

``shuijie results ROUND FILE.xlsx`` (:mod:`shuijie.results.importer`) reads the
filled sheet back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shuijie.core.models import Workspace
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.papers import print_setup as P
from shuijie.papers.context import doc_no
from shuijie.papers.rows import (
    COMPLIANCE,
    ENTRY_FILE,
    ENTRY_SHEET,
    ITEM_SHEET,
    NO,
    OPTIONS_SHEET,
    YES,
    drawn_rows,
    team_names,
)
from shuijie.papers.xlsx import (
    BODY_FONT,
    BORDER,
    WRAP,
    Stamper,
    new_workbook,
    put,
    save,
    write_table,
)
from shuijie.registries.outcomes import load_outcomes

# Column headers (the importer finds columns by these names, not by position).
H_SEQ = "序号"
H_CODE = "统一社会信用代码"
H_NAME = "检查对象名称"
H_AREA = "区域"
H_PLANNED = "计划检查日期"
H_TEAM = "检查组"
H_DATE = "检查日期"
H_OUTCOME = "检查结果"
H_FINDINGS = "发现问题情况"
H_FILED = "是否立案"
H_CASE_NO = "立案号"
H_NOTE = "备注"
H_ITEM_ID = "事项编号"
H_ITEM = "检查事项"
H_COMPLIANT = "是否符合"

ENTRY_HEADERS = (H_SEQ, H_CODE, H_NAME, H_AREA, H_PLANNED, H_TEAM,
                 H_DATE, H_OUTCOME, H_FINDINGS, H_FILED, H_CASE_NO, H_NOTE)
ENTRY_FILL = (H_DATE, H_OUTCOME, H_FINDINGS, H_FILED, H_CASE_NO, H_NOTE)
ITEM_HEADERS = (H_SEQ, H_CODE, H_NAME, H_ITEM_ID, H_ITEM, H_COMPLIANT, H_FINDINGS)

DATE_FORMAT = "yyyy-mm-dd"
FILL_COLOUR = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")


def _blank_fill_cell(sheet, row: int, col: int, *, date: bool = False):
    cell = sheet.cell(row=row, column=col)
    cell.font = BODY_FONT
    cell.border = BORDER
    cell.alignment = WRAP
    cell.fill = FILL_COLOUR
    cell.number_format = DATE_FORMAT if date else "@"
    return cell


def build_entry_workbook(ws: Workspace, record: dict[str, Any]):
    outcomes = load_outcomes(ws)
    rows = drawn_rows(ws, record)
    wb = new_workbook()

    sheet = wb.active
    sheet.title = ENTRY_SHEET
    data = [(r.seq, r.obj.id, r.obj.name, r.obj.area, r.planned.isoformat(), team_names(ws, r))
            for r in rows]
    write_table(sheet, ENTRY_HEADERS, [], widths=(6, 22, 30, 10, 13, 30, 13, 30, 36, 9, 20, 24))
    fast = Stamper()
    for i, values in enumerate(data, start=2):
        for c, v in enumerate(values, start=1):
            fast.put(sheet, i, c, v)
        for c, h in enumerate(ENTRY_HEADERS, start=1):
            if h in ENTRY_FILL:
                date = h == H_DATE
                fast.put(sheet, i, c, None, kind="date" if date else "fill",
                         style=lambda sh, r, cc, date=date: _blank_fill_cell(sh, r, cc, date=date))
    last = len(data) + 1
    # The fill-in columns get drop-downs down to a generous bound, so that a row
    # the clerk adds still has them (the importer reports rows it does not know).
    bound = max(last, 2) + 50
    col = {h: get_column_letter(i) for i, h in enumerate(ENTRY_HEADERS, start=1)}

    opts = wb.create_sheet(OPTIONS_SHEET)
    for i, name in enumerate(outcomes.names, start=1):
        put(opts, i, 1, name, border=False)
    for i, v in enumerate((YES, NO), start=1):
        put(opts, i, 2, v, border=False)
    for i, v in enumerate(COMPLIANCE, start=1):
        put(opts, i, 3, v, border=False)
    opts.sheet_state = "hidden"

    dv_outcome = DataValidation(type="list", formula1=f"'{OPTIONS_SHEET}'!$A$1:$A${len(outcomes.names)}",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="检查结果", error="请从下拉列表中选择检查结果。",
                                promptTitle="检查结果", prompt="请从下拉列表中选择。", showInputMessage=True)
    dv_outcome.add(f"{col[H_OUTCOME]}2:{col[H_OUTCOME]}{bound}")
    dv_filed = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True,
                              showErrorMessage=True, errorTitle="是否立案", error="请选择“是”或“否”。")
    dv_filed.add(f"{col[H_FILED]}2:{col[H_FILED]}{bound}")
    sheet.add_data_validation(dv_outcome)
    sheet.add_data_validation(dv_filed)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ENTRY_HEADERS))}{last}"

    items_sheet = wb.create_sheet(ITEM_SHEET, 1)
    write_table(items_sheet, ITEM_HEADERS, [], widths=(6, 22, 30, 10, 36, 10, 40))
    r = 1
    for row in rows:
        for item in items_for_object(ws, row.obj):
            r += 1
            for c, v in enumerate((row.seq, row.obj.id, row.obj.name, item.id, item.name), start=1):
                fast.put(items_sheet, r, c, v)
            for c in (6, 7):
                fast.put(items_sheet, r, c, None, kind="fill", style=_blank_fill_cell)
    dv_ok = DataValidation(type="list", formula1='"' + ",".join(COMPLIANCE) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="是否符合", error="请选择符合、不符合或不适用。")
    dv_ok.add(f"F2:F{max(r, 2) + 50}")
    items_sheet.add_data_validation(dv_ok)
    title = f"{ws.plan.title} 结果录入表" + (f"（{doc_no(ws.plan.doc_no)}）" if ws.plan.doc_no else "")
    at = {h: i for i, h in enumerate(ENTRY_HEADERS, start=1)}
    P.finish(sheet, header_row=1, ncols=len(ENTRY_HEADERS), max_width=20, page_title=title,
             keep=(at[H_SEQ], at[H_CODE], at[H_PLANNED]),
             fixed={at[H_DATE]: 12.0, at[H_OUTCOME]: 18.0, at[H_FINDINGS]: 26.0, at[H_FILED]: 8.0,
                    at[H_CASE_NO]: 16.0, at[H_NOTE]: 14.0})
    at = {h: i for i, h in enumerate(ITEM_HEADERS, start=1)}
    P.finish(items_sheet, header_row=1, ncols=len(ITEM_HEADERS), max_width=26, page_title=title,
             keep=(at[H_SEQ], at[H_CODE], at[H_ITEM_ID]),
             fixed={at[H_COMPLIANT]: 9.0, at[H_FINDINGS]: 30.0})
    for s in (sheet, items_sheet):
        s.sheet_view.zoomScale = 100
    return wb


def write_entry_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any]) -> list[Path]:
    """Write 结果录入表.xlsx into ``dest_dir``; returns the paths written."""
    path = Path(dest_dir) / ENTRY_FILE
    save(build_entry_workbook(ws, record), path)
    return [path]
