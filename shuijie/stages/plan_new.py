"""Writing a plan (第十条) without knowing YAML: ``shuijie plan new`` and ``shuijie plan next``.

* :func:`ask_plan` walks the clerk through what a plan needs, with the values the workspace
  offers (items from the items registry, 区域 / 行业 … from the objects registry, units from the
  inspectors registry, specialties from the experts registry) and a proposed window: the earliest
  start that leaves 5 working days after the notice date (第十一条, :func:`earliest_start`).
  The questions go through an :class:`Asker` (the CLI's prompts; no terminal here).
* :func:`apply_sets` applies ``--set key=value`` (dotted keys; a stratum by index or name).
* :func:`write_plan` validates the shape, writes the commented YAML exclusively (never over an
  existing file) and returns what ``check`` still finds.
* :func:`shift_plan_data` / :func:`next_plan` move a plan to another quarter: new id and title,
  the window at the same working-day offset from the quarter's first working day and of the same
  length in working days, the notice date (and ``random_date`` when the plan has one) at the same
  working-day distance before the start, the 文号 and the approval cleared for the clerk to fill.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.models import Item, Plan
from shuijie.core.objects import ObjectTable
from shuijie.core.rules.deadlines import notify_by
from shuijie.registries.calendar_file import load_calendar
from shuijie.registries.check import check_plan, doc_no_problem
from shuijie.registries.load import _shown, load_plan, load_registry, shown_path
from shuijie.registries.plan_tools import (
    FILTER_FIELDS,
    dump_plan_yaml,
    parse_value,
    plan_data,
    plan_field,
    resolve_key,
)
from shuijie.registries.yamlsafe import load_yaml

QUARTER_ID = re.compile(r"(?P<year>\d{4})-Q(?P<q>[1-4])")
QUARTER_ZH = "一二三四"
# dates that keep their working-day distance before the window start when a plan moves
DATES_BEFORE_START = ("notice_date", "random_date")
WINDOW_WORKDAYS = 20  # proposed window length when there is none: four working weeks


# ---------------------------------------------------------------- the workspace's offers


@dataclass
class Choices:
    """What the workspace offers a new plan."""

    registries: dict[str, str]                      # role -> path relative to the plan's folder
    items: list[Item] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)  # object field -> distinct values
    units: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)


def find_registries(plan_path: Path) -> dict[str, str]:
    """The registry files beside a plan folder: ``../registries/<role>.yaml|xlsx|csv`` (relative paths)."""
    folder = plan_path.parent.parent / "registries"
    out: dict[str, str] = {}
    for role in ("items", "objects", "inspectors", "experts"):
        for ext in ("yaml", "xlsx", "csv"):
            if (folder / f"{role}.{ext}").is_file():
                out[role] = f"../registries/{role}.{ext}"
                break
    if (folder / "calendar.yaml").is_file():
        out["calendar"] = "../registries/calendar.yaml"
    return out


def plan_calendar(plan_path: Path, registries: dict[str, Any]) -> WorkCalendar:
    """The working-day calendar a plan uses (its ``registries.calendar``, else the one beside objects)."""
    rel = registries.get("calendar")
    if not rel and registries.get("objects"):
        guess = (plan_path.parent / registries["objects"]).parent / "calendar.yaml"
        if guess.exists():
            return load_calendar(guess, _shown(guess, plan_path.resolve().parent.parent))
    if not rel:
        return WorkCalendar()
    path = plan_path.parent / rel
    if not path.exists():
        return WorkCalendar()
    return load_calendar(path, _shown(path, plan_path.resolve().parent.parent))


def workspace_choices(plan_path: Path, registries: dict[str, str]) -> Choices:
    """Load the registries a new plan will name, for the values to offer; their problems raise (check them first)."""
    probs = ProblemList()
    base = plan_path.resolve().parent.parent
    loaded: dict[str, Any] = {}
    for role in ("items", "objects", "inspectors", "experts"):
        rel = registries.get(role)
        path = plan_path.parent / rel if rel else None
        loaded[role] = (load_registry(role, path, _shown(path, base), probs, keep=FILTER_FIELDS)
                        if path and path.is_file() else [])
    probs.raise_if_any()
    values: dict[str, list[str]] = {}
    objects = loaded["objects"] or ObjectTable.from_records([])
    for f in FILTER_FIELDS:
        vals = sorted(set(objects.column(f)) - {""})
        if vals and len(vals) <= 50:
            values[f] = vals
    return Choices(
        registries=registries,
        items=sorted(loaded["items"], key=lambda i: i.id),
        values=values,
        units=sorted({p.unit for p in loaded["inspectors"]}),
        specialties=sorted({s for e in loaded["experts"] for s in e.specialties}),
        calendar=plan_calendar(plan_path, registries),
    )


def earliest_start(cal: WorkCalendar, notice: dt.date) -> dt.date:
    """The first working day that leaves 5 working days after ``notice`` (第十一条, via :func:`notify_by`)."""
    start = notice + dt.timedelta(days=1)
    while not cal.is_workday(start) or notify_by(cal, start) < notice:
        start += dt.timedelta(days=1)
    return start


# ---------------------------------------------------------------- the questions


class Asker(Protocol):
    """How the questions reach the clerk.  ``key`` is a message key of the catalogue
    (``plan_ask_<name>``); ``parse`` turns the answer into a value or raises InputError
    (the asker shows the problem and asks again)."""

    def value(self, key: str, default: str, parse: Callable[[str], Any], **params: Any) -> Any: ...

    def choose(self, key: str, options: list[tuple[str, str]], default: list[str], *, multi: bool) -> list[str]: ...

    def confirm(self, key: str, default: bool, **params: Any) -> bool: ...


def _text(required: bool) -> Callable[[str], str]:
    def parse(s: str) -> str:
        s = s.strip()
        if required and not s:
            raise InputError(Problem("plan_answer_required", {}))
        return s
    return parse


def _date(optional: bool = False, cal: WorkCalendar | None = None) -> Callable[[str], dt.date | None]:
    def parse(s: str) -> dt.date | None:
        s = s.strip()
        if optional and not s:
            return None
        try:
            d = dt.date.fromisoformat(s)
        except ValueError:
            raise InputError(Problem("date_invalid", {"value": s}))
        if cal is not None and not cal.knows(d):
            raise InputError(Problem("date_unknown", {"date": d.isoformat(), "year": d.year,
                                                      "calendar": cal.source or "registries/calendar.yaml"}))
        return d
    return parse


def _int(optional: bool = False, low: int = 0) -> Callable[[str], int | None]:
    def parse(s: str) -> int | None:
        s = s.strip()
        if optional and not s:
            return None
        try:
            n = int(s)
        except ValueError:
            raise InputError(Problem("int_invalid", {"value": s}))
        if n < low:
            raise InputError(Problem("plan_answer_low", {"value": n, "low": low}))
        return n
    return parse


def _doc_no(s: str) -> str:
    s = s.strip()
    if s:
        bad = doc_no_problem(s)
        if bad is not None:
            raise InputError(Problem(bad[0], {"value": s, "suggestion": bad[1]}))
    return s


def _share(s: str) -> str | int:
    """A stratum's share: a decimal is a ratio (``0.2``), a whole number a count (``5``)."""
    s = s.strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"(0?\.\d+|1\.0*|0\.\d*)", s) and 0 < float(s) <= 1:
        return s
    raise InputError(Problem("plan_answer_share", {"value": s}))


