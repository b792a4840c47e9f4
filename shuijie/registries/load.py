"""Loading a workspace: the plan and every registry it names, validated.

Entry point :func:`read_workspace` (checked by :func:`shuijie.registries.check.load_workspace`).  Registries are YAML (a list of records),
Excel .xlsx (first sheet, header row; recusals on a sheet named 回避) or CSV
(UTF-8, same headers; meant for very large objects registries).  Headers may
be the Chinese ones of ``Model.HEADERS`` or the English field names.  Every
record gets its ``_src`` (file, row, column headers) so later rules can point
at it.  All problems are collected and raised together as one
:class:`~shuijie.core.errors.InputError`.

The objects registry may have millions of rows: its rows are checked with
plain Python and built with a fast constructor, while the small registries
and the plan go through pydantic ``model_validate`` (errors translated into
catalogue messages with their place, never a raw pydantic dump).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import unicodedata
from array import array
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import BaseModel, ValidationError

from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.forking import Forked, can_fork, switch
from shuijie.core.ids import USCC_ALPHABET, USCC_WEIGHTS, _USCC_SET, check_object_id, is_regno, uscc_check_char
from shuijie.core.models import (
    Expert,
    Inspector,
    Item,
    Object,
    Plan,
    Record,
    Recusal,
    SourceRef,
)
from shuijie.core.objects import COLUMN_FIELDS, PRESENCE_FIELDS, ObjectTable
from shuijie.core.rules import recusal
from shuijie.core.text import fold_header, yes_no
from shuijie.core.workspace import Workspace
from shuijie.registries.calendar_file import load_calendar
from shuijie.registries.plan_tools import plan_key_label
from shuijie.registries.tables import (
    IGNORED_HEADERS,
    CsvStream,
    HeaderSpec,
    SheetStream,
    Table,
    Workbook,
    col_letter,
    csv_records_at,
    read_csv,
    read_workbook,
)
from shuijie.registries.workspace_files import FILES as WORKSPACE_FILES
from shuijie.registries.workspace_files import load_columns, load_lists, load_settings
from shuijie.registries.yamlsafe import LineDict, LineList, load_yaml

ROLES = ("items", "objects", "inspectors", "experts", "calendar")
MODELS: dict[str, type[Record]] = {"items": Item, "objects": Object, "inspectors": Inspector,
                                   "experts": Expert}
# Columns that hold identifiers: a number there has lost digits or leading zeros.
ID_FIELDS = {"id", "cert_no", "person_id", "object_id", "phone", "license_no"}
LIST_SEPARATORS = (";", "；", "、", ",", "，")
MAX_REPORTED_PER_CODE = 50  # per file and problem code; the rest summed up in one line

def _norm_header(h: str) -> str:
    return fold_header(h)


_HEADER_MAPS: dict[type, dict[str, str]] = {}


def header_map(model: type[Record], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Folded header → field name, for every Chinese alias and the English name (and the
    workspace's own names from ``columns.yaml``, ``extra``: folded header → field)."""
    out = _HEADER_MAPS.get(model)
    if out is None:
        out = {}
        for name in model.model_fields:
            if name == "recusals":
                continue
            out[_norm_header(name)] = name
            for alias in model.HEADERS.get(name, ()):
                out.setdefault(_norm_header(alias), name)
        _HEADER_MAPS[model] = out
    if extra:
        return {**out, **extra}
    return out


def header_spec(model: type[Record], extra: dict[str, str] | None = None) -> HeaderSpec:
    """How to find this registry's header row among a sheet's first rows."""
    hmap = header_map(model, extra)
    _, _, required = _field_kinds(model)
    if model is Recusal:
        required = {"person_id", "object_id", "reason"}
    if model is Inspector:
        required = required | {"cert_no"}  # a roster without an id column is keyed by 执法证号
    def field_of(h: str) -> str | None:
        return hmap.get(_norm_header(h))

    return HeaderSpec(field_of, frozenset(required), 2)


def _field_kinds(model: type[BaseModel]) -> tuple[set[str], set[str], set[str]]:
    lists, bools, required = set(), set(), set()
    for name, f in model.model_fields.items():
        ann = str(f.annotation)
        if ann.startswith("list[str]"):
            lists.add(name)
        elif f.annotation is bool:
            bools.add(name)
        if f.is_required():
            required.add(name)
    return lists, bools, required


def split_list(text: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, ";")
    return [p.strip() for p in text.split(";") if p.strip()]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip()) if not s.isascii() else s.strip()


# ---------------------------------------------------------------- cell conversion


class _CellError(Exception):
    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params


def _cell_text(v: Any, fname: str) -> str:
    """A cell as text. Numbers in id columns are refused (lost digits, leading zeros)."""
    t = type(v)
    if t is str:
        return _nfc(v)
    if v is None:
        return ""
    if t is bool:
        return "是" if v else "否"
    if t is float or t is int:
        if fname in ID_FIELDS:
            text = _num_text(v)
            # an 11-digit mobile number or a 15-digit 注册号 typed as a number loses nothing
            # (both well below 2**53); 18-digit codes and anything shorter than its kind did
            if not (fname == "phone" and len(text) == 11 and text.startswith("1") and text.isdigit()) \
                    and not (fname in ("id", "object_id") and is_regno(text)):
                raise _CellError("id_numeric", value=text)
            return text
        return _num_text(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10] if not isinstance(v, dt.datetime) or v.time() == dt.time() else v.isoformat()
    return _nfc(str(v))


def _num_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _cell_bool(v: Any) -> bool:
    if type(v) is bool:
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    b = yes_no(v)
    if b is None:
        raise _CellError("bool_invalid", value=str(v).strip())
    return b


# ---------------------------------------------------------------- pydantic errors → problems


