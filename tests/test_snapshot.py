"""snapshot.py: a Workspace → the five snapshot files of DRAW-SPEC §2, deterministically.

The example workspace built here holds the same content as the spec vector
(tests/spec_vectors/example-round), so its snapshot must hash identically.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from conftest import SPEC_VECTORS
from hypothesis import given, settings
from hypothesis import strategies as st

from shuijie.core import draw
from shuijie.core.calendar import WorkCalendar
from shuijie.core.errors import InputError
from shuijie.core.models import (
    Expert,
    ExpertRule,
    Inspector,
    Object,
    Plan,
    Recusal,
    RegistryPaths,
    Schedule,
    SourceRef,
    Stratum,
    TeamRule,
    Window,
)
from shuijie.core.objects import ObjectTable
from shuijie.core.snapshot import build_snapshot, months_before
from shuijie.core.workspace import Workspace

VECTOR = SPEC_VECTORS / "example-round" / "snapshot"

OBJECTS = [  # (id, area, risk)
    ("411502198001010010", "浉河区", "高"),
    ("91411502MA4000001L", "浉河区", "高"),
    ("91411502MA4000002P", "浉河区", "高"),
    ("91411502MA40000051", "浉河区", "低"),
    ("91411502MA40000077", "浉河区", "低"),
    ("91411503MA40000039", "平桥区", "高"),
    ("91411503MA4000004C", "平桥区", "中"),
    ("91411503MA4000006J", "平桥区", "低"),
]
INSPECTORS = [  # (id, unit_type, qualified, can_lead, areas)
    ("E101", "二级机构", True, True, ["浉河区"]),
    ("E102", "二级机构", True, False, ["浉河区"]),
    ("E201", "二级机构", True, True, ["平桥区"]),
    ("E202", "二级机构", True, False, ["浉河区", "平桥区"]),
    ("J001", "局机关", True, True, []),
    ("J002", "局机关", True, True, []),
    ("J003", "局机关", True, False, []),
    ("J004", "局机关", False, False, []),
]


def make_object(oid: str, area: str, risk: str, industry: str = "危险化学品", row: int = 2) -> Object:
    o = Object(id=oid, name=f"单位{oid[-4:]}", address="信阳市", principal="张三", phone="13800000000",
               area=area, industry=industry, risk=risk)
    o.with_src(SourceRef("objects.xlsx", row, {"id": "统一社会信用代码", "area": "区域"}))
    return o


def make_plan(**over) -> Plan:
    data = dict(
        id="2026-Q1-example", title="2026年第一季度危化抽查", unit="信阳市应急管理局",
        registries=RegistryPaths(items="i.yaml", objects="o.yaml", inspectors="p.yaml", experts="e.yaml"),
        items=["I1"], population={"industry": ["危险化学品"]},
        strata=[Stratum(name="高风险", where={"risk": ["高"]}, ratio="0.5"), Stratum(name="一般", count=2)],
        window=Window(start=dt.date(2026, 2, 26), end=dt.date(2026, 3, 2)), notice_date=dt.date(2026, 2, 12),
        team=TeamRule(size=3, min_qualified=2, max_per_day=1),
        experts=ExpertRule(per_team=1, specialties=["危险化学品"], max_per_day=1),
        schedule=Schedule(group_by="area"), public_random_source="2026-02-25 当众掷骰子",
    )
    data.update(over)
    return Plan(**data)


def example_ws(tmp: Path | None = None, shuffle: random.Random | None = None, **plan_over) -> Workspace:
    """The spec vector's content as a Workspace (plus rows the filters must drop)."""
    objects = [make_object(*o, row=i + 2) for i, o in enumerate(OBJECTS)]
    objects.append(make_object("91411502MA4000008X", "浉河区", "高", industry="工贸"))  # filtered out
    inspectors = []
    for i, (pid, ut, q, lead, areas) in enumerate(INSPECTORS):
        p = Inspector(id=pid, name=f"人员{pid}", gender="男", title="科员", unit="信阳市应急管理局",
                      unit_type=ut, qualified=q, can_lead=lead, areas=areas)
        p.with_src(SourceRef("inspectors.xlsx", i + 2, {"areas": "执法区域", "id": "编号"}))
        inspectors.append(p)
    inspectors.append(Inspector(id="J009", name="离岗", gender="女", title="科员", unit="局", active=False))
    inspectors[4].recusals.append(Recusal(person_id="J001", object_id="91411502MA4000001L", reason="worked"))
    inspectors[0].recusals.append(Recusal(person_id="E101", object_id="91411502MA4000002P", reason="interest"))
    inspectors[0].recusals.append(Recusal(person_id="E101", object_id="91411502MA4000008X", reason="other"))
    experts = [
        Expert(id="X01", name="专家一", specialties=["危险化学品"],
               recusals=[Recusal(person_id="X01", object_id="91411503MA40000039", reason="part_time")]),
        Expert(id="X02", name="专家二", specialties=["工贸", "危险化学品"]),
        Expert(id="X03", name="专家三", specialties=["非煤矿山"]),
        Expert(id="X04", name="专家四", specialties=["危险化学品"], active=False),
    ]
    if shuffle is not None:
        for lst in (objects, inspectors, experts):
            shuffle.shuffle(lst)
        for p in [*inspectors, *experts]:
            shuffle.shuffle(p.recusals)
            if isinstance(p, Expert):
                shuffle.shuffle(p.specialties)
    plan = make_plan(**plan_over)
    plan_path = (tmp or Path("/nonexistent")) / "plans" / "p.yaml"
    return Workspace(plan=plan, plan_path=plan_path, items=[], objects=ObjectTable.from_records(objects),
                     inspectors=inspectors,
                     experts=experts, calendar=WorkCalendar(), files={"plan": plan_path})