def _list(s: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、,，;；]", s) if x.strip()]


def _iso(d: Any) -> str:
    return d.isoformat() if isinstance(d, dt.date) else ("" if d is None else str(d))


def ask_plan(data: dict[str, Any], choices: Choices, ask: Asker) -> dict[str, Any]:
    """Ask for every part of a plan, each with the current value of ``data`` as the default; returns the plan."""
    d = dict(data)
    d["id"] = ask.value("plan_ask_id", d.get("id", ""), _text(True))
    d["title"] = ask.value("plan_ask_title", d.get("title") or f"{d['id']}“双随机、一公开”抽查", _text(True))
    d["doc_no"] = ask.value("plan_ask_doc_no", d.get("doc_no", ""), _doc_no)
    d["unit"] = ask.value("plan_ask_unit", d.get("unit", ""), _text(True))
    d["approved_by"] = ask.value("plan_ask_approved_by", d.get("approved_by", ""), _text(False))
    d["approved_on"] = ask.value("plan_ask_approved_on", _iso(d.get("approved_on")), _date(optional=True))
    d["registries"] = dict(d.get("registries") or choices.registries)

    d["items"] = ask.choose("plan_ask_items", [(i.id, f"{i.id} {i.name}") for i in choices.items],
                            list(d.get("items") or []), multi=True)
    population: dict[str, list[str]] = {}
    old_pop = dict(d.get("population") or {})
    fields = ask.choose("plan_ask_population_fields", [(f, f) for f in choices.values], list(old_pop), multi=True)
    for f in fields:
        population[f] = ask.choose("plan_ask_values", [(v, v) for v in choices.values[f]], old_pop.get(f, []),
                                   multi=True)
    d["population"] = population
    d["strata"] = _ask_strata(list(d.get("strata") or []), choices, ask)
    d["cooldown"] = ask.value("plan_ask_cooldown", str(d.get("cooldown", 0)), _int())

    cal = choices.calendar
    today = dt.date.today()
    d["notice_date"] = ask.value("plan_ask_notice_date", _iso(d.get("notice_date") or today), _date(cal=cal))
    proposed = earliest_start(cal, d["notice_date"])
    window = dict(d.get("window") or {})
    old_start = window.get("start")
    start_default = old_start if isinstance(old_start, dt.date) and old_start >= proposed else proposed
    start = ask.value("plan_ask_window_start", start_default.isoformat(), _date(cal=cal),
                      earliest=proposed.isoformat())
    old_end = window.get("end")
    end_default = old_end if isinstance(old_end, dt.date) and old_end >= start \
        else cal.add_workdays(start, WINDOW_WORKDAYS - 1)
    end = ask.value("plan_ask_window_end", end_default.isoformat(), _date(cal=cal))
    d["window"] = {"start": start, "end": end}

    team = dict(d.get("team") or {})
    team["size"] = ask.value("plan_ask_team_size", str(team.get("size", 3)), _int(low=1))
    if not 2 <= team["size"] <= 5:
        team["size_reason"] = ask.value("plan_ask_size_reason", team.get("size_reason", ""), _text(True))
    team["min_qualified"] = ask.value("plan_ask_min_qualified", str(team.get("min_qualified", 2)), _int(low=2))
    team["max_per_day"] = ask.value("plan_ask_max_per_day", str(team.get("max_per_day", 1)), _int(low=1))
    team["max_per_round"] = ask.value("plan_ask_max_per_round", _iso(team.get("max_per_round")),
                                      _int(optional=True, low=1))
    d["team"] = {k: v for k, v in team.items() if v is not None}
    if len(choices.units) > 1:
        pool = dict(d.get("inspector_pool") or {})
        pool["units"] = ask.choose("plan_ask_pool_units", [(u, u) for u in choices.units],
                                   list(pool.get("units") or []), multi=True)
        d["inspector_pool"] = {k: v for k, v in pool.items() if v}

    experts = dict(d.get("experts") or {})
    experts["per_team"] = ask.value("plan_ask_experts_per_team", str(experts.get("per_team", 0)), _int())
    if experts["per_team"] > 0:
        experts["specialties"] = ask.choose("plan_ask_specialties", [(s, s) for s in choices.specialties],
                                            list(experts.get("specialties") or []), multi=True)
        experts["max_per_day"] = ask.value("plan_ask_max_per_day", str(experts.get("max_per_day", 1)), _int(low=1))
    d["experts"] = experts
    group = ask.choose("plan_ask_group_by", [("area", "area")],
                       [str((d.get("schedule") or {}).get("group_by"))] if (d.get("schedule") or {}).get("group_by")
                       else [], multi=True)
    d["schedule"] = {"group_by": group[0] if group else None}

    d["public_random_source"] = ask.value("plan_ask_random_source", d.get("public_random_source", ""), _text(True))
    if plan_field("random_date") is not None:
        d["random_date"] = ask.value("plan_ask_random_date", _iso(d.get("random_date")), _date(optional=True, cal=cal))
    d["materials"] = ask.value("plan_ask_materials", "、".join(d.get("materials") or []), _list)
    d["attendees"] = ask.value("plan_ask_attendees", "、".join(d.get("attendees") or []), _list)
    contact = dict(d.get("contact") or {})
    for k in ("name", "phone", "address"):
        contact[k] = ask.value(f"plan_ask_contact_{k}", contact.get(k, ""), _text(False))
    d["contact"] = contact
    d.setdefault("rounds_dir", "../rounds")
    return _ordered(d)


