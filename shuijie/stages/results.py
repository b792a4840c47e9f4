"""``shuijie results ROUND [FILE.xlsx]``: import the filled 结果录入表 (第十七、十九、二十六条).

Without FILE the round's working copy ``结果录入表.xlsx`` is read (the clerk fills
it where it lies; it is not sealed by the manifest, see :mod:`shuijie.store.rounds`).

Every row is validated and every problem is reported with its Excel row and
column: an object not drawn in this round, the same object twice, an
unreadable date, a date outside the inspection window without a 备注, an
outcome not in the list (other known spellings are normalised, with a
warning), 未发现问题 beside a problem outcome, a 不符合 item under an object
whose only outcome is 未发现问题, an unknown 核查方式 or inspector, 是否立案 = 是
without 立案号, 是否完结 = 是 without 完结日期, a blank row between filled rows,
a formula, merged cells.  Only when the whole sheet is good are
the rows stored, through :func:`shuijie.store.rounds.add_files`:

* ``results.json``: ``{"plan_id", "results_date", "outcomes", "results":
  {object_id: {date, outcomes, findings, methods, inspectors, filed, case_no, followup,
  closed, closed_on, note, items}}}`` (``outcomes`` a list: the national system records
  several per object; ``inspectors`` ids of who actually went);
  ``results_date`` is the latest actual check date, the day the results
  "arise" for the 20-working-day publication deadline (第十九条);
* ``results/import-NNN.json`` (what this import added or changed, the SHA-256 of the
  file read, who imported it and when) and
  ``results/import-NNN.xlsx`` (the sheet as received): every import is kept.

Rows may be partial (objects not checked yet are left blank; ``status`` shows
what is missing).  An import that would change a stored result is refused
with the differences unless ``replace`` is set; re-importing the same results
stores nothing.  Stored results wait for review (:mod:`shuijie.stages.review`)
before they can be published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.rules.deadlines import publish_by
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.text import json_bytes, yes_no
from shuijie.core.workspace import Workspace
from shuijie.papers.entry_sheet import (
    ENTRY_FILL,
    H_CASE_NO,
    H_CLOSED,
    H_CLOSED_ON,
    H_CODE,
    H_COMPLIANT,
    H_DATE,
    H_FILED,
    H_FINDINGS,
    H_FOLLOWUP,
    H_INSPECTORS,
    H_ITEM_ID,
    H_METHODS,
    H_NOTE,
    H_OUTCOME,
    OUTCOME_COLUMNS,
)
from shuijie.papers.rows import (
    COMPLIANCE,
    ENTRY_FILE,
    ENTRY_SHEET,
    ITEM_SHEET,
    RESULTS_JSON,
    drawn_rows,
    history_stem,
    next_history_number,
)
from shuijie.registries.cells import SheetCells, sheet_cells
from shuijie.registries.outcomes import (
    CHECK_METHODS,
    METHOD_SEPARATORS,
    NO_PROBLEM,
    OUTCOME_SEPARATORS,
    OutcomeList,
    find_method,
    load_outcomes,
)
from shuijie.store.rounds import add_files, is_void, load_round

ENTRY_REQUIRED = (H_CODE, H_DATE, H_OUTCOME, H_FINDINGS, H_FILED, H_CASE_NO, H_NOTE)
# Columns a sheet of an older layout may lack (read when present).
ENTRY_OPTIONAL = tuple(h for h in ENTRY_FILL if h not in ENTRY_REQUIRED)
# A row with all of these blank is "not checked yet" (实际检查人员 comes pre-filled).
ENTRY_FIELDS = tuple(h for h in ENTRY_FILL if h != H_INSPECTORS)
RESULT_KEYS = ("date", "outcomes", "findings", "methods", "inspectors", "filed", "case_no", "followup",
               "closed", "closed_on", "note", "items")
PEOPLE_SEPARATORS = re.compile(r"[、，,；;/／\s]+")
CODE_ALIASES = (H_CODE, "统一社会信用代码（身份证号码）", "统一社会信用代码(身份证号码)", "代码")

_DATE_TEXT = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value: Any) -> dt.date | None:
    """A date the clerk typed as a date cell or as text; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 19000101 <= value <= 29991231:
        value = str(value)
    if isinstance(value, str):
        text = value.strip().replace("－", "-").replace("／", "/").replace("．", ".")
        for rx in _DATE_TEXT:
            m = rx.match(text)
            if m:
                try:
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
    return None


