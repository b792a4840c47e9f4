"""Writing .xlsx files the clerk opens in Excel or WPS: text stays text, bytes repeat.

* Every value written through :func:`put` that is a ``str`` is stored as text
  (``data_type = "s"``): a name starting with ``=``, ``+``, ``-`` or ``@`` never
  becomes a formula, and ids keep their leading zeros and all 18 digits.
* :func:`save` writes through :func:`shuijie.repro.normalize_zip`, with fixed
  core-property dates, so the same content gives the same bytes.
* Fonts: 仿宋_GB2312 for the body, 黑体 for headers (the usual official sheet look).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .repro import normalize_zip

BODY_FONT = Font(name="仿宋_GB2312", size=11)
HEADER_FONT = Font(name="黑体", size=11, bold=True)
TITLE_FONT = Font(name="方正小标宋简体", size=16)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")

# Characters Excel refuses in a cell (XML 1.0 control characters).
_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


def clean_text(value: str) -> str:
    return value.translate(_ILLEGAL)


def put(ws: Worksheet, row: int, col: int, value: Any, *, font: Font = BODY_FONT,
        border: bool = True, align: Alignment = WRAP) -> Cell:
    """Write one cell; strings are always text, never formulas."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        value = ""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
        cell.data_type = "s"
    else:
        cell.value = value
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    return cell


def write_table(ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                start_row: int = 1, widths: Sequence[int] | None = None) -> int:
    """Header row plus rows; returns the last row written. Freezes the header."""
    for c, h in enumerate(headers, start=1):
        put(ws, start_row, c, h, font=HEADER_FONT, align=CENTER)
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for c, v in enumerate(row, start=1):
            put(ws, r, c, v)
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
