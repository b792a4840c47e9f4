"""Writing .xlsx files the clerk opens in Excel or WPS: text stays text, bytes repeat.

* Every value written through :func:`put` that is a ``str`` is stored as text
  (an inline string): a name starting with ``=``, ``+``, ``-`` or ``@`` never
  becomes a formula, and ids keep their leading zeros and all 18 digits.
* :func:`save` writes through :func:`shuijie.papers.repro.normalize_zip`, with fixed
  core-property dates, so the same content gives the same bytes.
* Fonts: 仿宋_GB2312 for the body, 黑体 for headers (the usual official sheet look).

A workbook is a :class:`Book` of :class:`Sheet` s.  openpyxl holds each sheet's page
setup, column widths, merges, filters and drop-downs (``sheet.ws``); the cells are held
here, as plain values and a style number each, and written by :func:`to_bytes` straight
into the sheet's XML, byte for byte what openpyxl writes for the same cells (the
reference, ``tests/xlsx_reference.py``; ``tests/test_xlsx_writer.py`` compares).  A
round of 10,000 drawn objects has about two million cells: as openpyxl cells they took
minutes and half a gigabyte.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from shuijie.papers.compat_openpyxl import add_cell_style, save_parts, style_of, style_tables, twin_sheet
from shuijie.papers.repro import normalize_zip

BODY_FONT = Font(name="仿宋_GB2312", size=11)
HEADER_FONT = Font(name="黑体", size=11, bold=True)
TITLE_FONT = Font(name="方正小标宋简体", size=16)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
KEEP = Alignment(wrap_text=False, vertical="center", horizontal="left")  # ids, dates: never split

# Characters Excel refuses in a cell (XML 1.0 control characters).
_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}
MAX_TEXT = 32767  # characters in a cell (openpyxl cuts longer text there)

# A cell's place in a row holds its value and its style number; a place never written
# holds ABSENT.
ABSENT = object()


def clean_text(value: str) -> str:
    return value.translate(_ILLEGAL)


def cell_value(value: Any, *, none_as_blank_text: bool = True) -> Any:
    """What a cell holds for ``value``: strings (and 是/否 for booleans) always as text,
    None as blank text unless told otherwise, numbers as numbers."""
    if value is None:
        return "" if none_as_blank_text else None
    if isinstance(value, str):
        if value.isprintable() and len(value) <= MAX_TEXT:  # the usual case: nothing to take out
            return value
        return clean_text(value)[:MAX_TEXT]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"a cell holds text or a number, not {type(value).__name__}")


class Style:
    """A cell style of a book: its number in the book, the printed font size and whether
    the text wraps (what :func:`shuijie.papers.print_setup.finish` measures with)."""

    __slots__ = ("array", "size", "wrap", "styled")

    def __init__(self, array: Any, size: float, wrap: bool):
        self.array = array
        self.size = size
        self.wrap = wrap
        self.styled = any(array)


class Book:
    """A workbook being written (see the module text).  ``wb`` is openpyxl's Workbook."""

    share_frames = True  # see Sheet.frame; tests switch it off to compare

    def __init__(self) -> None:
        wb = Workbook()
        wb.properties.creator = "shuijie"
        wb.properties.lastModifiedBy = "shuijie"
        self.wb = wb
        self.styles: list[Style] = []
        self._style_no: dict[tuple, int] = {}
        self._sheets: dict[int, Sheet] = {}
        self._parent_ws = wb.active  # styles are made on cells of it (it may be removed later)
        self._twins: dict[Hashable, Worksheet] = {}  # frame -> the sheet whose XML twins share
        self.style(("none",), lambda cell: None)  # style 0: none (a cell openpyxl never styled)

    def sheet_for(self, ws: Worksheet) -> "Sheet":
        sheet = self._sheets.get(id(ws))
        if sheet is None:
            sheet = self._sheets[id(ws)] = Sheet(self, ws)
        return sheet

    @property
    def active(self) -> "Sheet":
        return self.sheet_for(self.wb.active)

    @property
    def sheets(self) -> list["Sheet"]:
        return [self.sheet_for(ws) for ws in self.wb.worksheets]

    def create_sheet(self, title: str, index: int | None = None) -> "Sheet":
        return self.sheet_for(self.wb.create_sheet(title, index))

    def remove(self, sheet: "Sheet") -> None:
        self.wb.remove(sheet.ws)
        del self._sheets[id(sheet.ws)]

    def loose_sheet(self) -> "Sheet":
        """A sheet not in the workbook yet (no ``ws``): cells, merges and heights only, to be
        measured before :meth:`attach` places it."""
        return Sheet(self, None)

    def attach(self, sheet: "Sheet", title: str) -> bool:
        """Put a loose sheet at the end of the workbook as ``title`` (a valid title no other
        sheet has).  When a sheet placed before has the same ``frame`` (not None), the new one
        is its twin (:func:`~shuijie.papers.compat_openpyxl.twin_sheet`): everything openpyxl
        holds is that sheet's, and True is returned (the caller sets nothing more on ``ws``);
        else a new openpyxl sheet, and False (the caller sets its page up)."""
        proto = self._twins.get(sheet.frame) if sheet.frame is not None and self.share_frames else None
        ws = twin_sheet(self.wb, proto, title) if proto is not None else self.wb.create_sheet(title)
        sheet.ws = ws
        self._sheets[id(ws)] = sheet
        if proto is None:
            if sheet.frame is not None:
                self._twins[sheet.frame] = ws
            if sheet.pane is not None:
                ws.freeze_panes = sheet.pane
        return proto is not None

    def style(self, key: tuple, apply: Callable[[Cell], Any]) -> int:
        """The number of the style ``key``; the first time, ``apply`` styles a fresh cell the
        normal openpyxl way (registering its font, border, … in the workbook's tables in the
        order openpyxl cells would) and the cell's style is kept."""
        no = self._style_no.get(key)
        if no is None:
            cell = Cell(self._parent_ws)  # not in the sheet: only its style is used
            apply(cell)
            array = style_of(cell)
            fonts, aligns = style_tables(self.wb)
            self.styles.append(Style(array, float(fonts[array.fontId].sz or 11),
                                     bool(aligns[array.alignmentId].wrap_text)))
            no = self._style_no[key] = len(self.styles) - 1
        return no

    def look(self, font: Font = None, border: bool = True, align: Alignment = None,
             number_format: str | None = None) -> int:
        """The style of :func:`put`: font, alignment, border (in that order, as put sets them)."""
        font = font or BODY_FONT
        align = align or WRAP

        def apply(cell: Cell) -> None:
            cell.font = font
            cell.alignment = align
            if border:
                cell.border = BORDER
            if number_format is not None:
                cell.number_format = number_format

        return self.style((id(font), border, id(align), number_format), apply)


