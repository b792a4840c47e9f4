"""公示表: the publication sheet (第十九条), blank at draw time or with the results at publish.

At draw time the round gets ``公示表.xlsx`` with the objects, items, 公开文号,
inspectors and their 执法证号 filled in and 检查时间 / 检查结果 blank.  At
``shuijie publish`` the same layout is written with the results as
``公示表（结果）.xlsx``.  Its other sheets are what the clerk types into the
国家企业信用信息公示系统 (REAL-FORMATS "Results"):

* 国家企业信用信息公示系统: one row per object — 抽查计划编号, 抽查计划名称, 抽查任务编号,
  抽查任务名称 (plan keys ``plan_no`` … ``task_name``, default the plan's id and title),
  抽查类型 (定向 / 不定向, :func:`rows.check_type`), 检查实施机关 (the 检查单位 that ran
  the round, plan key ``inspecting_unit``, 第三条), 市场主体名称, 统一社会信用代码/注册号,
  抽查完成日期, 检查结果 (each outcome in the national wording, several joined by ；);
* 公示系统·检查事项结果: one row per object and 检查事项 with the item's result;
* 公示系统·按名称录入, only when needed: the objects known only by a person's ID-card
  number.  The national record is keyed by USCC or 注册号, never by an ID number, so
  these are not on the sheets above; the clerk finds them in the system by name.
  No ID number, masked or not, is on this sheet.

Privacy: on the 抽查结果公示 sheet a natural person's ID number is masked
(:func:`rows.public_code`), no phone number is ever written, and every free
text goes through :func:`rows.scrub`, which removes ID and phone numbers a
clerk may have typed into a name or a note.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from shuijie.core.ids import is_id_card_number
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.core.text import date_cn
from shuijie.core.workspace import Workspace
from shuijie.papers import print_setup as P
from shuijie.papers.rows import (
    BLANK_PUBLICATION_FILE,
    GSXT_ITEM_SHEET,
    GSXT_NAME_SHEET,
    GSXT_SHEET,
    PUBLIC_SHEET,
    as_checked,
    cert_numbers,
    check_type,
    drawn_rows,
    inspecting_unit,
    inspector_names,
    outcome_text,
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
GSXT_HEADERS = ("序号", "抽查计划编号", "抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型", "检查实施机关",
                "市场主体名称", "统一社会信用代码/注册号", "抽查完成日期", "检查结果")
GSXT_ITEM_HEADERS = ("序号", "抽查任务编号", "市场主体名称", "统一社会信用代码/注册号", "检查事项", "检查结果")
BY_NAME_HEADERS = ("序号", "市场主体名称", "抽查完成日期", "检查结果", "录入说明")
BY_NAME_NOTE = "以自然人身份证号码登记，不在本表公开证件号码：请在系统中按名称查找后录入"
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
    head = P.title_rows(sheet, lines, ncol)
    for c, h in enumerate(headers, start=1):
        put(sheet, head, c, h, font=HEADER_FONT, align=CENTER)
    r = head
    people = ws.inspector_map()
    for row in rows:
        res = (results or {}).get(row.obj.id)
        r += 1
        values = {"序号": row.seq if not only_with_results else r - head, H_ITEMS: items_of[row.obj.id],
                  "检查对象名称（姓名）": scrub(row.obj.name), "统一社会信用代码（身份证号码）": public_code(row.obj.id),
                  "检查时间": date_cn(dt.date.fromisoformat(res["date"])) if res else "",
                  "检查人员": _lines(scrub(inspector_names(ws, as_checked(row, res), people))),
                  "执法证号": _lines(scrub(cert_numbers(ws, as_checked(row, res), people))),
                  "检查结果": scrub(outcome_text(res)) if res else ""}
        for c, h in enumerate(headers, start=1):
            put(sheet, r, c, values[h])
    P.finish(sheet, header_row=head, ncols=ncol, max_width=26,
             keep=[c for c, h in enumerate(headers, start=1) if h in _KEEP or h == "序号"])

    _national_sheets(wb, ws, rows, results or {})
    return wb


def _national_sheets(wb, ws: Workspace, rows, results: dict[str, Any]) -> None:
    """The sheets the clerk types into the 国家企业信用信息公示系统 (see the module text)."""
    plan = ws.plan
    task = (scrub(plan.plan_no or plan.id), scrub(plan.plan_name or plan.title),
            scrub(plan.task_no or plan.id), scrub(plan.task_name or plan.title), check_type(plan),
            scrub(inspecting_unit(plan)))
    by_code = [r for r in rows if not is_id_card_number(r.obj.id)]
    by_name = [r for r in rows if is_id_card_number(r.obj.id)]

    def result(row) -> tuple[str, str]:
        res = results.get(row.obj.id)
        return (res["date"] if res else "", scrub(outcome_text(res)) if res else "")

    gsxt = wb.create_sheet(GSXT_SHEET)
    _table(gsxt, GSXT_HEADERS, [(i, *task, scrub(r.obj.name), r.obj.id, *result(r))
                                for i, r in enumerate(by_code, start=1)],
           keep=("序号", "抽查计划编号", "抽查任务编号", "抽查类型", "统一社会信用代码/注册号", "抽查完成日期"))
    lines: list[tuple[Any, ...]] = []
    for r in by_code:
        res = results.get(r.obj.id) or {}
        for item in items_for_object(ws, r.obj):
            detail = (res.get("items") or {}).get(item.id) or {}
            lines.append((len(lines) + 1, task[2], scrub(r.obj.name), r.obj.id, scrub(item.name),
                          detail.get("compliant", "")))
    _table(wb.create_sheet(GSXT_ITEM_SHEET), GSXT_ITEM_HEADERS, lines,
           keep=("序号", "抽查任务编号", "统一社会信用代码/注册号", "检查结果"))
    if by_name:
        _table(wb.create_sheet(GSXT_NAME_SHEET), BY_NAME_HEADERS,
               [(i, scrub(r.obj.name), *result(r), BY_NAME_NOTE) for i, r in enumerate(by_name, start=1)],
               keep=("序号", "抽查完成日期"))


def _table(sheet, headers: tuple[str, ...], values: list[tuple], keep: tuple[str, ...]) -> None:
    for c, h in enumerate(headers, start=1):
        put(sheet, 1, c, h, font=HEADER_FONT, align=CENTER)
    for r, row in enumerate(values, start=2):
        for c, v in enumerate(row, start=1):
            put(sheet, r, c, v)
    P.finish(sheet, header_row=1, ncols=len(headers), max_width=24,
             keep=[c for c, h in enumerate(headers, start=1) if h in keep])


def write_publication_sheet(dest_dir: Path, ws: Workspace, record: dict[str, Any],
                            results: dict[str, Any] | None = None) -> list[Path]:
    """Write the blank 公示表.xlsx (draw time) into ``dest_dir``; returns the paths written.

    With ``results`` (the ``results`` mapping of results.json) the result columns are filled.
    """
    path = Path(dest_dir) / BLANK_PUBLICATION_FILE
    save(build_publication_workbook(ws, record, results), path)
    return [path]
