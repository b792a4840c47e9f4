"""How every workbook of a round prints: one place for page, widths, heights and fitting.

Excel, WPS and LibreOffice print what the file says and nothing more: they do not
fit rows to wrapped text when they open a file, and a fit-to-width is only used
when fitting is switched on (``pageSetUpPr.fitToPage``).  :func:`finish` therefore
stores everything on the sheet:

* **column widths from content**: a CJK (full-width) character counts as two
  units, anything else as one; a column's width is its widest line (the header's
  included), capped at ``max_width`` so long text wraps.  Columns listed in
  ``keep`` (ids, dates, codes) are never capped and never wrap: an id is not
  split over two lines.
* **page**: A4, portrait when the table fits the portrait width at full size,
  else landscape; fitting switched on, one page wide (``fitToWidth 1``,
  ``fitToHeight 0``: as many pages down as needed), or exactly one page with
  ``one_page``.  The fit scale (printable width ÷ table width) is computed and
  the wrapped columns are narrowed until it keeps the smallest font at
  :data:`MIN_PRINTED_PT` or more (asserted).
* **row heights**: for every row, lines × :func:`line_pitch` of the widest
  wrapped cell (merged cells: over their merged width), stored as a custom
  height, so nothing prints over the next row in any of the three programs.
* the header row repeats on every page (print titles), footer
  "第 &P 页 共 &N 页", the panes frozen below the header.

Width units are Excel's: one unit is the width of a digit of the default font
(Calibri 11, 7 px = 5.25 pt); a column ``w`` units wide is ``7w + 5`` px.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Iterable

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from shuijie.papers.xlsx import ABSENT, CENTER, LEFT, TITLE_FONT, Sheet, put

A4_MM = (210.0, 297.0)
MARGIN_IN = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.25, "footer": 0.25}
MIN_PRINTED_PT = 9.0
UNIT_PT = 5.25          # one width unit (a digit of Calibri 11: 7 px at 96 dpi)
CELL_PAD_PT = 3.0       # the cell's inner padding, both sides together
WIDTH_SAFETY = 1.08     # glyphs of the substitute fonts run a little wider than the em
FOOTER = "第 &P 页 共 &N 页"


def is_wide(ch: str) -> bool:
    """A character printed full width (CJK ideographs, kana, hangul, full-width forms, punctuation)."""
    o = ord(ch)
    return (0x1100 <= o <= 0x115F or 0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3
            or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFF60
            or 0xFFE0 <= o <= 0xFFE6 or 0x2014 <= o <= 0x201F or 0x3000 <= o <= 0x303F
            or o >= 0x20000)


# The characters of is_wide, as a pattern (a sheet of 10,000 rows measures a million cells).
_WIDE_CHARS = ("\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60"
               "\uFFE0-\uFFE6\u2014-\u201F\u3000-\u303F\U00020000-\U0010FFFF")
_WIDE = re.compile(f"[{_WIDE_CHARS}]")
_TOKEN = re.compile(f"[{_WIDE_CHARS}]|\\s|[^{_WIDE_CHARS}\\s]+")


def text_units(text: str) -> int:
    """Width of one line in half-em units: CJK characters count two, others one."""
    return len(text) + len(_WIDE.findall(text))


@lru_cache(maxsize=1 << 16)
def widest_line(text: str) -> int:
    return max((text_units(line) for line in str(text).split("\n")), default=0)


@lru_cache(maxsize=None)
def line_pitch(font_pt: float) -> float:
    """Line height (pt) of text in ``font_pt`` in a cell: Excel and WPS give 11 pt CJK text a 14.25 pt row: 1.3 em."""
    return round(font_pt * 1.3, 1)


def units_for(half_ems: int, font_pt: float) -> float:
    """Column width (units) that holds ``half_ems`` half-em units of ``font_pt`` text on one line."""
    return (half_ems * font_pt / 2 * WIDTH_SAFETY + CELL_PAD_PT) / UNIT_PT + 0.5


def capacity(width: float, font_pt: float) -> int:
    """Half-em units of ``font_pt`` text that fit on one line of a column ``width`` units wide."""
    return max(2, int((width * UNIT_PT - CELL_PAD_PT) / (font_pt / 2 * WIDTH_SAFETY)))


@lru_cache(maxsize=1 << 16)
def wrapped_lines(text: str, width: float, font_pt: float) -> int:
    """Lines ``text`` takes in a wrapping cell ``width`` units wide (greedy: a CJK character
    may start a line anywhere; a run of Latin letters or digits moves whole to the next line
    when it fits on one, else it breaks where the line ends)."""
    cap = capacity(width, font_pt)
    text = str(text)
    if "\n" not in text and text_units(text) <= cap:
        return 1  # the usual cell: all of it fits on one line, however it is cut into pieces
    total = 0
    for para in text.split("\n"):
        lines, used = 1, 0
        for token in _tokens(para):
            w = text_units(token)
            if used + w <= cap:
                used += w
                continue
            if token.isspace():
                continue
            if w <= cap:
                lines += 1
                used = w
            else:  # a run longer than a line: broken where each line ends
                rest = used + w
                lines += (rest - 1) // cap
                used = rest - ((rest - 1) // cap) * cap
        total += lines
    return total


def _tokens(text: str) -> list[str]:
    """A line's breakable pieces: each full-width or space character alone, and the runs of
    other characters between them."""
    return _TOKEN.findall(text)


def printable_pt(landscape: bool) -> float:
    w_mm = A4_MM[1] if landscape else A4_MM[0]
    return w_mm * 72 / 25.4 - (MARGIN_IN["left"] + MARGIN_IN["right"]) * 72


def width_pt(widths: Iterable[float]) -> float:
    """Printed width of columns (Excel: 7w + 5 px each)."""
    return sum((7 * w + 5) * 0.75 for w in widths)


@dataclass
class Fit:
    landscape: bool
    scale: float          # printable width ÷ table width, at most 1
    widths: list[float]


def fit_widths(widths: list[float], wrap: list[bool], min_font_pt: float,
               landscape: bool | None = None, wanted: list[float] | None = None) -> Fit:
    """Choose the orientation and narrow the wrapping columns until the fit scale keeps
    ``min_font_pt`` text at :data:`MIN_PRINTED_PT` or more; when the page has room to
    spare, the columns cut below their ``wanted`` width (their text wraps) widen into it."""
    want = wanted or []
    capped = [bool(want) and want[i] > widths[i] for i in range(len(widths))]
    need = MIN_PRINTED_PT / min_font_pt
    widths = list(widths)
    if landscape is None:
        landscape = width_pt(widths) > printable_pt(False)
    room = printable_pt(landscape)
    for _ in range(200):
        if room / width_pt(widths) >= need:
            break
        narrowable = [i for i, w in enumerate(widths) if wrap[i] and w > 8]
        if not narrowable:
            break
        for i in narrowable:
            widths[i] = max(8.0, round(widths[i] * 0.95, 1))
    spare = room - width_pt(widths)
    grow = [i for i, w in enumerate(widths) if wrap[i] and capped[i]] if capped else []
    if spare > 0 and grow:  # room left on the page: the wrapped columns get it, wrapping less
        add = spare / 0.75 / 7 / len(grow)
        for i in grow:
            widths[i] = round(min(widths[i] + add, max(widths[i], want[i])), 1)
    # Columns that must not wrap (codes, dates) wider than the page allows at 9 pt (ids of
    # unusual length): the sheet still prints, one page wide, in smaller text, rather than
    # stopping the draw.  tests/test_papers_print.py holds every paper of a normal round to 9 pt.
    scale = min(1.0, room / width_pt(widths))
    return Fit(landscape, scale, widths)


def finish(sheet: Sheet, *, header_row: int, ncols: int, keep: Iterable[int] = (),
           max_width: float = 30, min_width: float = 4, one_page: bool = False,
           landscape: bool | None = None, fixed: dict[int, float] | None = None,
           freeze: bool = True, footer: bool = True, page_title: str = "") -> Fit:
    """Lay out ``sheet`` for printing (see the module text); returns the fit.

    ``header_row`` is the table's header (repeated on every page); rows above it are titles
    (merged across the table).  ``keep`` are 1-based columns that must never wrap (ids,
    dates, codes); ``fixed`` gives a column a width of the caller's choosing.  ``page_title``
    is printed at the top of every page, for a sheet whose first row must stay its header
    (the 结果录入表, which the clerk fills in and ``shuijie results`` reads back).
    """
    fit = measure(sheet, header_row=header_row, ncols=ncols, keep=keep, max_width=max_width,
                  min_width=min_width, landscape=landscape, fixed=fixed)
    apply(sheet, fit, header_row=header_row, one_page=one_page, freeze=freeze, footer=footer,
          page_title=page_title)
    return fit


def measure(sheet: Sheet, *, header_row: int, ncols: int, keep: Iterable[int] = (),
            max_width: float = 30, min_width: float = 4, landscape: bool | None = None,
            fixed: dict[int, float] | None = None, memo: dict | None = None) -> Fit:
    """:func:`finish`'s measuring half: the columns' widths and orientation (returned) and
    every row's height (into ``sheet.heights``), from the cells alone; ``sheet.ws`` is not
    touched (it may not exist yet).

    ``memo``: a dict the caller keeps for the sheets of one book laid out by the same code
    (附件2: a form per object, the same table under titles naming the object).  A sheet whose
    table, merges and title fonts are those of a sheet measured before gets that sheet's
    widths and table row heights from it; only its title rows are measured."""
    keep = set(keep)
    fixed = dict(fixed or {})
    key = None
    if memo is not None:
        key = _layout_key(sheet, header_row, (ncols, tuple(sorted(keep)), max_width, min_width, landscape,
                                              tuple(sorted(fixed.items()))))
        known = memo.get(key)
        if known is not None:
            fit, table_heights, spans, merged = known
            _heights(sheet, fit, ncols, spans, merged, ([], [], [r for r in sheet.rows if r < header_row]))
            sheet.heights.update(table_heights)
            return fit
    spans, merged = _merge_maps(sheet.merges)
    split = _body(sheet, sheet.rows, header_row, ncols, spans, merged)
    fit = _widths(sheet, header_row, ncols, keep, max_width, min_width, landscape, fixed, spans, merged, split)
    _heights(sheet, fit, ncols, spans, merged, split)
    if memo is not None and key is not None:  # the merges are in the key: their maps are the same too
        memo[key] = (fit, {r: h for r, h in sheet.heights.items() if r >= header_row}, spans, merged)
    return fit


def _merge_maps(merges: list[tuple[int, int, int, int]]) -> tuple[dict, dict]:
    """Row -> top-left column -> (last column, last row) of each merged range; row -> the
    other (hidden) cells of the merged ranges."""
    spans: dict[int, dict[int, tuple[int, int]]] = {}
    merged: dict[int, set[int]] = {}
    for r1, c1, r2, c2 in merges:
        spans.setdefault(r1, {})[c1] = (c2, r2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    merged.setdefault(r, set()).add(c)
    return spans, merged


def _layout_key(sheet: Sheet, header_row: int, params: tuple) -> tuple:
    """What :func:`measure` reads of ``sheet`` but its title rows' text: the table's cells and
    set heights, the merges, and the title cells' styles (the smallest font) and blanks."""
    table = tuple((r, tuple(cells), sheet.heights.get(r)) for r, cells in sheet.rows.items() if r >= header_row)
    titles = tuple((r, tuple(cells[1::2]), tuple(v is ABSENT or v is None or v == "" for v in cells[0::2]))
                   for r, cells in sheet.rows.items() if r < header_row)
    extra = tuple((r, h) for r, h in sheet.heights.items() if r >= header_row and r not in sheet.rows)
    return header_row, params, tuple(sheet.merges), table, titles, extra


