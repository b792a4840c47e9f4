"""What the papers say about each drawn object: the record joined with the registries.

:func:`build` turns ``(ws, record)`` into one :class:`Visit` per drawn object in
processing order (DRAW-SPEC §5), holding plain dicts that the templates and the
other papers read.  Nothing here depends on dict or row order beyond the
record's own order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from shuijie.core.errors import InputError, Problem
from shuijie.core.rules import items
from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.core.rules.team import leader_first
from shuijie.core.text import as_date, date_cn
from shuijie.core.workspace import Workspace

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
ROLE_LEADER, ROLE_MEMBER, ROLE_EXPERT = "组长", "组员", "专家"
DEFAULT_ATTENDEES = "主要负责人和安全生产管理人员"
DEFAULT_MATERIALS = "与检查事项有关的证照、安全生产管理制度、台账和记录"


@dataclass
class Visit:
    seq: int
    object: dict[str, Any]
    date: dt.date
    stratum: str
    ticket: str
    team: dict[str, Any]           # the record's team entry
    people: list[dict[str, Any]]   # leader, members (rank order), experts
    context: dict[str, Any] = field(default_factory=dict)


def _object(o) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "address": o.address, "principal": o.principal,
        "phone": o.phone, "area": o.area, "industry": o.industry, "kind": o.kind,
        "risk": o.risk, "credit": o.credit, "license_name": o.license_name,
        "license_no": o.license_no, "note": o.note,
    }


def _inspector(p, role: str) -> dict[str, Any]:
    # 执法证号 only for a member who holds one and is qualified (第九条): a certificate
    # number beside someone without 执法资格 would tell the object the wrong thing.
    return {"id": p.id, "name": p.name, "role": role, "cert_no": p.cert_no if p.qualified else "",
            "unit": p.unit,
            "title": p.title, "gender": p.gender, "kind": "inspector", "employer": p.unit,
            "specialties": ""}


def _expert(e) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "role": ROLE_EXPERT, "cert_no": "", "unit": e.employer,
            "title": e.title, "gender": "", "kind": "expert", "employer": e.employer,
            "specialties": "、".join(e.specialties)}


_KINDS = {"item": ("抽查事项", "check item"), "object": ("检查对象", "object"),
          "inspector": ("检查人员", "inspector"), "expert": ("检查专家", "expert")}


def _kind(kind: str, key: str) -> dict[str, str]:
    zh, en = _KINDS[kind]
    return {"kind_zh": zh, "kind_en": en, "id": key}


def _item(n: int, it) -> dict[str, Any]:
    return {"no": n, "id": it.id, "name": it.name, "basis": it.basis, "target": it.target,
            "content": it.content, "method": it.method, "note": it.note}


def plan_items(ws: Workspace) -> list[dict[str, Any]]:
    """Every item of the plan, numbered (附件1 抽查事项清单)."""
    known = ws.item_map()
    for item_id in ws.plan.items:
        if item_id not in known:
            raise InputError(Problem("paper_unknown_id", _kind("item", item_id)))
    return [_item(n, it) for n, it in enumerate(items.plan_items(ws), start=1)]


def object_items(ws: Workspace, obj) -> list[dict[str, Any]]:
    """The plan's items that apply to ``obj``, numbered from 1 (the letter and 附件2 of that object)."""
    return [_item(n, it) for n, it in enumerate(items.for_object(ws, obj), start=1)]


def plan_dict(ws: Workspace) -> dict[str, Any]:
    p = ws.plan
    return {"id": p.id, "title": p.title, "doc_no": doc_no(p.doc_no), "unit": p.unit,
            "approved_by": p.approved_by, "approved_on": p.approved_on.isoformat() if p.approved_on else "",
            "approved_on_cn": date_cn(p.approved_on), "notice_date_cn": date_cn(p.notice_date)}


def build(ws: Workspace, record: dict[str, Any]) -> list[Visit]:
    wanted = {s.get("object_id") for s in record.get("selected", [])}
    objects = ws.objects.records_by_id(wanted)
    inspectors = ws.inspector_map()
    experts = ws.expert_map()
    teams = {t["object_id"]: t for t in record.get("teams", [])}
    plan = ws.plan
    plan_items(ws)  # every plan item is known
    base = {
        "plan": plan_dict(ws), "unit": plan.unit, "doc_no": doc_no(plan.doc_no),
        "notice_date_cn": date_cn(plan.notice_date),
        "materials": list(plan.materials),
        "materials_text": "、".join(plan.materials) if plan.materials else DEFAULT_MATERIALS,
        "attendees": list(plan.attendees),
        "attendees_text": "、".join(plan.attendees) if plan.attendees else DEFAULT_ATTENDEES,
        "contact": {"name": plan.contact.name, "phone": plan.contact.phone,
                    "address": plan.contact.address},
    }

    def need(mapping, key, kind):
        try:
            return mapping[key]
        except KeyError:
            raise InputError(Problem("paper_unknown_id", _kind(kind, key))) from None

    visits: list[Visit] = []
    for seq, sel in enumerate(record.get("selected", []), start=1):
        obj = need(objects, sel["object_id"], "object")
        team = teams.get(sel["object_id"], {"inspectors": [], "leader": None, "experts": []})
        leader_id = team.get("leader")
        leader = None
        members = []
        for pid in leader_first(team.get("inspectors", []), leader_id):
            p = need(inspectors, pid, "inspector")
            if pid == leader_id:
                leader = _inspector(p, ROLE_LEADER)
            else:
                members.append(_inspector(p, ROLE_MEMBER))
        exps = [_expert(need(experts, eid, "expert")) for eid in team.get("experts", [])]
        people = ([leader] if leader else []) + members + exps
        for n, m in enumerate(people, start=1):
            m["no"] = n
        day = as_date(sel["date"])
        v = Visit(seq=seq, object=_object(obj), date=day, stratum=sel.get("stratum", ""),
                  ticket=sel.get("ticket", ""), team=team, people=people)
        v.context = dict(base)
        v.context.update({
            "seq": seq, "number": f"{seq:03d}", "object": v.object, "date": day.isoformat(),
            "date_cn": date_cn(day), "weekday": WEEKDAYS[day.weekday()],
            "leader": leader or {"name": "", "cert_no": "", "unit": "", "title": "", "role": ROLE_LEADER},
            "members": members, "inspectors": ([leader] if leader else []) + members,
            "experts": exps, "team": people, "stratum": v.stratum, "ticket": v.ticket,
            "items": object_items(ws, obj),
        })
        visits.append(v)
    return visits
