"""Workspace → the five snapshot files of DRAW-SPEC §2, deterministically.

The snapshot is all the draw may depend on.  The same content always gives the
same bytes: rows are sorted by their id columns in UTF-8 byte order, lists are
sorted and ``;``-joined, ``parameters.json`` has sorted keys; nothing depends
on registry row order, YAML key order or the clock.

* Population: every object passing the plan's ``population`` filters (field →
  accepted values), minus the cool-down exclusions (objects drawn in other,
  non-void rounds under the same ``rounds/`` for a date on or after
  ``window.start`` minus ``cooldown`` months), each assigned to the first
  stratum whose ``where`` matches (第二十五条; an empty ``where`` is the
  default stratum).  Objects matching no stratum are left out and counted.
* Inspectors: active inspectors of the plan's pool (``inspector_pool.units`` /
  ``ids``: a person is in the pool when their unit or their id is listed; both
  empty: every active inspector).  ``areas`` is ``*`` for an empty list
  (局机关, anywhere) else the ``;``-joined areas (第九条, 二级机构).
* Experts: active experts (第十二条).
* Conflicts: every recusal (第十五条) of a pool inspector or an active expert
  whose object is in the population, one row per (person, object, reason).
* ``working_days``: the working days of the plan's window.

Snapshot CSVs are unquoted: a field that holds ``,`` ``"`` ``;`` or a line break
is refused here (with the record's file and row), so that any reader can split
lines on ``\\n`` and fields on ``,`` (see docs/draw-algorithm.md).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import json
from array import array
from functools import partial
from itertools import compress, islice
from operator import add, and_, eq, gt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from shuijie.core.draw import CSV_HEADERS, FORBIDDEN_CHARS, SNAPSHOT_FILES
from shuijie.core.errors import InputError, Problem, ProblemList
from shuijie.core.rules import (
    areas,
    items,
    population,
    qualification,
    recusal,
    status,
    strata,
)
from shuijie.core.rules import pool as rules_pool
from shuijie.core.rules.population import nfc
from shuijie.core.text import json_bytes, u8
from shuijie.core.workspace import Workspace


@dataclass
class Snapshot:
    files: dict[str, bytes]
    unmatched: int
    cooldown_excluded: list[dict[str, str]]
    counts: dict[str, int] = field(default_factory=dict)
    # who the rules left out, for the record and 抽取记录: objects by 登记状态 (第八条) and
    # inspectors by certificate or 执法门类 (第九条), as {"object_id"} / {"person_id", "reason"}
    status_excluded: list[str] = field(default_factory=list)
    inspectors_left_out: list[dict[str, str]] = field(default_factory=list)


def months_before(d: dt.date, months: int) -> dt.date:
    """``d`` minus ``months`` calendar months, the day clamped to the month's end."""
    y, m = divmod(d.year * 12 + (d.month - 1) - months, 12)
    m += 1
    return dt.date(y, m, min(d.day, _cal.monthrange(y, m)[1]))


