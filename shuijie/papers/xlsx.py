"""Writing .xlsx files the clerk opens in Excel or WPS: text stays text, bytes repeat.

* Every value written through :func:`put` that is a ``str`` is stored as text
  (``data_type = "s"``): a name starting with ``=``, ``+``, ``-`` or ``@`` never
  becomes a formula, and ids keep their leading zeros and all 18 digits.
* :func:`save` writes through :func:`shuijie.papers.repro.normalize_zip`, with fixed
  core-property dates, so the same content gives the same bytes.
* Fonts: 仿宋_GB2312 for the body, 黑体 for headers (the usual official sheet look).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from shuijie.papers.compat_openpyxl import merge_cells, set_style, style_of
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


def clean_text(value: str) -> str:
    return value.translate(_ILLEGAL)


def set_value(cell: Cell, value: Any, *, none_as_blank_text: bool = True) -> None:
    """Store ``value`` in ``cell``: strings (and 是/否 for booleans) always as text."""
    if value is None:
        if not none_as_blank_text:
            return
        value = ""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
        cell.data_type = "s"
    else:
        cell.value = value


def put(ws: Worksheet, row: int, col: int, value: Any, *, font: Font = BODY_FONT,
        border: bool = True, align: Alignment = WRAP) -> Cell:
    """Write one cell; strings are always text, never formulas."""
    cell = ws.cell(row=row, column=col)
    set_value(cell, value)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    return cell


class Stamper:
    """Write many cells with the look of :func:`put` at a fraction of its cost.

    openpyxl hashes every Font/Border object on each assignment, which made a
    2,000-object round's workbooks take tens of seconds.  The first cell of each
    kind in a workbook is styled the normal way (by ``put``, or by a ``style``
    function for special cells such as date fields); later ones copy its
    internal style array.  A kind is either given by name (``kind=``) or is the
    combination of font, border and alignment.
    """

    def __init__(self) -> None:
        self._styles: dict[tuple, Any] = {}

    def put(self, ws: Worksheet, row: int, col: int, value: Any, *, font: Font = BODY_FONT,
            border: bool = True, align: Alignment = WRAP, kind: str | None = None,
            style: Callable[[Worksheet, int, int], Cell] | None = None) -> Cell:
        key = (id(ws.parent), kind) if kind else (id(ws.parent), id(font), border, id(align))
        proto = self._styles.get(key)
        if proto is None:
            if style is not None:
                cell = style(ws, row, col)
                set_value(cell, value, none_as_blank_text=False)
            else:
                cell = put(ws, row, col, value, font=font, border=border, align=align)
            self._styles[key] = style_of(cell)
            return cell
        cell = ws.cell(row=row, column=col)
        set_value(cell, value, none_as_blank_text=style is None and kind is None)
        set_style(cell, proto)
        return cell

    def table(self, ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
              start_row: int = 1, widths: Sequence[int] | None = None) -> int:
        """Header row plus rows (as :func:`write_table`); returns the last row."""
        return write_table(ws, headers, rows, start_row=start_row, widths=widths, put_cell=self.put)


def merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """Merge a range whose cells were already written (their style is kept), without
    openpyxl's per-cell border re-formatting."""
    merge_cells(ws, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2))


def write_table(ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                start_row: int = 1, widths: Sequence[int] | None = None,
                put_cell: Callable[..., Cell] | None = None) -> int:
    """Header row plus rows; returns the last row written. Freezes the header."""
    put_cell = put_cell or (lambda *a, **k: put(*a, **k))
    for c, h in enumerate(headers, start=1):
        put_cell(ws, start_row, c, h, font=HEADER_FONT, align=CENTER)
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for c, v in enumerate(row, start=1):
            put_cell(ws, r, c, v)
    if widths:
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    return r


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "shuijie"
    wb.properties.lastModifiedBy = "shuijie"
    return wb


def to_bytes(wb: Workbook, when: dt.date | None = None) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), when)


def save(wb: Workbook, path: Path, when: dt.date | None = None) -> Path:
    """Save reproducibly: the same workbook content always gives the same bytes."""
    path.write_bytes(to_bytes(wb, when))
    return path
