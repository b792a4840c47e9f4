"""GB/T 9704-2012 page setup and type for the .docx papers (python-docx level).

Used by ``scripts/make_templates.py`` (the built-in templates) and by the papers
built directly with python-docx (附件1 .docx, 抽取记录).  The numbers:

* A4 210×297 mm; margins top 37, bottom 35, left 28, right 26 mm → text block
  156×225 mm.
* Body 3号 (16 pt) 仿宋_GB2312, set as the East Asian font (``w:eastAsia``) on
  the document defaults, the Normal style and every run we write; language
  ``zh-CN``.  Title 2号 (22 pt) 方正小标宋简体; first-level headings 3号 黑体.
* 22 lines of 28 characters: exact line spacing and document grid line pitch
  of 579 twips (225 mm / 22 ≈ 28.95 pt); 3号 runs condensed by 0.25 pt so that
  28 characters fill the 156 mm line (see :func:`_char_spacing`).
* Footer page number "— 1 —" (PAGE field, 4号 宋体): odd pages right, even
  pages left, one character in, its 一字线 7 mm under the text block (GB/T 9704
  7.5: footer distance 25.5 mm, measured in the LibreOffice rendering).
* 附件说明 (:func:`add_attachments`) and 署名 centred over the 成文日期
  (:func:`add_signature`) after GB/T 9704 7.3.4 and 7.3.5.1.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from functools import lru_cache
from typing import Iterable, Sequence

import docx
from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from shuijie.papers.compat_docx import paragraph_element, part_xml, section_properties
from shuijie.papers.repro import Deflating, Entry, core_dates, write_zip
from shuijie.papers.xlsx import clean_text

# ---------------------------------------------------------------- numbers
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
HEADER_MM, FOOTER_MM = 15, 25.5
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = 579            # twips: 225 mm / 22 lines = 28.95 pt
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT = 16, 22, 14, 12
# The letter: 28 lines of 28 characters (exact line spacing 22.75 pt instead of the usual
# 22 lines' 28.95 pt; characters still 3号), so that a letter with four check items, five
# materials and a team of three plus an expert stays on one page (GB/T 9704 7.1 gives 22
# lines as the usual number, "一般", not the only one).
LETTER_LINES = 28
TABLE_LINE = 400            # twips, exact line spacing inside tables (20 pt)

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_HEADING = "黑体"
FONT_HEADING2 = "楷体_GB2312"
FONT_PAGE_NO = "宋体"
FONT_LATIN = "Times New Roman"
FONT_MONO = "Courier New"   # hashes
HASH_PT = 10               # a SHA-256 in groups of eight is 71 characters: one line at 10 pt


def _char_spacing() -> int:
    """Run character spacing (w:spacing, twips, negative = condensed) that fits
    CHARS_PER_LINE characters of BODY_PT across the 156 mm text block.

    Word's character grid (docGrid linesAndChars + charSpace) would do the same
    in Word, but LibreOffice snaps each 16 pt character to two 15.8 pt grid
    cells and the letter runs to two pages; condensing the runs by 0.25 pt
    gives 28 characters a line in Word, WPS and LibreOffice alike.
    """
    import math

    width_pt = (PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) * 72 / 25.4
    return math.floor((width_pt / CHARS_PER_LINE - BODY_PT) * 20)


CHAR_SPACING = _char_spacing()   # -5 twips = -0.25 pt


def mm_twips(mm: int | float) -> int:
    return round(mm * 1440 / 25.4)


# ---------------------------------------------------------------- XML snippets
def rfonts_xml(east_asia: str = FONT_BODY, latin: str = FONT_LATIN) -> str:
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
            f'w:cs="{latin}" w:hint="eastAsia"/>')


@lru_cache(maxsize=64)  # a few fonts and sizes, for 100,000 runs of a large report
def rpr_xml(east_asia: str = FONT_BODY, size_pt: float = BODY_PT, bold: bool = False,
            latin: str = FONT_LATIN) -> str:
    """A complete <w:rPr> (children in schema order); 3号 text is condensed to 28 a line."""
    half = round(size_pt * 2)
    b = "<w:b/><w:bCs/>" if bold else ""
    sp = f'<w:spacing w:val="{CHAR_SPACING}"/>' if size_pt == BODY_PT else ""
    return (f"<w:rPr>{rfonts_xml(east_asia, latin)}{b}{sp}"
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


# ---------------------------------------------------------------- the document
def pitch_for(lines: int) -> int:
    """Exact line spacing (twips) that puts ``lines`` lines in the 225 mm text block."""
    return mm_twips(PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM) // lines


def _set_defaults(doc: DocumentObject, pitch: int) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    rpr_default.append(parse_xml(rpr_xml().replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1)))
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" '
        f'w:line="{pitch}" w:lineRule="exact"/></w:pPr>'))

    normal = doc.styles["Normal"].element
    for tag in ("w:pPr", "w:rPr"):
        old = normal.find(qn(tag))
        if old is not None:
            normal.remove(old)
    normal.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" '
        f'w:line="{pitch}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>'))
    normal.append(parse_xml(rpr_xml().replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1)))

    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)


def _set_section(doc: DocumentObject, pitch: int) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    sect = section_properties(section)
    for grid in sect.findall(qn("w:docGrid")):
        sect.remove(grid)
    sect.append(parse_xml(
        f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{pitch}"/>'))
    for key in list(sect.attrib):
        sect.attrib.pop(key)
    # Page numbers "— 1 —" (GB/T 9704 7.5): odd pages at the right, even pages at the
    # left, one character (4号 = 280 twips) in from the text block edge.
    doc.settings.odd_and_even_pages_header_footer = True
    r = rpr_xml(FONT_PAGE_NO, PAGE_NO_PT, latin=FONT_PAGE_NO)
    for footer, ind, jc in ((section.footer, '<w:ind w:right="280"/>', "right"),
                            (section.even_page_footer, '<w:ind w:left="280"/>', "left")):
        footer.is_linked_to_previous = False
        p = paragraph_element(footer.paragraphs[0])
        for child in list(p):
            p.remove(child)
        p.append(parse_xml(
            f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'{ind}<w:jc w:val="{jc}"/></w:pPr>'))
        for xml in (
            f'<w:r>{r}<w:t xml:space="preserve">— </w:t></w:r>',
            f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r>{r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r>{r}<w:t>1</w:t></w:r>",
            f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>',
            f'<w:r>{r}<w:t xml:space="preserve"> —</w:t></w:r>',
        ):
            p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


class Draft:
    """A document being built: python-docx's Document (page, styles, footers) and the
    blocks added since, kept here and not as attributes on python-docx's object.

    The blocks never enter python-docx's tree: a large draw report would be a tree of
    ~1 GB (see :func:`document_bytes`).  ``blocks`` holds block XML text, or runs of blocks
    already in their saved form (bytes, see :func:`_settle`); ``pending`` counts the text
    ones, ``held`` the bytes of the saved ones; ``root_tags`` caches the document element's
    start and end tags.  Past :data:`_HOLD` bytes the saved blocks are deflated into
    ``sink``, word/document.xml's stream, begun with ``head`` (the part before the blocks)."""

    __slots__ = ("doc", "pitch", "blocks", "pending", "held", "root_tags", "sink", "head")

    def __init__(self, doc: DocumentObject, pitch: int = LINE_PITCH):
        self.doc = doc
        self.pitch = pitch  # exact line spacing of body text, twips
        self.blocks: list[str | bytes] = []
        self.pending = 0
        self.held = 0
        self.root_tags: tuple[str, str] | None = None
        self.sink: Deflating | None = None
        self.head = b""