def _pydantic_problems(exc: ValidationError, file: str, row_of: Any, column_of: Any,
                       prefix: tuple = ()) -> list[Problem]:
    """Translate pydantic errors into catalogue problems with their place."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err.get("loc", ()))
        dotted = ".".join(str(x) for x in loc)
        typ = err.get("type", "")
        inp = err.get("input")
        value = "" if isinstance(inp, (dict, list)) else str(inp)
        ctx = err.get("ctx") or {}
        column = column_of(loc)
        row = row_of(loc)
        if typ == "missing":
            code, params = "field_required", {"field": column}
        elif typ == "extra_forbidden":
            code, params = "key_unknown", {"key": str(loc[-1]) if loc else dotted}
        elif typ in ("bool_parsing", "bool_type"):
            code, params = "bool_invalid", {"value": value}
        elif typ in ("int_parsing", "int_type", "int_from_float"):
            code, params = "int_invalid", {"value": value}
        elif typ.startswith("date") or typ.startswith("datetime"):
            code, params = "date_invalid", {"value": value}
        elif typ in ("literal_error", "enum"):
            expected = str(ctx.get("expected", "")).replace("'", "")
            code, params = "value_not_allowed", {"value": value, "allowed": expected}
        elif typ in ("list_type",):
            code, params = "list_invalid", {"value": value}
        elif typ in ("dict_type", "model_type", "model_attributes_type"):
            code, params = "mapping_invalid", {"value": value}
        elif typ in ("string_type",):
            code, params = "text_invalid", {"value": value}
        else:
            code, params = "field_invalid", {"value": value}
        out.append(Problem(code, params, file, row, column))
    return out


# ---------------------------------------------------------------- records from a table


class _Collector:
    """Problems of one file, capped per code so a million bad rows stay readable."""

    # A cell already reported for what it is (a formula, a merged range) is not reported
    # again for what it then lacks (e.g. an empty required value): one message a mistake.
    CELL_CODES = ("cell_formula", "cell_merged")

    def __init__(self, probs: ProblemList, file: str):
        self.probs = probs
        self.file = file
        self.counts: dict[str, int] = {}
        self.cells: set[tuple[str | None, int | None, str | None]] = set()

    def add(self, p: Problem) -> None:
        where = (p.file, p.row, p.column)
        if p.code in self.CELL_CODES:
            self.cells.add(where)
        elif where in self.cells:
            return
        n = self.counts.get(p.code, 0) + 1
        self.counts[p.code] = n
        if n <= MAX_REPORTED_PER_CODE:
            self.probs.items.append(p)

    def finish(self) -> None:
        for code, n in sorted(self.counts.items()):
            if n > MAX_REPORTED_PER_CODE:
                # (``code`` is also ProblemList.add's first parameter: build the Problem here)
                self.probs.items.append(Problem("more_of_same", {"count": n - MAX_REPORTED_PER_CODE,
                                                                 "code": code}, self.file))


def _columns(table: Table, model: type[Record], col: _Collector, *,
             extra: dict[str, str] | None = None) -> tuple[list[tuple[int, str]], dict[str, str]] | None:
    """Map header cells to fields; report duplicate and missing columns; name unused ones once.

    A column the tool does not use (注册资本, 成立日期 …) is not an error: ``check`` names
    them in one note (未使用的列).  A 序号 column is ignored silently.  An inspector roster
    without an id column is keyed by its 执法证号 (``id`` is then read from that column).
    """
    hmap = header_map(model, extra)
    fields: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    unused: list[str] = []
    ok = True
    # A title row above the header (e.g. 「检查对象名录库」 across the columns) is common in
    # hand-made sheets: say so once instead of reporting every header as unknown.
    filled = [h for h in table.header if h]
    if len(filled) == 1 and _norm_header(filled[0]) not in hmap and table.rows:
        nxt = table.rows[0][1]
        known = sum(1 for c in nxt if type(c) is str and _norm_header(c) in hmap)
        if known >= 2:
            col.add(Problem("title_row", {"title": filled[0]}, table.shown, table.header_row))
            return None
    for i, h in enumerate(table.header):
        if not h:
            if any(i < len(cells) and not _blank(cells[i]) for _, cells in table.rows[:1000]):
                letter = _letter(i + table.col0)
                col.add(Problem("column_no_header", {"letter": letter}, table.shown, table.header_row, letter))
                ok = False
            continue
        name = hmap.get(_norm_header(h))
        if name is None:
            if _norm_header(h) not in IGNORED_HEADERS:
                unused.append(h)
            continue
        if name in seen:
            col.add(Problem("column_duplicate", {"header": h, "other": seen[name]},
                            table.shown, table.header_row, h))
            ok = False
            continue
        seen[name] = h
        fields.append((i, name))
    if unused:
        col.add(Problem("columns_unused", {"headers": "、".join(f"「{h}」" for h in unused)},
                        table.shown, table.header_row, warning=True))
    _, _, required = _field_kinds(model)
    if model is Recusal:
        required = {"person_id", "object_id", "reason"}
    if model is Inspector and "id" not in seen and "cert_no" in seen:
        required = required - {"id"}
    for name in [n for n in model.model_fields if n in required and n not in seen]:
        hdrs = model.HEADERS.get(name, ())
        col.add(Problem("column_missing", {"header": hdrs[0] if hdrs else name, "field": name},
                        table.shown, table.header_row, hdrs[0] if hdrs else name))
        ok = False
    if not ok:
        return None
    return fields, seen


def _blank(v: Any) -> bool:
    return v is None or (type(v) is str and not v.strip())


def _letter(i: int) -> str:
    return col_letter(i)


def _accepted(model: type[Record]) -> str:
    names = []
    for name in model.model_fields:
        if name == "recusals":
            continue
        hdrs = model.HEADERS.get(name, ())
        names.append(hdrs[0] if hdrs else name)
    return "、".join(names)


def _table_rows(table: Table, model: type[Record], col: _Collector,
                fields: list[tuple[int, str]], seen: dict[str, str]) -> list[tuple[dict[str, Any], SourceRef]]:
    """Rows as field dicts (lists split, booleans parsed); cell problems reported."""
    lists, bools, _ = _field_kinds(model)
    out = []
    by_cert = model is Inspector and "id" not in seen and "cert_no" in seen
    columns = dict(seen)
    if by_cert:
        columns["id"] = seen["cert_no"]
    for rownum, cells in table.rows:
        rec: dict[str, Any] = {}
        bad = False
        n = len(cells)
        for i, name in fields:
            v = cells[i] if i < n else ""
            try:
                if name in bools:
                    if _blank(v):
                        continue
                    rec[name] = _cell_bool(v)
                elif name in lists:
                    rec[name] = split_list(_cell_text(v, name))
                elif name == "reason" and model is Recusal:
                    text = _cell_text(v, name)
                    r = recusal.parse(text)
                    if r is None:
                        raise _CellError("recusal_reason_unknown", value=text)
                    rec[name] = r
                else:
                    text = _cell_text(v, name)
                    if text == "" and not model.model_fields[name].is_required():
                        continue
                    rec[name] = text
            except _CellError as e:
                col.add(Problem(e.code, e.params, table.shown, rownum, seen[name]))
                bad = True
        if not bad:
            if by_cert and "id" not in rec and rec.get("cert_no"):
                rec["id"] = rec["cert_no"]
            out.append((rec, SourceRef(table.shown, rownum, columns)))
    return out


def _validate_small(model: type[Record], rows: list[tuple[dict[str, Any], SourceRef]],
                    col: _Collector) -> list[Record]:
    out = []
    for rec, src in rows:
        try:
            obj: Any = model.model_validate(rec)
        except ValidationError as exc:
            for p in _pydantic_problems(exc, src.file, lambda loc, s=src: s.row,
                                        lambda loc, s=src: s.column(str(loc[0])) if loc else None):
                col.add(p)
            continue
        obj._src = src
        out.append(obj)
    return out


_OBJ_FIELDS = tuple(Object.model_fields)
_OBJ_REQUIRED = tuple(n for n, f in Object.model_fields.items() if f.is_required())
# Kept columns hold one string object per distinct value, up to this many values.
_INTERN_MAX = 50_000


def _object_values(table: Table, col: _Collector, fields: list[tuple[int, str]], seen: dict[str, str],
                   rows: Iterable[tuple[int, list[Any]]] | None = None,
                   only: set[int] | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(row, values)`` of every valid object row, values in ``fields`` order; problems to ``col``.

    The one conversion of an objects row, for both passes (:func:`_object_columns` keeps
    columns of every row, :class:`ObjectFile` builds records of some rows): every cell
    stripped, a row NFC-normalised when it is not already, required fields filled, the
    id checked (GB 32100 inline, the rest by :func:`check_object_id`).  Plain Python,
    no per-row pydantic: every Object field is a ``str``, so this is what
    ``Object.model_validate`` would check.  ``rows`` (default ``table.rows``) may be a
    stream; ``only`` skips every other row before any work.
    """
    shown = table.shown
    names = [n for _, n in fields]
    positions = [i for i, _ in fields]
    width = max(positions) + 1 if positions else 0
    required = list(_OBJ_REQUIRED)
    is_normalized = unicodedata.is_normalized
    req_pos = [names.index(n) for n in required if n in names]
    req_get = itemgetter(*req_pos) if len(req_pos) > 1 else (lambda v: tuple(v[i] for i in req_pos))
    absent = [n for n in required if n not in names]  # missing columns were refused before
    id_pos = names.index("id")
    uscc_set = _USCC_SET
    check_char = uscc_check_char
    strip = str.strip
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda c: (c[positions[0]],))
    for rownum, cells in (table.rows if rows is None else rows):
        if only is not None and rownum not in only:
            continue
        try:
            if len(cells) < width:
                raise IndexError
            vals = list(map(strip, pick(cells)))
        except (AttributeError, TypeError, IndexError):  # a non-text cell or a short row: the careful way
            vals = []
            bad = False
            n = len(cells)
            for i, name in fields:
                v = cells[i] if i < n else ""
                try:
                    vals.append(_cell_text(v, name))
                except _CellError as e:
                    col.add(Problem(e.code, e.params, shown, rownum, seen[name]))
                    bad = True
            if bad:
                continue
        joined = "\x00".join(vals)
        if not joined.isascii() and not is_normalized("NFC", joined):
            vals = [unicodedata.normalize("NFC", v) for v in vals]
        if "" in req_get(vals) or absent:
            if not any(vals) and not any(c for c in cells if type(c) is not str):
                col.add(Problem("row_blank", {}, shown, rownum))
                continue
            for name in [n for n in required if n in absent or not vals[names.index(n)]]:
                col.add(Problem("field_required", {"field": seen.get(name, name)}, shown, rownum,
                                seen.get(name, name)))
            continue
        oid = vals[id_pos]
        # inline GB 32100 check (the common case); anything else goes the careful way
        if not (len(oid) == 18 and uscc_set.issuperset(oid) and oid[2:8].isdigit()
                and oid[17] == check_char(oid)) or oid.isdigit():
            code = check_object_id(oid)
            if code is not None:
                col.add(Problem(code, {"value": oid}, shown, rownum, seen["id"]))
                continue
        yield rownum, vals


