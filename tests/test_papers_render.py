"""Rendering check: letters convert to PDF (LibreOffice, font pinned by the harness in
``tests/rendering.py``) as A4 pages, one page per letter for a plan of ordinary size, and
the combined file starts each letter on a new page.  Skipped (with the reason) where
soffice is absent, except in CI, where that is a failure."""

from __future__ import annotations

import openpyxl
import pytest
from rendering import pdf_pages, pdf_text, to_pdfs
from test_papers_support import make_record, make_ws

from shuijie.papers import write_papers

pytestmark = pytest.mark.usefixtures("soffice")

A4 = (210.0, 297.0)  # mm, portrait


def test_letters_are_one_a4_page_each(tmp_path):
    ws = make_ws(tmp_path)
    record = make_record(ws)
    paths = write_papers(tmp_path / "out", ws, record)
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    combined = tmp_path / "out" / "检查通知书（合订本）.docx"
    forms = sorted(p for p in paths if p.parent.name == "附件2-抽查记录表")
    pdfs = {p.stem: pdf_pages(pdf) for p, pdf in
            zip(letters + [combined], to_pdfs(letters + [combined], tmp_path / "pdf"))}
    pdfs.update({"form-" + p.stem: pdf_pages(pdf) for p, pdf in
                 zip(forms[:1], to_pdfs(forms[:1], tmp_path / "pdf2"))})
    for name, pages in pdfs.items():
        assert pages, name
        for w, h in pages:
            assert abs(w - A4[0]) < 0.5 and abs(h - A4[1]) < 0.5, (name, w, h)  # A4 portrait
    for p in letters:
        assert len(pdfs[p.stem]) == 1, p.name
    assert len(pdfs[combined.stem]) == len(letters)
    assert len(pdfs["form-" + forms[0].stem]) == 1


# ---------------------------------------------------------------- the example round, every kind of paper

EXAMPLE_PLAN = "plans/2026-Q1-危化.yaml"
EXAMPLE_RANDOM = "2026-02-26 福彩3D 第2026050期 开奖号码 3 1 4"  # README's command


@pytest.fixture
def example_round(workspace, monkeypatch):
    from typer.testing import CliRunner

    from shuijie.cli import app

    if not (workspace / EXAMPLE_PLAN).is_file():
        pytest.skip("the example workspace has no plan")
    monkeypatch.chdir(workspace)
    res = CliRunner().invoke(app, ["draw", EXAMPLE_PLAN, "--random", EXAMPLE_RANDOM, "--json"])
    assert res.exit_code == 0, res.output
    return workspace / "rounds" / "2026-Q1-危化"


def _last_headers(path):
    """The last column's header of each printed sheet (the header row is the print title)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for s in wb.worksheets:
        if s.sheet_state != "visible":
            continue
        row = int(str(s.print_title_rows).split(":")[0].lstrip("$"))
        last = max(c.column for c in s[row] if c.value not in (None, ""))
        out[s.title] = s.cell(row=row, column=last).value
    return out


def test_example_round_prints(example_round, tmp_path):
    rd = example_round
    letters = sorted((rd / "检查通知书").glob("*.docx"))
    workbooks = sorted(rd.glob("*.xlsx"))
    docs = [rd / "抽取记录.docx", rd / "承诺公告.docx"]
    pdfs = dict(zip(letters + workbooks + docs, to_pdfs(letters + workbooks + docs, tmp_path / "pdf")))
    # letters of the example plan: one A4 page each
    assert letters
    for p in letters:
        pages = pdf_pages(pdfs[p])
        assert len(pages) == 1, p.name
        assert abs(pages[0][0] - A4[0]) < 0.5 and abs(pages[0][1] - A4[1]) < 0.5
    # 附件2: each object's form exactly one page
    forms = openpyxl.load_workbook(rd / "附件2-抽查记录表.xlsx")
    assert len(pdf_pages(pdfs[rd / "附件2-抽查记录表.xlsx"])) == len(forms.worksheets) == len(letters)
    # every workbook one page wide: with the header row repeated, a page cut off on the right
    # would lack the last column's header; every page of every workbook shows one
    for wb_path in workbooks:
        heads = set(_last_headers(wb_path).values())
        pages = pdf_pages(pdfs[wb_path])
        for n in range(1, len(pages) + 1):
            text = pdf_text(pdfs[wb_path], n).replace(" ", "").replace("\n", "")
            assert any(h.replace("\n", "") in text for h in heads), (wb_path.name, n, heads)
        for w, h in pages:  # A4 either way round
            assert sorted((round(w), round(h))) == [210, 297], (wb_path.name, w, h)
    # no page of the draw report or the notice holds only the signature block
    for p in (rd / "抽取记录.docx", rd / "承诺公告.docx"):
        n = len(pdf_pages(pdfs[p]))
        last = pdf_text(pdfs[p], n).split()
        assert len(last) > 8, (p.name, last)