def new_document(title: str = "", lines: int = LINES_PER_PAGE) -> Draft:
    """An empty GB/T 9704 document: page, fonts, grid, page-number footer.  ``lines`` other
    than 22 sets a denser exact line spacing (a one-page letter with a long item list)."""
    pitch = LINE_PITCH if lines == LINES_PER_PAGE else pitch_for(lines)
    doc = docx.Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _set_defaults(doc, pitch)
    _set_section(doc, pitch)
    props = doc.core_properties
    props.author = "shuijie"
    props.last_modified_by = "shuijie"
    props.title = title
    props.comments = ""
    props.revision = 1
    return Draft(doc, pitch)


def _pitch(doc: Draft) -> int:
    return doc.pitch


# ---------------------------------------------------------------- paragraphs


def _para(doc: Draft, ppr_inner: str, runs: Iterable[str]) -> None:
    _append(doc, f"<w:p><w:pPr>{ppr_inner}</w:pPr>{''.join(runs)}</w:p>")


def _append(doc: Draft, xml: str) -> None:
    doc.blocks.append(xml)
    doc.pending += 1
    if doc.pending >= _CHUNK:
        _settle(doc)


def run_xml(text: str, rpr: str | None = None) -> str:
    """A run; newlines become <w:br/>."""
    from xml.sax.saxutils import escape


    rpr = rpr if rpr is not None else rpr_xml()
    parts = [escape(clean_text(x)) for x in str(text).replace("\r\n", "\n").split("\n")]
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{t}</w:t>' for t in parts)
    return f"<w:r>{rpr}{inner}</w:r>"


