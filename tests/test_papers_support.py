"""Builders for the papers tests: a small workspace and a draw record in the documented shape.

No tests here; ``test_papers*.py`` import these helpers.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from shuijie.core.objects import ObjectTable
from shuijie.core.models import (
    Contact,
    Expert,
    Inspector,
    Item,
    Object,
    Plan,
    Recusal,
    RegistryPaths,
    Stratum,
    Window,
)
from shuijie.core.workspace import Workspace

HOSTILE_NAMES = [
    "=cmd|' /C calc'!A0",
    "../../x",
    "甲&乙<公司>",
    "信阳市" + "很长的名字" * 38 + "危化品有限公司",   # 200 characters
    "🏭化工😀有限公司",
    '"引号"与\'单引号\'公司',
    "CON",
]
LONG_NAME = HOSTILE_NAMES[3]
assert len(LONG_NAME) == 200


def make_ws(tmp: Path, names: list[str] | None = None, *, plan_dir: str = "plans") -> Workspace:
    names = names or ["信阳市甲化工有限公司", "信阳市乙危险品储运有限公司", "河南丙燃气有限公司"]
    ws_dir = tmp / "ws"
    (ws_dir / plan_dir).mkdir(parents=True, exist_ok=True)
    plan_path = ws_dir / plan_dir / "2026-Q1-危化.yaml"
    plan_path.write_text("# test plan\n", encoding="utf-8")
    items = [
        Item(id="WH-01", name="危险化学品安全管理", basis="《危险化学品安全管理条例》第二十条",
             content="安全管理制度、岗位责任制；\n储存场所与安全设施", method="实地检查"),
        Item(id="WH-02", name="安全生产许可", basis="《安全生产许可证条例》第二条",
             content="许可证有效期及许可范围", method="书面检查", license=True, note="许可类"),
    ]
    objects = [
        Object(id=f"9141150{n}MA4000{n:04d}X", name=name, address=f"信阳市浉河区某路{n}号",
               principal=f"负责人{n}", phone=f"1380000{n:04d}", area="浉河区", industry="危化")
        for n, name in enumerate(names, start=1)
    ]
    inspectors = [
        Inspector(id="J001", name="张三", gender="男", title="科长", cert_no="41150001", unit="危化科",
                  can_lead=True,
                  recusals=[Recusal(person_id="J001", object_id=objects[0].id, reason="worked")]),
        Inspector(id="J002", name="李四", gender="女", title="科员", cert_no="41150002", unit="危化科",
                  can_lead=True),
        Inspector(id="J003", name="王五", gender="男", title="科员", cert_no="41150003", unit="执法支队"),
        Inspector(id="J004", name="赵&六", gender="男", title="科员", cert_no="41150004", unit="执法支队"),
    ]
    experts = [Expert(id="X01", name="钱专家", specialties=["危化", "消防"], employer="信阳<职业>技术学院",
                      title="高级工程师")]
    plan = Plan(
        id="2026-Q1-危化", title="2026年第一季度危险化学品企业“双随机、一公开”抽查",
        doc_no="信应急〔2026〕5号", unit="信阳市应急管理局", approved_by="局长 孙某",
        approved_on=dt.date(2026, 2, 10),
        registries=RegistryPaths(items="../registries/items.yaml", objects="../registries/objects.yaml",
                                 inspectors="../registries/inspectors.yaml"),
        items=["WH-01", "WH-02"], strata=[Stratum(name="全部", ratio="0.5")],
        window=Window(start=dt.date(2026, 2, 26), end=dt.date(2026, 3, 6)),
        notice_date=dt.date(2026, 2, 20), public_random_source="福彩3D 2026年第50期开奖号码",
        materials=["营业执照", "安全生产许可证", "安全管理制度"],
        contact=Contact(name="周某", phone="0376-1234567"),
    )
    return Workspace(plan=plan, plan_path=plan_path, items=items, objects=ObjectTable.from_records(objects),
                     inspectors=inspectors, experts=experts, calendar=None,
                     files={"plan": plan_path})


def make_record(ws: Workspace) -> dict:
    days = ["2026-02-26", "2026-02-27", "2026-03-02", "2026-03-03"]
    objs = list(ws.objects.every_record())
    selected, teams = [], []
    ranks = [["J002", "J003", "J004"], ["J001", "J004", "J003"], ["J003", "J001", "J002"]]
    for n, o in enumerate(objs):
        day = days[n % len(days)]
        ticket = f"{n:02x}" * 32
        selected.append({"object_id": o.id, "stratum": "全部", "ticket": ticket, "date": day})
        rank = ranks[n % len(ranks)]
        leader = next(p for p in rank if p in ("J001", "J002"))
        teams.append({
            "object_id": o.id, "date": day, "inspectors": rank, "leader": leader, "experts": ["X01"],
            "recused": ([{"person_id": "J001", "object_id": o.id, "reason": "worked"}] if n == 0 else []),
            "removed": {"recusal": 1 if n == 0 else 0, "area": 0, "day_load": 0, "round_load": 0},
            "experts_removed": {"recusal": 0, "specialty": 0, "day_load": 0},
        })
    return {
        "algorithm": "shuijie-draw/1", "plan_id": ws.plan.id, "commitment": "c" * 64,
        "public_random": ["2026-02-25 dice: 3 1 4 1 5 9"], "seed": "5" * 64,
        "strata": [{"name": "全部", "population": len(objs) * 2, "drawn": len(objs)}],
        "selected": selected, "teams": teams,
        "cooldown_excluded": [{"object_id": objs[0].id, "round": "2025-Q4-危化", "date": "2025-11-03"}],
        "unmatched": 0, "committed_separately": True, "tool_version": "0.1.0",
    }


def docx_xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()