_CHUNK = 4096


def _plain_id(oid: str) -> bool:
    """An id that needs no message: a GB 32100 code checked inline (the common case), else
    whatever :func:`check_object_id` accepts (身份证号码, 注册号)."""
    if len(oid) == 18 and _USCC_SET.issuperset(oid) and oid[2:8].isdigit() and oid[17] == uscc_check_char(oid) \
            and not oid.isdigit():
        return True
    return check_object_id(oid) is None


# _all_uscc's tables: per position, a code's byte -> its value × weight mod 31; a sum -> mod 31;
# a sum -> the check character it asks for (as a byte).
_USCC_BYTES = USCC_ALPHABET.encode()
_TERM_BYTES = [bytes(USCC_ALPHABET.index(chr(c)) * w % 31 if chr(c) in USCC_ALPHABET else 0 for c in range(256))
               for w in USCC_WEIGHTS]
_MOD31 = bytes(i % 31 for i in range(256))
_CHECK_BYTES = bytes(ord(USCC_ALPHABET[(31 - i % 31) % 31]) for i in range(256))


def _all_uscc(ids: list[str]) -> bool:
    """Whether every id is a GB 32100 code with its check character (and not all digits): the
    common case of :func:`_plain_id`, for a chunk of ids at once by C loops.  A position's
    terms of every id are a byte string (``bytes.translate``) read as one integer, one byte
    an id: adding eight positions' integers adds each id's terms in its own byte (8 × 30 <
    256, no carry), reduced mod 31 by a translate before the next seven, then the last two."""
    n = len(ids)
    if not n or min(map(len, ids)) != 18 or max(map(len, ids)) != 18 or any(map(str.isdigit, ids)):
        return False
    try:
        codes = "".join(ids).encode("ascii")
    except UnicodeEncodeError:
        return False
    if codes.translate(None, _USCC_BYTES) or not b"".join(codes[j::18] for j in range(2, 8)).isdigit():
        return False

    def terms(first: int, last: int) -> int:
        return sum(int.from_bytes(codes[j::18].translate(_TERM_BYTES[j]), "little") for j in range(first, last))

    def mod31(total: int) -> int:
        return int.from_bytes(total.to_bytes(n, "little").translate(_MOD31), "little")

    total = mod31(mod31(terms(0, 8)) + terms(8, 15)) + terms(15, 17)
    return total.to_bytes(n, "little").translate(_CHECK_BYTES) == codes[17::18]


def _clean_chunk(chunk: list[tuple[int, list[Any]]], fields: list[tuple[int, str]],
                 wanted: list[str]) -> dict[str, list[str]] | None:
    """The values of the fields ``wanted`` (id and kept ones) of a chunk of rows, a column
    each, when every row is the plain case: text cells, none missing, every required field
    filled, ids fine.  What :func:`_object_values` gives row by row, computed by C loops over
    columns; a column that is only checked (a required 名称, 地址 …) is asked "blank?" and not
    copied.  None: some row needs the careful way."""
    positions = [i for i, _ in fields]
    cells = list(map(itemgetter(1), chunk))
    if not positions or min(map(len, cells)) <= max(positions):
        return None
    at = {name: i for i, name in fields}
    if any(n not in at for n in _OBJ_REQUIRED):
        return None
    try:
        for name in _OBJ_REQUIRED:  # filled: not "" and not only whitespace
            if not all(map(str.__len__, column := list(map(itemgetter(at[name]), cells)))) \
                    or any(map(str.isspace, column)):
                return None
        out = {name: list(map(str.strip, map(itemgetter(at[name]), cells))) for name in wanted if name in at}
    except TypeError:  # a number, a date or an empty cell of a workbook
        return None
    text = "\x00".join(chain.from_iterable(out.values()))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        out = {name: [unicodedata.normalize("NFC", v) for v in values] for name, values in out.items()}
    if not _all_uscc(out["id"]) and not all(map(_plain_id, out["id"])):
        return None
    return out