class _Formula:
    """A cell that held a formula (already reported); its value is unknown."""

    def __str__(self) -> str:
        return "="


FORMULA = _Formula()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class _Sheet:
    name: str
    header_row: int
    columns: dict[str, int]            # header -> 1-based column
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # excel row -> values


def _open_workbook(path: Path, shown: str):
    from openpyxl import load_workbook

    if not path.is_file():
        raise InputError(Problem("file_missing", {"path": shown}))
    data = path.read_bytes()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE: .xls or an encrypted .xlsx
        raise InputError(Problem("results_xlsx_unreadable", {"path": shown}, file=shown))
    try:  # read-only: the cells as they stream by (10,000 rows: a third of the time, a fraction of the memory)
        return data, load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InputError(Problem("results_xlsx_unreadable", {"path": shown, "error": type(exc).__name__},
                                 file=shown)) from None


def _read_sheet(sheet, cells: SheetCells, shown: str, required: tuple[str, ...], problems: ProblemList,
                aliases: dict[str, tuple[str, ...]]) -> _Sheet | None:
    """The rows under the header; ``cells`` (:func:`shuijie.registries.cells.sheet_cells`, the
    same definition the registries use) names the formula cells and merged ranges to refuse."""
    sheet.reset_dimensions()  # read-only openpyxl would cut the rows at a stated size that is wrong
    grid = [tuple(row) for row in sheet.iter_rows(values_only=True)]  # row r at grid[r - 1]

    def value(r: int, c: int) -> Any:
        row = grid[r - 1]
        return row[c - 1] if c <= len(row) else None

    # The header is the first row (of the first ten) that names the code column.
    header_row = None
    columns: dict[str, int] = {}
    for r in range(1, min(len(grid), 10) + 1):
        found: dict[str, int] = {}
        for c in range(1, len(grid[r - 1]) + 1):
            head = _text(value(r, c))
            for key, names in aliases.items():
                if head in names and key not in found:
                    found[key] = c
        if H_CODE in found:
            header_row, columns = r, found
            break
    if header_row is None:
        problems.add("results_header_missing", file=shown, column=H_CODE, sheet=sheet.title,
                     header=H_CODE)
        return None
    missing = [h for h in required if h not in columns]
    for h in missing:
        problems.add("results_header_missing", file=shown, row=header_row, column=h,
                     sheet=sheet.title, header=h)
    if missing:
        return None
    out = _Sheet(sheet.title, header_row, columns)
    for rng in cells.merged:
        if rng.max_row > header_row and any(rng.covers_col(c) for c in columns.values()):
            problems.add("results_merged", file=shown, row=rng.min_row, sheet=sheet.title, cells=rng.ref)
    formulas = {(f.row, f.col) for f in cells.formulas}
    for r in range(header_row + 1, len(grid) + 1):
        values: dict[str, Any] = {}
        for key, c in columns.items():
            v: Any = value(r, c)
            if (r, c) in formulas:  # a formula, shared or array formula: not a value the clerk typed
                problems.add("results_formula", file=shown, row=r, column=key, sheet=sheet.title)
                v = FORMULA
            values[key] = v
        out.rows.append((r, values))
    return out


def _blank(values: dict[str, Any], keys) -> bool:
    return all(_text(values.get(k)) == "" for k in keys)


@dataclass
class ImportResult:
    status: str                       # "stored", "unchanged"
    number: int | None                # import number when stored
    added: list[str]
    changed: list[dict[str, Any]]     # {object_id, field, before, after}
    stored: int                       # objects with results after the import
    drawn: int
    missing: list[str]                # drawn objects still without results
    results_date: str | None
    files: list[str]
    missing_names: list[str] = field(default_factory=list)
    publish_by: str | None = None
    problems: list[Problem] = field(default_factory=list)  # e.g. a date the calendar does not know

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("problems")
        return d