class Sheet:
    """A worksheet being written: ``ws`` (openpyxl's) holds everything but the cells and the
    row heights, which are kept here (``rows``: row number → ``[value, style, value, style,
    …]`` from column 1; ``heights``: row number → points)."""

    __slots__ = ("book", "_ws", "rows", "heights", "merges", "_merged", "frame", "pane")

    def __init__(self, book: Book, ws: Worksheet | None):
        self.book = book
        self._ws = ws  # None: a loose sheet (Book.loose_sheet) until Book.attach places it
        self.rows: dict[int, list] = {}
        self.heights: dict[int, float] = {}
        # merged ranges (first row, first column, last row, last column), in the order made;
        # given to openpyxl when the sheet's XML frame is written (_merged: how many so far)
        self.merges: list[tuple[int, int, int, int]] = []
        self._merged = 0
        # Sheets of a book given the same frame (not None) were laid out by the same code from
        # the same numbers: their XML but the cells is written once (附件2: a form per object).
        self.frame: Hashable | None = None
        self.pane: str | None = None  # the frozen panes' corner (set on ws; kept for a loose sheet)

    @property
    def ws(self) -> Worksheet:
        """openpyxl's sheet (all but the cells and row heights)."""
        if self._ws is None:
            raise RuntimeError("a loose sheet has no openpyxl sheet until Book.attach places it")
        return self._ws

    @ws.setter
    def ws(self, value: Worksheet) -> None:
        self._ws = value

    @property
    def title(self) -> str:
        return self.ws.title

    @title.setter
    def title(self, value: str) -> None:
        self.ws.title = value

    def set(self, row: int, col: int, value: Any, style: int) -> None:
        """Store a cell: ``value`` as :func:`cell_value` made it, ``style`` a book style number."""
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = []
        k = 2 * (col - 1)
        if len(cells) <= k:
            cells.extend((ABSENT, 0) * (col - len(cells) // 2))
        cells[k] = value
        cells[k + 1] = style

    def get(self, row: int, col: int) -> tuple[Any, int] | None:
        cells = self.rows.get(row)
        k = 2 * (col - 1)
        if cells is None or len(cells) <= k or cells[k] is ABSENT:
            return None
        return cells[k], cells[k + 1]

    def cells(self) -> Iterator[tuple[int, int, Any, int]]:
        """``(row, column, value, style)`` of every cell held, in no particular order."""
        for r, cells in self.rows.items():
            for k in range(0, len(cells), 2):
                v = cells[k]
                if v is not ABSENT:
                    yield r, k // 2 + 1, v, cells[k + 1]

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range whose cells were already written: every cell but the first becomes a
        merged (empty) cell keeping its style (openpyxl's MergedCell)."""
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    old = self.get(r, c)
                    self.set(r, c, None, old[1] if old else 0)
        self.merges.append((r1, c1, r2, c2))

    def settle_merges(self) -> None:
        """Give openpyxl the ranges merged since the last call (before it writes the frame)."""
        for r1, c1, r2, c2 in self.merges[self._merged:]:
            self.ws.merged_cells.add(CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2))
        self._merged = len(self.merges)

    def freeze(self, row: int, col: int = 1) -> None:
        """Freeze the panes above ``row`` (left of ``col``); as openpyxl's
        ``ws.freeze_panes = ws.cell(...)``, the cell is created (empty) if missing."""
        if self.get(row, col) is None:
            self.set(row, col, None, 0)
        self.pane = f"{get_column_letter(col)}{row}"
        if self._ws is not None:
            self._ws.freeze_panes = self.pane

    def dimension(self) -> str:
        """The used range, as openpyxl computes it from the cells."""
        if not self.rows:
            return "A1:A1"
        cols = [len(cells) // 2 for cells in self.rows.values()]
        first = min(next(k // 2 + 1 for k in range(0, len(cells), 2) if cells[k] is not ABSENT)
                    for cells in self.rows.values())
        return f"{get_column_letter(first)}{min(self.rows)}:{get_column_letter(max(cols))}{max(self.rows)}"


def put(sheet: Sheet, row: int, col: int, value: Any, *, font: Font = BODY_FONT,
        border: bool = True, align: Alignment = WRAP, number_format: str | None = None) -> None:
    """Write one cell; strings are always text, never formulas."""
    book = sheet.book
    no = book._style_no.get((id(font), border, id(align), number_format))  # the usual case, made before
    sheet.set(row, col, cell_value(value), no if no is not None else book.look(font, border, align, number_format))


def put_styled(sheet: Sheet, row: int, col: int, value: Any, kind: str,
               style: Callable[[Cell], Any]) -> None:
    """Write one cell of a special look (a fill-in cell, a date field): ``style`` styles an
    openpyxl cell the first time ``kind`` is used in the book.  None stays an empty cell."""
    sheet.set(row, col, cell_value(value, none_as_blank_text=False), sheet.book.style((kind,), style))


def merge(sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
    sheet.merge(r1, c1, r2, c2)


def write_table(sheet: Sheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                start_row: int = 1, widths: Sequence[int] | None = None) -> int:
    """Header row plus rows; returns the last row written. Freezes the header."""
    book = sheet.book
    head, body = book.look(HEADER_FONT, True, CENTER), book.look(BODY_FONT, True, WRAP)
    for c, h in enumerate(headers, start=1):
        sheet.set(start_row, c, cell_value(h), head)
    r = start_row
    held = sheet.rows
    for r, row in enumerate(rows, start=start_row + 1):
        if r in held:
            for c, v in enumerate(row, start=1):
                sheet.set(r, c, cell_value(v), body)
            continue
        cells = held[r] = []  # a new row: its places filled in one go
        for v in row:
            cells.append(cell_value(v))
            cells.append(body)
    if widths:
        for c, w in enumerate(widths, start=1):
            sheet.ws.column_dimensions[get_column_letter(c)].width = w
    sheet.freeze(start_row + 1)
    return r


def new_workbook() -> Book:
    return Book()


# ---------------------------------------------------------------- writing

_SHEET_DATA = b"<sheetData></sheetData>"
_ROWS_PER_PIECE = 2000


def _text_xml(value: str) -> str:
    """Text as lxml writes it into openpyxl's ASCII sheet XML."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;").encode("ascii", "xmlcharrefreplace").decode("ascii"))


class _Texts(dict):
    """What follows a text cell's ``t="inlineStr"``, by text (a text repeats down a sheet)."""

    def __missing__(self, v: str) -> str:
        if not v:
            out = "></c>"
        elif v != v.strip():
            out = f'><is><t xml:space="preserve">{_text_xml(v)}</t></is></c>'
        else:
            out = f"><is><t>{_text_xml(v)}</t></is></c>"
        self[v] = out
        return out


def _row_xml(r: int, cells: list, height: float | None, sid: list[str], texts: _Texts,
             letters: list[str]) -> str:
    out = [f'<row r="{r}" ht="{safe_string(height)}" customHeight="1">' if height
           else (f'<row r="{r}" customHeight="1">' if height is not None else f'<row r="{r}">')]
    rs = f'{r}"'
    for k in range(0, len(cells), 2):
        v = cells[k]
        if v is ABSENT:
            continue
        s = sid[cells[k + 1]]
        if v is None and not s:
            continue  # neither value nor style: openpyxl skips it
        head = '<c r="' + letters[k // 2] + rs + s
        if v.__class__ is str:
            out.append(head + ' t="inlineStr"' + texts[v])
        elif v is None:
            out.append(head + ' t="n"></c>')
        else:
            out.append(head + f' t="n"><v>{safe_string(v)}</v></c>')
    out.append("</row>")
    return "".join(out)


def _sheet_data(sheet: Sheet, sid: list[str], texts: _Texts, made: dict | None) -> Iterator[bytes]:
    """The sheet's ``<sheetData>``; ``made``: the rows' XML by (row, height, cells), kept over
    the sheets of a book that share a frame (附件2's forms repeat their table row for row)."""
    rows, heights = sheet.rows, sheet.heights
    width = max((len(cells) // 2 for cells in rows.values()), default=0)
    letters = [get_column_letter(c) for c in range(1, width + 1)]
    order = sorted(rows.keys() | heights.keys())

    def row_xml(r: int) -> str:
        cells, height = rows.get(r, []), heights.get(r)
        if made is None:
            return _row_xml(r, cells, height, sid, texts, letters)
        key = (r, height, tuple(cells))
        xml = made.get(key)
        if xml is None:
            xml = made[key] = _row_xml(r, cells, height, sid, texts, letters)
        return xml

    yield b"<sheetData>"
    for k in range(0, len(order), _ROWS_PER_PIECE):
        yield "".join(map(row_xml, order[k:k + _ROWS_PER_PIECE])).encode("ascii")
    yield b"</sheetData>"


def _style_ids(book: Book) -> list[str]:
    """Each book style's ``s`` attribute in the saved workbook, "" for no style: openpyxl
    numbers a style when it writes the first cell having it, sheet by sheet, row by row."""
    sid = [""] * len(book.styles)
    seen = [not st.styled for st in book.styles]
    left = seen.count(False)
    for sheet in book.sheets:
        for r in sorted(sheet.rows):
            cells = sheet.rows[r]
            for k in range(1, len(cells), 2):
                no = cells[k]
                if not seen[no] and cells[k - 1] is not ABSENT:
                    seen[no] = True
                    sid[no] = f' s="{add_cell_style(book.wb, book.styles[no].array)}"'
                    left -= 1
            if not left:
                return sid
    return sid


def to_bytes(book: Book, when: dt.date | None = None) -> bytes:
    sid = _style_ids(book)  # before openpyxl writes styles.xml
    by_part = {f"xl/worksheets/sheet{n}.xml": sheet for n, sheet in enumerate(book.sheets, start=1)}
    frames = {id(sheet.ws): sheet.frame for sheet in book.sheets} if book.share_frames else {}
    framed: set[Hashable] = set()
    for sheet in book.sheets:  # the sheets whose frame openpyxl writes (see save_parts)
        key = frames.get(id(sheet.ws))
        if key is None or key not in framed:
            framed.add(key)
            sheet.settle_merges()
    # every part but the cells (openpyxl's sheets have none)
    parts = save_parts(book.wb, lambda ws: frames.get(id(ws)))
    texts = _Texts()  # a text's XML, over the whole book
    made: dict = {}

    def cells(name: str, payload: bytes) -> Iterable[bytes] | None:
        sheet = by_part.get(name)
        if sheet is None:
            return None
        i = payload.index(_SHEET_DATA)
        head = payload[:i].replace(b'<dimension ref="A1:A1"/>',
                                   f'<dimension ref="{sheet.dimension()}"/>'.encode("ascii"), 1)
        data = _sheet_data(sheet, sid, texts, made if sheet.frame is not None and book.share_frames else None)
        return chain((head,), data, (payload[i + len(_SHEET_DATA):],))

    return normalize_zip(parts, when, cells)


def save(book: Book, path: Path, when: dt.date | None = None) -> Path:
    """Save reproducibly: the same workbook content always gives the same bytes."""
    path.write_bytes(to_bytes(book, when))
    return path
