"""Rendering check: letters convert to PDF (LibreOffice, font pinned by the harness in
``tests/rendering.py``) as A4 pages, one page per letter for a plan of ordinary size, and
the combined file starts each letter on a new page.  Skipped (with the reason) where
soffice is absent, except in CI, where that is a failure."""

from __future__ import annotations

import pytest
from rendering import pdf_pages, to_pdfs
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