def parse_results_sheet(xlsx_path: Path, ws, record: dict[str, Any],
                        outcomes: OutcomeList | None = None,
                        warnings: list[Problem] | None = None) -> dict[str, dict[str, Any]]:
    """Validate the filled sheet; returns object_id -> result, or raises InputError with every problem.

    Notes that do not stop the import (an outcome or 核查方式 in another spelling, normalised)
    are appended to ``warnings``."""
    shown = xlsx_path.name
    outcomes = outcomes or load_outcomes(ws)
    data, wb = _open_workbook(xlsx_path, shown)
    problems = ProblemList()
    rows = drawn_rows(ws, record)
    drawn = {r.obj.id: r for r in rows}
    window = ws.plan.window

    sheet = wb[ENTRY_SHEET] if ENTRY_SHEET in wb.sheetnames else wb.worksheets[0]
    aliases: dict[str, tuple[str, ...]] = {h: (h,) for h in ENTRY_REQUIRED + ENTRY_OPTIONAL}
    aliases[H_CODE] = CODE_ALIASES
    main = _read_sheet(sheet, sheet_cells(data, sheet.title), shown, ENTRY_REQUIRED, problems, aliases)
    results: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    main_values: dict[str, dict[str, Any]] = {}
    if main is not None:
        people = _People(ws)
        for r, v in _filled_rows(main, shown, problems):
            code = _text(v[H_CODE]).upper()
            if not code:
                problems.add("results_code_missing", file=shown, row=r, column=H_CODE)
                continue
            if code not in drawn:
                problems.add("results_unknown_object", file=shown, row=r, column=H_CODE, oid=code,
                             plan_id=ws.plan.id)
                continue
            if code in first_row:
                problems.add("results_duplicate_object", file=shown, row=r, column=H_CODE, oid=code,
                             first=first_row[code])
                continue
            first_row[code] = r
            main_values[code] = v
            if _blank(v, ENTRY_FIELDS):
                continue  # not checked yet: partial import
            entry = _validate_row(v, r, shown, code, outcomes, window, problems, people, drawn[code])
            if entry is not None:
                results[code] = entry

    # Sheet 2, when present: item by item.
    if ITEM_SHEET in wb.sheetnames:
        aliases2 = {H_CODE: CODE_ALIASES, H_ITEM_ID: (H_ITEM_ID,), H_COMPLIANT: (H_COMPLIANT,),
                    H_FINDINGS: (H_FINDINGS,)}
        items_sheet = _read_sheet(wb[ITEM_SHEET], sheet_cells(data, ITEM_SHEET), shown,
                                  (H_CODE, H_ITEM_ID, H_COMPLIANT, H_FINDINGS), problems, aliases2)
        if items_sheet is not None:
            _read_items(items_sheet, shown, ws, drawn, results, main_values, problems, first_row)

    def place(p: Problem) -> tuple[int, int]:
        on_items = p.params.get("sheet") == ITEM_SHEET or (p.column or "").startswith(ITEM_SHEET)
        return (int(on_items), p.row or 0)

    problems.items.sort(key=place)  # stable: the clerk reads them top to bottom, sheet by sheet
    problems.raise_if_any()
    if warnings is not None:
        warnings.extend(problems.warnings)
    return results