_Columns = tuple[list[str], "array[int]", dict[str, list[str]], dict[str, bytearray]]


def _object_columns(table: Table, col: _Collector, fields: list[tuple[int, str]], seen: dict[str, str],
                    keep: Iterable[str] = (), rows: Iterable[tuple[int, list[Any]]] | None = None) -> _Columns:
    """Pass one: every row checked, and kept as the columns of an :class:`ObjectTable` (ids,
    rows, the kept fields, the presence flags).

    A chunk of rows at a time: a chunk of plain rows goes through :func:`_clean_chunk`
    (column by column), any other chunk row by row through :func:`_object_values`, so
    problems are found and reported exactly as row by row, in row order."""
    names = [n for _, n in fields]
    kept = [f for f in dict.fromkeys((*COLUMN_FIELDS, *keep)) if f != "id" and f in _OBJ_FIELDS]
    wanted = ["id", *kept, *PRESENCE_FIELDS]
    ids: list[str] = []
    rownums = array("q")
    columns: dict[str, list[str]] = {f: [] for f in kept}
    caches: dict[str, dict[str, str]] = {f: {} for f in kept}
    filled = {f: bytearray() for f in PRESENCE_FIELDS}
    source_rows = iter(table.rows if rows is None else rows)
    while chunk := list(islice(source_rows, _CHUNK)):
        cols = _clean_chunk(chunk, fields, wanted)
        if cols is None:  # the careful way: the rows that pass, as a chunk of columns
            good = list(_object_values(table, col, fields, seen, chunk))
            if not good:
                continue
            chunk = good
            values = list(zip(*map(itemgetter(1), good)))
            cols = {name: list(values[names.index(name)]) for name in wanted if name in names}
        n = len(chunk)
        ids.extend(cols["id"])
        rownums.extend(map(itemgetter(0), chunk))
        for f in kept:
            got, cache = cols.get(f), caches[f]
            if got is None:
                columns[f].extend([""] * n)
            elif len(cache) < _INTERN_MAX:  # one string object per distinct 区域/行业/等级 value
                columns[f].extend(map(cache.setdefault, got, got))
            else:
                columns[f].extend(got)
        for f, flag in filled.items():
            flag.extend(map(bool, cols[f]) if f in cols else bytes(n))
    return ids, rownums, columns, filled


# A provincial CSV in two parts at once: a forked child reads and checks the records after the
# file's middle while this process does the ones before, then sends back its columns, its lines'
# offsets and its problems, joined after this process's own so that the table, the offsets and
# every message (caps and 另有 … 处 included) are exactly what one process makes
# (tests/test_load_worker.py).  Only when the middle is surely a record boundary: no '"' after
# the rows CsvStream has read so far (a quoted field may hold a line end).  Should the child
# fail, this process reads its part after all; should it find the file irregular (a blank row
# between records, a footer row, bad UTF-8 …), the whole file is read the careful way, as
# without the child.  Off below LOAD_WORKER_FROM bytes, on one core, where there is no fork
# (Windows), and with SHUIJIE_LOAD_WORKER=0 (1 forces it on at any size).
LOAD_WORKER_FROM = 48 << 20  # about 200,000 rows of a registry's usual width
LOAD_WORKER_ENV = "SHUIJIE_LOAD_WORKER"
_BLOCK = 1 << 20
# Percent of the bytes after the head read here: the child also counts the lines before its
# part and pickles what it sends (both finish together at 1M rows, measured).
_FIRST_PART = 52


def _use_load_worker(size: int) -> bool:
    return can_fork() and switch(LOAD_WORKER_ENV, size >= LOAD_WORKER_FROM)


def _blocks(path: Path, start: int, end: int) -> Iterator[bytes]:
    """The file's bytes ``start`` to ``end``, a block at a time."""
    with open(path, "rb") as fh:
        fh.seek(start)
        while start < end and (block := fh.read(min(_BLOCK, end - start))):
            start += len(block)
            yield block


_Part = tuple[bool, bool, tuple[str | list[str], "array[int]", dict[str, list[str]], dict[str, bytearray]],
              list[Problem], dict[str, int], set, "array[int]"]


def _part_columns(path: Path, head_end: int, start: int, lines_before: int, table: Table,
                  fields: list[tuple[int, str]], seen: dict[str, str], keep: Iterable[str]) -> _Part:
    """The records from byte ``start`` on (a record's start), checked as :func:`_object_columns`
    checks them: ``(ok, any record, columns (the ids joined by line ends), problems reported,
    problems counted per code, cells, offsets)``; ``lines_before``: the lines before byte ``head_end``."""
    line = lines_before + sum(block.count(b"\n") for block in _blocks(path, head_end, start)) + 1
    stream = CsvStream.part(path, start, line)
    try:
        col = _Collector(ProblemList(), table.shown)
        rows = stream.rest()
        first = next(rows, None)
        ids, rownums, columns, filled = _object_columns(table, col, fields, seen, keep,
                                                        () if first is None else chain((first,), rows))
        joined: str | list[str] = "\n".join(ids)  # sent as one string: a list of unique strings pickles slowly
        if len(ids) != 1 + joined.count("\n"):
            joined = ids  # (never: no id passes its check with a line end in it)
        return (stream.ok, first is not None, (joined, rownums, columns, filled), col.probs.items, col.counts,
                col.cells, stream.offsets)
    finally:
        stream.close()


