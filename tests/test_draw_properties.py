"""Hypothesis properties of the draw over random registries and plans (第九、十四、十五条).

Workspaces are generated from the models (no loader needed), turned into a
snapshot and drawn; each property is checked against the models, not against
the snapshot the draw read.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuijie.core import draw
from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InfeasibleError
from shuijie.core.models import (
    Expert,
    ExpertRule,
    Inspector,
    InspectorPool,
    Object,
    Plan,
    Recusal,
    RegistryPaths,
    Schedule,
    Stratum,
    TeamRule,
    Window,
)
from shuijie.core.objects import ObjectTable
from shuijie.core.snapshot import build_snapshot
from shuijie.core.workspace import Workspace

AREAS = ["浉河区", "平桥区", "罗山县"]
RISKS = ["高", "中", "低"]
SPECS = ["危险化学品", "工贸", "非煤矿山"]
REASONS = ["worked", "part_time", "jurisdiction", "interest", "other"]
CAL = WorkCalendar()


@st.composite
def workspaces(draw_):
    d = draw_
    n_obj = d(st.integers(1, 14))
    objects = [Object(id=f"9141150{i:02d}MA4{d(st.sampled_from('ABC'))}", name=f"单位{i}", address="信阳",
                      principal="张三", phone="1", area=d(st.sampled_from(AREAS)), industry="危险化学品",
                      risk=d(st.sampled_from(RISKS))) for i in range(n_obj)]
    objects = list({o.id: o for o in objects}.values())
    n_insp = d(st.integers(2, 14))
    inspectors = []
    for i in range(n_insp):
        second = d(st.booleans())
        q = True if second else d(st.booleans())
        inspectors.append(Inspector(
            id=f"P{i:02d}", name=f"人{i}", gender="男", title="科员", unit="局" if i % 2 else "支队",
            unit_type="二级机构" if second else "局机关", qualified=q, can_lead=q and d(st.booleans()),
            areas=d(st.lists(st.sampled_from(AREAS), min_size=1, max_size=2, unique=True)) if second else [],
            active=d(st.booleans()) or i < 2))
    experts = [Expert(id=f"X{i}", name=f"专家{i}", specialties=d(st.lists(st.sampled_from(SPECS), min_size=1,
                                                                      max_size=2, unique=True)))
               for i in range(d(st.integers(0, 5)))]
    for person in [*inspectors, *experts]:
        for o in d(st.lists(st.sampled_from(objects), max_size=2, unique_by=lambda o: o.id)):
            person.recusals.append(Recusal(person_id=person.id, object_id=o.id, reason=d(st.sampled_from(REASONS))))
    strata = []
    for j in range(d(st.integers(1, 3))):
        where = {} if d(st.booleans()) else {"risk": d(st.lists(st.sampled_from(RISKS), min_size=1, max_size=2,
                                                                 unique=True))}
        if d(st.booleans()):
            strata.append(Stratum(name=f"层{j}", where=where, ratio=d(st.sampled_from(["0.1", "0.25", "0.5", "1"]))))
        else:
            strata.append(Stratum(name=f"层{j}", where=where, count=d(st.integers(0, 4))))
    size = d(st.integers(2, 4))
    start = dt.date(2026, 3, 2)
    plan = Plan(
        id="P", title="t", unit="u", registries=RegistryPaths(items="i", objects="o", inspectors="p"), items=[],
        population={"industry": ["危险化学品"]}, strata=strata,
        window=Window(start=start, end=start + dt.timedelta(days=d(st.integers(0, 9)))),
        notice_date=dt.date(2026, 2, 20),
        team=TeamRule(size=size, min_qualified=d(st.integers(0, size)), max_per_day=d(st.integers(1, 2)),
                      max_per_round=d(st.one_of(st.none(), st.integers(1, 4)))),
        experts=ExpertRule(per_team=d(st.integers(0, 2)) if experts else 0,
                           specialties=d(st.lists(st.sampled_from(SPECS), max_size=2, unique=True)),
                           max_per_day=d(st.integers(1, 2))),
        schedule=Schedule(group_by=d(st.sampled_from(["area", None]))),
        inspector_pool=InspectorPool(units=d(st.sampled_from([[], ["局"]]))),
        public_random_source="dice")
    return Workspace(plan=plan, plan_path=__import__("pathlib").Path("/nonexistent/plans/p.yaml"), items=[],
                     objects=ObjectTable.from_records(objects), inspectors=inspectors, experts=experts,
                     calendar=CAL)


def shuffled(ws: Workspace, rnd: random.Random) -> Workspace:
    """Same content: registry rows, recusals, lists and mapping keys in another order."""
    ws2 = copy.deepcopy(ws)
    objects = list(ws2.objects.every_record())
    for lst in (objects, ws2.inspectors, ws2.experts):
        rnd.shuffle(lst)
    ws2.objects = ObjectTable.from_records(objects)
    for p in [*ws2.inspectors, *ws2.experts]:
        rnd.shuffle(p.recusals)
        if isinstance(p, Inspector):
            rnd.shuffle(p.areas)
        else:
            rnd.shuffle(p.specialties)
    for s in ws2.plan.strata:
        keys = list(s.where)
        rnd.shuffle(keys)
        s.where = {k: sorted(s.where[k], key=lambda _: rnd.random()) for k in keys}
    rnd.shuffle(ws2.plan.experts.specialties)
    return ws2


def check_properties(ws: Workspace, record: dict) -> None:
    plan = ws.plan
    people = ws.inspector_map()
    experts = ws.expert_map()
    objects = ws.objects.records_by_id(ws.objects.ids)
    recused = {(r.person_id, r.object_id) for p in [*ws.inspectors, *ws.experts] for r in p.recusals}
    day: Counter = Counter()
    rnd_load: Counter = Counter()
    xday: Counter = Counter()
    assert [t["object_id"] for t in record["teams"]] == [s["object_id"] for s in record["selected"]]
    for sel, team in zip(record["selected"], record["teams"]):
        o = objects[sel["object_id"]]
        members = team["inspectors"]
        # 第十四条: size, ≥ min_qualified qualified, one leader who can lead and is a member
        assert len(members) == plan.team.size == len(set(members))
        assert sum(people[m].qualified for m in members) >= plan.team.min_qualified
        assert team["leader"] in members and people[team["leader"]].can_lead
        assert team["leader"] == next(m for m in members if people[m].can_lead)
        for m in members:
            p = people[m]
            assert p.active
            assert (m, o.id) not in recused  # 第十五条
            assert not p.areas or o.area in p.areas  # 第九条: 二级机构 only in their areas
            if plan.inspector_pool.units:
                assert p.unit in plan.inspector_pool.units
            day[(m, sel["date"])] += 1
            rnd_load[m] += 1
        assert len(team["experts"]) == plan.experts.per_team
        for x in team["experts"]:
            assert (x, o.id) not in recused and experts[x].active
            assert not plan.experts.specialties or set(experts[x].specialties) & set(plan.experts.specialties)
            xday[(x, sel["date"])] += 1
        assert {(r["person_id"], r["object_id"]) for r in team["recused"]} <= recused
    assert max(day.values(), default=0) <= plan.team.max_per_day
    if plan.team.max_per_round is not None:
        assert max(rnd_load.values(), default=0) <= plan.team.max_per_round
    assert max(xday.values(), default=0) <= plan.experts.max_per_day
    # schedule: dates are working days of the window, non-decreasing in processing order
    days = [d.isoformat() for d in CAL.workdays_between(plan.window.start, plan.window.end)]
    dates = [s["date"] for s in record["selected"]]
    assert all(x in days for x in dates) and dates == sorted(dates, key=days.index)
    # strata: counts and exact sizes
    for s in record["strata"]:
        drawn = [x for x in record["selected"] if x["stratum"] == s["name"]]
        assert len(drawn) == s["drawn"] <= s["population"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workspaces(), st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=2), st.randoms(use_true_random=False))
def test_draw_properties_and_order_independence(ws, randoms, rnd):
    snap = build_snapshot(ws, [])
    try:
        record = draw.run_draw(snap.files, randoms)
    except InfeasibleError as exc:
        p = exc.value.problems[0] if hasattr(exc, "value") else exc.problems[0]
        assert p.params["object_id"] in ws.objects.records_by_id(ws.objects.ids)
        if p.code == "draw_infeasible_team":
            removed = sum(p.params[k] for k in ("recusal", "area", "day_load", "round_load"))
            assert removed + p.params["candidates"] == p.params["pool"]
        # order independence holds for refusals too
        try:
            draw.run_draw(build_snapshot(shuffled(ws, rnd), []).files, randoms)
        except InfeasibleError as exc2:
            assert exc2.problems[0] == p
        else:
            raise AssertionError("shuffled workspace drew where the original was infeasible")
        return
    check_properties(ws, record)
    again = draw.run_draw(build_snapshot(shuffled(ws, rnd), []).files, randoms)
    assert draw.dumps(again) == draw.dumps(record)
    assert draw.dumps(draw.run_draw(snap.files, randoms)) == draw.dumps(record)  # two runs, same bytes


def roomy_workspace(rnd: random.Random) -> Workspace:
    """A random workspace with a pool large enough that the draw is always feasible."""
    objects = [Object(id=f"OBJ{i:03d}", name=f"单位{i}", address="信阳", principal="张三", phone="1",
                      area=rnd.choice(AREAS), industry="危险化学品", risk=rnd.choice(RISKS)) for i in range(30)]
    inspectors = [Inspector(id=f"J{i:02d}", name="人", gender="男", title="科员", unit="局", qualified=True,
                            can_lead=i % 3 == 0) for i in range(24)]
    inspectors += [Inspector(id=f"E{i:02d}", name="人", gender="男", title="科员", unit="支队", unit_type="二级机构",
                             qualified=True, can_lead=i % 2 == 0, areas=[AREAS[i % 3]]) for i in range(9)]
    inspectors += [Inspector(id=f"U{i:02d}", name="人", gender="女", title="辅助", unit="局", qualified=False)
                   for i in range(6)]
    experts = [Expert(id=f"X{i:02d}", name="专家", specialties=[SPECS[i % 3]]) for i in range(12)]
    for person in [*inspectors, *experts]:
        for o in rnd.sample(objects, 2):
            person.recusals.append(Recusal(person_id=person.id, object_id=o.id, reason=rnd.choice(REASONS)))
    plan = Plan(id="R", title="t", unit="u", registries=RegistryPaths(items="i", objects="o", inspectors="p"),
                items=[], strata=[Stratum(name="高", where={"risk": ["高"]}, ratio="0.5"), Stratum(name="其他", count=6)],
                window=Window(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 13)), notice_date=dt.date(2026, 2, 20),
                team=TeamRule(size=rnd.randint(2, 4), min_qualified=2, max_per_day=1, max_per_round=rnd.choice([None, 3])),
                experts=ExpertRule(per_team=1, specialties=["危险化学品", "工贸"], max_per_day=1),
                schedule=Schedule(group_by=rnd.choice(["area", None])), public_random_source="dice")
    return Workspace(plan=plan, plan_path=__import__("pathlib").Path("/nonexistent/plans/p.yaml"), items=[],
                     objects=ObjectTable.from_records(objects), inspectors=inspectors, experts=experts,
                     calendar=CAL)


def test_properties_on_feasible_random_rounds():
    """The properties on rounds that are sure to draw (so the property test is never vacuous)."""
    for i in range(25):
        rnd = random.Random(i)
        ws = roomy_workspace(rnd)
        record = draw.run_draw(build_snapshot(ws, []).files, [f"dice {i}"])
        assert record["teams"] and sum(t["removed"]["recusal"] for t in record["teams"]) > 0
        check_properties(ws, record)
        again = draw.run_draw(build_snapshot(shuffled(ws, rnd), []).files, [f"dice {i}"])
        assert draw.dumps(again) == draw.dumps(record)