def _validate_row(v: dict[str, Any], r: int, shown: str, code: str, outcomes: OutcomeList,
                  window, problems: ProblemList, people: _People, drawn_row) -> dict[str, Any] | None:
    n_before = len(problems.errors)
    formulas = {k for k, x in v.items() if x is FORMULA}
    if formulas:  # reported already; check the other cells, then drop the row
        v = {k: (None if x is FORMULA else x) for k, x in v.items()}
        n_before = -1
    raw_date = v[H_DATE]
    note = _text(v[H_NOTE])
    date = None
    if H_DATE in formulas:
        pass
    elif _text(raw_date) == "":
        problems.add("results_date_missing", file=shown, row=r, column=H_DATE)
    else:
        date = parse_date(raw_date)
        if date is None:
            problems.add("results_date_bad", file=shown, row=r, column=H_DATE, value=_text(raw_date))
        elif not (window.start <= date <= window.end) and not note:
            problems.add("results_date_outside", file=shown, row=r, column=H_DATE, date=date.isoformat(),
                         start=window.start.isoformat(), end=window.end.isoformat())
    found = _outcomes(v, r, shown, outcomes, problems, formulas)
    findings = _text(v[H_FINDINGS])
    problem_outcome = next((o for o in found if o.problem), None)
    if problem_outcome is not None and not findings and H_FINDINGS not in formulas:
        problems.add("results_findings_missing", file=shown, row=r, column=H_FINDINGS,
                     outcome=problem_outcome.name)
    methods = _methods(_text(v.get(H_METHODS)), r, shown, problems)
    inspectors = _inspectors(_text(v.get(H_INSPECTORS)), r, shown, problems, people, drawn_row)
    filed = None if H_FILED in formulas else yes_no(_text(v[H_FILED]))
    if filed is None and H_FILED not in formulas:
        problems.add("results_filed_bad", file=shown, row=r, column=H_FILED, value=_text(v[H_FILED]))
    case_no = _text(v[H_CASE_NO])
    if filed is True and not case_no and H_CASE_NO not in formulas:
        problems.add("results_case_no_missing", file=shown, row=r, column=H_CASE_NO)
    if filed is False and case_no:
        problems.add("results_case_no_unfiled", file=shown, row=r, column=H_FILED, case_no=case_no)
    followup = _text(v.get(H_FOLLOWUP))
    closed_text = _text(v.get(H_CLOSED))
    closed = yes_no(closed_text) if closed_text else None
    if closed_text and closed is None:
        problems.add("results_closed_bad", file=shown, row=r, column=H_CLOSED, value=closed_text)
    closed_on = None
    raw_closed_on = v.get(H_CLOSED_ON)
    if _text(raw_closed_on):
        closed_on = parse_date(raw_closed_on)
        if closed_on is None:
            problems.add("results_date_bad", file=shown, row=r, column=H_CLOSED_ON, value=_text(raw_closed_on))
        elif date is not None and closed_on < date:
            problems.add("results_closed_before_check", file=shown, row=r, column=H_CLOSED_ON,
                         closed_on=closed_on.isoformat(), date=date.isoformat())
        if closed is not True and closed_on is not None:
            problems.add("results_closed_date_not_closed", file=shown, row=r, column=H_CLOSED_ON,
                         closed_on=closed_on.isoformat())
    elif closed is True and H_CLOSED_ON not in formulas:
        problems.add("results_closed_date_missing", file=shown, row=r, column=H_CLOSED_ON)
    if n_before < 0 or len(problems.errors) > n_before or date is None:  # no date: a problem above
        return None
    return {"date": date.isoformat(), "outcomes": [o.name for o in found], "findings": findings,
            "methods": methods, "inspectors": inspectors, "filed": filed, "case_no": case_no,
            "followup": followup, "closed": closed, "closed_on": closed_on.isoformat() if closed_on else None,
            "note": note, "items": {}}


def _outcomes(v: dict[str, Any], r: int, shown: str, outcomes: OutcomeList, problems: ProblemList,
              formulas: set[str]) -> list:
    """The outcomes of a row, from its outcome columns (several in one cell separated by ；),
    in the order of the outcome list; reports unknown ones, 未发现问题 beside a problem, none."""
    choices = "；".join(outcomes.names)
    found: dict[str, Any] = {}
    for column in OUTCOME_COLUMNS:
        if column in formulas:
            return []
        for text in OUTCOME_SEPARATORS.split(_text(v.get(column))):
            text = text.strip()
            if not text:
                continue
            o = outcomes.find(text)
            if o is None:
                problems.add("results_outcome_unknown", file=shown, row=r, column=column, value=text,
                             choices=choices)
                continue
            if o.name != text:
                problems.warn("results_outcome_normalised", file=shown, row=r, column=column, value=text,
                              name=o.name)
            found[o.name] = o
    if not found:
        if not any(_text(v.get(c)) for c in OUTCOME_COLUMNS):
            problems.add("results_outcome_missing", file=shown, row=r, column=H_OUTCOME, choices=choices)
        return []
    chosen = [o for o in outcomes.outcomes if o.name in found]
    if NO_PROBLEM in found:
        clash = [o.name for o in chosen if o.problem]
        if clash:
            problems.add("results_outcome_mixed", file=shown, row=r, column=H_OUTCOME, none=NO_PROBLEM,
                         others="、".join(clash))
    return chosen


def _methods(text: str, r: int, shown: str, problems: ProblemList) -> list[str]:
    out: list[str] = []
    for part in METHOD_SEPARATORS.split(text):
        if not part:
            continue
        method, normalised = find_method(part)
        if method is None:
            problems.add("results_method_unknown", file=shown, row=r, column=H_METHODS, value=part,
                         choices="、".join(CHECK_METHODS))
            continue
        if normalised:
            problems.warn("results_method_normalised", file=shown, row=r, column=H_METHODS, value=part,
                          name=method)
        if method not in out:
            out.append(method)
    return out


class _People:
    """The inspectors by id and by name, made once for a sheet (a row looks its names up)."""

    def __init__(self, ws: Workspace) -> None:
        self.by_name: dict[str, list[str]] = {}
        for p in ws.inspectors:
            self.by_name.setdefault(p.name, []).append(p.id)
        self.ids = {p.id for p in ws.inspectors}