class _SecondPart:
    """The child reading a streamed CSV's second part (see LOAD_WORKER_FROM)."""

    @classmethod
    def start(cls, stream: Any, table: Table, fields: list[tuple[int, str]], seen: dict[str, str],
              keep: Iterable[str]) -> _SecondPart | None:
        if not isinstance(stream, CsvStream) or not stream.ok:
            return None
        path = stream.path
        try:
            size = path.stat().st_size
            if not _use_load_worker(size):
                return None
            head_end = stream.head_end()
            with open(path, "rb") as fh:  # the first line start at or after the "middle"
                fh.seek(head_end + (size - head_end) * _FIRST_PART // 100 - 1)
                split = fh.tell() + len(fh.readline())
        except OSError:
            return None
        if split <= head_end or split >= size:
            return None
        job = functools.partial(_part_columns, path, head_end, split, len(stream.offsets), table, fields,
                                seen, tuple(keep))
        other = cls(job)
        if any(b'"' in block for block in _blocks(path, head_end, split)):
            other.stop()  # a quoted field may hold a line end: the middle may be inside a record
            return None
        stream.end = split
        return other

    def __init__(self, job: Any) -> None:
        self.job = job
        self.forked: Forked | None = None
        try:
            self.forked = Forked(job, "objects reader")
        except OSError:
            pass

    def join(self, parts: _Columns, col: _Collector, stream: CsvStream) -> None:
        """The child's part after ``parts`` (this process's), or ``stream.ok`` false: irregular."""
        got = None
        if self.forked is not None:
            try:
                got = self.forked.result()
            except Exception:
                got = None
        if got is None:  # no child, or it failed: read the part here
            got = self.job()
        ok, any_record, (ids, rownums, columns, filled), items, counts, cells, offsets = got
        if not ok or (stream.pending and any_record):  # (a blank row, then records after the middle)
            stream.ok = False
            return
        reported: dict[str, int] = {}
        for p in items:  # counted after this process's own, as one process would count them
            col.add(p)
            reported[p.code] = reported.get(p.code, 0) + 1
        for code, n in counts.items():  # and the child's problems past the cap
            col.counts[code] = col.counts.get(code, 0) + n - reported.get(code, 0)
        col.cells |= cells
        my_ids, my_rows, my_columns, my_filled = parts
        my_ids.extend(ids if type(ids) is list else ids.split("\n") if ids else ())
        my_rows.extend(rownums)
        for f, values in columns.items():
            my_columns[f].extend(values)
        for f, flags in filled.items():
            my_filled[f].extend(flags)
        stream.offsets.extend(offsets)

    def stop(self) -> None:
        if self.forked is not None:
            self.forked.stop()


def _object_records(table: Table, fields: list[tuple[int, str]], seen: dict[str, str], only: set[int],
                    rows: Iterable[tuple[int, list[Any]]] | None = None) -> dict[int, Object]:
    """Pass two: full records of the rows ``only`` (their problems were reported in pass one)."""
    quiet = _Collector(ProblemList(), table.shown)
    return {rownum: _object_record(table.shown, fields, seen, rownum, vals)
            for rownum, vals in _object_values(table, quiet, fields, seen, rows, only)}


def _object_record(shown: str, fields: list[tuple[int, str]], seen: dict[str, str], rownum: int,
                   vals: list[str]) -> Object:
    """The record of a row :func:`_object_values` accepted (its checks are ``model_validate``'s)."""
    names = [n for _, n in fields]
    rec = dict.fromkeys(_OBJ_FIELDS, "")
    rec.update(zip(names, vals))
    obj = Object.model_construct(_fields_set=set(names), **rec)
    obj._src = SourceRef(shown, rownum, dict(seen))
    return obj


# ---------------------------------------------------------------- records from YAML


def _yaml_records(path: Path, shown: str, model: type[Record], col: _Collector,
                  extra: dict[str, str] | None = None) -> list[Record]:
    data = load_yaml(path, shown)
    if data is None:
        data = []
    if not isinstance(data, list):
        col.add(Problem("yaml_not_list", {"path": shown}, shown,
                        data.line if isinstance(data, LineDict) else 1))
        return []
    lists, bools, _ = _field_kinds(model)
    hmap = header_map(model, extra)
    out = []
    for n, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            col.add(Problem("yaml_record_not_mapping", {"n": n}, shown, None))
            continue
        line = raw.line if isinstance(raw, LineDict) else None
        lines = raw.lines if isinstance(raw, LineDict) else {}
        rec: dict[str, Any] = {}
        bad = False
        columns: dict[str, str] = {}
        for key, v in raw.items():
            k = str(key)
            name = hmap.get(_norm_header(k)) if k != "recusals" else "recusals"
            kline = lines.get(k, line)
            if name is None or (name == "recusals" and "recusals" not in model.model_fields):
                col.add(Problem("key_unknown_record", {"key": k, "accepted": _accepted(model)}, shown, kline, k))
                bad = True
                continue
            columns[name] = k
            try:
                if name == "recusals":
                    rec_lines = _yaml_recusals(v, shown, kline, raw, col)
                    rec[name] = [r for r, _ in rec_lines]
                elif name in bools:
                    rec[name] = v if type(v) is bool else _cell_bool(v)
                elif name in lists:
                    if v is None:
                        rec[name] = []
                    elif isinstance(v, list):
                        rec[name] = [_cell_text(x, name) for x in v]
                    else:
                        rec[name] = split_list(_cell_text(v, name))
                elif isinstance(v, (list, dict)):
                    raise _CellError("text_invalid", value=str(v)[:40])
                else:
                    if (type(v) is int or type(v) is float) and name in ID_FIELDS:
                        raise _CellError("id_numeric_yaml", value=_num_text(v))
                    rec[name] = _cell_text(v, name)
            except _CellError as e:
                col.add(Problem(e.code, e.params, shown, kline, k))
                bad = True
        if bad:
            continue
        if model is Inspector and "id" not in rec and rec.get("cert_no"):
            rec["id"] = rec["cert_no"]  # a roster keyed by 执法证号
            columns["id"] = columns["cert_no"]
        src = SourceRef(shown, line, columns)
        try:
            obj: Any = model.model_validate(rec)
        except ValidationError as exc:
            for p in _pydantic_problems(
                    exc, shown,
                    lambda loc, l=lines, d=line: l.get(columns.get(str(loc[0]), str(loc[0])), d) if loc else d,
                    lambda loc, s=src: s.column(str(loc[0])) if loc else None):
                col.add(p)
            continue
        if model is Object:
            code = check_object_id(obj.id)
            if code is not None:
                col.add(Problem(code, {"value": obj.id}, shown, lines.get(columns.get("id", "id"), line),
                                columns.get("id", "id")))
                continue
        obj._src = src
        if "recusals" in rec:
            for r, (_, rline) in zip(obj.recusals, rec_lines):
                r.person_id = obj.id
                r._src = SourceRef(shown, rline, {"object_id": "object_id", "reason": "reason"})
        out.append(obj)
    return out


def _yaml_recusals(v: Any, shown: str, line: int | None, parent: dict,
                   col: _Collector) -> list[tuple[dict, int | None]]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise _CellError("recusals_not_list")
    out = []
    for item in v:
        iline = item.line if isinstance(item, LineDict) else line
        if not isinstance(item, dict):
            col.add(Problem("recusal_not_mapping", {}, shown, iline, "recusals"))
            continue
        rec: dict[str, Any] = {}
        for key, val in item.items():
            k = str(key)
            name = header_map(Recusal).get(_norm_header(k))
            kline = item.lines.get(k, iline) if isinstance(item, LineDict) else iline
            if name is None or name == "person_id":
                col.add(Problem("key_unknown_record", {"key": k, "accepted": "object_id、reason、note"},
                                shown, kline, k))
                continue
            if name == "reason":
                r = recusal.parse(str(val))
                if r is None:
                    col.add(Problem("recusal_reason_unknown", {"value": str(val)}, shown, kline, k))
                    continue
                rec[name] = r
            elif (type(val) is int or type(val) is float):
                col.add(Problem("id_numeric_yaml", {"value": _num_text(val)}, shown, kline, k))
            else:
                rec[name] = _cell_text(val, name)
        if "object_id" not in rec or "reason" not in rec:
            keys = {header_map(Recusal).get(_norm_header(str(k))) for k in item}
            for missing in ("object_id", "reason"):
                if missing not in keys:  # present but refused above: already reported
                    col.add(Problem("field_required", {"field": missing}, shown, iline, missing))
            continue
        out.append((rec, iline))
    return out


# ---------------------------------------------------------------- one registry


def _shown(path: Path, base: Path) -> str:
    """The path as shown to the clerk: relative to the plan's folder's parent when possible
    (the workspace root), as given otherwise; never relative to the filesystem root."""
    base = base.resolve()
    if base.parent == base:
        return str(path)
    try:
        return str(path.resolve().relative_to(base))
    except ValueError:
        return str(path)


def shown_path(plan_path: Path) -> str:
    """The plan file as shown to the clerk (relative to the workspace root when possible)."""
    return _shown(Path(plan_path), Path(plan_path).resolve().parent.parent)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic records.

    Loading a million-row registry allocates millions of containers; each GC pass
    would walk all of them again (roughly doubling the load time) to find no cycle.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_registry(role: str, path: Path, shown: str, probs: ProblemList,
                  columns: dict[str, dict[str, str]] | None = None,
                  keep: Iterable[str] = ()) -> list[Record] | ObjectTable:
    """Load one registry file (YAML, .xlsx, .xls or .csv); problems go to ``probs``.

    The objects registry comes back as an :class:`ObjectTable` (its columns, plus the
    fields named in ``keep``: the plan's filters), every other one as a list of records.
    ``columns`` is the workspace's ``columns.yaml`` (role → folded header → field).
    """
    with _gc_paused():
        if role == "objects":
            return load_objects(path, shown, probs, columns or {}, keep)
        return _load_registry(role, path, shown, probs, columns or {})


def _read_book(model: type[Record], path: Path, shown: str, spec: HeaderSpec,
               columns: dict[str, dict[str, str]]) -> Workbook | None:
    """An .xlsx / .xls / .csv registry read whole (None: not a table format)."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_workbook(path, shown, with_recusals=model in (Inspector, Expert), spec=spec,
                             recusal_spec=header_spec(Recusal, columns.get("recusals")))
    if suffix == ".csv":
        return read_csv(path, shown, spec)
    return None


TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


def _load_registry(role: str, path: Path, shown: str, probs: ProblemList,
                   columns: dict[str, dict[str, str]]) -> list[Record]:
    model = MODELS[role]
    col = _Collector(probs, shown)
    extra = columns.get(role)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            return _yaml_records_safe(path, shown, model, col, extra)
        book = _read_book(model, path, shown, header_spec(model, extra), columns)
        if book is None:
            col.add(Problem("registry_format", {"path": shown}, shown))
            return []
        for p in book.problems:
            col.add(p)
        if book.main is None:
            return []
        mapped = _columns(book.main, model, col, extra=extra)
        if mapped is None:
            if book.recusals is not None:  # still report every row of the 回避 sheet
                _attach_sheet_recusals([], book.recusals, col, columns.get("recusals"), known=False)
            return []
        fields, seen = mapped
        recs = _validate_small(model, _table_rows(book.main, model, col, fields, seen), col)
        if book.recusals is not None:
            _attach_sheet_recusals(recs, book.recusals, col, columns.get("recusals"))
        return recs
    finally:
        col.finish()


def load_objects(path: Path, shown: str, probs: ProblemList, columns: dict[str, dict[str, str]],
                 keep: Iterable[str] = ()) -> ObjectTable:
    """The objects registry as an :class:`ObjectTable`: every row checked (problems to ``probs``),
    kept as columns; full records later from an :class:`ObjectFile` over the same bytes."""
    col = _Collector(probs, shown)
    extra = columns.get("objects")
    empty = ObjectTable.from_records([], shown)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            recs: list[Object] = _yaml_records_safe(path, shown, Object, col, extra)  # type: ignore[assignment]
            return ObjectTable.from_records(recs, shown) if recs else empty
        table = ObjectFile(path, shown, columns).scan(col, keep)
        return table if table is not None else empty
    finally:
        col.finish()


class ObjectFile:
    """An objects registry file (.csv, .xlsx, .xls) as the :class:`RecordSource` of its table.

    :meth:`scan` is pass one (every row checked, columns kept); :meth:`read` is pass two,
    which reads the file again and builds the records of some rows only — through the
    same header mapping and row conversion, so a record is exactly what pass one checked.
    The file's SHA-256 is taken in pass one; pass two refuses a file whose bytes changed
    (``registry_changed``).  :meth:`moved` reads a byte copy instead (a round's inputs/)."""

    def __init__(self, path: Path, shown: str, columns: dict[str, dict[str, str]],
                 digest: str | None = None) -> None:
        self.path = Path(path)
        self.shown = shown
        self.columns = columns
        self.digest = digest if digest is not None else _digest_or_none(self.path)
        self.streamed = True  # pass one found a regular CSV or workbook (or tried): pass two streams it too
        # a streamed CSV: where each line starts, and the header mapping (pass two reads records
        # at their offsets instead of parsing the whole file again)
        self.offsets: Any = None
        self.mapping: tuple[Table, list[tuple[int, str]], dict[str, str]] | None = None

    def moved(self, path: object) -> "ObjectFile":
        other = ObjectFile(Path(str(path)), self.shown, self.columns, self.digest)
        other.streamed, other.offsets, other.mapping = self.streamed, self.offsets, self.mapping
        return other

    def _tables(self, col: _Collector, *, quiet: bool = False, until: int | None = None) -> Iterator[
            tuple[Table, list[tuple[int, str]], dict[str, str], Iterable[tuple[int, list[Any]]] | None, Any]]:
        """The file's table (streamed when a regular CSV or workbook), mapped: at most one item.
        ``quiet``: the problems are not wanted (a workbook's cell scan is skipped); ``until``:
        the rows past that one are not wanted (a streamed workbook stops there)."""
        extra = self.columns.get("objects")
        spec = header_spec(Object, extra)
        suffix = self.path.suffix.lower()
        book = None
        if self.streamed and (suffix == ".csv" or suffix in TABLE_SUFFIXES):
            stream: CsvStream | SheetStream = (
                CsvStream(self.path, self.shown, spec) if suffix == ".csv"
                else SheetStream(self.path, self.shown, spec, with_cells=not quiet, until=until))
            try:
                self.streamed = yield from self._streamed(col, stream, extra)
                if self.streamed:
                    return
                if isinstance(stream, SheetStream):
                    book = stream.whole()  # the sheet calamine has read already
            finally:
                stream.close()
        if book is None:
            book = _read_book(Object, self.path, self.shown, spec, self.columns)
        if book is None:
            col.add(Problem("registry_format", {"path": self.shown}, self.shown))
            return
        for p in book.problems:
            col.add(p)
        if book.main is None:
            return
        mapped = _columns(book.main, Object, col, extra=extra)
        if mapped is not None:
            yield book.main, mapped[0], mapped[1], None, None

    def _streamed(self, col: _Collector, stream: CsvStream | SheetStream, extra: dict[str, str] | None):
        """A regular CSV or workbook row by row as it is read (1M rows are never all alive as
        raw cells).  Returns False when the file is not the regular case (see
        :class:`CsvStream`, :class:`SheetStream`) or its header has a problem: the caller
        then reads it whole (``read_csv``, ``SheetStream.whole``), which reports exactly
        what it always did, in the same order (nothing of this attempt is kept)."""
        items = col.probs.items
        n0, counts0, cells0 = len(items), dict(col.counts), set(col.cells)
        if stream.ok and stream.table is not None:
            for p in stream.problems:
                col.add(p)
            mapped = _columns(stream.table, Object, col, extra=extra)
            if mapped is not None:
                head = stream.table
                if isinstance(stream, CsvStream):
                    self.offsets = stream.offsets  # filled as the rows go by
                    self.mapping = (Table(head.shown, None, head.header, [], head.header_row), *mapped)
                yield stream.table, mapped[0], mapped[1], chain(stream.table.rows, stream.rest()), stream
                if stream.ok:
                    return True
                self.offsets = self.mapping = None
        del items[n0:]
        col.counts = counts0
        col.cells = cells0
        return False

    def scan(self, col: _Collector, keep: Iterable[str] = ()) -> ObjectTable | None:
        for table, fields, seen, rows, stream in self._tables(col):
            other = _SecondPart.start(stream, table, fields, seen, keep)
            try:
                parts = _object_columns(table, col, fields, seen, keep, rows)
                if other is not None and stream.ok:
                    other.join(parts, col, stream)
            finally:
                if other is not None:
                    other.stop()
            result = ObjectTable(table.shown, dict(seen), *parts, self)
            if stream is None or stream.ok:
                return result
            del result  # an irregular CSV found late: _tables reads it whole and yields again
        return None

    def _same_bytes(self) -> None:
        if _digest_or_none(self.path) != self.digest:
            raise InputError(Problem("registry_changed", {"path": self.shown}, self.shown))

    def read(self, rows: set[int]) -> dict[int, Object]:
        self._same_bytes()
        if self.offsets is not None and self.mapping is not None:
            table, fields, seen = self.mapping
            return _object_records(table, fields, seen, rows, csv_records_at(self.path, self.offsets, rows))
        if not rows:
            return {}
        col = _Collector(ProblemList(), self.shown)
        with _gc_paused():
            for table, fields, seen, stream_rows, stream in self._tables(col, quiet=True, until=max(rows)):
                got = _object_records(table, fields, seen, rows, stream_rows)
                if stream is None or stream.ok:
                    return got
        return {}

    def every(self) -> Iterator[Object]:
        self._same_bytes()  # and pass one settled whether the file streams: no record is taken back
        col = _Collector(ProblemList(), self.shown)
        for table, fields, seen, stream_rows, stream in self._tables(col, quiet=True):
            for rownum, vals in _object_values(table, col, fields, seen, stream_rows):
                yield _object_record(table.shown, fields, seen, rownum, vals)
            return


def file_sha256(path: Path) -> str:
    """A file's SHA-256, read in blocks (a provincial registry is not read whole into memory),
    unbuffered: a round's 20,000 papers are mostly one block each."""
    with open(path, "rb", buffering=0) as fh:
        h = hashlib.sha256()
        while block := fh.read(1 << 20):
            h.update(block)
        return h.hexdigest()


def _digest_or_none(path: Path) -> str | None:
    """:func:`file_sha256`, None for a file that cannot be read (its reader reports why)."""
    try:
        return file_sha256(path)
    except OSError:
        return None


def _yaml_records_safe(path: Path, shown: str, model: type[Record], col: _Collector,
                       extra: dict[str, str] | None = None) -> list[Record]:
    try:
        return _yaml_records(path, shown, model, col, extra)
    except InputError as exc:
        for p in exc.problems:
            col.add(p)
        return []


def _attach_sheet_recusals(recs: list[Record], table: Table, col: _Collector,
                           extra: dict[str, str] | None = None, *, known: bool = True) -> None:
    """The 回避 sheet's rows, each checked (``known`` false: the main sheet did not load, so a
    person cannot be looked up; every other problem of every row is still reported)."""
    mapped = _columns(table, Recusal, col, extra=extra)
    if mapped is None:
        return
    fields, seen = mapped
    people = {r.id: r for r in recs}  # type: ignore[attr-defined]
    for rec, src in _table_rows(table, Recusal, col, fields, seen):
        if not rec.get("person_id") or not rec.get("object_id"):
            missing = "person_id" if not rec.get("person_id") else "object_id"
            col.add(Problem("field_required", {"field": seen[missing]}, src.file, src.row, seen[missing]))
            continue
        try:
            r = Recusal.model_validate(rec)
        except ValidationError as exc:
            for p in _pydantic_problems(exc, src.file, lambda loc, s=src: s.row,
                                        lambda loc, s=src: s.column(str(loc[0])) if loc else None):
                col.add(p)
            continue
        r._src = src
        person = people.get(r.person_id)
        if not known:
            continue
        if person is None:
            col.add(Problem("recusal_unknown_person", {"person": r.person_id}, src.file, src.row,
                            seen["person_id"]))
            continue
        person.recusals.append(r)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the plan


def _walk_lines(data: Any, prefix: str, out: dict[str, int]) -> None:
    if isinstance(data, LineDict):
        for k, v in data.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if str(k) in data.lines:
                out[key] = data.lines[str(k)]
            _walk_lines(v, key, out)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            if isinstance(data, LineList):
                out[f"{prefix}.{i}"] = data.lines[i]
            _walk_lines(v, f"{prefix}.{i}", out)
            if isinstance(v, LineDict) and v.line:
                out.setdefault(f"{prefix}.{i}", v.line)


def _line_for(lines: dict[str, int], loc: Iterable[Any]) -> int | None:
    parts = [str(x) for x in loc]
    while parts:
        key = ".".join(parts)
        if key in lines:
            return lines[key]
        parts.pop()
    return None


def _plan_prepare(data: dict[str, Any]) -> None:
    """YAML numbers where the plan wants decimal strings: ratio 0.3 → "0.3" (Decimal(str(x)))."""
    for s in data.get("strata") or []:
        if isinstance(s, dict) and "ratio" in s and isinstance(s["ratio"], (int, float)) \
                and not isinstance(s["ratio"], bool):
            s["ratio"] = str(Decimal(str(s["ratio"])))
        if isinstance(s, dict) and isinstance(s.get("where"), dict):
            for k, v in list(s["where"].items()):
                if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    s["where"][k] = [str(v)]
                elif isinstance(v, list):
                    s["where"][k] = [str(x) for x in v]
    pop = data.get("population")
    if isinstance(pop, dict):
        for k, v in list(pop.items()):
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                pop[k] = [str(v)]
            elif isinstance(v, list):
                pop[k] = [str(x) for x in v]
    for key in ("items", "materials", "attendees"):
        v = data.get(key)
        if isinstance(v, list):
            data[key] = [str(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in v]
    for key in ("id", "doc_no", "title"):
        v = data.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            data[key] = str(v)


def load_plan(plan_path: Path, shown: str) -> Plan:
    """Parse and validate the plan YAML (shape and types only); InputError with lines."""
    data = load_yaml(plan_path, shown)
    if not isinstance(data, dict):
        raise InputError(Problem("plan_not_mapping", {"path": shown}, shown,
                                 1 if not isinstance(data, list) else None))
    lines: dict[str, int] = {}
    _walk_lines(data, "", lines)
    _plan_prepare(data)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise InputError(_pydantic_problems(
            exc, shown, lambda loc: _line_for(lines, loc) or 1,
            lambda loc: plan_key_label(data, ".".join(str(x) for x in loc)) if loc else None))
    plan._path = plan_path
    plan._lines = lines
    return plan


# ---------------------------------------------------------------- the workspace


def _registries_of_broken_plan(plan_path: Path, base: Path) -> list[Problem]:
    """The problems of the registries a plan that failed validation names (its ``registries``
    mapping read raw), so that one ``check`` reports everything."""
    try:
        data = load_yaml(plan_path, shown_path(plan_path))
    except InputError:
        return []
    regs = data.get("registries") if isinstance(data, dict) else None
    if not isinstance(regs, dict):
        return []
    probs = ProblemList()
    columns: dict[str, dict[str, str]] = {}
    objects = regs.get("objects")
    if isinstance(objects, str):
        guess = plan_path.parent / objects
        cp = guess.parent / WORKSPACE_FILES["columns"]
        if cp.is_file():
            columns, found = load_columns(cp, _shown(cp, base))
            probs.extend(found)
    for role in ("items", "objects", "inspectors", "experts"):
        rel = regs.get(role)
        if not isinstance(rel, str) or not rel.strip():
            continue
        p = plan_path.parent / rel
        if p.is_file():
            load_registry(role, p, _shown(p, base), probs, columns)
    return [p for p in probs.items if not p.warning]


def filter_fields(plan: Plan) -> list[str]:
    """The object fields the plan's population and strata filter on (kept as columns)."""
    out = list(plan.population)
    for st in plan.strata:
        out.extend(st.where)
    return list(dict.fromkeys(out))


def sort_problems(problems: list[Problem], plan_file: str | None = None) -> list[Problem]:
    """By file (the plan first) and row, each file's problems in the order found otherwise."""
    return sorted(problems, key=lambda p: (p.file != plan_file, p.file or "", p.row or 0))


def read_workspace(plan_path: Path, overrides: dict[str, Path] | None = None) -> tuple[Workspace, list[Problem]]:
    """Load the plan and every registry it names: ``(workspace, loading problems)``.

    The rules that span the plan and the registries are checked above this
    module (:func:`shuijie.registries.check.load_workspace`).  A plan file that
    cannot be parsed at all raises InputError.

    Paths in the plan are relative to the plan file.  ``overrides`` maps a role
    (items, objects, inspectors, experts, calendar) to a file read instead
    (``verify`` reloads ``rounds/<id>/inputs/`` this way).
    """
    plan_path = Path(plan_path)
    overrides = dict(overrides or {})
    base = plan_path.resolve().parent.parent
    shown_plan = shown_path(plan_path)
    if not plan_path.exists():
        raise InputError(Problem("file_missing", {"path": str(plan_path)}, str(plan_path)))
    try:
        plan = load_plan(plan_path, shown_plan)
    except InputError as exc:  # a mistake in the plan never hides the registries' own problems
        raise InputError([*exc.problems, *_registries_of_broken_plan(plan_path, base)]) from None
    probs = ProblemList()
    files: dict[str, Path] = {"plan": plan_path.resolve()}
    paths: dict[str, Path | None] = {}
    for role in ROLES:
        if role in overrides and overrides[role] is not None:
            paths[role] = Path(overrides[role])
        else:
            rel = getattr(plan.registries, role)
            paths[role] = (plan_path.parent / rel) if rel else None
    # calendar: the plan's, else registries/calendar.yaml beside the objects registry, if present
    if paths["calendar"] is None and paths["objects"] is not None:
        guess = paths["objects"].parent / "calendar.yaml"
        if guess.exists():
            paths["calendar"] = guess

    # the workspace's own declarations beside the objects registry (copied to inputs/ with it)
    declared: dict[str, Any] = {"lists": {}, "columns": {}, "settings": {}}
    for role, loader in (("columns", load_columns), ("lists", load_lists), ("settings", load_settings)):
        p = overrides.get(role)
        if p is None and role not in overrides and paths["objects"] is not None:
            guess = paths["objects"].parent / WORKSPACE_FILES[role]
            p = guess if guess.is_file() else None
        if p is None or not Path(p).is_file():
            continue
        files[role] = Path(p).resolve()
        declared[role], found = loader(Path(p), _shown(Path(p), base))
        probs.extend(found)

    loaded: dict[str, Any] = {}
    for role in ("items", "objects", "inspectors", "experts"):
        p = paths[role]
        if p is None:
            loaded[role] = [] if role != "objects" else ObjectTable.from_records([])
            continue
        shown = _shown(p, base)
        if not p.exists():
            line = plan._lines.get(f"registries.{role}")
            probs.add("registry_missing", file=shown_plan, row=line, column=f"registries.{role}",
                      path=shown, role=role)
            loaded[role] = [] if role != "objects" else ObjectTable.from_records([])
            continue
        files[role] = p.resolve()
        loaded[role] = load_registry(role, p, shown, probs, declared["columns"], keep=filter_fields(plan))

    cal = WorkCalendar()
    cp = paths["calendar"]
    if cp is not None:
        cshown = _shown(cp, base)
        if not cp.exists():
            probs.add("registry_missing", file=shown_plan, row=plan._lines.get("registries.calendar"),
                      column="registries.calendar", path=cshown, role="calendar")
        else:
            files["calendar"] = cp.resolve()
            try:
                cal = load_calendar(cp, cshown)
            except InputError as exc:
                probs.extend(exc.problems)
    ws = Workspace(plan=plan, plan_path=plan_path.resolve(),
                   items=loaded["items"], objects=loaded["objects"],
                   inspectors=loaded["inspectors"], experts=loaded["experts"],
                   calendar=cal, files=files, lists=declared["lists"], settings=declared["settings"])
    return ws, probs.items
