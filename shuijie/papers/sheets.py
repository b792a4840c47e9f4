"""Fast text-safe cell writing for the papers' workbooks (thousands of rows and sheets).

Same rules as :func:`shuijie.xlsx.put` (strings are always text, never formulas;
control characters dropped), but a style combination is resolved through
openpyxl once per workbook and then copied as a style array: openpyxl hashes
every Font/Border object on each assignment, which made a 2,000-object round's
workbooks take tens of seconds.  :func:`merge` merges a range without
openpyxl's per-cell border re-formatting (the cells already carry the border).
"""

from __future__ import annotations

from copy import copy
from typing import Any, Iterable, Sequence

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from .. import xlsx as X


class Stamper:
    def __init__(self) -> None:
        self._styles: dict[tuple, Any] = {}

    def put(self, ws: Worksheet, row: int, col: int, value: Any, *, font=X.BODY_FONT,
            border: bool = True, align=X.WRAP):
        key = (id(ws.parent), id(font), border, id(align))
        style = self._styles.get(key)
        if style is None:
            cell = X.put(ws, row, col, value, font=font, border=border, align=align)
            self._styles[key] = copy(cell._style)
            return cell
        cell = ws.cell(row=row, column=col)
        if value is None:
            value = ""
        if isinstance(value, str):
            cell.value = X.clean_text(value)
            cell.data_type = "s"
        elif isinstance(value, bool):
            cell.value = "是" if value else "否"
            cell.data_type = "s"
        else:
            cell.value = value
        cell._style = copy(style)
        return cell

    def table(self, ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
              start_row: int = 1, widths: Sequence[int] | None = None) -> int:
        """Header row plus rows (as :func:`shuijie.xlsx.write_table`); returns the last row."""
        for c, h in enumerate(headers, start=1):
            self.put(ws, start_row, c, h, font=X.HEADER_FONT, align=X.CENTER)
        r = start_row
        for r, row in enumerate(rows, start=start_row + 1):
            for c, v in enumerate(row, start=1):
                self.put(ws, r, c, v)
        if widths:
            for c, w in enumerate(widths, start=1):
                ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
        return r


def merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """Merge a range whose cells were already written (their style is kept)."""
    cr = CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2)
    first = True
    for row, col in cr.cells:
        if first:
            first = False
            continue
        old = ws._cells.get((row, col))
        cell = MergedCell(ws, row, col)
        if old is not None:
            cell._style = copy(old._style)
        ws._cells[(row, col)] = cell
    ws.merged_cells.add(cr)