@lru_cache(maxsize=16)
def spacing_xml(line: int = LINE_PITCH) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'


def add_title(doc: Draft, text: str):
    """2号 方正小标宋简体, centred."""
    return _para(doc, spacing_xml(_pitch(doc)) + '<w:jc w:val="center"/>',
                 [run_xml(text, rpr_xml(FONT_TITLE, TITLE_PT))])


def add_blank(doc: Draft, keep_next: bool = False):
    return _para(doc, ("<w:keepNext/>" if keep_next else "") + spacing_xml(_pitch(doc)), [])


def add_body(doc: Draft, text: str, *, indent: bool = True, align: str = "both",
             font: str = FONT_BODY, size_pt: float = BODY_PT, bold: bool = False,
             keep_next: bool = False):
    ind = '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if indent else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return _para(doc, keep + spacing_xml(_pitch(doc)) + ind + f'<w:jc w:val="{align}"/>',
                 [run_xml(text, rpr_xml(font, size_pt, bold))])


def add_attachments(doc: Draft, names: Sequence[str]) -> None:
    """附件说明 (GB/T 9704 7.3.4): under the text after one blank line, two characters in,
    "附件：1.…"; each further name on its own line, aligned under the first name."""
    add_blank(doc, keep_next=True)
    char = BODY_PT * 20 + CHAR_SPACING            # one condensed 3号 character, twips
    first, label = 2 * char, 3 * char             # 左空二字; "附件："
    runs = [run_xml(f"附件：1.{names[0]}" if len(names) > 1 else f"附件：{names[0]}")]
    for n, name in enumerate(names[1:], start=2):
        runs.append(f"<w:r>{rpr_xml()}<w:br/></w:r>")
        runs.append(run_xml(f"{n}.{name}"))
    _para(doc, "<w:keepNext/>" + spacing_xml(_pitch(doc))
          + f'<w:ind w:left="{first + label}" w:hanging="{label}"/><w:jc w:val="left"/>', runs)


# The widest 成文日期 (two-digit month and day): the signature block is laid out for it.
_WIDEST_DATE = "2026年12月31日"


def text_twips(text: str, size_pt: float = BODY_PT) -> int:
    """Width of a line of body text: full-width characters one (condensed) em, others half."""
    full = size_pt * 20 + (CHAR_SPACING if size_pt == BODY_PT else 0)
    half = size_pt * 10 + (CHAR_SPACING if size_pt == BODY_PT else 0)
    return int(sum(full if ord(c) > 0x2000 else half for c in text))


