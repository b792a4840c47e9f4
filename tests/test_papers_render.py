"""Rendering check: where LibreOffice is installed, letters convert to PDF as A4 pages,
one page per letter for a plan of ordinary size, and the combined file starts each
letter on a new page.  Skipped (with the reason) where soffice is absent."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_papers_support import make_record, make_ws

from shuijie.papers import write_papers

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page, read from the PDF's page objects."""
    data = pdf.read_bytes()
    pages = []
    for m in re.finditer(rb"/Type\s*/Page(?!s)(.{0,600}?)>>", data, re.S):
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", m.group(0))
        if box is None:  # inherited from the page tree
            box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        pages.append((x1 - x0, y1 - y0))
    return pages


def to_pdf(files: list[Path], out: Path, profile: Path) -> dict[str, list[tuple[float, float]]]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    return {f.stem: pdf_pages(out / (f.stem + ".pdf")) for f in files}


def test_letters_are_one_a4_page_each(tmp_path):
    ws = make_ws(tmp_path)
    record = make_record(ws)
    paths = write_papers(tmp_path / "out", ws, record)
    letters = sorted(p for p in paths if p.parent.name == "检查通知书")
    combined = tmp_path / "out" / "检查通知书（合订本）.docx"
    forms = sorted(p for p in paths if p.parent.name == "附件2-抽查记录表")
    pdfs = to_pdf(letters + [combined], tmp_path / "pdf", tmp_path / "lo-profile")
    pdfs.update({"form-" + k: v for k, v in to_pdf(forms[:1], tmp_path / "pdf2", tmp_path / "lo-profile").items()})
    for name, pages in pdfs.items():
        assert pages, name
        for w, h in pages:
            assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1, (name, w, h)  # A4 portrait
    for p in letters:
        assert len(pdfs[p.stem]) == 1, p.name
    assert len(pdfs[combined.stem]) == len(letters)
    assert len(pdfs["form-" + forms[0].stem]) == 1