def _ask_strata(old: list[dict[str, Any]], choices: Choices, ask: Asker) -> list[dict[str, Any]]:
    if old and ask.confirm("plan_ask_keep_strata", True, strata="；".join(_stratum_text(s) for s in old)):
        return old
    out: list[dict[str, Any]] = []
    fields = list(choices.values)
    while True:
        n = len(out) + 1
        s: dict[str, Any] = {"name": ask.value("plan_ask_stratum_name", "", _text(True), n=n)}
        picked = ask.choose("plan_ask_stratum_field", [(f, f) for f in fields], [], multi=False)
        if picked:
            f = picked[0]
            s["where"] = {f: ask.choose("plan_ask_values", [(v, v) for v in choices.values[f]], [], multi=True)}
        share = ask.value("plan_ask_stratum_share", "", _share, name=s["name"])
        s["count" if isinstance(share, int) else "ratio"] = share
        out.append(s)
        if not picked or not ask.confirm("plan_ask_more_strata", True):
            return out


def _stratum_text(s: dict[str, Any]) -> str:
    where = "，".join(f"{k}={'/'.join(v)}" for k, v in (s.get("where") or {}).items()) or "其余全部"
    share = s.get("ratio") if s.get("ratio") is not None else f"{s.get('count')}户"
    return f"{s.get('name')}（{where}，{share}）"


