"""openpyxl internals shuijie relies on, fenced in one module.

:mod:`shuijie.papers.xlsx` writes tens of thousands of styled cells; setting font,
border and alignment through openpyxl's public properties costs a style lookup per
property per cell, so a cell's whole style (``cell._style``, a ``StyleArray``) is copied
from the first cell of its kind.  Merging a range the public way re-formats every cell's
border; instead the merged cells are put into the sheet's cell store (``ws._cells``)
directly.  :func:`self_check` (run by ``tests/test_compat.py``) fails naming the installed
openpyxl version when an upgrade changes either.
"""

from __future__ import annotations

import io
from copy import copy
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Font
from openpyxl.worksheet.cell_range import CellRange

VERSION = openpyxl.__version__


def style_of(cell: Any) -> Any:
    """A copy of the cell's whole style (font, border, fill, alignment, number format)."""
    return copy(cell._style)


def style_ids(cell: Any) -> Any:
    """The cell's style record itself (fontId, alignmentId, … into the workbook's tables);
    read-only use, no copy."""
    return cell._style


def style_tables(wb: Any) -> tuple[Any, Any]:
    """The workbook's font and alignment tables, indexed by a style record's ids."""
    return wb._fonts, wb._alignments


def written_cells(ws: Any) -> Any:
    """``((row, column), cell)`` for every cell the sheet holds, without creating any."""
    return ws._cells.items()


def set_style(cell: Any, style: Any) -> None:
    cell._style = copy(style)


def merge_cells(ws: Any, cr: CellRange) -> None:
    """Merge a range whose cells were already written: every cell but the first becomes a
    MergedCell keeping its style (no border re-formatting)."""
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


def self_check() -> None:
    try:
        wb = openpyxl.Workbook()
        ws = wb.active
        a = ws.cell(row=1, column=1, value="甲")
        a.font = Font(name="黑体", bold=True)
        b = ws.cell(row=2, column=1, value="乙")
        set_style(b, style_of(a))
        ws.cell(row=1, column=2, value="丙").font = Font(name="楷体")
        merge_cells(ws, CellRange(min_col=1, min_row=1, max_col=3, max_row=1))
        ids = style_ids(b)
        assert style_tables(wb)[0][ids.fontId].name == "黑体"
        assert {rc for rc, _ in written_cells(ws)} >= {(1, 1), (2, 1), (1, 2)}
        kept = ws["B1"]
        assert isinstance(kept, MergedCell) and kept.font.name == "楷体", "a merged cell lost its style"
        buf = io.BytesIO()
        wb.save(buf)
        again = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
        assert again["A2"].font.name == "黑体" and again["A2"].font.b, "a copied style was not saved"
        assert [str(r) for r in again.merged_cells.ranges] == ["A1:C1"], again.merged_cells.ranges
    except Exception as exc:
        raise RuntimeError(f"openpyxl {VERSION}: the cell internals shuijie relies on have changed "
                           f"(shuijie/papers/compat_openpyxl.py): {type(exc).__name__}: {exc}") from exc
