"""附件1 抽查事项检查表 (第六、七条): the plan's items, as .xlsx and .docx.

Columns as in the annex of the regulation: 序号, 检查事项, 检查依据, 检查内容,
检查方式, 备注.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.papers import layout as L
from shuijie.papers import print_setup as P
from shuijie.papers import xlsx as X
from shuijie.papers.context import plan_items

ANNEX1_XLSX = "附件1-抽查事项检查表.xlsx"
ANNEX1_DOCX = "附件1-抽查事项检查表.docx"
TITLE = "“双随机、一公开”抽查事项检查表"
HEADERS = ("序号", "检查事项", "检查依据", "检查内容", "检查方式", "备注")
WIDTHS_MM = (12, 28, 40, 44, 18, 14)


def rows(ws) -> list[tuple[str, ...]]:
    return [(str(it["no"]), it["name"], it["basis"], it["content"], it["method"], it["note"])
            for it in plan_items(ws)]


def subtitle(ws) -> str:
    """The line under a sheet's title: the plan and its 文号."""
    no = doc_no(ws.plan.doc_no)
    return f"抽查任务：{ws.plan.title}" + (f"（{no}）" if no else "")


def write_annex1(dest: Path, ws, when: dt.date | None) -> list[Path]:
    data = rows(ws)
    wb = X.new_workbook()
    sheet = wb.active
    sheet.title = "附件1"
    head = P.title_rows(sheet, [("附件1", X.HEADER_FONT), (TITLE, X.TITLE_FONT),
                                (subtitle(ws), X.BODY_FONT)], len(HEADERS))
    X.write_table(sheet, HEADERS, data, start_row=head)
    P.finish(sheet, header_row=head, ncols=len(HEADERS), keep=(1,), max_width=34)
    xlsx_path = dest / ANNEX1_XLSX
    X.save(wb, xlsx_path, when)

    doc = L.new_document(TITLE)
    L.add_label(doc, "附件1")
    L.add_title(doc, TITLE)
    L.add_blank(doc)
    L.add_table(doc, HEADERS, data, WIDTHS_MM)
    docx_path = dest / ANNEX1_DOCX
    docx_path.write_bytes(L.document_bytes(doc, when))
    return [xlsx_path, docx_path]
