"""shuijie.papers.xlsx writes the cells' XML itself: the same bytes as openpyxl's writer
(tests/xlsx_reference.py) for every kind of cell and sheet the papers use."""

from __future__ import annotations

import datetime as dt

import xlsx_reference as ref
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from shuijie.papers import xlsx as X

TEXTS = ["甲", "", " leading", "trailing ", "a&b<c>d\"e'f", "line\nbreak\r\ncr", "tab\there", "=1+1", "-3",
         "0012", "𠀀 above the BMP", "\u3000全角空格", "bell\x07gone", "x" * 40000, "①②", "é"]
WHEN = dt.date(2026, 2, 24)


def fill(cell) -> None:
    cell.font = X.BODY_FONT
    cell.border = X.BORDER
    cell.fill = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
    cell.number_format = "yyyy-mm-dd"


def both(ops):
    """Run ``ops(side, book, sheets)`` on shuijie's writer and on the reference; their bytes."""
    book = X.new_workbook()
    ours_side = {"put": X.put, "styled": lambda s, r, c, v: X.put_styled(s, r, c, v, "fill", fill),
                 "merge": X.merge, "height": lambda s, r, h: s.heights.__setitem__(r, h),
                 "freeze": lambda s, r: s.freeze(r), "ws": lambda s: s.ws}
    ops(ours_side, book.active, lambda t, i=None: book.create_sheet(t, i))
    wb = ref.new_workbook()
    ref_side = {"put": ref.put, "styled": lambda s, r, c, v: ref.put_styled(s, r, c, v, fill),
                "merge": ref.merge, "height": lambda s, r, h: setattr(s.row_dimensions[r], "height", h),
                "freeze": lambda s, r: setattr(s, "freeze_panes", s.cell(row=r, column=1)), "ws": lambda s: s}
    ops(ref_side, wb.active, lambda t, i=None: wb.create_sheet(t, i))
    return X.to_bytes(book, WHEN), ref.to_bytes(wb, WHEN)


def test_every_kind_of_cell_is_written_as_openpyxl_writes_it():
    def ops(do, first, create):
        do["ws"](first).title = "文本"
        for r, t in enumerate(TEXTS, start=1):
            do["put"](first, r, 1, t)
            do["put"](first, r, 3, t, font=X.HEADER_FONT, align=X.CENTER, border=False)
        for r, v in enumerate([0, 7, -12, 10 ** 17, 3.25, 1e-7, True, False, None], start=1):
            do["put"](first, r, 5, v, number_format="@")
        for r in range(1, 5):
            do["styled"](first, r, 7, None if r % 2 else "张三、李四")
        do["height"](first, 30, 42.5)  # a row with a height and no cells
        do["freeze"](first, 2)

    ours, theirs = both(ops)
    assert ours == theirs


def test_sheets_merges_heights_and_frames_are_written_as_openpyxl_writes_them():
    def ops(do, first, create):
        second = create("第二")
        hidden = create("选项", 0)
        empty = create("空")
        for sheet in (first, second):
            do["put"](sheet, 1, 1, "标题", font=X.TITLE_FONT, border=False, align=X.CENTER)
            for c in range(2, 6):
                do["put"](sheet, 1, c, None, font=X.TITLE_FONT, border=False, align=X.LEFT)
            do["merge"](sheet, 1, 1, 1, 5)
            for r in range(2, 40):
                for c in range(1, 6):
                    do["put"](sheet, r, c, f"{r}-{c}" if c != 3 else r)
                do["height"](sheet, r, 14.3 + r / 10)
            do["merge"](sheet, 39, 1, 39, 2)
            do["merge"](sheet, 39, 3, 39, 5)
            do["merge"](sheet, 41, 1, 42, 1)  # over cells never written
            do["freeze"](sheet, 3)
            ws = do["ws"](sheet)
            ws.auto_filter.ref = "A2:E38"
            ws.column_dimensions["B"].width = 12.5
            ws.page_setup.orientation = "landscape"
            ws.print_title_rows = "2:2"
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
            dv.add("D3:D50")
            ws.add_data_validation(dv)
        do["put"](hidden, 1, 1, "符合", border=False)
        do["ws"](hidden).sheet_state = "hidden"
        do["freeze"](empty, 2)  # an empty cell only: no row written, the dimension counts it

    ours, theirs = both(ops)
    assert ours == theirs


def test_annex2_forms_sharing_their_frame_are_the_bytes_of_forms_written_each(tmp_path, monkeypatch):
    """附件2 writes the layout of equal forms once (Sheet.frame), their equal rows' XML once,
    and measures their equal tables once (print_setup.measure's memo): the same bytes as
    each form laid out, measured and written on its own."""
    from test_papers_support import make_record, make_ws

    from shuijie.papers import annex2, context
    from shuijie.papers import print_setup as P

    measured = []  # the forms whose widths were measured
    widths = P._widths
    monkeypatch.setattr(P, "_widths", lambda *a: measured.append(a[0]) or widths(*a))

    names = [f"信阳市第{i}号{'危险化学品经营' * (i % 3)}有限公司" for i in range(12)]
    ws = make_ws(tmp_path, names)
    visits = context.build(ws, make_record(ws))
    visits[3].context["items"] = visits[3].context["items"][:1]  # a form with fewer rows
    visits[5].context["items"] = [dict(it, content=it["content"] * 3) for it in visits[5].context["items"]]
    (tmp_path / "shared").mkdir()
    (tmp_path / "each").mkdir()
    shared = annex2.write_annex2_xlsx(tmp_path / "shared", visits, WHEN)
    assert len(measured) == 3  # the usual form, the one with fewer rows, the one with longer text
    monkeypatch.setattr(X.Book, "share_frames", False)
    measure = P.measure
    monkeypatch.setattr(annex2.P, "measure", lambda *a, memo=None, **k: measure(*a, **k))
    each = annex2.write_annex2_xlsx(tmp_path / "each", visits, WHEN)
    assert len(measured) == 3 + len(visits)
    assert [p.read_bytes() for p in shared] == [p.read_bytes() for p in each]