def _ordered(d: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in Plan.model_fields if k in d] + [k for k in d if k not in Plan.model_fields]
    return {k: d[k] for k in keys}


# ---------------------------------------------------------------- --set key=value


def apply_sets(data: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    """``key=value`` pairs onto a copy of ``data``; a stratum is named by index (``strata.0.ratio``)
    or by name (``strata.高风险.ratio``).  A key the plan does not have raises InputError (all at once)."""
    out = _deep_copy(data)
    probs = ProblemList()
    for item in sets:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            probs.add("plan_set_syntax", value=item)
            continue
        if plan_field(key) is None:
            probs.add("plan_set_unknown", value=key)
            continue
        node: Any = out
        parts = key.split(".")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, list):
                idx = _list_index(node, part)
                if idx is None:
                    idx = len(node)
                    node.append({"name": part} if not part.isdigit() else {})
                if last:
                    node[idx] = parse_value(raw)
                node = node[idx]
            elif last:
                node[part] = _typed(key, raw)
            else:
                nxt = node.get(part)
                if not isinstance(nxt, (dict, list)):
                    f = plan_field(".".join(parts[: i + 1]))
                    nxt = [] if f is not None and typing.get_origin(f.annotation) is list else {}
                    node[part] = nxt
                node = nxt
    probs.raise_if_any()
    return out


def _typed(key: str, raw: str) -> Any:
    """A ``--set`` value for ``key``: text keys stay text (an id ``2026`` is not a number), lists and
    filter values accept 、-separated text, an empty value clears an optional key."""
    info, inside = resolve_key(key) or (None, False)
    ann = info.annotation if info is not None else None
    args = typing.get_args(ann)
    value = parse_value(raw)
    if inside or (typing.get_origin(ann) is list and args == (str,)):
        return _list(value) if isinstance(value, str) else [str(x) for x in value] if isinstance(value, list) else value
    if ann is str or key.endswith(".ratio"):
        return raw.strip()
    if raw.strip() == "" and type(None) in args:
        return None
    return value


def _list_index(node: list[Any], part: str) -> int | None:
    if part.isdigit():
        return int(part) if int(part) < len(node) else None
    for i, elem in enumerate(node):
        if isinstance(elem, dict) and elem.get("name") == part:
            return i
    return None


def _deep_copy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _deep_copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_deep_copy(x) for x in v]
    return v


def skeleton(plan_path: Path) -> dict[str, Any]:
    """The start of a plan without ``--from``: its id from the file name, the registries found beside it."""
    return _ordered({"id": plan_path.stem, "registries": find_registries(plan_path), "rounds_dir": "../rounds"})


def read_plan_data(plan_path: Path) -> dict[str, Any]:
    """An existing plan (validated for shape) as a plain mapping, for ``--from`` and ``plan next``."""
    plan = load_plan(plan_path, shown_path(plan_path))
    return _ordered(plan_data(plan))


# ---------------------------------------------------------------- writing


@dataclass
class Written:
    path: Path
    data: dict[str, Any]
    problems: list[Problem]                      # what ``check`` still finds in the written plan
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # key, old, new (plan next)


def write_plan(path: Path, data: dict[str, Any], header: tuple[str, ...] = ()) -> Written:
    """Write ``data`` as a commented plan at ``path``: never over an existing file (InputError),
    nothing written when its shape is wrong (InputError with every problem); then ``check`` it."""
    path = Path(path)
    shown = shown_path(path)
    if path.exists():
        raise InputError(Problem("plan_exists", {"path": shown}, shown))
    text = dump_plan_yaml(data, header)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".plan-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        load_plan(Path(tmp), shown)  # the shape, with the lines of the text about to be written
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise InputError(Problem("plan_exists", {"path": shown}, shown))
    finally:
        os.unlink(tmp)
    _, problems = check_plan(path)
    return Written(path, data, problems)


# ---------------------------------------------------------------- another quarter


