"""公示表: the publication sheet (第十九条).

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

from ..models import Workspace
from ..xlsx import HEADER_FONT, TITLE_FONT, CENTER, new_workbook, put, save
from .common import (BLANK_PUBLICATION_FILE, GSXT_SHEET, PUBLIC_SHEET, cert_numbers, cn_date,
                     drawn_rows, inspector_names, items_for, history_stem, next_history_number, public_code, scrub)

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
    put(sheet, 2, 7, cn_date(published_on))
    for c, h in enumerate(PUBLIC_HEADERS, start=1):
        put(sheet, 3, c, h, font=HEADER_FONT, align=CENTER)
    r = 3
    for row in rows:
        res = (results or {}).get(row.obj.id)
        items = "；".join(i.name for i in items_for(ws, row.obj))
        r += 1
        values = (row.seq if not only_with_results else r - 3, scrub(items), scrub(plan.doc_no),
                  scrub(row.obj.name), public_code(row.obj.id),
                  cn_date(dt.date.fromisoformat(res["date"])) if res else "",
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


# ------------------------------------------------------------------ publish


def publish(round_dir: Path, partial: bool = False, date: dt.date | None = None) -> dict[str, Any]:
    """Write 公示表（结果）.xlsx, the summary files and publication.json into the round.

    Refuses (InputError) while drawn objects have no result, unless ``partial``;
    the publication is then limited to the objects with results and lists the
    others.  Publishing after ``publish_by`` (20 working days after the results
    date, 第十九条) works and reports ``late_by`` working days.
    """
    import hashlib
    import json

    from .. import workdays
    from ..errors import InputError, Problem
    from ..rounds import add_files, load_round
    from .common import PUBLICATION_FILE, PUBLICATION_JSON
    from .importer import check_round_open, read_results
    from .outcomes import load_outcomes
    from .summary import build_summary, summary_files

    round_dir = Path(round_dir)
    check_round_open(round_dir)
    record, ws = load_round(round_dir)
    stored = read_results(round_dir)
    rows = drawn_rows(ws, record)
    results = (stored or {}).get("results", {})
    left_out = [r for r in rows if r.obj.id not in results]
    if not results:
        raise InputError(Problem("publish_no_results", {"plan_id": ws.plan.id}, file=str(round_dir)))
    if left_out and not partial:
        raise InputError([Problem("publish_missing", {"oid": public_code(r.obj.id), "name": r.obj.name,
                                                      "count": len(left_out)}, file=str(round_dir))
                          for r in left_out])
    date = date or dt.date.today()
    results_date = dt.date.fromisoformat(stored["results_date"])
    if date < results_date:
        raise InputError(Problem("publish_before_results", {"date": date.isoformat(),
                                                            "results_date": results_date.isoformat()}))
    deadline = workdays.publish_by(ws.calendar, results_date)
    late_by = 0
    if date > deadline:
        late_by = len(ws.calendar.workdays_between(deadline + dt.timedelta(days=1), date))

    wb = build_publication_workbook(ws, record, results, published_on=date, only_with_results=True)
    from ..xlsx import to_bytes

    from ..papers.web import PUBLIC_PAGE, publication_page_for

    files: dict[str, bytes] = {PUBLICATION_FILE: to_bytes(wb), PUBLIC_PAGE: publication_page_for(ws, record, results, date)}
    summary = build_summary(ws, record, results, load_outcomes(ws))
    files.update(summary_files(ws, summary))
    doc = {
        "plan_id": ws.plan.id,
        "date": date.isoformat(),
        "partial": bool(left_out),
        "published": [r.obj.id for r in rows if r.obj.id in results],
        "left_out": [r.obj.id for r in left_out],
        "results_date": results_date.isoformat(),
        "publish_by": deadline.isoformat(),
        "late_by": late_by,
        "published_files": [PUBLICATION_FILE, PUBLIC_PAGE],
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    payload = (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    current = round_dir / PUBLICATION_JSON
    unchanged = current.is_file() and current.read_bytes() == payload
    if not unchanged:
        stem = history_stem("publish", next_history_number(round_dir, "publish"))
        files[PUBLICATION_JSON] = payload
        files[f"{stem}.json"] = payload
        files[f"{stem}.xlsx"] = files[PUBLICATION_FILE]
        add_files(round_dir, files)
    doc["status"] = "unchanged" if unchanged else "stored"
    doc["left_out_names"] = [r.obj.name for r in left_out]
    doc["summary"] = summary
    return doc
