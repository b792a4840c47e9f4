"""The reference for shuijie.papers.xlsx: the same workbook written with openpyxl cells.

:mod:`shuijie.papers.xlsx` keeps cells itself and writes their XML; these functions do
what it does, the plain openpyxl way (a Cell per cell, styles set through its public
properties, MergedCell for the merged ones, row heights on ``row_dimensions``), so that
``tests/test_xlsx_writer.py`` can hold the two to the same bytes.
"""

from __future__ import annotations

import io
from typing import Any, Callable

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.cell_range import CellRange

from shuijie.papers.repro import normalize_zip
from shuijie.papers.xlsx import BODY_FONT, BORDER, WRAP, clean_text


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "shuijie"
    wb.properties.lastModifiedBy = "shuijie"
    return wb


def set_value(cell, value: Any, *, none_as_blank_text: bool = True) -> None:
    """Strings (and 是/否 for booleans) always as text; openpyxl cuts text at 32,767 characters."""
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


def put(ws, row: int, col: int, value: Any, *, font: Font = BODY_FONT, border: bool = True,
        align: Alignment = WRAP, number_format: str | None = None) -> None:
    cell = ws.cell(row=row, column=col)
    set_value(cell, value)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    if number_format is not None:
        cell.number_format = number_format


def put_styled(ws, row: int, col: int, value: Any, style: Callable) -> None:
    cell = ws.cell(row=row, column=col)
    style(cell)
    set_value(cell, value, none_as_blank_text=False)


def merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    cr = CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2)
    for row, col in list(cr.cells)[1:]:
        old = ws._cells.get((row, col))
        cell = MergedCell(ws, row, col)
        if old is not None:
            cell._style = old._style
        ws._cells[(row, col)] = cell
    ws.merged_cells.add(cr)


def to_bytes(wb: Workbook, when=None) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), when)
