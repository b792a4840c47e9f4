"""附件2 抽查记录表 (第十六条): one .docx per object from the template, and one .xlsx
with a sheet per object.

Columns as in the annex of the regulation: 序号, 检查事项, 检查内容, 发现问题情况,
是否立案, then the two signature rows 执法检查人员签字 and 检查对象签字（盖章）.
检查对象 and 时间 (the scheduled date) are filled in; findings are left blank for
the team.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from shuijie.papers import xlsx as X
from shuijie.papers.context import Visit
from shuijie.papers.engine import CompiledTemplate
from shuijie.papers.names import numbered, safe_sheet_title
from shuijie.papers.xlsx import Stamper, merge

ANNEX2_DIR = "附件2-抽查记录表"
ANNEX2_XLSX = "附件2-抽查记录表.xlsx"
TITLE = "“双随机、一公开”抽查记录表"
HEADERS = ("序号", "检查事项", "检查内容", "发现问题情况", "是否立案")
SIGN_ROWS = ("执法检查人员签字", "检查对象签字（盖章）")


def write_annex2_docs(dest: Path, visits: list[Visit], tpl: CompiledTemplate, when: dt.date | None,
                      tick: Callable[[], None] = lambda: None) -> list[Path]:
    folder = dest / ANNEX2_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for v in visits:
        path = folder / numbered(v.seq, v.object["name"], "docx")
        path.write_bytes(tpl.render(v.context, when))
        written.append(path)
        tick()
    return written


def write_annex2_xlsx(dest: Path, visits: list[Visit], when: dt.date | None) -> list[Path]:
    wb = X.new_workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    st = Stamper()
    for v in visits:
        ws = wb.create_sheet(safe_sheet_title(f"{v.seq:03d}-{v.object['name']}", used))
        ncol = len(HEADERS)
        st.put(ws, 1, 1, "附件2", font=X.HEADER_FONT, border=False)
        st.put(ws, 2, 1, TITLE, font=X.TITLE_FONT, border=False, align=X.CENTER)
        merge(ws, 2, 1, 2, ncol)
        st.put(ws, 3, 1, f"检查对象：{v.object['name']}", border=False)
        merge(ws, 3, 1, 3, ncol)
        st.put(ws, 4, 1, f"时间：{v.context['date_cn']}", border=False)
        merge(ws, 4, 1, 4, ncol)
        rows = [(str(it["no"]), it["name"], it["content"], "", "") for it in v.context["items"]]
        last = st.table(ws, HEADERS, rows, start_row=5, widths=(8, 24, 40, 30, 12))
        for label in SIGN_ROWS:
            last += 1
            st.put(ws, last, 1, label, align=X.CENTER)
            for c in range(2, ncol + 1):
                st.put(ws, last, c, "")
            merge(ws, last, 1, last, 2)
            merge(ws, last, 3, last, ncol)
            ws.row_dimensions[last].height = 48
        ws.print_title_rows = "5:5"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
    if not visits:
        wb.create_sheet("附件2")
    path = dest / ANNEX2_XLSX
    X.save(wb, path, when)
    return [path]