def csv_bytes(name: str, rows: Iterable[tuple[str, ...]]) -> bytes:
    header = CSV_HEADERS[name]
    lines = [",".join(header)]
    lines.extend(",".join(r) for r in sorted(set(rows), key=lambda r: tuple(u8(c) for c in r)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def parameters_bytes(params: dict[str, Any]) -> bytes:
    return json_bytes(params, sort_keys=True)


class _Checker:
    """Refuses values that would break the unquoted snapshot CSVs, naming the record's place."""

    def __init__(self) -> None:
        self.problems = ProblemList()

    def __call__(self, value: str, record: Any = None, column: str | None = None,
                 file: str | None = None, row: int | None = None) -> str:
        value = nfc(value)
        if any(c in value for c in FORBIDDEN_CHARS):
            src = getattr(record, "src", None)
            if src is not None:
                file, row = src.file, src.row
                column = src.column(column) if column else None
            self.problems.add("snapshot_bad_char", file=file, row=row, column=column, value=value)
        return value


def cooldown_from_rounds(ws: Workspace, candidates: Iterable[str]) -> list[dict[str, str]]:
    """Objects among ``candidates`` drawn by other, non-void rounds within the plan's cool-down."""
    plan = ws.plan
    if plan.cooldown <= 0:
        return []
    rounds_dir = ws.rounds_dir
    if not rounds_dir.is_dir():
        return []
    cutoff = months_before(plan.window.start, plan.cooldown).isoformat()
    found: set[tuple[str, str, str]] = set()
    for rd in sorted(rounds_dir.iterdir(), key=lambda p: u8(p.name)):
        if rd.name.startswith(".") or rd.name == plan.id or not rd.is_dir():
            continue
        rec_path = rd / "draw.json"
        if not rec_path.is_file() or (rd / "void.json").exists():
            continue
        try:
            rec = json.loads(rec_path.read_text("utf-8"))
            selected = [(s["object_id"], s["date"]) for s in rec["selected"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(Problem("cooldown_round_unreadable", {"round": rd.name, "error": str(exc)},
                                     str(rec_path))) from None
        for oid, date in selected:
            if isinstance(date, str) and date >= cutoff:
                found.add((oid, rd.name, date))
    if not found:
        return []
    drawn = {o for o, _, _ in found}
    present = {c for c in candidates if c in drawn}  # a province's ids streamed past a small set
    out = {t for t in found if t[0] in present}
    return [{"object_id": o, "round": r, "date": d}
            for o, r, d in sorted(out, key=lambda t: tuple(u8(x) for x in t))]


def build_snapshot(ws: Workspace, cooldown_excluded: list[dict[str, str]] | None = None) -> Snapshot:
    """The five snapshot files for ``ws``.

    ``cooldown_excluded`` given (verify, or a draw after its commit): those
    objects are left out instead of re-reading the other rounds.
    """
    plan = ws.plan
    check = _Checker()
    plan_file = str(ws.files.get("plan", ws.plan_path))

    # population filters and 登记状态 (第八条), then cool-down, then strata (第二十五条), on the
    # columns of the objects registry (shuijie.core.objects): a province costs a few list passes
    table = ws.objects
    ids, n = table.ids, len(table)
    norm = _ids_norm(ids)
    keep = population.mask(table, plan.population)
    state = table.column("status")
    gone = {v for v in set(state) if status.state_of(v)}
    out_of_business: list[int] = []
    if gone:
        closed = bytes(map(gone.__contains__, state))
        out_of_business = list(compress(range(n), map(and_, keep, closed)))
        keep = bytes(map(gt, keep, closed))
    if any(map("\x00".join(compress(ids, keep)).__contains__, FORBIDDEN_CHARS)):  # one join
        for i in compress(range(n), keep):  # ids that would break the unquoted CSV, at every row
            check(ids[i], column=table.src(i).column("id"), file=table.file, row=table.rows[i])
    if cooldown_excluded is None:
        cooldown_excluded = cooldown_from_rounds(ws, norm(compress(ids, keep)))
    cooled = {c["object_id"] for c in cooldown_excluded}
    strata_names = [check(s.name, file=plan_file, column="strata.name") for s in plan.strata]
    if cooled:
        keep = bytes(map(gt, keep, map(cooled.__contains__, norm(ids))))
    stratum_of = array("H", bytes(2 * n))  # 1 + the stratum of each object of the population
    remaining = keep
    for k, st in enumerate(plan.strata):  # first match wins (第二十五条)
        matched = population.mask(table, st.where, remaining)
        for i in compress(range(n), matched):
            stratum_of[i] = k + 1
        remaining = bytes(map(gt, remaining, matched))
    unmatched = remaining.count(1)
    area = table.column("area")
    area_text = {v: nfc(v) for v in set(compress(area, stratum_of))}
    for v, text in area_text.items():  # values that would break the unquoted CSV, at every row
        if any(c in text for c in FORBIDDEN_CHARS):
            for i in compress(range(n), stratum_of):
                if area[i] == v:
                    check(v, column=table.src(i).column("area"), file=table.file, row=table.rows[i])
    pop_ids = list(norm(compress(ids, stratum_of)))
    pop_strata = [strata_names[k - 1] for k in stratum_of if k]
    pop_areas = [area_text[a] for a in compress(area, stratum_of)]
    del keep, remaining, stratum_of

    # inspector pool (第九条)
    # and who of it is qualified for this round's window and items, and may lead (第九、十四条)
    kept, left_out = qualification.round_pool(rules_pool.pool(ws.inspectors, plan.inspector_pool),
                                              items.plan_items(ws), plan.window.end, ws.settings.get("leaders"))
    pool = [p for p, _, _ in kept]
    insp_rows = []
    for p, qualified, leads in kept:
        held = sorted({check(a, p, "areas") for a in p.areas if a.strip()}, key=u8)
        for a in held:
            if a == areas.ANYWHERE:
                check.problems.add("snapshot_bad_char", file=p.src.file if p.src else None,
                                   row=p.src.row if p.src else None, column=p.src.column("areas") if p.src else "areas",
                                   value=a)
        insp_rows.append((check(p.id, p, "id"), "1" if qualified else "0",
                          "1" if leads else "0", areas.snapshot_text(held)))

    experts = [e for e in ws.experts if e.active]
    expert_rows = []
    for e in experts:
        specs = sorted({check(s, e, "specialties") for s in e.specialties if s.strip()}, key=u8)
        expert_rows.append((check(e.id, e, "id"), ";".join(specs)))

    pool_ids = {r[0] for r in insp_rows}
    expert_ids = {r[0] for r in expert_rows}
    for clash in sorted(pool_ids & expert_ids, key=u8):
        check.problems.add("snapshot_id_clash", file=str(ws.files.get("experts", "")) or None, person_id=clash)

    # the few ids recusals name, looked up in the population (not a set of a province's ids)
    named = {nfc(r.object_id) for person in [*pool, *experts] for r in person.recusals}
    population_ids = {oid for oid in pop_ids if oid in named} if named else set()
    conflict_rows = recusal.excluded_pairs([*pool, *experts], population_ids, norm=nfc)

    check.problems.raise_if_any()

    strata_params = []
    for st, name in zip(plan.strata, strata_names):
        if st.count is not None:
            strata_params.append({"name": name, "count": st.count})
        else:
            strata_params.append({"name": name, "ratio": strata.ratio_text(st.ratio)})
    days = ws.calendar.workdays_between(plan.window.start, plan.window.end)
    params = {
        "plan_id": plan.id,
        "strata": strata_params,
        "working_days": [d.isoformat() for d in days],
        "schedule": {"group_by": plan.schedule.group_by},
        "team": {
            "size": plan.team.size,
            "min_qualified": plan.team.min_qualified,
            "max_per_day": plan.team.max_per_day,
            "max_per_round": plan.team.max_per_round,
        },
        "experts": {
            "per_team": plan.experts.per_team,
            "specialties": sorted({nfc(s) for s in plan.experts.specialties if s.strip()}, key=u8),
            "max_per_day": plan.experts.max_per_day,
        },
    }
    files = {
        "parameters.json": parameters_bytes(params),
        "population.csv": _population_csv(pop_ids, pop_strata, pop_areas),
        "inspectors.csv": csv_bytes("inspectors.csv", insp_rows),
        "experts.csv": csv_bytes("experts.csv", expert_rows),
        "conflicts.csv": csv_bytes("conflicts.csv", conflict_rows),
    }
    assert set(files) == set(SNAPSHOT_FILES)
    return Snapshot(files=files, unmatched=unmatched, cooldown_excluded=list(cooldown_excluded), counts={
        "population": len(pop_ids), "unmatched": unmatched, "cooldown": len(cooldown_excluded),
        "inspectors": len(insp_rows), "experts": len(expert_rows), "conflicts": len(conflict_rows),
        "days": len(days), "status_excluded": len(out_of_business), "not_qualified": len(left_out)},
        status_excluded=sorted((_n(ids[i]) for i in out_of_business), key=u8),
        inspectors_left_out=sorted(({"person_id": nfc(p.id), "reason": why} for p, why in left_out),
                                   key=lambda r: (u8(r["person_id"]), r["reason"])))


def _n(s: str) -> str:
    """:func:`nfc`, skipped for ASCII (ids): a province's million calls saved."""
    return s if s.isascii() and s == s.strip() else nfc(s)



def _ids_norm(ids: list[str]) -> Callable[[Iterable[str]], Iterable[str]]:
    """``map(_n, …)`` for these ids, or nothing at all when every one is ASCII with no space at
    either end (the registry loader's ids are: a province's ids are not visited one by one)."""
    if "".join(ids).isascii() and all(map(eq, ids, map(str.strip, ids))):
        return iter
    return partial(map, _n)


def _population_csv(ids: list[str], strata_of: list[str], areas_of: list[str]) -> bytes:
    """population.csv: :func:`csv_bytes` of the rows, without a tuple per row (1M objects).

    Rows are ordered by their id's UTF-8 bytes (str order is code point order, the same
    thing); ids are unique once ``check`` passed — if not, the general :func:`csv_bytes`."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    in_order = list(map(ids.__getitem__, order))
    if any(map(eq, in_order, islice(in_order, 1, None))):
        return csv_bytes("population.csv", zip(ids, strata_of, areas_of))
    parts = [(",".join(CSV_HEADERS["population.csv"]) + "\n").encode("utf-8")]
    # each row's ",stratum,area\n", one string per pair (a plan has a few strata and areas)
    tails = {pair: f",{pair[0]},{pair[1]}\n" for pair in set(zip(strata_of, areas_of))}
    tail = list(map(tails.__getitem__, zip(strata_of, areas_of)))
    step = 50_000
    for k in range(0, len(order), step):
        parts.append("".join(map(add, in_order[k:k + step], map(tail.__getitem__, order[k:k + step]))).encode("utf-8"))
    return b"".join(parts)


def read_snapshot(folder: Path) -> dict[str, bytes]:
    """The snapshot files of a round's ``snapshot/`` folder (missing ones left out)."""
    return {name: (folder / name).read_bytes() for name in SNAPSHOT_FILES if (folder / name).is_file()}
