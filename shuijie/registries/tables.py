"""Reading a registry table (Excel .xlsx via python-calamine, or CSV) into raw rows.

A table is a header row and data rows; every row keeps the number the clerk
sees (Excel row number, CSV line number).  The workbook checks that make a
clerk's file unreadable or ambiguous happen here, each as one Problem:
missing file, legacy .xls, password-protected workbook (an OLE/CFB file whose
directory names an ``EncryptionInfo`` stream), corrupt zip, data not on the
first sheet, merged cells, formulas.

Blank rows: trailing blank rows are skipped silently (Excel keeps formatted
empty rows around); a blank row between records is reported, because it
usually means a record was deleted by clearing its cells and the clerk should
delete the row (or restore the record).

An objects registry (up to Excel's 1,048,575 data rows) is read row by row when it is
the regular case (:class:`CsvStream`, :class:`SheetStream`), read whole otherwise, with
the same problems in the same order either way.
"""

from __future__ import annotations

import csv
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from array import array
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Sequence

from shuijie.core.errors import Problem
from shuijie.registries.cells import (
    MergedRange,
    SheetCells,
    calamine_merged,
    col_letter,
    sheet_cells,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
RECUSAL_SHEET = "回避"
MAX_REPORTED_CELLS = 5


@dataclass
class Table:
    """Raw rows of one sheet: ``rows`` are (row number, cells) with the header excluded."""

    shown: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1
    problems: list[Problem] = field(default_factory=list)
    col0: int = 0  # sheet column (0-based) of the first cell of each row


@dataclass
class HeaderSpec:
    """What a registry's header looks like: ``field_of`` maps a header text to its field
    (None: not one of this registry's); the header row is the first of the first
    :data:`HEADER_SCAN` rows that names at least ``need`` of the ``required`` fields."""

    field_of: Callable[[str], str | None]
    required: frozenset[str]
    need: int = 2

    def score(self, cells: list[Any]) -> int:
        found = set()
        for c in cells:
            if type(c) is str and c:
                f = self.field_of(c)
                if f in self.required:
                    found.add(f)
        return len(found)

    def known(self, cells: list[Any]) -> int:
        return sum(1 for c in cells if type(c) is str and c and self.field_of(c) is not None)


HEADER_SCAN = 10  # the header row is looked for among the first rows of a sheet
IGNORED_HEADERS = frozenset({"序号", "行号", "No", "No.", "NO", "NO."})
EXAMPLE_MARKS = ("案例", "示例", "请删除")
EXAMPLE_SCAN = 3  # a template's example row sits right under the header
HINT_MARKS = ("YYYY", "yyyy", "必填", "选填", "填写", "格式", "下拉", "请选择", "可选值", "单选", "多选")
FOOTER_MARKS = ("合计", "总计", "小计", "填表说明", "填报说明", "说明：", "说明:", "注：", "注:", "填表人",
                "填报人", "审核人", "制表人", "制表：", "负责人签字")


def _text_cells(cells: list[Any]) -> list[str]:
    return [c.strip() for c in cells if type(c) is str and c.strip()]


def is_hint_row(cells: list[Any]) -> bool:
    """A template's filling hint under the header: ``YYYY-MM-DD``, 必填, lists of allowed values.

    >>> is_hint_row(["", "必填", "YYYY-MM-DD"]), is_hint_row(["", "高/较高/一般/低", "是/否"])
    (True, True)
    >>> is_hint_row(["1", "某某化工有限公司", "浉河区/平桥区交界"])
    False
    """
    texts = _text_cells(cells)
    if not texts:
        return False
    if any(m in t for t in texts for m in HINT_MARKS):
        return True
    lists = sum(1 for t in texts if len(t) <= 40 and len(re.split(r"[/／|｜]", t)) >= 2
                and all(0 < len(x.strip()) <= 6 for x in re.split(r"[/／|｜]", t)))
    return lists >= 2


def example_mark(cells: list[Any]) -> str | None:
    """The cell that marks a template's example row (「案例（请删除）」), else None."""
    for c in cells:
        if type(c) is str and any(m in c for m in EXAMPLE_MARKS):
            return c.strip()
    return None


def _is_footer(cells: list[Any]) -> bool:
    texts = _text_cells(cells)
    return bool(texts) and texts[0].startswith(FOOTER_MARKS) and len(texts) <= 3


def _is_subheader(upper: list[Any], lower: list[Any], spec: HeaderSpec) -> bool:
    """The row under the header is its second row (执法证件 over 证件名称 | 证件编号): it names at
    least one known column, only under an empty or unknown upper cell, and holds nothing else."""
    named = 0
    for j, c in enumerate(lower):
        if c is None or (type(c) is str and not c.strip()):
            continue
        if type(c) is not str:
            return False
        up = upper[j] if j < len(upper) else None
        if type(up) is str and up.strip() and spec.field_of(up) is not None:
            return False
        if spec.field_of(c) is not None:
            named += 1
    return named >= 1


@dataclass
class Workbook:
    main: Table | None
    recusals: Table | None
    problems: list[Problem] = field(default_factory=list)


def _is_blank(cells: list[Any]) -> bool:
    try:
        return not "".join(cells).strip()  # the common case: every cell is text
    except TypeError:
        pass
    for c in cells:
        if c is None:
            continue
        if type(c) is str:
            if c.strip():
                return False
        else:
            return False
    return True


def _head_of(shown: str, data: Sequence[list[Any]], first_row: int, spec: HeaderSpec | None,
             probs: list[Problem]) -> tuple[list[str], int, int] | None:
    """The top of a sheet (see :func:`_split_rows`): ``(header, index of the first row under
    the header and its hint row, the header's row number)``, its problems (title rows above
    the header, a hint row) to ``probs``; None when every row is blank."""
    i = 0
    while i < len(data) and _is_blank(data[i]):
        i += 1
    if i >= len(data):
        return None
    h = i
    if spec is not None and spec.score(data[i]) < spec.need:
        for j in range(i + 1, min(len(data), i + HEADER_SCAN)):
            if spec.score(data[j]) >= spec.need:
                h = j
                break
    if h > i:
        above = [first_row + k for k in range(i, h) if not _is_blank(data[k])]
        title = next((t for k in range(i, h) for t in _text_cells(data[k])), "")
        probs.append(Problem("rows_above_header", {"rows": _row_list(above), "title": title[:30],
                                                   "header": first_row + h}, shown, above[0], warning=True))
    header_cells = list(data[h])
    b = h + 1
    header_rows = 1
    if spec is not None and b < len(data) and _is_subheader(header_cells, data[b], spec):
        lower = data[b]
        header_cells = [lower[j] if j < len(lower) and type(lower[j]) is str and lower[j].strip() else c
                        for j, c in enumerate(header_cells)]
        header_cells += [c for c in lower[len(header_cells):]]
        b += 1
        header_rows = 2
    header = ["" if c is None else (c.strip() if type(c) is str else _header_text(c)) for c in header_cells]
    if b < len(data) and is_hint_row(data[b]):
        probs.append(Problem("hint_row", {"text": "、".join(_text_cells(data[b])[:3])}, shown, first_row + b,
                             warning=True))
        b += 1
    return header, b, first_row + h + header_rows - 1


def _split_rows(shown: str, sheet: str | None, data: list[list[Any]], first_row: int,
                spec: HeaderSpec | None = None) -> Table:
    """Header = the first row naming enough known columns among the first :data:`HEADER_SCAN`
    (else the first non-blank row); title rows above it, a second header row, a hint row, a
    template's example row and footer rows (合计, 填表说明) are not records; trailing blank rows
    are skipped; blank rows inside are reported.  Row numbers stay the sheet's."""
    probs: list[Problem] = []
    head = _head_of(shown, data, first_row, spec, probs)
    if head is None:
        return Table(shown, sheet, [], [], first_row, probs)
    header, b, table_header_row = head
    end = len(data)
    footer_at = None
    while end > b:
        if _is_blank(data[end - 1]):
            end -= 1
        elif _is_footer(data[end - 1]):
            end -= 1
            footer_at = end
        else:
            break
    if footer_at is not None:
        probs.append(Problem("footer_rows", {"text": _text_cells(data[footer_at])[0][:20]}, shown,
                             first_row + footer_at, warning=True))
    body = data[b:end]
    start = first_row + b
    examples = []
    for j in range(min(EXAMPLE_SCAN, len(body))):
        mark = example_mark(body[j])
        if mark is not None:
            probs.append(Problem("row_example", {"value": mark[:30]}, shown, start + j))
            examples.append(j)
    if not examples and all(map(any, body)):  # the common case, at C speed: no row without a truthy cell
        # (a row of whitespace-only cells still gets here; the record builders report it as blank)
        return Table(shown, sheet, header, list(zip(range(start, start + len(body)), body)), table_header_row, probs)
    rows: list[tuple[int, list[Any]]] = []
    blank = 0
    for j, cells in enumerate(body):
        if j in examples:
            continue
        if _is_blank(cells):
            blank += 1
            if blank <= MAX_REPORTED_CELLS:
                probs.append(Problem("row_blank", {}, shown, start + j))
            continue
        rows.append((start + j, cells))
    if blank > MAX_REPORTED_CELLS:
        probs.append(Problem("row_blank_more", {"count": blank - MAX_REPORTED_CELLS}, shown))
    return Table(shown, sheet, header, rows, table_header_row, probs)


def _row_list(rows: list[int]) -> str:
    return "、".join(str(r) for r in rows)


def _header_text(h: Any) -> str:
    if isinstance(h, float) and h.is_integer():
        return str(int(h))
    return str(h).strip()


# ---------------------------------------------------------------- Excel


# Zip bombs: a real sheet compresses about 10–30:1 (1,048,576 rows of text are ~1.2 GB of
# XML); deflate tops out near 1032:1, reached only by crafted or degenerate content.
MAX_ENTRY_BYTES = 4 * 1024**3
MAX_TOTAL_BYTES = 8 * 1024**3
BOMB_RATIO = 400
BOMB_MIN_BYTES = 64 * 1024**2


def _zip_bomb(z: zipfile.ZipFile) -> bool:
    """Whether the package's declared sizes look like a decompression bomb (checked before reading)."""
    total = 0
    for info in z.infolist():
        size = info.file_size
        total += size
        if size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
            return True
        if size > BOMB_MIN_BYTES and size > BOMB_RATIO * max(info.compress_size, 1):
            return True
    return False


class _Background:
    """Run ``fn(*args)`` in a daemon thread; ``result()`` joins and re-raises."""

    def __init__(self, fn: Any, *args: Any) -> None:
        self._out: list[Any] = []
        self._err: list[BaseException] = []

        def run() -> None:
            try:
                self._out.append(fn(*args))
            except BaseException as exc:  # handed to the caller by result()
                self._err.append(exc)

        self._t = threading.Thread(target=run, daemon=True)
        self._t.start()

    def result(self) -> Any:
        self._t.join()
        if self._err:
            raise self._err[0]
        return self._out[0]


def _ole_problem(path: Path, shown: str) -> Problem:
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if ENCRYPTION_INFO in data:
        return Problem("xlsx_password", {"path": shown}, shown)
    return Problem("xls_legacy", {"path": shown}, shown)


@dataclass
class _Opened:
    """The first sheet of a workbook, opened: what :func:`_open_first` took of it (``first``)
    and its cells (formulas, merged ranges); ``xml``: an .xlsx (not a legacy .xls)."""

    book: Any
    names: list[str]
    sheet: Any
    first: Any
    row0: int
    col0: int
    cells: SheetCells
    xml: bool


def _open_first(path: Path, shown: str, take: Callable[[Any], Any], with_cells: bool = True) -> _Opened | Workbook:
    """Open an .xlsx or legacy .xls and its first sheet, ``take(sheet)`` its rows: the
    workbook checks of :func:`read_workbook`, each failure a Workbook holding its one problem.
    ``with_cells`` false: the cell scan is skipped (a re-read whose problems are not wanted)."""
    from python_calamine import CalamineWorkbook

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except FileNotFoundError:
        return Workbook(None, None, [Problem("file_missing", {"path": shown}, shown)])
    except IsADirectoryError:
        return Workbook(None, None, [Problem("file_is_dir", {"path": shown}, shown)])
    except OSError as exc:
        return Workbook(None, None, [Problem("file_unreadable", {"path": shown, "error": str(exc)}, shown)])
    legacy = magic == OLE_MAGIC
    if legacy:
        ole = _ole_problem(path, shown)
        if ole.code == "xlsx_password":
            return Workbook(None, None, [ole])
    elif not magic.startswith(b"PK"):
        return Workbook(None, None, [Problem("xlsx_corrupt", {"path": shown}, shown)])
    try:
        scan = None
        if not legacy:
            with zipfile.ZipFile(path) as z:
                if _zip_bomb(z):
                    return Workbook(None, None, [Problem("xlsx_bomb", {"path": shown}, shown)])
            if with_cells:
                # The cell scan inflates the sheet XML (zlib releases the GIL) while calamine
                # parses it (python-calamine releases the GIL too): on two cores, almost free.
                scan = _Background(sheet_cells, path, 0, MAX_REPORTED_CELLS)
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if not names:
            raise ValueError("no sheets")
        sheet = book.get_sheet_by_index(0)
        first = take(sheet)
        row0, col0 = sheet.start or (0, 0)
        cells: SheetCells = (scan.result() if scan is not None
                             else SheetCells(merged=calamine_merged(sheet.merged_cell_ranges), formulas_seen=False)
                             if legacy else SheetCells())
    except Exception as exc:  # zip, XML, calamine errors: the file is damaged
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            return Workbook(None, None, [Problem("xlsx_password", {"path": shown}, shown)])
        return Workbook(None, None, [Problem("xls_legacy" if legacy else "xlsx_corrupt", {"path": shown}, shown)])
    return _Opened(book, names, sheet, first, row0, col0, cells, not legacy)


def _main_table(shown: str, opened: _Opened, data: list[list[Any]],
                spec: HeaderSpec | None) -> tuple[Table | None, list[Problem]]:
    """The first sheet's table and its problems (none: the sheet is not the registry's)."""
    first = opened.names[0]
    if first == RECUSAL_SHEET or _is_blank_data(data):
        others = [n for n in opened.names[1:] if n != RECUSAL_SHEET]
        return None, [Problem("sheet_wrong", {"sheet": first, "others": "、".join(others) or "-"}, shown)]
    table = _split_rows(shown, first, data, opened.row0 + 1, spec)
    table.col0 = opened.col0
    probs = table.problems
    table.problems = []
    probs.extend(_cell_problems(table, first, shown, opened.cells))
    return table, probs


def read_workbook(path: Path, shown: str, *, with_recusals: bool = False, spec: HeaderSpec | None = None,
                  recusal_spec: HeaderSpec | None = None) -> Workbook:
    """Read the first sheet (and the 回避 sheet when asked) of an .xlsx or legacy .xls workbook.

    A legacy .xls (BIFF in an OLE file) is read by python-calamine like an .xlsx, with the
    same messages and row numbers; calamine gives an .xls's values only, so formulas are
    not detected there (their last computed value is read), merged ranges are
    (:func:`shuijie.registries.cells.calamine_merged`).  An .xlsx's formula cells and merged
    ranges are :func:`shuijie.registries.cells.sheet_cells`'s, the same the results importer
    reports.  Other sheets (参数表 holding a template's drop-down lists) are left alone.
    """
    # the used area only (cheaper); placed by sheet.start
    opened = _open_first(path, shown, lambda sheet: sheet.to_python())
    if isinstance(opened, Workbook):
        return opened
    table, probs = _main_table(shown, opened, opened.first, spec)
    if table is None:
        return Workbook(None, None, probs)
    rec_table = None
    if with_recusals and RECUSAL_SHEET in opened.names:
        try:
            rs = opened.book.get_sheet_by_name(RECUSAL_SHEET)
            rdata = rs.to_python(skip_empty_area=False)
            rcells = (sheet_cells(path, RECUSAL_SHEET, MAX_REPORTED_CELLS) if opened.xml
                      else SheetCells(merged=calamine_merged(rs.merged_cell_ranges), formulas_seen=False))
        except Exception:
            return Workbook(None, None, [Problem("xlsx_corrupt", {"path": shown}, shown)])
        rshown = f"{shown}[{RECUSAL_SHEET}]"
        rec_table = _split_rows(rshown, RECUSAL_SHEET, rdata, 1, recusal_spec)
        probs.extend(rec_table.problems)
        rec_table.problems = []
        probs.extend(_cell_problems(rec_table, RECUSAL_SHEET, rshown, rcells))
    return Workbook(table, rec_table, probs)


class SheetStream:
    """An objects workbook's first sheet row by row, for the objects fast path: python-calamine
    keeps its own copy of the sheet, and the rows come out of it as Python lists a chunk at a
    time (a million rows are never all alive as Python lists next to the columns built from them).

    ``table`` has the header and the first ``HEAD`` data rows (what the header checks look at),
    ``problems`` what :func:`read_workbook` reports before the rows (title rows above the
    header, a hint row, merged and formula cells); :meth:`rest` yields the remaining
    ``(row, cells)``.  Only the regular case is streamed: a sheet :func:`read_workbook` would
    shape or report anything more for (an example row, a blank row between records, footer
    rows, no header near the top, not the registry's sheet) leaves ``ok`` false, and the
    caller takes :meth:`whole` instead — the same sheet as :func:`read_workbook` reads it, so
    problems and their order are exactly the same.  A small sheet (fewer than ``HEAD`` rows)
    is read whole at once.  Trailing blank rows are skipped silently, as there.

    ``until``: stop once the row of that number has gone by (a re-read for a few records;
    the sheet was found regular before).
    """

    HEAD = 1000
    CHUNK = 4096

    def __init__(self, path: Path, shown: str, spec: HeaderSpec | None = None, *, with_cells: bool = True,
                 until: int | None = None) -> None:
        self.ok = False
        self.table: Table | None = None
        self.problems: list[Problem] = []
        self._path, self._shown, self._spec, self._until = path, shown, spec, until
        self._book: Workbook | None = None
        self._rest: Iterator[tuple[int, list[Any]]] = iter(())  # (chunks made rows at C speed)
        opened = _open_first(path, shown, self._start, with_cells)
        if isinstance(opened, Workbook):
            self._book = opened
            return
        self._opened = opened
        rows, head = opened.first
        if len(head) < self.HEAD or opened.names[0] == RECUSAL_SHEET:
            self._book = self._whole_of(head)  # small (or not the registry's sheet): read whole
            return
        probs: list[Problem] = []
        top = _head_of(shown, head, opened.row0 + 1, spec, probs)
        if top is None or top[1] + HEADER_SCAN + EXAMPLE_SCAN > len(head) or any(
                example_mark(head[j]) for j in range(top[1], top[1] + EXAMPLE_SCAN)):
            return  # all blank at the top, a header far down or an example row: read whole
        header, b, header_row = top
        self.ok = True
        self._rest = chain.from_iterable(self._released(chain(head[b:], rows), opened.row0 + 1 + b))
        first = list(islice(self._rest, self.HEAD))
        if not self.ok:
            return
        self.table = Table(shown, opened.names[0], header, first, header_row, col0=opened.col0)
        self.problems = [*probs, *_cell_problems(self.table, opened.names[0], shown, opened.cells)]

    def _start(self, sheet: Any) -> tuple[Iterator[list[Any]], list[list[Any]]]:
        rows = sheet.iter_rows() if sheet.start is not None else iter(())
        for _ in islice(rows, sheet.start[0] if sheet.start else 0):  # iter_rows starts at row 1: skip to the used area
            pass
        return rows, list(islice(rows, self.HEAD))

    def _released(self, rows: Iterator[list[Any]], n: int) -> Iterator[list[tuple[int, list[Any]]]]:
        """Chunks of ``(row, cells)`` of the records: a row that is blank or looks like a footer
        is held back until a record follows it (trailing ones are not records)."""
        held: list[list[Any]] = []
        until = self._until
        while True:
            try:
                chunk = list(islice(rows, self.CHUNK))
            except Exception:  # calamine could not give a row: read_workbook says what it says
                self.ok = False
                return
            if not chunk:
                break
            k = len(chunk)
            while k and (_is_blank(chunk[k - 1]) or _is_footer(chunk[k - 1])):
                k -= 1
            if not k:
                held.extend(chunk)
                continue
            out = held + chunk[:k] if held else chunk[:k]
            held = chunk[k:]
            if not all(map(any, out)):  # a blank row between records: read_workbook reports it
                self.ok = False
                return
            yield list(zip(range(n, n + len(out)), out))
            n += len(out)  # the row number of the first held row, or of the next chunk's
            if until is not None and n > until:
                return
        if any(_is_footer(cells) for cells in held):  # footer rows: read_workbook reports them
            self.ok = False

    def rest(self) -> Iterator[tuple[int, list[Any]]]:
        """The data rows after ``table.rows``; check ``ok`` once exhausted."""
        return self._rest if self.ok else iter(())

    def whole(self) -> Workbook:
        """The sheet as :func:`read_workbook` reads it (for when ``ok`` is false)."""
        if self._book is None:
            try:
                data = self._opened.sheet.to_python()
            except Exception:
                return Workbook(None, None, [Problem("xlsx_corrupt", {"path": self._shown}, self._shown)])
            self._book = self._whole_of(data)
        return self._book

    def _whole_of(self, data: list[list[Any]]) -> Workbook:
        table, probs = _main_table(self._shown, self._opened, data, self._spec)
        return Workbook(table, None, probs)

    def close(self) -> None:
        self._rest = iter(())
        self._opened = None  # type: ignore[assignment]


def _cell_problems(table: Table, sheet: str, shown: str, cells: SheetCells) -> list[Problem]:
    """Merged ranges and formula cells of one sheet, each at its row and under its column header."""
    out: list[Problem] = []
    # merged cells in the title and header rows are a template's layout, not a record's
    merged: list[MergedRange] = [m for m in cells.merged if m.max_row > table.header_row]
    for m in merged[:MAX_REPORTED_CELLS]:
        out.append(Problem("cell_merged", {"ref": m.ref, "sheet": sheet}, shown, m.min_row,
                           _header_at(table, m.min_col - 1)))
    for c in cells.formulas[:MAX_REPORTED_CELLS]:
        out.append(Problem("cell_formula", {"ref": c.ref, "sheet": sheet}, shown, c.row,
                           _header_at(table, c.col - 1)))
    return out


def _is_blank_data(data: list[list[Any]]) -> bool:
    return all(_is_blank(r) for r in data)


def _header_at(table: Table, c: int) -> str | None:
    """The header of sheet column ``c`` (0-based), else its letter."""
    i = c - table.col0
    if 0 <= i < len(table.header) and table.header[i]:
        return table.header[i]
    return col_letter(c) if c >= 0 else None


# ---------------------------------------------------------------- CSV


def read_csv(path: Path, shown: str, spec: HeaderSpec | None = None) -> Workbook:
    """Read a UTF-8 CSV (with or without BOM); rows keep their line numbers."""
    # Streamed: neither the file's bytes nor its decoded text is held whole (1M rows: half
    # the memory and half the time of read_bytes + decode + StringIO).
    data: list[list[Any]] = []
    lines: list[int] = []
    prev = 0
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            for cells in reader:
                lines.append(prev + 1)
                prev = reader.line_num
                data.append(cells)
    except FileNotFoundError:
        return Workbook(None, None, [Problem("file_missing", {"path": shown}, shown)])
    except IsADirectoryError:
        return Workbook(None, None, [Problem("file_is_dir", {"path": shown}, shown)])
    except UnicodeDecodeError:
        del data, lines
        raw = path.read_bytes()  # the error path only: find the exact line
        try:
            raw.decode("utf-8-sig")
            line = None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        return Workbook(None, None, [Problem("csv_not_utf8", {"path": shown}, shown, line)])
    except csv.Error as exc:
        return Workbook(None, None, [Problem("csv_syntax", {"error": str(exc)}, shown, reader.line_num)])
    except OSError as exc:
        return Workbook(None, None, [Problem("file_unreadable", {"path": shown, "error": str(exc)}, shown)])
    if not data or _is_blank_data(data):
        return Workbook(None, None, [Problem("table_empty", {"path": shown}, shown)])
    # _split_rows counts rows by position; map back to physical lines when they differ
    table = _split_rows(shown, None, data, 1, spec)
    if prev != len(data):
        table.rows = [(lines[r - 1], cells) for r, cells in table.rows]
        table.problems = [Problem(p.code, p.params, p.file, lines[p.row - 1] if p.row else None, p.column,
                                  warning=p.warning) for p in table.problems]
        table.header_row = lines[table.header_row - 1]
    probs = table.problems
    table.problems = []
    return Workbook(table, None, probs)


_NO_END = 1 << 62


class CsvStream:
    """A CSV registry read row by row, for the objects fast path (a million rows are never
    held as raw cells next to the records built from them).

    ``table`` has the header and the first ``HEAD`` data rows (what the header checks look
    at); :meth:`rest` yields the remaining ``(line, cells)`` rows.  Only the regular case is
    streamed: a file :func:`read_csv` would report anything for (not UTF-8, a CSV syntax
    error, no data, a blank row between records) leaves ``ok`` false, and the caller reads
    it again with :func:`read_csv`, so problems and their order are exactly the same.
    Trailing blank rows are skipped silently, as :func:`read_csv` does.

    The file is read as bytes, a line at a time, so that ``offsets`` can note where each
    line starts: :func:`csv_records_at` reads a few records again without parsing the rest
    (a round's papers need 10,000 of a province's million objects).  A line with a bare
    ``\r`` (not a ``\r\n`` ending) is not the regular case either.
    """

    HEAD = 1000

    ok: bool
    table: Table | None
    problems: list[Problem]  # the regular case has none
    offsets: array[int]      # byte offset of each line (line n at offsets[n - 1])
    path: Path
    end: int                 # the lines from this byte offset on are left to another reader (see part)
    _fh: Any
    _pending: bool           # blank rows seen after the last record (trailing unless more follows)
    _base: int               # the number of the line before the first line read
    _prev: int

    def __init__(self, path: Path, shown: str, spec: HeaderSpec | None = None) -> None:
        self._start(path, 0)
        try:
            self._fh = path.open("rb")
            self._reader = csv.reader(self._lines(0))
            header = None
            for line, cells in self._rows():
                if not _is_blank(cells):
                    header = ([h.strip() for h in cells], line)
                    break
            if header is None or not self.ok or (spec is not None and spec.score(header[0]) < spec.need):
                self.ok = False  # no header or a title row first: read_csv finds the header
                return
            head: list[tuple[int, list[Any]]] = []
            for row in self._records():
                head.append(row)
                if len(head) >= self.HEAD:
                    break
            if head and spec is not None and (_is_subheader(header[0], head[0][1], spec) or is_hint_row(head[0][1])
                                              or any(example_mark(c) for _, c in head[:EXAMPLE_SCAN])):
                self.ok = False  # a template's extra rows: read_csv reports them
                return
            if not self.ok or (not head and self._pending):
                self.ok = False  # read_csv reports or shapes this one: let it
                return
            self.table = Table(shown, None, header[0], head, header[1])
        except (OSError, UnicodeDecodeError, csv.Error):
            self.ok = False

    @classmethod
    def part(cls, path: Path, start: int, line: int) -> CsvStream:
        """The records of a regular CSV from byte ``start`` on, that line numbered ``line``
        (``start`` begins a record: no quote after it; see ``shuijie.registries.load``): what
        :meth:`rest` of the whole file's stream gives from there, ``offsets`` of those lines
        only.  ``ok`` false as for the whole file, when a blank row between records, a footer
        row, bad UTF-8 … is found."""
        self = cls.__new__(cls)
        self._start(path, line - 1)
        try:
            self._fh = path.open("rb")
            self._fh.seek(start)
        except OSError:
            self.ok = False
        self._reader = csv.reader(self._lines(start) if self.ok else iter(()))
        return self

    def _start(self, path: Path, base: int) -> None:
        """What a stream holds before it reads (both constructors)."""
        self.ok, self.table, self.problems, self._fh, self._pending = True, None, [], None, False
        self.offsets = array("q")
        self.path, self.end = path, _NO_END
        self._base = self._prev = base

    def _lines(self, pos: int) -> Iterator[str]:
        """The file's lines as text (UTF-8, a BOM dropped), noting each one's byte offset."""
        note = self.offsets.append
        for raw in self._fh:
            if pos >= self.end:
                return
            note(pos)
            text = raw.decode("utf-8-sig" if pos == 0 else "utf-8")
            pos += len(raw)
            if "\r" in text[:-2]:
                raise UnicodeDecodeError("utf-8", raw, 0, 1, "a bare carriage return: not the regular case")
            yield text

    def _rows(self):
        reader = self._reader
        base = self._base
        try:
            for cells in reader:
                line = self._prev + 1
                self._prev = base + reader.line_num
                yield line, cells
        except (OSError, UnicodeDecodeError, csv.Error):
            self.ok = False

    def _records(self):
        marks = FOOTER_MARKS
        for line, cells in self._rows():
            if cells and (cells[0].startswith(marks) or (len(cells) > 1 and cells[1].startswith(marks))):
                self.ok = False  # a footer row (合计, 填表说明): read_csv leaves it out
                return
            if _is_blank(cells):
                self._pending = True
                continue
            if self._pending:  # a blank row between records: read_csv's problem
                self.ok = False
                return
            yield line, cells

    def rest(self):
        """The data rows after ``table.rows`` (up to ``end``); check ``ok`` once exhausted."""
        if self.ok:
            yield from self._records()

    @property
    def pending(self) -> bool:
        """Blank rows read after the last record (trailing, unless a record follows after ``end``)."""
        return self._pending

    def head_end(self) -> int:
        """The byte offset just after the lines read so far (the header and ``table.rows``)."""
        if not self.offsets:
            return 0
        with self.path.open("rb") as fh:
            fh.seek(self.offsets[-1])
            return self.offsets[-1] + len(fh.readline())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def csv_records_at(path: Path, offsets: Sequence[int], lines: Iterable[int]) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of the CSV records starting at these lines, read at their byte offsets
    (from a :class:`CsvStream` over the same bytes), in line order."""
    with path.open("rb") as fh:
        def from_here() -> Iterator[str]:
            for raw in fh:
                yield raw.decode("utf-8")
        for line in sorted(set(lines)):
            fh.seek(offsets[line - 1])
            yield line, next(csv.reader(from_here()))
