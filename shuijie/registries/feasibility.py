"""Can the plan be drawn at all?  Checked before the commitment burns the plan id.

``shuijie draw`` raises InfeasibleError (exit 3) when it cannot make a team or pick the
experts (:mod:`shuijie.core.draw`); after a ``commit`` that plan id is spent (the
commitment is public and a round is never redrawn).  So ``check`` and ``commit`` run
this first, on the very snapshot the draw would use:

* 第十一条 / the window: working days for the drawn objects (``i × d // k`` per day);
* 第十四条 team: on the busiest day, ``objects × size`` inspector assignments, at least
  ``objects × min_qualified`` qualified ones and one leader per object, within
  ``max_per_day``; over the round within ``max_per_round``;
* 第九条 二级机构 areas: the same per area, for the most objects of one area that can
  fall on one day, counting only the inspectors who may work there;
* 第十五条 recusals: every object that can be drawn keeps, after recusals and the area
  rule, ``size`` inspectors, ``min_qualified`` qualified and a leader, and
  ``experts.per_team`` experts of the wanted specialties;
* 第十二条 experts: on the busiest day, ``objects × per_team`` within ``max_per_day``.

Last, the draw itself (the same :func:`~shuijie.core.draw.run_draw`) is tried with fixed
trial random values: the team draw is greedy, so a plan can meet every count above and
still fail for some values.  Each problem names the day, area or object (name and code)
and the numbers.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

from shuijie.core.draw import read_csv, run_draw, stratum_size
from shuijie.core.errors import InfeasibleError, InputError, Problem
from shuijie.core.messages import render
from shuijie.core.progress import Progress, quiet
from shuijie.core.rules.population import nfc
from shuijie.core.snapshot import Snapshot, build_snapshot
from shuijie.core.workspace import Workspace
from shuijie.registries.load import shown_path

# Trial draws: as many as keep check quick at provincial scale.  A trial's cost is ranking the
# population and, for each drawn object, ranking the inspector pool (drawn × inspectors hashes).
TRIAL_BUDGET = 8_000_000
TRIALS_MAX = 64
TRIALS_MIN = 2


def trial_randoms(n: int) -> list[str]:
    return [f"shuijie-check-trial-{i}" for i in range(1, n + 1)]


def name_objects(problems: list[Problem], ws: Workspace) -> list[Problem]:
    """Give each problem about an object (``object_id``) the object's name too."""
    named = {p.params["object_id"] for p in problems if p.params.get("object_id") is not None}
    objs = {nfc(oid): o for oid, o in ws.objects.records_by_id(named).items()} if named else {}
    for p in problems:
        oid = p.params.get("object_id")
        if oid is not None and "name" not in p.params:
            o = objs.get(oid)
            p.params["name"] = o.name if o is not None else oid
    return problems


def _population_lines(files: dict[str, bytes]) -> Any:
    """``(line number, text)`` of population.csv's rows, one at a time (its header checked by
    :func:`~shuijie.core.draw.read_csv`; the snapshot writes no quoting)."""
    stream = io.BytesIO(files["population.csv"])
    read_csv("population.csv", next(stream, b""))
    for n, raw in enumerate(stream, start=2):
        yield n, raw.decode("utf-8").rstrip("\n")


