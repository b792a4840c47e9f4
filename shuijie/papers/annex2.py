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

from shuijie.papers import print_setup as P
from shuijie.papers import xlsx as X
from shuijie.papers.context import Visit
from shuijie.papers.engine import CompiledTemplate
from shuijie.papers.names import numbered, safe_sheet_title
from shuijie.papers.xlsx import Sheet, put, write_table

ANNEX2_DIR = "附件2-抽查记录表"
ANNEX2_XLSX = "附件2-抽查记录表.xlsx"
TITLE = "“双随机、一公开”抽查记录表"
HEADERS = ("序号", "检查事项", "检查内容", "发现问题情况", "是否立案")
SIGN_ROWS = ("执法检查人员签字", "检查对象签字（盖章）")


def write_annex2_docs(dest: Path, visits: list[Visit], tpl: CompiledTemplate, when: dt.date | None,
                      tick: Callable[[], None] = lambda: None, *, shared: int = 0) -> list[Path]:
    """One .docx form per object.  ``shared``: 0, every form; +1 or -1, the forms are shared
    with another process doing the same from the other end (+1 from the first, -1 from the
    last): a form is claimed by creating its file (exclusively), and each stops at the first
    form the other has claimed, so every form is written once, by whichever side had time."""
    folder = dest / ANNEX2_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for v in (visits if shared >= 0 else reversed(visits)):
        path = folder / numbered(v.seq, v.object["name"], "docx")
        if shared:
            try:
                fh = path.open("xb")
            except FileExistsError:
                break  # the other side's from here on
            with fh:
                fh.write(tpl.render(v.context, when))
        else:
            path.write_bytes(tpl.render(v.context, when))
        written.append(path)
        tick()
    return written


# A workbook holds at most this many forms (sheets): past that, Excel's and WPS's sheet tabs
# are no longer usable, so a larger round gets several workbooks, 附件2-抽查记录表（001-200）.xlsx …
SHEETS_PER_BOOK = 200
ITEM_ROW_PT = 40      # room to write findings by hand (about 14 mm)
SIGN_ROW_PT = 60      # room for signatures and a seal
FILL_WIDTHS = {4: 30.0, 5: 10.0}  # 发现问题情况, 是否立案: blank, for the team


def annex2_names(n: int) -> list[str]:
    """File names of the Annex 2 workbooks for ``n`` objects (one up to SHEETS_PER_BOOK)."""
    if n <= SHEETS_PER_BOOK:
        return [ANNEX2_XLSX]
    stem = ANNEX2_XLSX[:-len(".xlsx")]
    return [f"{stem}（{a + 1:03d}-{min(a + SHEETS_PER_BOOK, n):03d}）.xlsx"
            for a in range(0, n, SHEETS_PER_BOOK)]


def _form(sheet: Sheet, v: Visit, memo: dict) -> tuple[P.Fit, int]:
    """One object's form on one A4 page: its cells, measured (the page is set up by the
    caller; ``memo``: :func:`print_setup.measure`'s, for the book); returns the fit and the
    table's header row."""
    ncol = len(HEADERS)
    head = P.title_rows(sheet, [("附件2", X.HEADER_FONT), (TITLE, X.TITLE_FONT),
                                (f"检查对象：{v.object['name']}", X.BODY_FONT),
                                (f"时间：{v.context['date_cn']}", X.BODY_FONT)], ncol)
    rows = [(str(it["no"]), it["name"], it["content"], "", "") for it in v.context["items"]]
    last = write_table(sheet, HEADERS, rows, start_row=head)
    for r in range(head + 1, last + 1):
        sheet.heights[r] = ITEM_ROW_PT
    for label in SIGN_ROWS:
        last += 1
        put(sheet, last, 1, label, align=X.CENTER)
        for c in range(2, ncol + 1):
            put(sheet, last, c, "")
        sheet.merge(last, 1, last, 2)
        sheet.merge(last, 3, last, ncol)
        sheet.heights[last] = SIGN_ROW_PT
    fit = P.measure(sheet, header_row=head, ncols=ncol, keep=(1,), max_width=30, fixed=FILL_WIDTHS,
                    landscape=False, memo=memo)
    sheet.frame = (head, last, tuple(fit.widths))  # all else of the layout is the same for every form
    return fit, head


def write_annex2_xlsx(dest: Path, visits: list[Visit], when: dt.date | None) -> list[Path]:
    names = annex2_names(len(visits))
    out: list[Path] = []
    for k, name in enumerate(names):
        part = visits[k * SHEETS_PER_BOOK:(k + 1) * SHEETS_PER_BOOK]
        wb = X.new_workbook()
        wb.remove(wb.active)
        used: set[str] = set()
        memo: dict = {}  # the forms of one plan's items differ in their titles only
        for v in part:
            sheet = wb.loose_sheet()
            fit, head = _form(sheet, v, memo)
            # a form laid out like one before shares its sheet setup (a sheet per object: 10,000
            # openpyxl sheets were most of the time of a big round's papers)
            if not wb.attach(sheet, safe_sheet_title(f"{v.seq:03d}-{v.object['name']}", used)):
                P.apply(sheet, fit, header_row=head, one_page=True, freeze=False)
        if not part:
            wb.create_sheet("附件2")
        path = dest / name
        X.save(wb, path, when)
        out.append(path)
    return out
