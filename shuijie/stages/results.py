"""``shuijie results ROUND FILE.xlsx``: import the filled 结果录入表 (第十七、十九、二十六条).

Every row is validated and every problem is reported with its Excel row and
column: an object not drawn in this round, the same object twice, an
unreadable date, a date outside the inspection window without a 备注, an
outcome not in the list, 是否立案 = 是 without 立案号, a blank row between
filled rows, a formula, merged cells.  Only when the whole sheet is good are
the rows stored, through :func:`shuijie.store.rounds.add_files`:

* ``results.json``: ``{"plan_id", "results_date", "outcomes", "results":
  {object_id: {date, outcome, findings, filed, case_no, note, items}}}``;
  ``results_date`` is the latest actual check date, the day the results
  "arise" for the 20-working-day publication deadline (第十九条);
* ``results/import-NNN.json`` (what this import added or changed) and
  ``results/import-NNN.xlsx`` (the sheet as received): every import is kept.

Rows may be partial (objects not checked yet are left blank; ``status`` shows
what is missing).  An import that would change a stored result is refused
with the differences unless ``replace`` is set; re-importing the same results
stores nothing.
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
from typing import Any

from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.rules.deadlines import publish_by
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.text import json_bytes, yes_no
from shuijie.papers.entry_sheet import (
    H_CASE_NO,
    H_CODE,
    H_COMPLIANT,
    H_DATE,
    H_FILED,
    H_FINDINGS,
    H_ITEM_ID,
    H_NOTE,
    H_OUTCOME,
)
from shuijie.papers.rows import (
    COMPLIANCE,
    ENTRY_SHEET,
    ITEM_SHEET,
    RESULTS_JSON,
    drawn_rows,
    history_stem,
    next_history_number,
)
from shuijie.registries.outcomes import OutcomeList, load_outcomes
from shuijie.store.rounds import add_files, is_void, load_round

ENTRY_REQUIRED = (H_CODE, H_DATE, H_OUTCOME, H_FINDINGS, H_FILED, H_CASE_NO, H_NOTE)
ENTRY_FIELDS = (H_DATE, H_OUTCOME, H_FINDINGS, H_FILED, H_CASE_NO, H_NOTE)
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
    try:
        return data, load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InputError(Problem("results_xlsx_unreadable", {"path": shown, "error": type(exc).__name__},
                                 file=shown)) from None


def _read_sheet(sheet, shown: str, required: tuple[str, ...], problems: ProblemList,
                aliases: dict[str, tuple[str, ...]]) -> _Sheet | None:
    # The header is the first row (of the first ten) that names the code column.
    header_row = None
    columns: dict[str, int] = {}
    for r in range(1, min(sheet.max_row, 10) + 1):
        found: dict[str, int] = {}
        for c in range(1, sheet.max_column + 1):
            v = _text(sheet.cell(row=r, column=c).value)
            for key, names in aliases.items():
                if v in names and key not in found:
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
    for rng in sheet.merged_cells.ranges:
        if rng.max_row > header_row and any(rng.min_col <= c <= rng.max_col for c in columns.values()):
            problems.add("results_merged", file=shown, row=rng.min_row, sheet=sheet.title, cells=str(rng))
    for r in range(header_row + 1, sheet.max_row + 1):
        values: dict[str, Any] = {}
        for key, c in columns.items():
            cell = sheet.cell(row=r, column=c)
            v = cell.value
            if cell.data_type == "f" or (isinstance(v, str) and v.startswith("=") and cell.data_type != "s"):
                problems.add("results_formula", file=shown, row=r, column=key, sheet=sheet.title)
                v = FORMULA
            elif not isinstance(v, (str, int, float, dt.date, type(None))):
                # an array formula or some other object: not a value the clerk typed
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
                        outcomes: OutcomeList | None = None) -> dict[str, dict[str, Any]]:
    """Validate the filled sheet; returns object_id -> result, or raises InputError with every problem."""
    shown = xlsx_path.name
    outcomes = outcomes or load_outcomes(ws)
    _, wb = _open_workbook(xlsx_path, shown)
    problems = ProblemList()
    rows = drawn_rows(ws, record)
    drawn = {r.obj.id: r for r in rows}
    window = ws.plan.window

    sheet = wb[ENTRY_SHEET] if ENTRY_SHEET in wb.sheetnames else wb.worksheets[0]
    aliases = {h: (h,) for h in ENTRY_REQUIRED}
    aliases[H_CODE] = CODE_ALIASES
    main = _read_sheet(sheet, shown, ENTRY_REQUIRED, problems, aliases)
    results: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    main_values: dict[str, dict[str, Any]] = {}
    if main is not None:
        last_filled = max((r for r, v in main.rows if not _blank(v, main.columns)), default=0)
        for r, v in main.rows:
            if _blank(v, main.columns):
                if r < last_filled:
                    problems.add("results_blank_row", file=shown, row=r, sheet=main.name)
                continue
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
            entry = _validate_row(v, r, shown, code, outcomes, window, problems)
            if entry is not None:
                results[code] = entry

    # Sheet 2, when present: item by item.
    if ITEM_SHEET in wb.sheetnames:
        aliases2 = {H_CODE: CODE_ALIASES, H_ITEM_ID: (H_ITEM_ID,), H_COMPLIANT: (H_COMPLIANT,),
                    H_FINDINGS: (H_FINDINGS,)}
        items_sheet = _read_sheet(wb[ITEM_SHEET], shown, (H_CODE, H_ITEM_ID, H_COMPLIANT,
                                  H_FINDINGS), problems, aliases2)
        if items_sheet is not None:
            _read_items(items_sheet, shown, ws, drawn, results, main_values, problems)

    def place(p: Problem) -> tuple[int, int]:
        on_items = p.params.get("sheet") == ITEM_SHEET or (p.column or "").startswith(ITEM_SHEET)
        return (int(on_items), p.row or 0)

    problems.items.sort(key=place)  # stable: the clerk reads them top to bottom, sheet by sheet
    problems.raise_if_any()
    return results


def _validate_row(v: dict[str, Any], r: int, shown: str, code: str, outcomes: OutcomeList,
                  window, problems: ProblemList) -> dict[str, Any] | None:
    n_before = len(problems)
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
    outcome_text = _text(v[H_OUTCOME])
    outcome = None
    if H_OUTCOME in formulas:
        pass
    elif not outcome_text:
        problems.add("results_outcome_missing", file=shown, row=r, column=H_OUTCOME,
                     choices="；".join(outcomes.names))
    else:
        outcome = outcomes.find(outcome_text)
        if outcome is None:
            problems.add("results_outcome_unknown", file=shown, row=r, column=H_OUTCOME, value=outcome_text,
                         choices="；".join(outcomes.names))
    findings = _text(v[H_FINDINGS])
    if outcome is not None and outcome.problem and not findings and H_FINDINGS not in formulas:
        problems.add("results_findings_missing", file=shown, row=r, column=H_FINDINGS, outcome=outcome.name)
    filed = None if H_FILED in formulas else yes_no(_text(v[H_FILED]))
    if filed is None and H_FILED not in formulas:
        problems.add("results_filed_bad", file=shown, row=r, column=H_FILED, value=_text(v[H_FILED]))
    case_no = _text(v[H_CASE_NO])
    if filed is True and not case_no and H_CASE_NO not in formulas:
        problems.add("results_case_no_missing", file=shown, row=r, column=H_CASE_NO)
    if filed is False and case_no:
        problems.add("results_case_no_unfiled", file=shown, row=r, column=H_FILED, case_no=case_no)
    if n_before < 0 or len(problems) > n_before:
        return None
    return {"date": date.isoformat(), "outcome": outcome.name, "findings": findings, "filed": filed,
            "case_no": case_no, "note": note, "items": {}}


def _read_items(sheet: _Sheet, shown: str, ws, drawn, results, main_values, problems: ProblemList) -> None:
    last_filled = max((r for r, v in sheet.rows if not _blank(v, sheet.columns)), default=0)
    seen: dict[tuple[str, str], int] = {}
    for r, v in sheet.rows:
        if _blank(v, sheet.columns):
            if r < last_filled:
                problems.add("results_blank_row", file=shown, row=r, sheet=sheet.name)
            continue
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
        for key in ("date", "outcome", "findings", "filed", "case_no", "note", "items"):
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


def import_results(round_dir: Path, xlsx_path: Path, replace: bool = False) -> ImportResult:
    """Validate ``xlsx_path`` against the round and store its results (see module doc)."""
    round_dir = Path(round_dir)
    xlsx_path = Path(xlsx_path)
    check_round_open(round_dir)
    record, ws = load_round(round_dir)
    outcomes = load_outcomes(ws)
    new = parse_results_sheet(xlsx_path, ws, record, outcomes)
    drawn_ids = [r.obj.id for r in drawn_rows(ws, record)]

    stored = read_results(round_dir) or {"results": {}}
    old = stored.get("results", {})
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
    extra: dict[str, Any] = {"missing_names": [names.get(m, m) for m in missing]}
    if results_date:
        try:
            extra["publish_by"] = publish_by(ws.calendar, dt.date.fromisoformat(results_date)).isoformat()
        except InputError as exc:
            extra["problems"] = exc.problems
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
        "replace": replace,
        "added": added,
        "changed": changed,
        "rows": {k: new[k] for k in sorted(new)},
    }
    files = {RESULTS_JSON: _dumps(doc), f"{stem}.json": _dumps(history), f"{stem}.xlsx": data}
    add_files(round_dir, files)
    return ImportResult("stored", number, added, changed, len(merged), len(drawn_ids), missing,
                        results_date, sorted(files), **extra)