def _inspectors(text: str, r: int, shown: str, problems: ProblemList, people: _People, drawn_row) -> list[str]:
    """实际检查人员 → inspector ids (names as the sheet shows them, or ids); the drawn team
    when the cell is blank."""
    if not text:
        return list(drawn_row.inspectors)
    by_name, ids = people.by_name, people.ids
    out: list[str] = []
    for part in PEOPLE_SEPARATORS.split(text):
        part = part.replace("（组长）", "").replace("(组长)", "").strip()
        if not part:
            continue
        if part in ids:
            pid = part
        elif len(by_name.get(part, [])) == 1:
            pid = by_name[part][0]
        elif part in by_name:  # two inspectors of that name: the one in the drawn team, if any
            in_team = [i for i in by_name[part] if i in drawn_row.inspectors]
            if len(in_team) != 1:
                problems.add("results_inspector_ambiguous", file=shown, row=r, column=H_INSPECTORS, name=part)
                continue
            pid = in_team[0]
        else:
            problems.add("results_inspector_unknown", file=shown, row=r, column=H_INSPECTORS, name=part)
            continue
        if pid not in out:
            out.append(pid)
    return out


def _filled_rows(sheet: _Sheet, shown: str, problems: ProblemList) -> Iterator[tuple[int, dict[str, Any]]]:
    """The sheet's filled rows; a blank row between filled ones is a problem (trailing ones are not)."""
    last_filled = max((r for r, v in sheet.rows if not _blank(v, sheet.columns)), default=0)
    for r, v in sheet.rows:
        if _blank(v, sheet.columns):
            if r < last_filled:
                problems.add("results_blank_row", file=shown, row=r, sheet=sheet.name)
            continue
        yield r, v