def add_signature(doc: Draft, unit: str, date_text: str, *, blank: bool = True) -> None:
    """署名 and 成文日期 (GB/T 9704 7.3.5.1): the date four characters from the right edge,
    the 署名 centred over it (one centre tab stop for both lines, placed for the widest date,
    so a template keeps it whatever date fills in)."""
    char = BODY_PT * 20 + CHAR_SPACING
    width = mm_twips(PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)
    pos = width - 4 * char - text_twips(_WIDEST_DATE) // 2
    if blank:
        add_blank(doc, keep_next=True)
    tab = f'<w:tabs><w:tab w:val="center" w:pos="{pos}"/></w:tabs>'
    for keep, text in (("<w:keepNext/>", unit), ("", date_text)):
        _para(doc, keep + tab + spacing_xml(_pitch(doc)) + '<w:jc w:val="left"/>',
              [f"<w:r>{rpr_xml()}<w:tab/></w:r>", run_xml(text)])


def hash_runs(h: str, per_line: int = 8, size_pt: float = HASH_PT) -> list[str]:
    """A hash as runs: groups of eight in a monospace font, ``per_line`` groups a line
    (explicit breaks), so no group is ever split (a 64-digit SHA-256 at 10 pt: one line of
    71 characters, 6 pt each, 426 pt of the 442 pt text block)."""
    groups = [h[i:i + 8] for i in range(0, len(h), 8)] or [""]
    rpr = rpr_xml(FONT_BODY, size_pt, latin=FONT_MONO)
    runs = []
    for k in range(0, len(groups), per_line):
        if k:
            runs.append(f"<w:r>{rpr}<w:br/></w:r>")
        runs.append(run_xml(" ".join(groups[k:k + per_line]), rpr))
    return runs


def add_command(doc: Draft, text: str) -> None:
    """A command to type, on a line of its own in the monospace font, two characters in."""
    _para(doc, spacing_xml(_pitch(doc)) + '<w:ind w:left="640"/><w:jc w:val="left"/>',
          [run_xml(text, rpr_xml(FONT_BODY, 12, latin=FONT_MONO))])


def add_hash(doc: Draft, h: str, keep_next: bool = False) -> None:
    """A hash on a line of its own, flush left (see :func:`hash_runs`)."""
    keep = "<w:keepNext/>" if keep_next else ""
    _para(doc, keep + spacing_xml(_pitch(doc)) + '<w:jc w:val="left"/>', hash_runs(h))


def add_heading(doc: Draft, text: str, level: int = 1):
    """一、 (黑体) or （一） (楷体) headings, 3号, indented two characters."""
    font = FONT_HEADING if level == 1 else FONT_HEADING2
    return add_body(doc, text, font=font)


def add_label(doc: Draft, text: str):
    """附件 label: 3号 黑体, flush left."""
    return add_body(doc, text, indent=False, align="left", font=FONT_HEADING)


def cell_xml(text: object, width_mm: float, *, span: int = 1, header: bool = False,
             jc: str | None = None, size_pt: float = TABLE_PT, mono: bool = False) -> str:
    """One table cell (<w:tc>) with one paragraph; ``width_mm`` is the whole (spanned) width.
    ``mono``: Latin text (hashes, ids) in the monospace font."""
    rpr = rpr_xml(FONT_HEADING if header else FONT_BODY, size_pt, latin=FONT_MONO if mono else FONT_LATIN)
    jc = jc or ("center" if header else "left")
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{mm_twips(width_mm)}" w:type="dxa"/>{span_xml}'
            f'<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:snapToGrid w:val="0"/>{spacing_xml(TABLE_LINE)}<w:jc w:val="{jc}"/></w:pPr>'
            f'{run_xml("" if text is None else str(text), rpr)}</w:p></w:tc>')


def row_xml(cells: Sequence[str], *, header: bool = False, min_height_mm: float | None = None) -> str:
    height = f'<w:trHeight w:val="{mm_twips(min_height_mm)}"/>' if min_height_mm else ""
    head = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{height}{head}</w:trPr>{''.join(cells)}</w:tr>"