def _body(sheet: Sheet, rows: Iterable[int], header_row: int, ncols: int, spans: dict, merged: dict
          ) -> tuple[list[int], list[list], list[int]]:
    """``rows`` split into the table's plain body rows (below the header, in no merged range,
    every column of the table written), measured column by column (a sheet of 10,000 rows
    has a million cells), and the others, measured cell by cell."""
    limit = 2 * ncols
    held = sheet.rows
    plain_rows: list[int] = []
    plain: list[list] = []
    other: list[int] = []
    for r in rows:
        cells = held[r]
        if (r > header_row and r not in merged and r not in spans and len(cells) >= limit
                and ABSENT not in cells[0:limit:2]):
            plain_rows.append(r)
            plain.append(cells)
        else:
            other.append(r)
    return plain_rows, plain, other


def _column(plain: list[list], c: int) -> tuple[list, list[int], int | None]:
    """Column ``c`` of the plain rows: its values, its styles, and the style when all share one."""
    values = list(map(itemgetter(2 * c - 2), plain))
    styles = list(map(itemgetter(2 * c - 1), plain))
    one = styles[0] if styles and styles.count(styles[0]) == len(styles) else None
    return values, styles, one


def _widths(sheet: Sheet, header_row: int, ncols: int, keep: set[int], max_width: float, min_width: float,
            landscape: bool | None, fixed: dict[int, float], spans: dict[int, dict[int, tuple[int, int]]],
            merged: dict[int, set[int]], split: tuple[list[int], list[list], list[int]]) -> Fit:
    """1. widths from content (cells of the table, not the merged ones) and the fit."""
    none: dict = {}
    sizes = [st.size for st in sheet.book.styles]
    limit = 2 * ncols  # the table's columns
    need = [0] * (ncols + 1)
    min_font = 99.0
    _, plain, other = split
    held = sheet.rows
    for r in other:
        cells = held[r]
        skip, starts = merged.get(r, none), spans.get(r, none)
        for k in range(0, min(len(cells), limit), 2):
            value = cells[k]
            if value is ABSENT or value is None or value == "":
                continue
            c = k // 2 + 1
            if c in skip:
                continue
            size = sizes[cells[k + 1]]
            if size < min_font:
                min_font = size
            if r < header_row or c in starts:
                continue
            widest = widest_line(value if value.__class__ is str else str(value))
            units = widest * size / 11
            if r == header_row:  # a header may wrap at its longest word, never mid-word when it can help
                units = min(units, max(widest / 2, 8) * size / 11 + 2)
            units = math.ceil(units)
            if units > need[c]:
                need[c] = units
    for c in range(1, ncols + 1 if plain else 1):  # the body, a column at a time: the same sums
        values, styles, one = _column(plain, c)
        filled = [k for k, v in enumerate(values) if v is not None and v != ""]
        if not filled:
            continue
        if one is not None:  # ceil(w × size / 11) grows with w: the widest text gives the column's need
            size = sizes[one]
            units = math.ceil(max(map(widest_line, map(str, map(values.__getitem__, filled)))) * size / 11)
        else:
            size = min(sizes[styles[k]] for k in filled)
            units = max(math.ceil(widest_line(str(values[k])) * sizes[styles[k]] / 11) for k in filled)
        if size < min_font:
            min_font = size
        if units > need[c]:
            need[c] = units
    widths: list[float] = []
    wrap: list[bool] = []
    wanted: list[float] = []
    for c in range(1, ncols + 1):
        w = units_for(need[c], 11)
        wanted.append(w)
        if c in fixed:
            widths.append(fixed[c])
            wrap.append(False)
            continue
        if c in keep:
            widths.append(round(max(w, min_width), 1))
            wrap.append(False)
        else:
            widths.append(round(min(max(w, min_width), max_width), 1))
            wrap.append(True)
    return fit_widths(widths, wrap, min(min_font, 11.0), landscape, wanted)


