"""结果录入表: the results sheet written at draw time (第十六、十九条).

Sheet 1 (检查结果) has one row per drawn object, in the order of the draw, with
what is known (object, area, planned date) and the
columns the clerk fills after the check: 检查日期 (actual); 检查结果, 检查结果（二）,
检查结果（三） (each a drop-down of the workspace's outcome list,
:mod:`shuijie.registries.outcomes`: several outcomes per object, as the national
system records them); 发现问题情况; 核查方式 (list of the national methods, several
separated by 、); 实际检查人员 (pre-filled with the drawn team); 是否立案 (是/否,
第二十六条) and 立案号; 后续处置措施, 是否完结 (是/否) and 完结日期; 备注.  Sheet 2 (逐项检查情况)
has one row per object × applicable plan item with 是否符合 (drop-down) and
发现问题情况.  A hidden sheet 选项 holds the outcome list the drop-down uses.

The workbook is written twice with the same bytes: ``结果录入表.xlsx``, the clerk's
working copy, filled where it lies (not sealed by the manifest), and
``原件/结果录入表（空白）.xlsx``, the sealed blank original that ``verify`` compares.
``shuijie results ROUND`` (:mod:`shuijie.stages.results`) reads the filled sheet back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.core.workspace import Workspace
from shuijie.papers import print_setup as P
from shuijie.papers.rows import (
    COMPLIANCE,
    ENTRY_FILE,
    ENTRY_SHEET,
    ITEM_SHEET,
    NO,
    OPTIONS_SHEET,
    YES,
    drawn_rows,
    inspector_names,
)
from shuijie.papers.xlsx import (
    BODY_FONT,
    BORDER,
    WRAP,
    new_workbook,
    put,
    put_styled,
    to_bytes,
    write_table,
)
from shuijie.registries.outcomes import CHECK_METHODS, load_outcomes
from shuijie.store.rounds import ENTRY_ORIGINAL

# Column headers (the importer finds columns by these names, not by position).
H_SEQ = "序号"
H_CODE = "统一社会信用代码"
H_NAME = "检查对象名称"
H_AREA = "区域"
H_PLANNED = "计划检查日期"
H_TEAM = "检查组"
H_DATE = "检查日期"
H_OUTCOME = "检查结果"
H_OUTCOME_2 = "检查结果（二）"
H_OUTCOME_3 = "检查结果（三）"
H_FINDINGS = "发现问题情况"
H_METHODS = "核查方式"
H_INSPECTORS = "实际检查人员"
H_FILED = "是否立案"
H_CASE_NO = "立案号"
H_FOLLOWUP = "后续处置措施"
H_CLOSED = "是否完结"
H_CLOSED_ON = "完结日期"
H_NOTE = "备注"
H_ITEM_ID = "事项编号"
H_ITEM = "检查事项"
H_COMPLIANT = "是否符合"

# Several outcomes per object (the national system's multi-select): one drop-down per column.
OUTCOME_COLUMNS = (H_OUTCOME, H_OUTCOME_2, H_OUTCOME_3)
# 实际检查人员 (pre-filled with the drawn team's inspectors) stands for the drawn 检查组.
ENTRY_HEADERS = (H_SEQ, H_CODE, H_NAME, H_AREA, H_PLANNED,
                 H_DATE, *OUTCOME_COLUMNS, H_FINDINGS, H_METHODS, H_INSPECTORS, H_FILED, H_CASE_NO,
                 H_FOLLOWUP, H_CLOSED, H_CLOSED_ON, H_NOTE)
ENTRY_FILL = (H_DATE, *OUTCOME_COLUMNS, H_FINDINGS, H_METHODS, H_INSPECTORS, H_FILED, H_CASE_NO,
              H_FOLLOWUP, H_CLOSED, H_CLOSED_ON, H_NOTE)
DATE_COLUMNS = (H_DATE, H_CLOSED_ON)
ITEM_HEADERS = (H_SEQ, H_CODE, H_NAME, H_ITEM_ID, H_ITEM, H_COMPLIANT, H_FINDINGS)

DATE_FORMAT = "yyyy-mm-dd"
FILL_COLOUR = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")


def _blank_fill_cell(cell, *, date: bool = False) -> None:
    """The look of a cell the clerk fills in (a date field with ``date``)."""
    cell.font = BODY_FONT
    cell.border = BORDER
    cell.alignment = WRAP
    cell.fill = FILL_COLOUR
    cell.number_format = DATE_FORMAT if date else "@"


def _blank_date_cell(cell) -> None:
    _blank_fill_cell(cell, date=True)


def _list(sheet, formula: str, cells: str, title: str, error: str, *, strict: bool = True,
          prompt: str = "请从下拉列表中选择。") -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict,
                        errorTitle=title, error=error, promptTitle=title, prompt=prompt, showInputMessage=True)
    dv.add(cells)
    sheet.ws.add_data_validation(dv)


def build_entry_workbook(ws: Workspace, record: dict[str, Any]):
    outcomes = load_outcomes(ws)
    rows = drawn_rows(ws, record)
    wb = new_workbook()

    sheet = wb.active
    sheet.title = ENTRY_SHEET
    data = [(r.seq, r.obj.id, r.obj.name, r.obj.area, r.planned.isoformat()) for r in rows]
    write_table(sheet, ENTRY_HEADERS, [])
    people = ws.inspector_map()
    for i, (values, row) in enumerate(zip(data, rows), start=2):
        for c, v in enumerate(values, start=1):
            put(sheet, i, c, v)
        for c, h in enumerate(ENTRY_HEADERS, start=1):
            if h in ENTRY_FILL:
                date = h in DATE_COLUMNS
                # 实际检查人员: who went, the drawn team unless the clerk changes it
                value = inspector_names(ws, row, people) if h == H_INSPECTORS else None
                put_styled(sheet, i, c, value, "date" if date else "fill",
                           _blank_date_cell if date else _blank_fill_cell)
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
    for i, v in enumerate(CHECK_METHODS, start=1):
        put(opts, i, 4, v, border=False)
    opts.ws.sheet_state = "hidden"

    span = f"2:{{c}}{bound}"
    for h in OUTCOME_COLUMNS:
        _list(sheet, f"'{OPTIONS_SHEET}'!$A$1:$A${len(outcomes.names)}", f"{col[h]}{span.format(c=col[h])}",
              h, "请从下拉列表中选择检查结果。",
              prompt="请从下拉列表中选择；同时有几项结果的，依次填在检查结果、检查结果（二）、检查结果（三）。")
    # 核查方式: the list helps, several may be typed separated by 、 (so the list is not enforced).
    _list(sheet, f"'{OPTIONS_SHEET}'!$D$1:$D${len(CHECK_METHODS)}", f"{col[H_METHODS]}{span.format(c=col[H_METHODS])}",
          H_METHODS, "", strict=False, prompt="可从列表中选择；有几种方式的，用“、”分隔，如：实地检查、书面检查。")
    for h in (H_FILED, H_CLOSED):
        _list(sheet, f'"{YES},{NO}"', f"{col[h]}{span.format(c=col[h])}", h, "请选择“是”或“否”。")
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(ENTRY_HEADERS))}{last}"

    items_sheet = wb.create_sheet(ITEM_SHEET, 1)
    write_table(items_sheet, ITEM_HEADERS, [], widths=(6, 22, 30, 10, 36, 10, 40))
    r = 1
    for row in rows:
        for item in items_for_object(ws, row.obj):
            r += 1
            for c, v in enumerate((row.seq, row.obj.id, row.obj.name, item.id, item.name), start=1):
                put(items_sheet, r, c, v)
            for c in (6, 7):
                put_styled(items_sheet, r, c, None, "fill", _blank_fill_cell)
    _list(items_sheet, '"' + ",".join(COMPLIANCE) + '"', f"F2:F{max(r, 2) + 50}", H_COMPLIANT,
          "请选择符合、不符合或不适用。")
    title = f"{ws.plan.title} 结果录入表" + (f"（{doc_no(ws.plan.doc_no)}）" if ws.plan.doc_no else "")
    at = {h: i for i, h in enumerate(ENTRY_HEADERS, start=1)}
    P.finish(sheet, header_row=1, ncols=len(ENTRY_HEADERS), max_width=16, page_title=title,
             keep=(at[H_SEQ], at[H_CODE], at[H_PLANNED]),
             fixed={at[H_DATE]: 11.0, at[H_OUTCOME]: 11.0, at[H_OUTCOME_2]: 9.0, at[H_OUTCOME_3]: 9.0,
                    at[H_FINDINGS]: 12.0, at[H_FILED]: 5.0, at[H_CLOSED]: 5.0, at[H_CLOSED_ON]: 11.0})
    at = {h: i for i, h in enumerate(ITEM_HEADERS, start=1)}
    P.finish(items_sheet, header_row=1, ncols=len(ITEM_HEADERS), max_width=26, page_title=title,
             keep=(at[H_SEQ], at[H_CODE], at[H_ITEM_ID]),
             fixed={at[H_COMPLIANT]: 9.0, at[H_FINDINGS]: 30.0})
    for s in (sheet, items_sheet):
        s.ws.sheet_view.zoomScale = 100
    return wb


def write_entry_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any]) -> list[Path]:
    """Write 结果录入表.xlsx (the clerk's working copy, not sealed) and its blank original
    原件/结果录入表（空白）.xlsx (sealed, same bytes) into ``dest_dir``; returns the paths written."""
    data = to_bytes(build_entry_workbook(ws, record))
    written = []
    for rel in (ENTRY_FILE, ENTRY_ORIGINAL):
        path = Path(dest_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
