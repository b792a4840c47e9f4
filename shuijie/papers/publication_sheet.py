"""公示表: the publication sheet (第十九条), blank at draw time or with the results at publish.

At draw time the round gets ``公示表.xlsx`` with the objects, items, 公开文号,
inspectors and their 执法证号 filled in and 检查时间 / 检查结果 blank.  At
``shuijie publish`` the same layout is written with the results as
``公示表（结果）.xlsx``, whose second sheet is in the layout the
国家企业信用信息公示系统 takes (检查实施机关, 类型 抽查, 日期, 结果).

Privacy: a natural person's ID number is masked (:func:`common.public_code`),
no phone number is ever written, and every free text goes through
:func:`common.scrub`, which removes ID and phone numbers a clerk may have
typed into a name or a note.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from shuijie.core.models import Workspace
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.text import date_cn
from shuijie.papers.rows import (
    BLANK_PUBLICATION_FILE,
    GSXT_SHEET,
    PUBLIC_SHEET,
    cert_numbers,
    drawn_rows,
    inspector_names,
    public_code,
    scrub,
)
from shuijie.papers.xlsx import CENTER, HEADER_FONT, TITLE_FONT, new_workbook, put, save

PUBLIC_HEADERS = ("序号", "抽查事项", "公开文号", "检查对象名称（姓名）", "统一社会信用代码（身份证号码）",
                  "检查时间", "检查人员", "执法证号", "检查结果")
GSXT_HEADERS = ("序号", "统一社会信用代码（身份证号码）", "企业名称（姓名）", "检查实施机关", "类型",
                "日期", "结果")
CHECK_TYPE = "抽查"


def build_publication_workbook(ws: Workspace, record: dict[str, Any],
                               results: dict[str, Any] | None = None,
                               published_on: dt.date | None = None,
                               only_with_results: bool = False):
    """The workbook; ``results`` is the ``results`` mapping of results.json (or None)."""
    plan = ws.plan
    rows = drawn_rows(ws, record)
    if only_with_results and results is not None:
        rows = [r for r in rows if r.obj.id in results]
    wb = new_workbook()
    sheet = wb.active
    sheet.title = PUBLIC_SHEET
    ncol = len(PUBLIC_HEADERS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    put(sheet, 1, 1, scrub(f"{plan.unit}“双随机、一公开”抽查检查结果公示表"), font=TITLE_FONT,
        border=False, align=CENTER)
    sheet.row_dimensions[1].height = 32
    put(sheet, 2, 1, "抽查任务", font=HEADER_FONT)
    sheet.merge_cells(start_row=2, start_column=2, end_row=2, end_column=5)
    put(sheet, 2, 2, scrub(plan.title))
    put(sheet, 2, 6, "公示日期", font=HEADER_FONT)
    sheet.merge_cells(start_row=2, start_column=7, end_row=2, end_column=ncol)
    put(sheet, 2, 7, date_cn(published_on))
    for c, h in enumerate(PUBLIC_HEADERS, start=1):
        put(sheet, 3, c, h, font=HEADER_FONT, align=CENTER)
    r = 3
    for row in rows:
        res = (results or {}).get(row.obj.id)
        items = "；".join(i.name for i in items_for_object(ws, row.obj))
        r += 1
        values = (row.seq if not only_with_results else r - 3, scrub(items), scrub(plan.doc_no),
                  scrub(row.obj.name), public_code(row.obj.id),
                  date_cn(dt.date.fromisoformat(res["date"])) if res else "",
                  scrub(inspector_names(ws, row)), scrub(cert_numbers(ws, row)),
                  scrub(res["outcome"]) if res else "")
        for c, v in enumerate(values, start=1):
            put(sheet, r, c, v)
    for c, w in enumerate((6, 36, 22, 30, 24, 16, 24, 30, 28), start=1):
        sheet.column_dimensions[chr(64 + c)].width = w
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    gsxt = wb.create_sheet(GSXT_SHEET)
    for c, h in enumerate(GSXT_HEADERS, start=1):
        put(gsxt, 1, c, h, font=HEADER_FONT, align=CENTER)
    r = 1
    for row in rows:
        res = (results or {}).get(row.obj.id)
        r += 1
        values = (r - 1, public_code(row.obj.id), scrub(row.obj.name), scrub(plan.unit), CHECK_TYPE,
                  res["date"] if res else "", scrub(res["outcome"]) if res else "")
        for c, v in enumerate(values, start=1):
            put(gsxt, r, c, v)
    for c, w in enumerate((6, 26, 30, 26, 8, 13, 30), start=1):
        gsxt.column_dimensions[chr(64 + c)].width = w
    gsxt.freeze_panes = "A2"
    return wb


def write_publication_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any],
                            results: dict[str, Any] | None = None) -> list[Path]:
    """Write the blank 公示表.xlsx (draw time) into ``dest_dir``; returns the paths written.

    With ``results`` (the ``results`` mapping of results.json) the result columns are filled.
    """
    path = Path(dest_dir) / BLANK_PUBLICATION_FILE
    save(build_publication_workbook(ws, record, results), path)
    return [path]