def _workday_diff(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """Working days in (a, b] (negative when b < a): ``cal.add_workdays(a, n)`` lands on b when b is one."""
    if b >= a:
        return len(cal.workdays_between(a + dt.timedelta(days=1), b))
    return -len(cal.workdays_between(b + dt.timedelta(days=1), a))


def quarter_start(cal: WorkCalendar, year: int, q: int) -> dt.date:
    """The first working day of quarter ``q`` of ``year``."""
    d = dt.date(year, 3 * q - 2, 1)
    while not cal.is_workday(d):
        d += dt.timedelta(days=1)
    return d


def quarter_end(cal: WorkCalendar, year: int, q: int) -> dt.date:
    """The last working day of quarter ``q`` of ``year``."""
    d = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
    while not cal.is_workday(d):
        d -= dt.timedelta(days=1)
    return d


def plan_quarter(data: dict[str, Any]) -> tuple[int, int] | None:
    m = QUARTER_ID.search(str(data.get("id", "")))
    return (int(m.group("year")), int(m.group("q"))) if m else None


def shift_plan_data(data: dict[str, Any], cal: WorkCalendar, year: int, q: int
                    ) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """``data`` (a plan whose id names its quarter, ``2026-Q1-…``) moved to quarter ``q`` of ``year``.

    Returns the new plan and the changes (key, old, new).  A date the calendar does not know
    raises InputError ``date_unknown``: the year must be added to ``registries/calendar.yaml``."""
    here = plan_quarter(data)
    if here is None:
        raise InputError(Problem("plan_next_no_quarter", {"id": data.get("id", "")}, column="id"))
    y0, q0 = here
    out = _deep_copy(data)
    changes: list[tuple[str, str, str]] = []

    def change(key: str, new: Any) -> None:
        parts = key.split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        old = node.get(parts[-1])
        node[parts[-1]] = new
        if old != new:
            changes.append((key, _iso(old), _iso(new)))

    change("id", QUARTER_ID.sub(f"{year}-Q{q}", str(data["id"]), count=1))
    title = str(data.get("title", ""))
    title = title.replace(f"{y0}年", f"{year}年", 1).replace(f"第{QUARTER_ZH[q0 - 1]}季度", f"第{QUARTER_ZH[q - 1]}季度", 1)
    change("title", title)
    old_first, new_first = quarter_start(cal, y0, q0), quarter_start(cal, year, q)
    start, end = data["window"]["start"], data["window"]["end"]
    length = _workday_diff(cal, start, end)
    new_start = cal.add_workdays(new_first, _workday_diff(cal, old_first, start))
    new_end = cal.add_workdays(new_start, length)
    last = quarter_end(cal, year, q)
    if new_end > last:  # a quarter with more holidays: the same length, ending on its last working day
        new_end = last
        new_start = cal.add_workdays(last, -length)
    change("window.start", new_start)
    change("window.end", new_end)
    for key in DATES_BEFORE_START:
        if isinstance(data.get(key), dt.date):
            change(key, cal.add_workdays(new_start, -_workday_diff(cal, data[key], start)))
    change("doc_no", "")
    change("approved_by", "")
    change("approved_on", None)
    return _ordered(out), changes


def next_quarter(year: int, q: int) -> tuple[int, int]:
    return (year + 1, 1) if q == 4 else (year, q + 1)


def next_plan(src: Path, out: Path | None = None) -> Written:
    """Write the next quarter's plan from ``src`` (beside it, named by the new id, unless ``out``)."""
    src = Path(src)
    if not src.exists():
        raise InputError(Problem("file_missing", {"path": str(src)}, str(src)))
    data = read_plan_data(src)
    here = plan_quarter(data)
    if here is None:
        raise InputError(Problem("plan_next_no_quarter", {"id": data.get("id", "")}, shown_path(src),
                                 _line(src, "id"), "id"))
    cal = plan_calendar(src, data.get("registries") or {})
    try:
        new, changes = shift_plan_data(data, cal, *next_quarter(*here))
    except InputError as exc:
        raise InputError([Problem(p.code, p.params, p.file or shown_path(src), p.row or _line(src, "window"),
                                  p.column or "window") for p in exc.problems])
    target = Path(out) if out is not None else src.parent / f"{new['id']}.yaml"
    header = (f"# 由 shuijie plan next 从 {src.name} 生成：请填写 doc_no（文号），"
              "经批准后填写 approved_by、approved_on（第十条）。",)
    written = write_plan(target, new, header)
    written.changes = changes
    return written


def _line(path: Path, key: str) -> int | None:
    data = load_yaml(path, str(path))
    return data.line_of(key) if hasattr(data, "line_of") else None