def test_snapshot_of_example_content_is_the_spec_vector_byte_for_byte():
    snap = build_snapshot(example_ws())
    for name in draw.SNAPSHOT_FILES:
        assert snap.files[name] == (VECTOR / name).read_bytes(), name
    assert snap.unmatched == 0 and snap.cooldown_excluded == []
    assert snap.counts["population"] == 8 and snap.counts["inspectors"] == 8 and snap.counts["experts"] == 3


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_and_key_order_change_no_byte(rnd):
    base = build_snapshot(example_ws()).files
    where = {"risk": ["高"]}
    strata = [Stratum(name="高风险", where=dict(reversed(list(where.items()))), ratio="0.5"),
              Stratum(name="一般", count=2)]
    shuffled = build_snapshot(example_ws(shuffle=rnd, strata=strata)).files
    assert shuffled == base


def test_unmatched_objects_are_counted_and_left_out():
    strata = [Stratum(name="高风险", where={"risk": ["高"]}, ratio="0.5"),
              Stratum(name="低风险", where={"risk": ["低"]}, count=1)]
    snap = build_snapshot(example_ws(strata=strata))
    pop = snap.files["population.csv"].decode()
    assert snap.unmatched == 1 and "91411503MA4000004C" not in pop  # the one 中 object
    assert pop.count("\n") == 1 + 7


def test_first_matching_stratum_wins():
    strata = [Stratum(name="平桥", where={"area": ["平桥区"]}, count=1),
              Stratum(name="高风险", where={"risk": ["高"]}, count=1), Stratum(name="其他", count=1)]
    pop = build_snapshot(example_ws(strata=strata)).files["population.csv"].decode()
    assert "91411503MA40000039,平桥,平桥区" in pop  # 高 and 平桥区: first stratum


def test_inspector_pool_by_unit_or_id():
    from shuijie.core.models import InspectorPool
    ws = example_ws(inspector_pool=InspectorPool(ids=["J001", "J002"]))
    rows = ws and build_snapshot(ws).files["inspectors.csv"].decode().splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["J001", "J002"]
    # recusals of people outside the pool are not in the snapshot
    conflicts = build_snapshot(ws).files["conflicts.csv"].decode()
    assert "E101" not in conflicts and "J001,91411502MA4000001L,worked" in conflicts


def test_forbidden_character_refused_with_place():
    ws = example_ws()
    recs = list(ws.objects.every_record())
    recs[0].area = "浉河区,平桥区"
    ws.objects = ObjectTable.from_records(recs)
    with pytest.raises(InputError) as exc:
        build_snapshot(ws)
    p = exc.value.problems[0]
    assert p.code == "snapshot_bad_char" and p.file == "objects.xlsx" and p.row == 2 and p.column == "区域"


def test_cooldown_excludes_objects_of_earlier_rounds(tmp_path):
    ws = example_ws(tmp_path, cooldown=3)
    rounds = tmp_path / "rounds"
    for name, oid, date, void in [("2025-Q4", "91411502MA4000001L", "2025-12-01", False),
                                  ("2025-Q3", "91411502MA40000051", "2025-09-01", False),  # too old
                                  ("2025-Q4b", "91411503MA4000006J", "2025-12-20", True)]:  # void
        (rounds / name).mkdir(parents=True)
        (rounds / name / "draw.json").write_text(json.dumps({"selected": [{"object_id": oid, "date": date}]}))
        if void:
            (rounds / name / "void.json").write_text("{}")
    snap = build_snapshot(ws)
    assert snap.cooldown_excluded == [{"object_id": "91411502MA4000001L", "round": "2025-Q4", "date": "2025-12-01"}]
    pop = snap.files["population.csv"].decode()
    assert "91411502MA4000001L" not in pop and "91411502MA40000051" in pop and "91411503MA4000006J" in pop
    # the recorded exclusions reproduce the snapshot without reading the rounds
    (rounds / "2025-Q4" / "draw.json").unlink()
    assert build_snapshot(ws, snap.cooldown_excluded).files == snap.files
    assert build_snapshot(ws).files != snap.files


def test_months_before():
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 2, 26), 12) == dt.date(2025, 2, 26)
    assert months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


def test_ids_are_normalised_one_by_one_only_when_some_id_needs_it():
    """build_snapshot skips the per-id NFC pass for a registry of plain ASCII ids (the loader's),
    and keeps it for any other: the population's ids come out the same either way."""
    from shuijie.core.snapshot import _ids_norm, _n

    plain = ["91411500MA44XXXX0A", "411502199001011234"]
    assert list(_ids_norm(plain)(plain)) == plain
    assert _ids_norm(plain) is iter
    for odd in (["91411500MA44XXXX0A", " 411502199001011234"], ["91411500MA44XXXX0A", "Ｘ１"],
                ["e\u0301"]):
        assert list(_ids_norm(odd)(odd)) == [_n(x) for x in odd]
        assert _ids_norm(odd) is not iter
