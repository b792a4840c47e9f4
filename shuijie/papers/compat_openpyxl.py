"""openpyxl internals shuijie relies on, fenced in one module.

:mod:`shuijie.papers.xlsx` keeps the cells of a workbook itself and writes them into
the sheet XML openpyxl writes for everything else.  A style is made once per look on a
cell the public way and its whole style record (``cell._style``, a ``StyleArray``) kept;
the number a saved cell carries (``s``) is the record's place in the workbook's table
(``wb._cell_styles``), which openpyxl fills as it writes cells.  :func:`self_check` (run
by ``tests/test_compat.py``) fails naming the installed openpyxl version when an upgrade
changes any of it, or the empty sheet XML the cells are spliced into.
"""

from __future__ import annotations

import io
import zipfile
from copy import copy
from typing import Any, Callable, Hashable

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

VERSION = openpyxl.__version__


def style_of(cell: Any) -> Any:
    """A copy of the cell's whole style (font, border, fill, alignment, number format)."""
    return copy(cell._style) if cell._style is not None else StyleArray()


def style_tables(wb: Any) -> tuple[Any, Any]:
    """The workbook's font and alignment tables, indexed by a style record's ids."""
    return wb._fonts, wb._alignments


def add_cell_style(wb: Any, style: Any) -> int:
    """The number a cell with ``style`` is saved with (openpyxl's ``cell.style_id``)."""
    return wb._cell_styles.add(style)


def twin_sheet(wb: Any, proto: Any, title: str) -> Any:
    """A new sheet of ``wb`` titled ``title`` that shares everything but its title with the
    sheet ``proto`` (page setup, widths, merges, panes: the same objects): a shallow copy,
    where openpyxl's own sheet costs about 0.3 ms to make.  Only for a sheet whose XML frame
    is ``proto``'s (see :func:`save_parts`) and that nothing changes afterwards.  ``title``
    must be valid and unique (openpyxl's title setter would check it against every sheet)."""
    ws = copy(proto)
    ws._WorkbookChild__title = title
    wb._add_sheet(ws)
    return ws


class _InMemoryWriter(ExcelWriter):
    """openpyxl's writer with each sheet's XML written in memory (openpyxl writes it to a
    temporary file first: a few milliseconds per sheet, and 附件2 has one per object), and
    written once for the sheets ``frame_key`` gives the same key (not None)."""

    def __init__(self, wb: Any, archive: Any, frame_key: Callable[[Any], Hashable | None]):
        super().__init__(wb, archive)
        self.frame_key = frame_key
        self.frames: dict[Hashable, bytes] = {}

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        key = self.frame_key(ws)
        xml = self.frames.get(key) if key is not None else None
        if xml is None:
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            xml = writer.out.getvalue()
            if key is not None:
                if len(ws._rels) or ws._comments or ws._hyperlinks:
                    raise ValueError("a sheet with a shared frame has relationships of its own")
                self.frames[key] = xml
        else:
            ws._hyperlinks = []
            ws._comments = []
            ws._rels = RelationshipList()
        self._archive.writestr(ws.path[1:], xml)
        self.manifest.append(ws)


def save_parts(wb: Any, frame_key: Callable[[Any], Hashable | None] = lambda ws: None) -> bytes:
    """``wb`` as openpyxl saves it (the same parts, in the same order), not compressed:
    :func:`shuijie.papers.repro.normalize_zip` compresses it once.  Sheets ``frame_key``
    gives the same key have the same XML: it is written once."""
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)
    _InMemoryWriter(wb, archive, frame_key).save()
    return buf.getvalue()


def self_check() -> None:
    try:
        wb = openpyxl.Workbook()
        ws = wb.active
        proto = Cell(ws)
        proto.font = Font(name="黑体", bold=True)
        style = style_of(proto)
        assert style_tables(wb)[0][style.fontId].name == "黑体"
        a = ws.cell(row=1, column=1, value="甲")
        a.font = Font(name="黑体", bold=True)
        assert add_cell_style(wb, style) == a.style_id, "a style's number is not the one openpyxl saves"
        empty = openpyxl.Workbook()
        buf = io.BytesIO()
        empty.save(buf)
        xml = zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml")
        assert b'<dimension ref="A1:A1"/>' in xml and b"<sheetData></sheetData>" in xml, xml
        first = wb.create_sheet("甲")
        first.page_setup.orientation = "landscape"
        twin = twin_sheet(wb, first, "乙")
        assert wb.sheetnames[-2:] == ["甲", "乙"] and first.title == "甲", "a twin sheet's title is not its own"
        assert twin.page_setup is first.page_setup and twin.parent is wb, "a twin sheet does not share its setup"
        ours = zipfile.ZipFile(io.BytesIO(save_parts(wb)))
        saved = io.BytesIO()
        wb.save(saved)
        theirs = zipfile.ZipFile(saved)
        assert ours.namelist() == theirs.namelist(), "the writer's parts changed"
        for name in ours.namelist():
            if name != "docProps/core.xml":  # its modified date is the time of saving
                assert ours.read(name) == theirs.read(name), f"{name} is written differently"
    except Exception as exc:
        raise RuntimeError(f"openpyxl {VERSION}: the cell internals shuijie relies on have changed "
                           f"(shuijie/papers/compat_openpyxl.py): {type(exc).__name__}: {exc}") from exc