def _lines(value: object, wrap: bool, width: float, font_pt: float) -> int:
    """Lines a cell's value takes: one when blank; wrapped at ``width`` in a wrapping cell,
    else its own line breaks."""
    if value is None or value == "":
        return 1
    text = value if value.__class__ is str else str(value)
    return wrapped_lines(text, width, font_pt) if wrap else text.count("\n") + 1


def _heights(sheet: Sheet, fit: Fit, ncols: int, spans: dict[int, dict[int, tuple[int, int]]],
             merged: dict[int, set[int]], split: tuple[list[int], list[list], list[int]]) -> None:
    """2. row heights: lines × pitch of the tallest cell, into ``sheet.heights``."""
    none: dict = {}
    styles = sheet.book.styles
    sizes = [st.size for st in styles]
    wraps = [st.wrap for st in styles]
    pitches = [line_pitch(st.size) for st in styles]
    limit = 2 * ncols
    col_w = [0.0, *fit.widths]  # by column number
    held = sheet.rows
    heights = sheet.heights
    plain_rows, plain, other = split
    for r in other:
        cells = held[r]
        skip, starts = merged.get(r, none), spans.get(r, none)
        tallest = 0.0
        measured = False
        for k in range(0, min(len(cells), limit), 2):
            value = cells[k]
            if value is ABSENT:
                continue
            c = k // 2 + 1
            if c in skip:
                continue
            measured = True
            no = cells[k + 1]
            span = starts.get(c)  # (last column, last row) of a merged range starting here
            w = col_w[c] if span is None else sum(col_w[c:min(span[0], ncols) + 1])
            h = _lines(value, wraps[no], w, sizes[no]) * pitches[no] + 4
            if span is not None and span[1] > r:  # a cell merged down shares its height with the rows below
                h = h / (span[1] - r + 1)
            if h > tallest:
                tallest = h
        if measured:
            heights[r] = round(max(heights.get(r) or 0, tallest), 1)
    if not plain:
        return
    tallest_of = [0.0] * len(plain)  # the body, a column at a time: each row's tallest cell
    for c in range(1, ncols + 1):
        values, col_styles, one = _column(plain, c)
        w = col_w[c]
        if one is not None:
            wrap, size, pitch = wraps[one], sizes[one], pitches[one]
            hs = [_lines(v, wrap, w, size) * pitch + 4 for v in values]
        else:
            hs = [_lines(v, wraps[no], w, sizes[no]) * pitches[no] + 4 for v, no in zip(values, col_styles)]
        tallest_of = list(map(max, tallest_of, hs))
    for r, tallest in zip(plain_rows, tallest_of):
        heights[r] = round(max(heights.get(r) or 0, tallest), 1)


def apply(sheet: Sheet, fit: Fit, *, header_row: int, one_page: bool = False, freeze: bool = True,
          footer: bool = True, page_title: str = "") -> None:
    """:func:`finish`'s other half: the measured widths and the page setup, on ``sheet.ws``."""
    ws = sheet.ws
    for c, w in enumerate(fit.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # 3. page
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if fit.landscape else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGIN_IN)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    if page_title:
        ws.oddHeader.center.text = page_title.replace("&", "&&")
        ws.oddHeader.center.size = 12
        ws.oddHeader.center.font = "黑体,Regular"
    if footer:
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.size = 10
    if freeze:
        sheet.freeze(header_row + 1)


def title_rows(sheet: Sheet, lines: list[tuple[str, object]], ncols: int, *, start: int = 1) -> int:
    """Write title lines (each ``(text, font)``) merged across ``ncols`` columns from row
    ``start``; returns the next free row."""
    r = start
    for text, font in lines:
        put(sheet, r, 1, text, font=font, border=False, align=CENTER if font is TITLE_FONT else LEFT)
        for c in range(2, ncols + 1):
            put(sheet, r, c, None, font=font, border=False, align=LEFT)
        sheet.merge(r, 1, r, ncols)
        r += 1
    return r
