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
from shuijie.papers import print_setup as P
from shuijie.papers.context import doc_no
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
from shuijie.papers.xlsx import (
    BODY_FONT,
    CENTER,
    HEADER_FONT,
    TITLE_FONT,
    new_workbook,
    put,
    save,
)

PUBLIC_HEADERS = ("序号", "抽查事项", "检查对象名称（姓名）", "统一社会信用代码（身份证号码）",
                  "检查时间", "检查人员", "执法证号", "检查结果")
H_ITEMS = "抽查事项"
GSXT_HEADERS = ("序号", "统一社会信用代码（身份证号码）", "企业名称（姓名）", "检查实施机关", "类型",
                "日期", "结果")
CHECK_TYPE = "抽查"
# 统一社会信用代码, 检查时间, 执法证号 are never split (columns of the headers above, items shown)
_KEEP = ("统一社会信用代码（身份证号码）", "检查时间", "执法证号")


def _lines(joined: str) -> str:
    """One person a line, so each name stands beside its 执法证号 and no number is split."""
    return joined.replace("、", "\n")


def build_publication_workbook(ws: Workspace, record: dict[str, Any],
                               results: dict[str, Any] | None = None,
                               published_on: dt.date | None = None,
                               only_with_results: bool = False):
    """The workbook; ``results`` is the ``results`` mapping of results.json (or None).

    抽查任务, 公开文号 and 公示日期 stand once above the table, and 抽查事项 too when it is
    the same for every object (else it is a column); one row per object.
    """
    plan = ws.plan
    rows = drawn_rows(ws, record)
    if only_with_results and results is not None:
        rows = [r for r in rows if r.obj.id in results]
    items_of = {row.obj.id: scrub("；".join(i.name for i in items_for_object(ws, row.obj))) for row in rows}
    common = len(set(items_of.values())) <= 1
    headers = tuple(h for h in PUBLIC_HEADERS if not (common and h == H_ITEMS))
    wb = new_workbook()
    sheet = wb.active
    sheet.title = PUBLIC_SHEET
    ncol = len(headers)
    lines = [(scrub(f"{plan.unit}“双随机、一公开”抽查检查结果公示表"), TITLE_FONT),
             (scrub(f"抽查任务：{plan.title}"), BODY_FONT)]
    if common:
        items = next(iter(items_of.values()), "") or "；".join(i.name for i in ws.items
                                                                if i.id in set(plan.items))
        lines.append((f"抽查事项：{items}", BODY_FONT))
    lines.append((scrub(f"公开文号：{doc_no(plan.doc_no)}") + f"　　公示日期：{date_cn(published_on)}",
                  BODY_FONT))
    head = P.title_rows(sheet, put, lines, ncol)
    for c, h in enumerate(headers, start=1):
        put(sheet, head, c, h, font=HEADER_FONT, align=CENTER)
    r = head
    for row in rows:
        res = (results or {}).get(row.obj.id)
        r += 1
        values = {"序号": row.seq if not only_with_results else r - head, H_ITEMS: items_of[row.obj.id],
                  "检查对象名称（姓名）": scrub(row.obj.name), "统一社会信用代码（身份证号码）": public_code(row.obj.id),
                  "检查时间": date_cn(dt.date.fromisoformat(res["date"])) if res else "",
                  "检查人员": _lines(scrub(inspector_names(ws, row))),
                  "执法证号": _lines(scrub(cert_numbers(ws, row))),
                  "检查结果": scrub(res["outcome"]) if res else ""}
        for c, h in enumerate(headers, start=1):
            put(sheet, r, c, values[h])
    P.finish(sheet, header_row=head, ncols=ncol, max_width=26,
             keep=[c for c, h in enumerate(headers, start=1) if h in _KEEP or h == "序号"])

    gsxt = wb.create_sheet(GSXT_SHEET)
    for c, h in enumerate(GSXT_HEADERS, start=1):
        put(gsxt, 1, c, h, font=HEADER_FONT, align=CENTER)
    r = 1
    for row in rows:
        res = (results or {}).get(row.obj.id)
        r += 1
        cells = (r - 1, public_code(row.obj.id), scrub(row.obj.name), scrub(plan.unit), CHECK_TYPE,
                  res["date"] if res else "", scrub(res["outcome"]) if res else "")
        for c, v in enumerate(cells, start=1):
            put(gsxt, r, c, v)
    P.finish(gsxt, header_row=1, ncols=len(GSXT_HEADERS), max_width=30, keep=(1, 2, 5, 6))
    return wb


def write_publication_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any],
                            results: dict[str, Any] | None = None) -> list[Path]:
    """Write the blank 公示表.xlsx (draw time) into ``dest_dir``; returns the paths written.

    With ``results`` (the ``results`` mapping of results.json) the result columns are filled.
    """
    path = Path(dest_dir) / BLANK_PUBLICATION_FILE
    save(build_publication_workbook(ws, record, results), path)
    return [path]
