"""The rendering harness (tests/rendering.py -> scripts/render_lib.py) itself: a tiny
.docx and .xlsx through LibreOffice and poppler, a tiny page through headless Chromium,
and the pinned CJK font."""

from __future__ import annotations

import re
import subprocess

import pytest
import rendering as R

TEXT = "检查通知书 抽查记录表 ABC 123"
A4 = (210.0, 297.0)


def _assert_pinned_font_used(pdf) -> None:
    names = [f["name"] for f in R.pdf_fonts(pdf)]
    assert any(R.is_pinned_font(n) for n in names), (R.pinned_font(), names)
    # and no other CJK font crept in through glyph fallback
    others = [n for n in names if re.search(r"(?i)cjk|wenquanyi|wqy|droid|sourcehan|song|hei|kai|fang", n)
              and not R.is_pinned_font(n)]
    assert not others, (R.pinned_font(), names)


def test_every_cjk_name_resolves_to_the_pinned_font(soffice):
    family, _ = R.pinned_font()
    env = R.render_env()
    for alias in R.CJK_ALIASES + ("sans-serif:lang=zh-cn",):
        out = subprocess.run(["fc-match", "-f", "%{family}", alias], env=env,
                             capture_output=True, text=True, check=True).stdout
        if alias.startswith("sans-serif"):  # generic fallback: must at least not be another CJK font
            assert family in out or not re.search(r"CJK|WenQuanYi", out), (alias, out)
        else:
            assert family in out.split(","), (alias, out)


def test_docx_renders_one_a4_page_with_cjk_text_in_the_pinned_font(soffice, tmp_path):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    for font in ("仿宋_GB2312", "方正小标宋简体", "黑体"):
        run = doc.add_paragraph().add_run(f"{TEXT} {font}")
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    src = tmp_path / "小样.docx"
    doc.save(src)

    pdf = R.to_pdf(src, tmp_path / "pdf")
    assert pdf.name == "小样.pdf"
    assert R.pdf_pages(pdf) == [A4]
    assert R.pdf_page_count(pdf) == 1
    assert TEXT in R.pdf_text(pdf, page=1)
    _assert_pinned_font_used(pdf)
    png = R.to_png(pdf, 1, dpi=70)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # 70 dpi A4: 579 x 819 pixels (IHDR width/height)
    w, h = int.from_bytes(png.read_bytes()[16:20], "big"), int.from_bytes(png.read_bytes()[20:24], "big")
    assert abs(w - 579) <= 2 and abs(h - 819) <= 2, (w, h)


def test_xlsx_renders_one_a4_page_with_cjk_text_in_the_pinned_font(soffice, tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "检查组安排"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws["A1"] = TEXT
    ws["A1"].font = Font(name="仿宋_GB2312", size=12)
    ws["A2"] = "黑体 标题"
    ws["A2"].font = Font(name="黑体", size=14)
    ws.column_dimensions["A"].width = 40
    src = tmp_path / "小样.xlsx"
    wb.save(src)

    pdf = R.to_pdf(src, tmp_path / "pdf")
    assert R.pdf_pages(pdf) == [A4]
    assert TEXT in R.pdf_text(pdf)
    _assert_pinned_font_used(pdf)


def test_consecutive_conversions_and_batch(soffice, tmp_path):
    import openpyxl

    srcs = []
    for i in range(3):
        wb = openpyxl.Workbook()
        wb.active["A1"] = f"第{i}号"
        srcs.append(tmp_path / f"f{i}.xlsx")
        wb.save(srcs[-1])
    pdfs = R.to_pdfs(srcs, tmp_path / "pdf")
    assert [p.name for p in pdfs] == ["f0.pdf", "f1.pdf", "f2.pdf"]
    assert [f"第{i}号" in R.pdf_text(p) for i, p in enumerate(pdfs)] == [True] * 3
    assert R.to_pdf(srcs[0], tmp_path / "again").is_file()


def test_to_pdf_errors_are_clear(soffice, tmp_path):
    with pytest.raises(R.RenderError, match="no such file"):
        R.to_pdf(tmp_path / "missing.docx", tmp_path)
    bad = tmp_path / "broken.xyz-unknown"
    bad.write_bytes(b"\x00\x01 not a document")
    with pytest.raises(R.RenderError, match="broken"):
        R.to_pdf(bad, tmp_path / "pdf")


def test_chromium_runs_scripts_and_takes_screenshots(chromium, tmp_path):
    page = tmp_path / "页面.html"
    page.write_text(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'></head>"
        "<body style='font-family:仿宋_GB2312'><h1>抽查结果公示</h1>"
        "<script>document.documentElement.setAttribute('data-x', String(6 * 7));</script>"
        "</body></html>", encoding="utf-8")
    dom = R.chromium_dump_dom(page, budget_ms=2000)
    assert re.search(r"<html[^>]*\bdata-x=\"42\"", dom), dom[:300]
    assert "抽查结果公示" in dom
    png = R.chromium_screenshot(page, tmp_path / "shot.png", 400, 300, budget_ms=1000)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (400, 300)
