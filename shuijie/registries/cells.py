"""Formula cells and merged ranges of one worksheet: the one definition both readers use.

A registry (:mod:`shuijie.registries.tables`, read with python-calamine) and the filled
结果录入表 (:mod:`shuijie.stages.results`, read with openpyxl) refuse the same two things
in a clerk's sheet: a cell whose value is computed (a formula, so not what the clerk
typed) and a merged range (one value standing for several cells).  Both ask
:func:`sheet_cells`, so both name the same cells, with rows and columns numbered as
Excel shows them (1-based).

An .xlsx is read from its sheet XML (``xl/worksheets/sheetN.xml``), streamed in bounded
chunks so that a 1,048,576-row registry is never held in memory:

* a formula cell is a ``<c>`` holding an ``<f>`` element: an ordinary formula, a shared
  formula (its master and every dependent, ``<f t="shared" si=".."/>``) and every cell of
  an array formula's range (``<f t="array" ref="A2:A4">`` sits in the first cell only; the
  others hold its computed values);
* a merged range is a ``<mergeCell ref="A2:B3"/>`` (after ``</sheetData>``).

A sheet with formulas always has a closing ``</f>`` (shared dependents are self-closing,
their master is not), so the common case is one plain byte search per chunk; only a
sheet with formulas is scanned a second time, tag by tag.

A legacy .xls (BIFF) has no sheet XML and python-calamine gives its values only: its
formulas cannot be seen (their last computed value is read, ``formulas_seen`` is False);
its merged ranges come from calamine (:func:`calamine_merged`).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 22


def col_letter(i: int) -> str:
    """Excel column letters of the 0-based column ``i`` (0 → A, 26 → AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    """0-based column of Excel column letters (A → 0)."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(row, column), both 1-based, of an A1 reference; None when it is not one."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    return int(m.group(2)), col_index(m.group(1)) + 1


@dataclass(frozen=True, order=True)
class Cell:
    """A cell as Excel shows it: ``row`` 1-based, ``col`` 1-based (A = 1)."""

    row: int
    col: int

    @property
    def ref(self) -> str:
        return f"{col_letter(self.col - 1)}{self.row}"


@dataclass(frozen=True, order=True)
class MergedRange:
    """A merged range, its corners 1-based as Excel shows them."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def ref(self) -> str:
        return f"{col_letter(self.min_col - 1)}{self.min_row}:{col_letter(self.max_col - 1)}{self.max_row}"

    def covers_col(self, col: int) -> bool:
        return self.min_col <= col <= self.max_col


@dataclass
class SheetCells:
    """What :func:`sheet_cells` found: formula cells and merged ranges, top to bottom, left to right.

    ``formulas`` stops at ``limit`` when one was given (``complete`` is then False);
    ``formulas_seen`` is False for a legacy .xls, whose formulas cannot be seen."""

    formulas: list[Cell] = field(default_factory=list)
    merged: list[MergedRange] = field(default_factory=list)
    formulas_seen: bool = True
    complete: bool = True


# ------------------------------------------------------------------ the package


def sheet_xml_path(z: zipfile.ZipFile, sheet: str | int) -> str | None:
    """Path inside the package of a sheet's XML, by name or by 0-based workbook order."""
    try:
        wb = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rid = None
    for i, m in enumerate(re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", wb)):
        tag = m.group(0)
        r = re.search(rb"\br:id=\"([^\"]+)\"", tag)
        if isinstance(sheet, int):
            hit = i == sheet
        else:
            n = re.search(rb"\bname=\"([^\"]*)\"", tag)
            hit = n is not None and unescape(n.group(1).decode("utf-8")) == sheet
        if hit:
            rid = r.group(1) if r else None
            break
    if rid is None:
        return None
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = m.group(0)
        if re.search(rb"\bId=\"" + re.escape(rid) + rb"\"", tag):
            t = re.search(rb"\bTarget=\"([^\"]+)\"", tag)
            if not t:
                return None
            target = t.group(1).decode()
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _entry_chunks(z: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """Inflate one zip entry in bounded chunks (raw zlib from a file: about twice as fast as ZipExtFile)."""
    info = z.getinfo(name)
    if info.compress_type != zipfile.ZIP_DEFLATED or z.filename is None:
        with z.open(name) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
        return
    with open(z.filename, "rb") as raw:
        raw.seek(info.header_offset)
        head = raw.read(30)
        if head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        raw.seek(info.header_offset + 30 + int.from_bytes(head[26:28], "little")
                 + int.from_bytes(head[28:30], "little"))
        left = info.compress_size
        d = zlib.decompressobj(-15)
        while left > 0:
            data = raw.read(min(left, 1 << 16))
            if not data:
                raise zipfile.BadZipFile("truncated entry")
            left -= len(data)
            out = d.decompress(data, 1 << 23)
            while True:
                if out:
                    yield out
                if not d.unconsumed_tail:
                    break
                out = d.decompress(d.unconsumed_tail, 1 << 23)
        rest = d.flush()
        if rest:
            yield rest


# ------------------------------------------------------------------ the scan

_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
_TAG = re.compile(rb"<(?:\w+:)?(row|c|f)(?=[\s>/])([^>]*)>")
_ATTR_R = re.compile(rb"\br=\"([^\"]+)\"")
_ATTR_T = re.compile(rb"\bt=\"([^\"]+)\"")
_ATTR_REF = re.compile(rb"\bref=\"([^\"]+)\"")


def _merged_of(tail: bytes) -> list[MergedRange]:
    out: list[MergedRange] = []
    for m in _MERGE.finditer(tail):
        rng = _range(m.group(1).decode("ascii", "replace"))
        if rng is not None:
            out.append(rng)
    return sorted(out)


def _range(ref: str) -> MergedRange | None:
    a, _, b = ref.partition(":")
    p, q = parse_ref(a), parse_ref(b or a)
    if p is None or q is None:
        return None
    return MergedRange(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))


def _quick(chunks: Iterator[bytes]) -> tuple[bool, bytes]:
    """One pass: whether the sheet has formulas, and the XML after ``</sheetData>`` (merged ranges)."""
    has_f = False
    tail = b""          # the last bytes of the previous chunk, for needles split across chunks
    after: list[bytes] | None = None
    for chunk in chunks:
        if after is not None:
            after.append(chunk)
            continue
        if not has_f and (b"f>" in chunk or b"f>" in tail + chunk[:1]):
            has_f = True
        if b"sheetData" in chunk or b"sheetData" in tail + chunk[:16]:
            joined = tail + chunk
            m = _SHEET_DATA_END.search(joined)
            if m:
                after = [joined[m.end():]]
                if not has_f and b"f>" in joined[:m.start()]:
                    has_f = True
                continue
        tail = chunk[-16:]
    return has_f, b"".join(after or [])


def _formula_cells(chunks: Iterator[bytes], limit: int | None) -> tuple[list[Cell], bool]:
    """Tag by tag: every cell holding an ``<f>``, and each cell of an array formula's range.

    A cell's place is its ``r`` attribute (Excel, WPS, LibreOffice and openpyxl always
    write it); without one it follows the previous cell of its row, and a row without
    ``r`` follows the previous row."""
    found: dict[Cell, None] = {}
    row, col = 0, 0
    carry = b""
    for chunk in chunks:
        buf = carry + chunk
        cut = buf.rfind(b"<")
        if cut < 0:
            carry = b""
            continue
        body, carry = buf[:cut], buf[cut:]
        end = _SHEET_DATA_END.search(body)
        if end is not None:
            body = body[:end.start()]
        for m in _TAG.finditer(body):
            kind, attrs = m.group(1), m.group(2)
            if kind == b"row":
                r = _ATTR_R.search(attrs)
                row = int(r.group(1)) if r else row + 1
                col = 0
            elif kind == b"c":
                r = _ATTR_R.search(attrs)
                pos = parse_ref(r.group(1).decode("ascii", "replace")) if r else None
                if pos is not None:
                    row, col = pos
                else:
                    col += 1
            else:
                t = _ATTR_T.search(attrs)
                ref = _ATTR_REF.search(attrs)
                rng = _range(ref.group(1).decode("ascii", "replace")) if t and t.group(1) == b"array" and ref else None
                if rng is None:
                    found[Cell(row, col)] = None
                else:
                    for rr in range(rng.min_row, rng.max_row + 1):
                        for cc in range(rng.min_col, rng.max_col + 1):
                            found[Cell(rr, cc)] = None
                if limit is not None and len(found) >= limit:
                    return sorted(found)[:limit], False
        if end is not None:
            break
    return sorted(found), True


def _open_zip(source: Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)


def _chunks(source: Path | bytes, z: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    if isinstance(source, bytes):
        with z.open(name) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
        return
    yield from _entry_chunks(z, name)


def sheet_cells(source: Path | bytes, sheet: str | int, limit: int | None = None) -> SheetCells:
    """Formula cells and merged ranges of one sheet of an .xlsx (path or bytes), by name or 0-based index.

    ``limit``: stop after that many formula cells (a reader that reports only the first
    few need not scan on).  A sheet the package does not have gives an empty answer; a
    damaged package raises (zipfile.BadZipFile, zlib.error, OSError), as the reader's own
    library would.  A legacy .xls: see :func:`calamine_merged`; this function opens it
    with python-calamine for its merged ranges and says ``formulas_seen=False``.
    """
    head = source[:8] if isinstance(source, bytes) else _magic(source)
    if head == OLE_MAGIC:
        from python_calamine import CalamineWorkbook

        book = (CalamineWorkbook.from_filelike(io.BytesIO(source)) if isinstance(source, bytes)
                else CalamineWorkbook.from_path(str(source)))
        sh = book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
        return SheetCells([], calamine_merged(sh.merged_cell_ranges), formulas_seen=False)
    with _open_zip(source) as z:
        name = sheet_xml_path(z, sheet)
        if not name or name not in z.NameToInfo:
            return SheetCells()
        has_f, after = _quick(_chunks(source, z, name))
        out = SheetCells(merged=_merged_of(after))
        if has_f:
            out.formulas, out.complete = _formula_cells(_chunks(source, z, name), limit)
        return out


def calamine_merged(ranges: Any) -> list[MergedRange]:
    """python-calamine's ``merged_cell_ranges`` (0-based ``((r1, c1), (r2, c2))``) as MergedRange."""
    return sorted(MergedRange(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges or [])


def _magic(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)
