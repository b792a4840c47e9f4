"""How the papers print, checked in the files (no LibreOffice needed): every workbook sheet
has fitting switched on one page wide, print titles, page-number footers, column widths that
keep text at 9 pt or more after fitting and ids on one line, a stored height for every row
that holds its wrapped text; the letter has its 附件说明, no empty 执法证号 brackets, no
number for a member without 执法资格 (第九条); no English word in a Chinese paper."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
from openpyxl.cell.cell import MergedCell
from test_papers_support import make_record, make_ws

from shuijie.papers import print_setup as P
from shuijie.papers import write_papers
from shuijie.papers.annex2 import SHEETS_PER_BOOK, annex2_names, write_annex2_xlsx
from shuijie.papers.context import build
from shuijie.papers.notice import write_commitment_notice


def _round(tmp_path):
    ws = make_ws(tmp_path)
    record = make_record(ws)
    paths = write_papers(tmp_path / "out", ws, record)
    return ws, record, paths


def _visible(wb):
    return [s for s in wb.worksheets if s.sheet_state == "visible"]


def check_sheet(s) -> None:
    name = f"{s.parent.path if hasattr(s.parent, 'path') else ''}:{s.title}"
    assert s.sheet_properties.pageSetUpPr.fitToPage is True, name
    assert s.page_setup.fitToWidth == 1 and s.page_setup.fitToHeight in (0, 1), name
    assert int(s.page_setup.paperSize) == int(s.PAPERSIZE_A4), name
    assert s.print_title_rows, name
    assert s.oddFooter.center.text == "第 &P 页 共 &N 页", name
    ncols = s.max_column
    widths = [s.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ncols + 1)]
    landscape = s.page_setup.orientation == "landscape"
    scale = min(1.0, P.printable_pt(landscape) / P.width_pt(widths))
    assert scale * 11 >= 9 - 1e-9, (name, scale)  # 11 pt body text stays ≥ 9 pt after fitting
    merged = {}
    for rng in s.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
    for row in s.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell) or cell.value in (None, ""):
                continue
            size = float(cell.font.sz or 11)
            rng = merged.get((cell.row, cell.column))
            w = (sum(widths[c - 1] for c in range(rng.min_col, rng.max_col + 1)) if rng else widths[cell.column - 1])
            if cell.alignment.wrap_text:
                lines = P.wrapped_lines(str(cell.value), w, size)
                height = s.row_dimensions[cell.row].height
                if rng and rng.max_row > rng.min_row:
                    height = sum(s.row_dimensions[r].height or 0 for r in range(rng.min_row, rng.max_row + 1))
                assert height and height >= lines * P.line_pitch(size), (name, cell.coordinate, cell.value, height)
            # ids, dates, codes: a run of Latin letters and digits never wider than its column
            for token in re.findall(r"[0-9A-Za-z\-]{8,}", str(cell.value)):
                assert P.wrapped_lines(token, w, size) == 1, (name, cell.coordinate, token, w)


def test_every_workbook_prints_one_page_wide(tmp_path):
    ws, record, paths = _round(tmp_path)
    books = [p for p in paths if p.suffix == ".xlsx"]
    assert {p.name for p in books} >= {"附件1-抽查事项检查表.xlsx", "附件2-抽查记录表.xlsx", "检查组安排.xlsx",
                                        "公示表.xlsx", "结果录入表.xlsx"}
    for p in books:
        wb = openpyxl.load_workbook(p)
        for s in _visible(wb):
            check_sheet(s)
    # sheets meant for printing carry a title and the plan's 文号
    for name in ("附件1-抽查事项检查表.xlsx", "检查组安排.xlsx", "公示表.xlsx"):
        s = openpyxl.load_workbook(tmp_path / "out" / name).worksheets[0]
        above = " ".join(str(s.cell(row=r, column=1).value) for r in range(1, 5))
        assert ws.plan.doc_no.replace("[", "〔").replace("]", "〕")[:3] in above, (name, above)
    entry = openpyxl.load_workbook(tmp_path / "out" / "结果录入表.xlsx").worksheets[0]
    assert ws.plan.title in entry.oddHeader.center.text  # its row 1 stays the header
    # 附件2: one page per form
    for s in openpyxl.load_workbook(tmp_path / "out" / "附件2-抽查记录表.xlsx").worksheets:
        assert s.page_setup.fitToHeight == 1 and s.page_setup.orientation == "portrait"


def test_annex2_above_200_objects_is_split_into_books(tmp_path):
    ws = make_ws(tmp_path)
    visits = build(ws, make_record(ws))
    many = [visits[k % len(visits)] for k in range(SHEETS_PER_BOOK + 1)]
    paths = write_annex2_xlsx(tmp_path, many, None)
    assert [p.name for p in paths] == annex2_names(SHEETS_PER_BOOK + 1) == [
        "附件2-抽查记录表（001-200）.xlsx", "附件2-抽查记录表（201-201）.xlsx"]
    assert [len(openpyxl.load_workbook(p).worksheets) for p in paths] == [SHEETS_PER_BOOK, 1]
    assert annex2_names(SHEETS_PER_BOOK) == ["附件2-抽查记录表.xlsx"]


def _docx_text(path: Path) -> str:
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    return "\n".join(parts)


_ALLOWED = [re.compile(x) for x in (
    r"shuijie [a-z]+(?: [^\s，。；）]+)?",  # the command shown to run
    r"\b[0-9a-f]{8}\b",                # hashes in groups of eight
    r"\b[0-9a-f]{64}\b",               # a hash whole
    r"\b[0-9A-Z]{18}\b",               # 统一社会信用代码 / ids
    r"[\w.-]+\.(?:csv|json|docx|txt|xlsx)",  # file names
    r"SHA-256",
)]


def english_words(text: str) -> list[str]:
    for rx in _ALLOWED:
        text = rx.sub(" ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def test_letters_and_chinese_papers(tmp_path):
    ws = make_ws(tmp_path)
    record = make_record(ws)
    # a member without 执法资格 who still has a number on file, and one with no number
    first = record["teams"][0]
    member = next(p for p in first["inspectors"] if p != first["leader"])
    people = ws.inspector_map()
    people[member].qualified = False
    hidden = people[member].cert_no
    assert hidden
    paths = write_papers(tmp_path / "out", ws, record)
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    text = _docx_text(letters[0])
    assert people[member].name in text and hidden not in text
    for p in letters:
        t = _docx_text(p)
        assert "（执法证号）" not in t and "执法证号（" not in t
        assert "附件：1.“双随机、一公开”抽查事项检查表" in t and "2.“双随机、一公开”抽查记录表" in t
        d = docx.Document(p)
        att = next(par for par in d.paragraphs if par.text.startswith("附件："))
        ind = att._p.pPr.find(docx.oxml.ns.qn("w:ind"))
        assert int(ind.get(docx.oxml.ns.qn("w:hanging"))) > 0  # "2." aligned under "1."
        assert not english_words(t), (p.name, english_words(t))
    out = tmp_path / "out"
    write_commitment_notice(out, ws, {"commitment": record["commitment"],
                                      "snapshot_sha256": {"population.csv": "ab" * 32}}, {}, separately=True)
    for name in ("抽取记录.docx", "承诺公告.docx", "附件1-抽查事项检查表.docx"):
        text = _docx_text(out / name)
        for typed in record["public_random"]:  # the public random values as the clerk typed them
            text = text.replace(typed, "")
        words = english_words(text)
        assert not words, (name, words)
    for p in paths:
        if p.suffix == ".xlsx":
            for s in _visible(openpyxl.load_workbook(p)):
                for row in s.iter_rows(values_only=True):
                    for v in row:
                        if isinstance(v, str):
                            assert not english_words(v), (p.name, v)
    assert not english_words((out / "承诺公告.txt").read_text("utf-8"))


def test_english_words_finds_english():
    assert english_words("签号（ticket）") == ["ticket"]
    assert english_words("冷却期（cooldown 6 个月）") == ["cooldown"]
    assert english_words("运行 shuijie verify rounds/2026-Q1-危化，e2942fa4 062f7713") == []


def test_codes_wider_than_the_page_still_print():
    """Columns that may not wrap and do not fit at 9 pt (ids of unusual length) give a smaller
    scale, not an internal error that stops the draw."""
    from shuijie.papers.print_setup import MIN_PRINTED_PT, fit_widths

    fit = fit_widths([60.0] * 8, [False] * 8, 11.0)
    assert fit.widths == [60.0] * 8 and 0 < fit.scale * 11.0 < MIN_PRINTED_PT


# ---------------------------------------------------------------- measuring, column by column

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from shuijie.papers import xlsx as X  # noqa: E402

_TEXTS = ["", "甲", "信阳市某某化工有限公司", "危险化学品经营单位安全生产条件检查" * 3, "a b c", "GB 32100-2015",
          "第一行\n第二行", "x" * 70, "营业执照 91411500MA44ABCD2X 有效", "  前后空格  ", "①②③", "𠀀𠀁"]
_VALUES = st.one_of(st.sampled_from(_TEXTS), st.integers(-5, 10 ** 12), st.sampled_from([3.5, 2.0, 0.25]),
                    st.none(), st.text(alphabet="甲乙 ab\n1", max_size=40))
_LOOKS = [(X.BODY_FONT, X.WRAP), (X.BODY_FONT, X.KEEP), (X.HEADER_FONT, X.CENTER), (X.TITLE_FONT, X.LEFT)]


def _reference_lines(text: str, width: float, font_pt: float) -> int:
    """wrapped_lines' greedy rule, token by token (no shortcut)."""
    cap = P.capacity(width, font_pt)
    total = 0
    for para in text.split("\n"):
        lines, used = 1, 0
        for token in P._tokens(para):
            w = P.text_units(token)
            if used + w <= cap:
                used += w
            elif token.isspace():
                continue
            elif w <= cap:
                lines, used = lines + 1, w
            else:
                rest = used + w
                lines += (rest - 1) // cap
                used = rest - ((rest - 1) // cap) * cap
        total += lines
    return total


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(_TEXTS), st.text(alphabet="甲乙 abc\n12-", max_size=80)),
       st.sampled_from([4.0, 8.0, 11.5, 24.0, 30.0]), st.sampled_from([9.0, 10.5, 11.0, 16.0]))