def _read_items(sheet: _Sheet, shown: str, ws, drawn, results, main_values, problems: ProblemList,
                main_rows: dict[str, int]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for r, v in _filled_rows(sheet, shown, problems):
        code = _text(v[H_CODE]).upper()
        if code not in drawn:
            problems.add("results_unknown_object", file=shown, row=r, column=f"{sheet.name}·{H_CODE}",
                         oid=code, plan_id=ws.plan.id)
            continue
        item_id = _text(v[H_ITEM_ID])
        applicable = {i.id for i in items_for_object(ws, drawn[code].obj)}
        if item_id not in applicable:
            problems.add("results_item_unknown", file=shown, row=r, column=f"{sheet.name}·{H_ITEM_ID}",
                         item=item_id, oid=code)
            continue
        if (code, item_id) in seen:
            problems.add("results_item_duplicate", file=shown, row=r, column=f"{sheet.name}·{H_ITEM_ID}",
                         item=item_id, first=seen[(code, item_id)])
            continue
        seen[(code, item_id)] = r
        compliant = _text(v[H_COMPLIANT])
        findings = _text(v[H_FINDINGS])
        if not compliant and not findings:
            continue
        if compliant not in COMPLIANCE:
            problems.add("results_compliance_bad", file=shown, row=r, column=f"{sheet.name}·{H_COMPLIANT}",
                         value=compliant, choices="、".join(COMPLIANCE))
            continue
        if code not in results:
            if code in main_values and not _blank(main_values[code], ENTRY_FIELDS):
                continue  # its sheet-1 row has problems already reported
            if code not in main_values and problems:
                continue  # its sheet-1 row is missing, most likely a mistyped code already reported
            problems.add("results_item_without_result", file=shown, row=r,
                         column=f"{sheet.name}·{H_CODE}", oid=code)
            continue
        if compliant == "不符合" and results[code]["outcomes"] == [NO_PROBLEM]:
            problems.add("results_item_contradicts", file=shown, row=r, column=f"{sheet.name}·{H_COMPLIANT}",
                         item=item_id, oid=code, outcome=NO_PROBLEM, main_row=main_rows.get(code, "?"))
            continue
        results[code]["items"][item_id] = {"compliant": compliant, "findings": findings}


# ------------------------------------------------------------------- storing


def _dumps(data: Any) -> bytes:
    return json_bytes(data, sort_keys=True)


def read_results(round_dir: Path) -> dict[str, Any] | None:
    path = Path(round_dir) / RESULTS_JSON
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    added, changed = [], []
    for oid in sorted(new):
        if oid not in old:
            added.append(oid)
            continue
        for key in RESULT_KEYS:
            if old[oid].get(key) != new[oid].get(key):
                changed.append({"object_id": oid, "field": key, "before": old[oid].get(key),
                                "after": new[oid].get(key)})
    return added, changed


def check_round_open(round_dir: Path) -> None:
    """Refuse a voided round or a folder that is not a drawn round."""
    shown = str(round_dir)
    if not (Path(round_dir) / "draw.json").is_file():
        raise InputError(Problem("round_not_drawn", {"path": shown}, file=shown))
    if is_void(Path(round_dir)):
        raise InputError(Problem("round_void", {"path": shown}, file=shown))


def import_results(round_dir: Path, xlsx_path: Path | None = None, replace: bool = False,
                   by: str = "", date: dt.date | None = None) -> ImportResult:
    """Validate ``xlsx_path`` against the round and store its results (see module doc).

    Without ``xlsx_path`` the round's working copy ``结果录入表.xlsx`` is read; a path is
    taken as given (relative to the current folder, as the clerk typed it).  ``by`` and
    ``date`` (default today) are recorded in the import's history file."""
    round_dir = Path(round_dir)
    check_round_open(round_dir)
    if xlsx_path is None:
        xlsx_path = round_dir / ENTRY_FILE
    xlsx_path = Path(xlsx_path)
    if not xlsx_path.is_file() and (round_dir / xlsx_path.name).is_file() and not xlsx_path.is_absolute():
        raise InputError(Problem("results_file_in_round", {"path": str(xlsx_path), "round": str(round_dir),
                                                           "name": xlsx_path.name}, file=str(xlsx_path)))
    record, ws = load_round(round_dir)
    outcomes = load_outcomes(ws)
    warnings: list[Problem] = []
    new = parse_results_sheet(xlsx_path, ws, record, outcomes, warnings)
    drawn_ids = [r.obj.id for r in drawn_rows(ws, record)]

    stored = read_results(round_dir) or {"results": {}}
    old = stored.get("results", {})
    if not new and not old:  # nothing filled in yet: say so, rather than "unchanged"
        raise InputError(Problem("results_sheet_empty", {"path": str(xlsx_path)}, file=str(xlsx_path)))
    added, changed = _diff(old, new)
    order = {oid: i for i, oid in enumerate(drawn_ids)}
    added.sort(key=lambda oid: order.get(oid, len(order)))
    changed.sort(key=lambda c: order.get(c["object_id"], len(order)))
    if changed and not replace:
        raise InputError([Problem("results_would_change", {"object_id": c["object_id"], "field": c["field"],
                                                           "before": c["before"], "after": c["after"]},
                                  file=xlsx_path.name) for c in changed])
    merged = dict(old)
    merged.update(new)
    missing = [oid for oid in drawn_ids if oid not in merged]
    results_date = max((v["date"] for v in merged.values()), default=None)
    names = {r.obj.id: r.obj.name for r in drawn_rows(ws, record)}
    extra: dict[str, Any] = {"missing_names": [names.get(m, m) for m in missing], "problems": list(warnings)}
    if results_date:
        try:
            extra["publish_by"] = publish_by(ws.calendar, dt.date.fromisoformat(results_date)).isoformat()
        except InputError as exc:
            extra["problems"] += exc.problems
    if not added and not changed:
        return ImportResult("unchanged", None, [], [], len(merged), len(drawn_ids), missing,
                            results_date, [], **extra)

    number = next_history_number(round_dir, "import")
    stem = history_stem("import", number)
    data = xlsx_path.read_bytes()
    doc = {
        "plan_id": ws.plan.id,
        "results_date": results_date,
        "outcomes": outcomes.names,
        "results": {k: merged[k] for k in sorted(merged)},
        "imports": sorted(set(stored.get("imports", [])) | {f"{stem}.json"}),
    }
    history = {
        "number": number,
        "source_name": xlsx_path.name,
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "source_copy": f"{stem}.xlsx",
        "by": by,
        "date": (date or dt.date.today()).isoformat(),
        "replace": replace,
        "added": added,
        "changed": changed,
        "rows": {k: new[k] for k in sorted(new)},
    }
    files = {RESULTS_JSON: _dumps(doc), f"{stem}.json": _dumps(history), f"{stem}.xlsx": data}
    add_files(round_dir, files)
    return ImportResult("stored", number, added, changed, len(merged), len(drawn_ids), missing,
                        results_date, sorted(files), **extra)