def _table_head(widths_mm: Sequence[float]) -> str:
    grid = "".join(f'<w:gridCol w:w="{mm_twips(w)}"/>' for w in widths_mm)
    border = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (f"<w:tblPr><w:tblW w:w=\"{mm_twips(sum(widths_mm))}\" w:type=\"dxa\"/>"
            f'<w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>")


def table_xml(widths_mm: Sequence[float], rows: Sequence[str]) -> str:
    return f"<w:tbl>{_table_head(widths_mm)}{''.join(rows)}</w:tbl>"


def append_xml(doc: Draft, xml: str) -> None:
    """Append a block element (table) to the body, before the final sectPr."""
    _append(doc, xml)


def add_table(doc: Draft, headers: Sequence[str], rows: Iterable[Sequence[object]],
              widths_mm: Sequence[float], *, size_pt: float = TABLE_PT, mono: Sequence[int] = ()):
    """A bordered table, header row in 黑体, cells in 仿宋, fixed widths (sum ≤ 156 mm);
    the 0-based columns in ``mono`` set their Latin text in the monospace font."""
    head = row_xml([cell_xml(h, w, header=True, size_pt=size_pt) for h, w in zip(headers, widths_mm)],
                   header=True)
    body = (row_xml([cell_xml(v, w, size_pt=size_pt, mono=i in mono)
                     for i, (v, w) in enumerate(zip(r, widths_mm))]) for r in rows)
    _settle(doc)  # the blocks before the table keep their place
    open_tag, close_tag = _root_tags(doc)
    _put(doc, b"<w:tbl>" + _reserialized(open_tag, close_tag, [_table_head(widths_mm)], "w:tbl"))
    chunk = [head]
    for r in body:  # the rows settled a chunk at a time (10,000 rows are never all text at once)
        chunk.append(r)
        if len(chunk) >= _CHUNK:
            _put(doc, _reserialized(open_tag, close_tag, chunk, "w:tbl"))
            chunk = []
    if chunk:
        _put(doc, _reserialized(open_tag, close_tag, chunk, "w:tbl"))
    _put(doc, b"</w:tbl>")


# ---------------------------------------------------------------- saving
_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def _strip_parts(data: bytes) -> bytes:
    """Drop python-docx's leftovers (thumbnail, customXml, stylesWithEffects)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if name.startswith(_DROP_PARTS):
                continue
            payload = src.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                text = payload.decode("utf-8")
                text = re.sub(r'<Relationship [^>]*Target="[^"]*(?:stylesWithEffects|thumbnail|customXml)[^"]*"[^>]*/>', "", text)
                text = re.sub(r'<Override [^>]*PartName="/(?:word/stylesWithEffects\.xml|docProps/thumbnail\.jpeg|customXml/[^"]*)"[^>]*/>', "", text)
                text = re.sub(r'<Default [^>]*Extension="jpeg"[^>]*/>', "", text)
                payload = text.encode("utf-8")
            dst.writestr(name, payload)
    return out.getvalue()


# Blocks (or table rows) parsed at a time when a document is saved.
_CHUNK = 500


def _reserialized(open_tag: str, close_tag: str, parts: list[str], wrap: str = "") -> bytes:
    """``parts`` as lxml writes them inside the document: parsed (python-docx's parser) and
    serialized a chunk at a time under a copy of the root element (same namespaces), so the
    bytes are those of one big tree without ever building it.  ``wrap`` (e.g. ``w:tbl``)
    is a parent element put around each chunk and taken off again."""
    from lxml import etree

    w_open, w_close = (f"<{wrap}>", f"</{wrap}>") if wrap else ("", "")
    out: list[bytes] = []
    for k in range(0, len(parts), _CHUNK):
        el = parse_xml(open_tag + w_open + "".join(parts[k:k + _CHUNK]) + w_close + close_tag)
        data = etree.tostring(el, encoding="UTF-8")
        del el
        data = data[data.find(b">") + 1:data.rfind(b"</")]
        if wrap:
            data = data[len(w_open):len(data) - len(w_close)]
        out.append(data)
    return b"".join(out)


def _root_tags(doc: Draft) -> tuple[str, str]:
    """The document element's start tag (its namespace declarations) and end tag."""
    tags = doc.root_tags
    if tags is None:
        root = part_xml(doc.doc)
        open_tag = root[:root.find(">") + 1]
        tags = (open_tag, "</" + open_tag[1:].split(None, 1)[0].rstrip(">") + ">")
        doc.root_tags = tags
    return tags


def _settle(doc: Draft) -> None:
    """Turn the run of block texts at the end of ``doc.blocks`` into their saved form (bytes)."""
    buf = doc.blocks
    k = len(buf)
    while k > 0 and isinstance(buf[k - 1], str):
        k -= 1
    doc.pending = 0
    if k < len(buf):
        open_tag, close_tag = _root_tags(doc)
        texts = [b for b in buf[k:] if isinstance(b, str)]  # all of them (the loop above)
        del buf[k:]
        _put(doc, _reserialized(open_tag, close_tag, texts))


# Saved blocks held as bytes; past this they are deflated into word/document.xml's stream.
_HOLD = 4 << 20


def _put(doc: Draft, data: bytes) -> None:
    """Add saved blocks (every text block before them is saved already)."""
    doc.blocks.append(data)
    doc.held += len(data)
    if doc.held > _HOLD:
        if doc.sink is None:
            doc.head = _saved_document_xml(doc)[0]
            doc.sink = Deflating()
            doc.sink.feed(doc.head)
        for b in doc.blocks:
            doc.sink.feed(b)  # type: ignore[arg-type]  # all saved (bytes) here
        doc.blocks = []
        doc.held = 0


def _saved_zip(draft: Draft) -> zipfile.ZipFile:
    buf = io.BytesIO()
    draft.doc.save(buf)
    return zipfile.ZipFile(io.BytesIO(_strip_parts(buf.getvalue())))


def _saved_document_xml(draft: Draft, src: zipfile.ZipFile | None = None) -> tuple[bytes, bytes]:
    """word/document.xml as python-docx saves it (no blocks): before and from the final sectPr."""
    xml = (src or _saved_zip(draft)).read("word/document.xml")
    i = xml.rfind(b"<w:sectPr")
    return xml[:i], xml[i:]


def document_bytes(draft: Draft, when=None) -> bytes:
    """Reproducible bytes of a python-docx document (fixed zip times and core dates).

    The buffered blocks never enter python-docx's tree (10,000 drawn objects make the draw
    report a tree of ~1 GB): they were re-serialized a chunk at a time as they came
    (:func:`_settle`), and past :data:`_HOLD` bytes deflated as they came, and go into
    word/document.xml before the final sectPr, byte for byte what parsing them all into
    python-docx's tree, ``doc.save`` and :func:`shuijie.papers.repro.normalize_zip` give
    (the reference, ``tests/reference_impl.py``)."""
    _settle(draft)
    src = _saved_zip(draft)
    names = src.namelist()
    names.sort(key=lambda n: 0 if n == "[Content_Types].xml" else 1)  # as normalize_zip
    entries: list[Entry] = []
    for name in names:
        if name == "word/document.xml":
            entries.append(_document_entry(draft, *_saved_document_xml(draft, src)))
        elif name == "docProps/core.xml":
            entries.append(Entry(name, core_dates(src.read(name), when)))
        else:
            entries.append(Entry(name, src.read(name)))
    return write_zip(entries)


def _document_entry(draft: Draft, head: bytes, tail: bytes) -> Entry:
    sink = draft.sink
    if sink is None:
        sink = Deflating()
        sink.feed(head)
    elif head != draft.head:  # the page changed after the first blocks were deflated: again
        spilled = zlib.decompress(sink.copy().finish(), -15)[len(draft.head):]
        sink = Deflating()
        sink.feed(head)
        sink.feed(spilled)
        del spilled
    for b in draft.blocks:
        sink.feed(b)  # type: ignore[arg-type]  # all saved (bytes) after _settle
    sink.feed(tail)
    draft.blocks, draft.held, draft.sink, draft.head = [], 0, None, b""
    return sink.entry("word/document.xml")