def test_wrapped_lines_is_the_greedy_rule(text, width, font_pt):
    assert P.wrapped_lines(text, width, font_pt) == _reference_lines(text, width, font_pt)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_table_measured_by_columns_is_measured_as_cell_by_cell(data):
    """measure takes a table's plain body rows a column at a time (print_setup._body): the
    widths, fit and every row height are those of measuring each cell (sheets with titles,
    holes, merged ranges, mixed looks in a column, numbers, blanks and wrapped text)."""
    ncols = data.draw(st.integers(1, 6))
    nrows = data.draw(st.integers(0, 30))
    column_looks = [data.draw(st.sampled_from(_LOOKS)) for _ in range(ncols)]

    def build() -> X.Sheet:
        book = X.new_workbook()
        sheet = book.active
        head = P.title_rows(sheet, [(t, X.BODY_FONT) for t in titles], ncols)
        X.write_table(sheet, [f"列{c}" for c in range(ncols)], [], start_row=head)
        for (r, c), (value, look) in cells.items():
            font, align = look
            X.put(sheet, head + r, c, value, font=font, align=align)
        for r1, c1, r2, c2 in merges:
            sheet.merge(head + r1, c1, head + r2, c2)
        for r, h in preset.items():
            sheet.heights[head + r] = h
        return sheet

    titles = data.draw(st.lists(st.sampled_from(_TEXTS[1:]), max_size=2))
    cells = {}
    for r in range(1, nrows + 1):
        for c in range(1, ncols + 1):
            if data.draw(st.integers(0, 19)) == 0:
                continue  # a hole: a cell never written
            mixed = data.draw(st.integers(0, 9)) == 0
            cells[(r, c)] = (data.draw(_VALUES), data.draw(st.sampled_from(_LOOKS)) if mixed else column_looks[c - 1])
    merges = []
    if nrows >= 2 and ncols >= 2 and data.draw(st.booleans()):
        r = data.draw(st.integers(1, nrows - 1))
        merges.append((r, 1, r + data.draw(st.integers(0, 1)), 2))
    preset = {r: 40.0 for r in range(1, nrows + 1) if data.draw(st.integers(0, 7)) == 0}
    keep = data.draw(st.sets(st.integers(1, ncols), max_size=2))

    head = len(titles) + 1
    by_columns = build()
    fit_a = P.measure(by_columns, header_row=head, ncols=ncols, keep=keep, max_width=20)
    body = P._body
    try:
        P._body = lambda sheet, rows, *a: ([], [], list(rows))  # every row cell by cell
        by_cells = build()
        fit_b = P.measure(by_cells, header_row=head, ncols=ncols, keep=keep, max_width=20)
    finally:
        P._body = body
    assert fit_a == fit_b
    assert by_columns.heights == by_cells.heights
    plain = body(by_columns, by_columns.rows, head, ncols, *P._merge_maps(by_columns.merges))[0]
    if len(cells) == nrows * ncols and not merges:  # no hole, no merge: the whole body by columns
        assert set(plain) >= {head + r for r in range(1, nrows + 1)}
