"""run_draw against a plain reading of DRAW-SPEC §4–§6, on raw snapshots a loader would never write.

``shuijie.core.draw`` takes shortcuts for speed (population.csv read as bytes in pieces,
candidate sets, digests in a heap, loads marking rows busy).  Here the snapshot bytes are
generated directly, with what those shortcuts must still get right: ids on two rows
(inspectors, experts, objects, also in two strata), rows out of order, limits of 0,
empty specialties, strata named like no row, an object id that is not UTF-8-sorted, and
bytes read_csv refuses.  The reference below is the spec's steps written out one row at a
time, ranking ``(hex ticket, id)`` pairs with ``sorted``.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuijie.core import draw
from shuijie.core.errors import InfeasibleError, Problem, ShuijieError
from shuijie.core.rules import areas as area_rules
from shuijie.core.text import u8

OBJECT_IDS = ["A1", "A2", "B", "数1", "Z", "a", "AA10"]
STRATA = ["s1", "s2", "层"]
AREAS = ["a", "b", "罗山县"]
PEOPLE = ["P1", "P2", "P3", "P4", "P5", "PA", "数"]
EXPERTS = ["X1", "X2", "X3"]
SPECS = ["h", "i", "j"]
REASONS = ["worked", "interest"]


def reference(files: dict[str, bytes], randoms: list[str]) -> dict:
    params = json.loads(files["parameters.json"])
    rows = {name: draw.read_csv(name, files[name]) for name in draw.SNAPSHOT_FILES if name.endswith(".csv")}
    S = draw.commitment(files)
    Z = draw.seed(S, randoms)
    pop = rows["population.csv"]
    area_of = {o: a for o, _, a in pop}
    strata, drawn = [], []
    for st_ in params["strata"]:
        ids = [o for o, s, _ in pop if s == st_["name"]]
        k = draw.stratum_size(len(ids), st_)
        drawn += [(t, o, st_["name"]) for t, o in sorted((draw.H("object", Z, o), o) for o in ids)[:k]]
        strata.append({"name": st_["name"], "population": len(ids), "drawn": k})
    by_area = (params.get("schedule") or {}).get("group_by") == "area"
    order = sorted(drawn, key=lambda x: (u8(area_of[x[1]]) if by_area else b"", x[0], u8(x[1])))
    days = params["working_days"]
    if order and not days:
        raise InfeasibleError(Problem("draw_no_working_days", {"plan_id": params["plan_id"], "objects": len(order)}))
    selected = [{"object_id": o, "stratum": s, "ticket": t, "date": days[i * len(days) // len(order)]}
                for i, (t, o, s) in enumerate(order)]
    team_p, xp_p = params["team"], params["experts"]
    size, min_q, max_day, max_round = team_p["size"], team_p["min_qualified"], team_p["max_per_day"], \
        team_p["max_per_round"]
    conflict = {(p, o) for p, o, _ in rows["conflicts.csv"]}
    insp_ids = {r[0] for r in rows["inspectors.csv"]}
    xp_ids = {r[0] for r in rows["experts.csv"]}
    want = set(xp_p["specialties"])
    day, rnd, xday = {}, {}, {}
    teams = []
    for sel in selected:
        o, t = sel["object_id"], sel["date"]
        removed = dict.fromkeys(["recusal", "area", "day_load", "round_load"], 0)
        cands = []
        for pid, q, lead, held in rows["inspectors.csv"]:
            where = area_rules.parse_snapshot(held)
            if (pid, o) in conflict:
                removed["recusal"] += 1
            elif where is not None and area_of[o] not in where:
                removed["area"] += 1
            elif day.get((pid, t), 0) >= max_day:
                removed["day_load"] += 1
            elif max_round is not None and rnd.get(pid, 0) >= max_round:
                removed["round_load"] += 1
            else:
                cands.append((pid, q == "1", lead == "1"))
        flags = {c[0]: c for c in cands}
        team, need_q, need_lead = [], min_q, 1
        for _, pid in sorted((draw.H("inspector", Z, o, c[0]), c[0]) for c in cands):
            if len(team) >= size:
                break
            _, q, lead = flags[pid]
            after = size - len(team) - 1
            if after >= need_q - q and after >= need_lead - lead:
                team.append(pid)
                need_q, need_lead = max(0, need_q - q), max(0, need_lead - lead)
        if len(team) < size or need_q or need_lead:
            raise InfeasibleError(Problem("draw_infeasible_team", {
                "object_id": o, "date": t, "size": size, "min_qualified": min_q, "candidates": len(cands),
                "pool": len(rows["inspectors.csv"]), **removed}))
        for pid in team:
            day[(pid, t)] = day.get((pid, t), 0) + 1
            rnd[pid] = rnd.get(pid, 0) + 1
        x_removed = dict.fromkeys(["recusal", "specialty", "day_load"], 0)
        chosen: list[str] = []
        if xp_p["per_team"] > 0:
            xc = []
            for eid, specs in rows["experts.csv"]:
                if (eid, o) in conflict:
                    x_removed["recusal"] += 1
                elif want and not (set(specs.split(";")) if specs else set()) & want:
                    x_removed["specialty"] += 1
                elif xday.get((eid, t), 0) >= xp_p["max_per_day"]:
                    x_removed["day_load"] += 1
                else:
                    xc.append(eid)
            chosen = [e for _, e in sorted((draw.H("expert", Z, o, e), e) for e in xc)[:xp_p["per_team"]]]
            if len(chosen) < xp_p["per_team"]:
                raise InfeasibleError(Problem("draw_infeasible_experts", {
                    "object_id": o, "date": t, "per_team": xp_p["per_team"], "candidates": len(xc),
                    "pool": len(rows["experts.csv"]), **x_removed}))
            for e in chosen:
                xday[(e, t)] = xday.get((e, t), 0) + 1
        recused = sorted(({"person_id": p, "object_id": o, "reason": r} for p, oo, r in rows["conflicts.csv"]
                          if oo == o and (p in insp_ids or (xp_p["per_team"] > 0 and p in xp_ids))),
                         key=lambda r: (u8(r["person_id"]), u8(r["reason"])))
        teams.append({"object_id": o, "date": t, "inspectors": team,
                      "leader": next(p for p in team if flags[p][2]), "experts": chosen, "recused": recused,
                      "removed": removed, "experts_removed": x_removed})
    return {"algorithm": draw.ALGORITHM, "plan_id": params["plan_id"], "public_random": randoms, "commitment": S,
            "seed": Z, "strata": strata, "selected": selected, "teams": teams,
            "snapshot_sha256": {n: draw.sha256_hex(files[n]) for n in sorted(draw.SNAPSHOT_FILES)}}


def csv(name: str, rows: list[tuple[str, ...]]) -> bytes:
    return ("\n".join([",".join(draw.CSV_HEADERS[name]), *(",".join(r) for r in rows)]) + "\n").encode()


@st.composite
def snapshots(d):
    pick = d
    strata = []
    for name in pick(st.lists(st.sampled_from([*STRATA, *STRATA, "none", "s,1"]), min_size=1, max_size=3)):
        strata.append({"name": name, "count": pick(st.sampled_from([2, 1, 4, 0]))} if pick(st.booleans())
                      else {"name": name, "ratio": pick(st.sampled_from(["0.3", "0.5", "1"]))})
    names = st.sampled_from([s["name"] for s in strata if "," not in s["name"]] + ["other"])
    pop = pick(st.lists(st.tuples(st.sampled_from(OBJECT_IDS), names, st.sampled_from(AREAS)),
                        min_size=1, max_size=12))
    insp = pick(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from("110"), st.sampled_from("10"),
                                   st.one_of(st.just("*"), st.just("*"), st.lists(st.sampled_from(AREAS), min_size=1,
                                                                                  max_size=2, unique=True).map(";".join))),
                         min_size=2, max_size=12))
    experts = pick(st.lists(st.tuples(st.sampled_from(EXPERTS),
                                      st.lists(st.sampled_from(SPECS), max_size=2, unique=True).map(";".join)),
                            min_size=1, max_size=5))
    people = [r[0] for r in insp] + [r[0] for r in experts] + ["nobody"]
    conflicts = pick(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(OBJECT_IDS),
                                        st.sampled_from(REASONS)), max_size=6))
    size = pick(st.sampled_from([2, 1, 3]))
    params = {
        "plan_id": "P", "strata": strata,
        "working_days": ["2026-03-02", "2026-03-03", "2026-03-04"][:pick(st.sampled_from([3, 2, 1, 3, 0]))],
        "schedule": {"group_by": pick(st.sampled_from(["area", None]))},
        "team": {"size": size, "min_qualified": pick(st.integers(0, min(size, 1))), "max_per_day": pick(st.sampled_from([3, 2, 1, 0])),
                 "max_per_round": pick(st.sampled_from([None, 3, 2, None, 1, 0]))},
        "experts": {"per_team": pick(st.sampled_from([0, 1, 2])), "max_per_day": pick(st.sampled_from([2, 1, 0])),
                    "specialties": pick(st.lists(st.sampled_from(SPECS), max_size=2, unique=True))},
    }
    files = {"parameters.json": json.dumps(params, ensure_ascii=False).encode(),
             "population.csv": csv("population.csv", pop), "inspectors.csv": csv("inspectors.csv", insp),
             "experts.csv": csv("experts.csv", experts), "conflicts.csv": csv("conflicts.csv", conflicts)}
    if pick(st.booleans()):  # no final line end, as read_csv allows
        files["population.csv"] = files["population.csv"][:-1]
    return files


def outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except ShuijieError as exc:
        return type(exc).__name__, exc.problems


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots(), st.sampled_from(["1", "dice: 3 1 4"]))
def test_run_draw_equals_the_plain_reading(files, random_value):
    assert outcome(draw.run_draw, files, [random_value]) == outcome(reference, files, [random_value])


def test_many_rows_across_pieces(monkeypatch):
    """population.csv in many pieces (and ids repeated across them): the kept rows and the areas."""
    monkeypatch.setattr(draw, "_CHUNK", 64)
    pop = [(f"{i % 37:03d}", STRATA[i % 3], AREAS[i % 2 + (i % 37 == 5)]) for i in range(120)]
    insp = [(f"P{i}", "1", "1", "*") for i in range(6)]
    params = {"plan_id": "P", "strata": [{"name": "s1", "ratio": "0.3"}, {"name": "s2", "count": 3},
                                         {"name": "s1", "count": 2}],
              "working_days": ["2026-03-02"], "schedule": {"group_by": "area"},
              "team": {"size": 1, "min_qualified": 1, "max_per_day": 9, "max_per_round": None},
              "experts": {"per_team": 0, "max_per_day": 1, "specialties": []}}
    for rows in (pop, sorted(set(pop))):
        files = {"parameters.json": json.dumps(params).encode(), "population.csv": csv("population.csv", rows),
                 "inspectors.csv": csv("inspectors.csv", insp), "experts.csv": csv("experts.csv", []),
                 "conflicts.csv": csv("conflicts.csv", [])}
        assert draw.run_draw(files, ["x"]) == reference(files, ["x"])


@given(st.binary(max_size=40), st.sampled_from([b"", b"\n", b"A,s1,a\n", b"A,s1\n", b"\xff,s1,a\n"]))
@settings(max_examples=200, deadline=None)
def test_population_bytes_refused_as_read_csv_refuses(tail, row):
    params = {"plan_id": "P", "strata": [{"name": "s1", "count": 1}], "working_days": ["2026-03-02"],
              "schedule": {"group_by": None},
              "team": {"size": 1, "min_qualified": 0, "max_per_day": 1, "max_per_round": None},
              "experts": {"per_team": 0, "max_per_day": 1, "specialties": []}}
    for data in (b"object_id,stratum,area\n" + row + tail, b"object_id,stratum,area" + tail, row + tail):
        files = {"parameters.json": json.dumps(params).encode(), "population.csv": data,
                 "inspectors.csv": csv("inspectors.csv", [("P1", "1", "1", "*")]),
                 "experts.csv": csv("experts.csv", []), "conflicts.csv": csv("conflicts.csv", [])}
        assert outcome(draw.run_draw, files, ["x"]) == outcome(reference, files, ["x"])


def roomy_files() -> dict[str, bytes]:
    pop = [(f"91{i:04d}", STRATA[i % 2], AREAS[i % 3]) for i in range(120)]
    insp = [(f"P{i:02d}", "1" if i % 4 else "0", "1" if i % 3 == 0 else "0",
             "*" if i % 5 else AREAS[i % 3]) for i in range(60)]
    experts = [(f"X{i}", SPECS[i % 3]) for i in range(8)]
    conflicts = [(f"P{i:02d}", f"91{(i * 7) % 120:04d}", "worked") for i in range(0, 60, 3)] + [("X1", "910007", "interest")]
    params = {"plan_id": "P", "strata": [{"name": "s1", "ratio": "0.5"}, {"name": "s2", "count": 20}],
              "working_days": [f"2026-03-{d:02d}" for d in range(2, 12)], "schedule": {"group_by": "area"},
              "team": {"size": 3, "min_qualified": 2, "max_per_day": 1, "max_per_round": 8},
              "experts": {"per_team": 1, "max_per_day": 2, "specialties": ["h", "i"]}}
    return {"parameters.json": json.dumps(params).encode(), "population.csv": csv("population.csv", pop),
            "inspectors.csv": csv("inspectors.csv", insp), "experts.csv": csv("experts.csv", experts),
            "conflicts.csv": csv("conflicts.csv", conflicts)}


def test_helper_process_changes_nothing(monkeypatch):
    """The forked helper that ranks ahead (big rounds) gives the very same record: with its rankings
    cut short, when it fails, and when it is off."""
    files = roomy_files()
    monkeypatch.setenv(draw.HELPER_ENV, "0")
    alone = draw.run_draw(files, ["x"])
    assert alone == reference(files, ["x"]) and len(alone["teams"]) == 50
    monkeypatch.setenv(draw.HELPER_ENV, "1")
    made = []
    helper = draw._Ahead

    class Spy(helper):
        def collect(self):
            helper.collect(self)
            made.append(sum(len(p.ahead) for p in self.pools))

    monkeypatch.setattr(draw, "_Ahead", Spy)
    assert draw.run_draw(files, ["x"]) == alone
    assert made == [2 * 23]  # rankings for the last 23 of 50 objects came from the helper, for both pools
    monkeypatch.setattr(draw, "_AHEAD", 2)  # most walks go past the helper's rows
    assert draw.run_draw(files, ["x"]) == alone

    def fail(*_):
        raise RuntimeError("helper down")

    monkeypatch.setattr(draw, "_rank_ahead", fail)
    made.clear()
    assert draw.run_draw(files, ["x"]) == alone
    assert made == [0]