def feasibility_problems(ws: Workspace, snap: Snapshot | None = None,
                         progress: Progress | None = None) -> list[Problem]:
    """Every reason the plan's draw could fail, as problems of the plan file (empty: it can be drawn)."""
    report = progress or quiet
    if snap is None:
        try:
            snap = build_snapshot(ws)
        except InputError as exc:
            return list(exc.problems)
    plan_file = shown_path(ws.plan._path or ws.plan_path)
    files = snap.files
    params = json.loads(files["parameters.json"])
    inspectors = read_csv("inspectors.csv", files["inspectors.csv"])
    experts = read_csv("experts.csv", files["experts.csv"])
    conflicts = read_csv("conflicts.csv", files["conflicts.csv"])
    team, xr = params["team"], params["experts"]
    size, min_q, max_day, max_round = team["size"], team["min_qualified"], team["max_per_day"], team["max_per_round"]
    per_team, x_max_day, x_specs = xr["per_team"], xr["max_per_day"], set(xr["specialties"])
    days: list[str] = params["working_days"]
    probs: list[Problem] = []

    def add(code: str, column: str, **p: Any) -> None:
        probs.append(Problem(code, p, plan_file, ws.plan._lines.get(column), column))

    # how many objects are drawn (fixed by the plan), and at most how many of one area; the
    # population counted by (stratum, area), a line at a time (a province: no row kept)
    by_stratum: dict[str, Counter[str]] = {}
    for (st, area), n in Counter(tuple(line.split(",")[1:]) for _, line in _population_lines(files)).items():
        by_stratum.setdefault(st, Counter())[area] += n
    k_all, most_of_area = 0, Counter[str]()
    for st in params["strata"]:
        counts = by_stratum.get(st["name"], Counter())
        k = stratum_size(sum(counts.values()), st)
        k_all += k
        for area, n in counts.items():
            most_of_area[area] += min(k, n)
    if not k_all:
        return probs
    d = len(days)
    if not d:
        add("feasible_no_days", "window", objects=k_all)
        return probs
    per_day = Counter(days[i * d // k_all] for i in range(k_all))
    busiest, m = max(per_day.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0]]))

    # 第十四条: the whole pool, the busiest day and the round
    pool = [(pid, q == "1", lead == "1", None if areas == "*" else set(areas.split(";")))
            for pid, q, lead, areas in inspectors]

    def capacity(people: list[tuple[str, bool, bool, Any]], times: int | None) -> tuple[int, int, int]:
        t = times if times is not None else 10**9
        return (len(people) * t, sum(1 for p in people if p[1]) * t, sum(1 for p in people if p[2]) * t)

    def need(objects: int) -> tuple[int, int, int]:
        return objects * size, objects * min_q, objects

    def compare(objects: int, people: list, times: int | None, code: str, column: str, **where: Any) -> bool:
        have = capacity(people, times)
        want = need(objects)
        for kind, h, w in zip(("all", "qualified", "leaders"), have, want):
            if h < w:
                add(code, column, objects=objects, kind_zh=_KIND[kind][0], kind_en=_KIND[kind][1],
                    need=w, have=h, people=h // (times or 1) if times else h, per=times or 0, **where)
                return False
        return True

    ok = compare(m, pool, max_day, "feasible_day_team", "team.max_per_day", day=busiest, size=size,
                 min_qualified=min_q)
    if max_round is not None:
        ok = compare(k_all, pool, max_round, "feasible_round_team", "team.max_per_round", size=size,
                     min_qualified=min_q) and ok

    # 第九条: per area, the most objects of that area one day can hold
    for area in sorted(most_of_area, key=lambda a: a.encode("utf-8")):
        there = [p for p in pool if p[3] is None or area in p[3]]
        worst = min(m, most_of_area[area])
        ok = compare(worst, there, max_day, "feasible_area_team", "team.max_per_day", area=area, size=size,
                     min_qualified=min_q, day=busiest) and ok

    # 第十二条: experts of the wanted specialties per day
    pool_x = [(eid, set(s.split(";")) if s else set()) for eid, s in experts]
    usable_x = [e for e in pool_x if not x_specs or e[1] & x_specs]
    if per_team and m * per_team > len(usable_x) * x_max_day:
        ok = False
        add("feasible_day_experts", "experts.max_per_day", day=busiest, objects=m, per_team=per_team,
            need=m * per_team, have=len(usable_x) * x_max_day, people=len(usable_x), per=x_max_day,
            specialties="、".join(sorted(x_specs)) or "*")

    # 第十五条: each object that can be drawn, after recusals and the area rule
    recused: dict[str, set[str]] = {}
    for pid, oid, _ in conflicts:
        recused.setdefault(oid, set()).add(pid)
    lonely = []
    staffed: dict[tuple[str, frozenset[str]], dict[str, Any] | None] = {}  # the same answer for the same area and recusals

    def shortfall(area: str, gone: frozenset[str]) -> dict[str, Any] | None:
        there = [p for p in pool if p[0] not in gone and (p[3] is None or area in p[3])]
        q = sum(1 for p in there if p[1])
        lead = sum(1 for p in there if p[2])
        xs = sum(1 for e in usable_x if e[0] not in gone)
        if len(there) < size or q < min_q or not lead or (per_team and xs < per_team):
            return {"left": len(there), "qualified": q, "leaders": lead, "experts": xs}
        return None

    nobody: frozenset[str] = frozenset()
    for _, line in _population_lines(files):
        oid, _, area = line.split(",")
        gone = frozenset(recused[oid]) if oid in recused else nobody
        key = (area, gone)
        if key not in staffed:
            staffed[key] = shortfall(area, gone)
        short = staffed[key]
        if short is not None:
            lonely.append(Problem("feasible_object", {
                "object_id": oid, "area": area, "recused": len(gone), "left": short["left"], "size": size,
                "qualified": short["qualified"], "min_qualified": min_q, "leaders": short["leaders"],
                "experts": short["experts"], "per_team": per_team},
                plan_file, None, "team"))
    probs.extend(name_objects(lonely, ws))
    ok = ok and not lonely

    # the greedy draw itself, with fixed trial values (only when every count above fits)
    if ok:
        work = sum(sum(c.values()) for c in by_stratum.values()) + k_all * max(len(inspectors), 1)
        n = max(TRIALS_MIN, min(TRIALS_MAX, TRIAL_BUDGET // max(work, 1)))
        failures: list[Problem] = []
        for i, value in enumerate(trial_randoms(n)):
            report("progress_feasibility", i, n)
            try:
                run_draw(files, [value])
            except InfeasibleError as exc:
                failures.extend(exc.problems[:1])
        report("progress_feasibility", n, n)
        if failures:
            first = name_objects(failures[:1], ws)[0]
            add("feasible_trials", "team", trials=n, failed=len(failures),
                example_zh=render(first.code, "zh", **first.params),
                example_en=render(first.code, "en", **first.params))
    return probs


_KIND = {"all": ("检查人员", "inspectors"), "qualified": ("有执法资格的人员", "qualified inspectors"),
         "leaders": ("可任组长的人员", "possible leaders")}
