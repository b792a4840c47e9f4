"""附件1 抽查事项检查表 (第六、七条): the plan's items, as .xlsx and .docx.

Columns as in the annex of the regulation: 序号, 检查事项, 检查依据, 检查内容,
检查方式, 备注.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shuijie.papers import layout as L
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


def write_annex1(dest: Path, ws, when: dt.date | None) -> list[Path]:
    data = rows(ws)
    wb = X.new_workbook()
    sheet = wb.active
    sheet.title = "附件1"
    X.put(sheet, 1, 1, "附件1", font=X.HEADER_FONT, border=False)
    X.put(sheet, 2, 1, TITLE, font=X.TITLE_FONT, border=False, align=X.CENTER)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    X.write_table(sheet, HEADERS, data, start_row=3, widths=(8, 24, 36, 44, 12, 12))
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
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
