"""Helpers shared by the results modules: file names, the drawn rows, privacy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shuijie.core.ids import is_id_card_number, mask_id_card
from shuijie.core.models import Object
from shuijie.core.rules.team import leader_first
from shuijie.core.text import as_date
from shuijie.core.workspace import Workspace
from shuijie.store.rounds import ENTRY_WORKING_COPY

ENTRY_FILE = ENTRY_WORKING_COPY
BLANK_PUBLICATION_FILE = "公示表.xlsx"
PUBLICATION_FILE = "公示表（结果）.xlsx"
SUMMARY_FILE = "检查结果汇总.xlsx"
RISK_FILE = "风险等级调整建议.xlsx"
RESULTS_JSON = "results.json"
PUBLICATION_JSON = "publication.json"
REVIEW_JSON = "review.json"
HISTORY_DIR = "results"

ENTRY_SHEET = "检查结果"
ITEM_SHEET = "逐项检查情况"
OPTIONS_SHEET = "选项"
PUBLIC_SHEET = "抽查结果公示"
GSXT_SHEET = "国家企业信用信息公示系统"
GSXT_ITEM_SHEET = "公示系统·检查事项结果"
GSXT_NAME_SHEET = "公示系统·按名称录入"

YES, NO = "是", "否"
COMPLIANCE = ("符合", "不符合", "不适用")

# 18-character GB 11643 numbers and phone numbers, as they may hide in free text.
ID_CARD_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                        r"(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[- ]?)\d{7,8}(?!\d)")


def public_code(obj_id: str) -> str:
    """The code shown in a published file: USCC as is, ID numbers masked."""
    return mask_id_card(obj_id) if is_id_card_number(obj_id) else obj_id


def scrub(text: str) -> str:
    """Remove ID numbers and phone numbers from free text that is to be published."""
    if not text:
        return text
    text = ID_CARD_RE.sub(lambda m: mask_id_card(m.group(0)), text)
    text = MOBILE_RE.sub("***", text)
    text = LANDLINE_RE.sub("***", text)
    return text


@dataclass
class DrawnRow:
    """One drawn object with what the papers know about it."""

    seq: int
    obj: Object
    stratum: str
    planned: dt.date
    inspectors: list[str]   # ids, leader first, then rank order
    leader: str | None
    experts: list[str]


def drawn_rows(ws: Workspace, record: dict[str, Any]) -> list[DrawnRow]:
    """The drawn objects in processing order (DRAW-SPEC §5), with their teams."""
    objects = ws.objects.records_by_id(s["object_id"] for s in record.get("selected", []))
    teams = {t["object_id"]: t for t in record.get("teams", [])}
    rows: list[DrawnRow] = []
    for seq, sel in enumerate(record.get("selected", []), start=1):
        oid = sel["object_id"]
        obj = objects.get(oid)
        if obj is None:  # the record and inputs disagree: keep a placeholder row
            obj = Object(id=oid, name=oid, address="", principal="", phone="", area="", industry="")
        team = teams.get(oid, {})
        leader = team.get("leader")
        members = leader_first(team.get("inspectors", []), leader)
        rows.append(DrawnRow(seq, obj, sel.get("stratum", ""), as_date(sel["date"]), members, leader,
                             list(team.get("experts", []))))
    return rows


def team_names(ws: Workspace, row: DrawnRow) -> str:
    people = ws.inspector_map()
    names = []
    for pid in row.inspectors:
        p = people.get(pid)
        name = p.name if p else pid
        names.append(f"{name}（组长）" if pid == row.leader else name)
    experts = ws.expert_map()
    ex = [experts[e].name if e in experts else e for e in row.experts]
    text = "、".join(names)
    if ex:
        text += "；专家：" + "、".join(ex)
    return text


def cert_numbers(ws: Workspace, row: DrawnRow, people: dict[str, Any] | None = None) -> str:
    """``people``: ``ws.inspector_map()``, when the caller has it (a sheet of 10,000 rows)."""
    people = people if people is not None else ws.inspector_map()
    return "、".join((people[p].cert_no if p in people and people[p].cert_no else "—")
                    for p in row.inspectors)


def inspector_names(ws: Workspace, row: DrawnRow, people: dict[str, Any] | None = None) -> str:
    """``people``: ``ws.inspector_map()``, when the caller has it (a sheet of 10,000 rows)."""
    people = people if people is not None else ws.inspector_map()
    return "、".join(people[p].name if p in people else p for p in row.inspectors)


def next_history_number(round_dir: Path, kind: str) -> int:
    """The number of the next import or publication of a round (``results/<kind>-NNN.json``):
    one more than the highest kept, so history is never overwritten."""
    d = Path(round_dir) / HISTORY_DIR
    nums = [0]
    if d.is_dir():
        for p in d.glob(f"{kind}-*.json"):
            m = re.fullmatch(rf"{re.escape(kind)}-(\d+)\.json", p.name)
            if m:
                nums.append(int(m.group(1)))
    return max(nums) + 1


def history_stem(kind: str, number: int) -> str:
    return f"{HISTORY_DIR}/{kind}-{number:03d}"


# ---------------------------------------------------------------- results as published

OUTCOME_JOIN = "；"  # several outcomes in one cell (、 is part of some outcome names)


def outcome_list(res: dict[str, Any]) -> list[str]:
    """The outcomes of a stored result (``outcome`` in results stored before several were allowed)."""
    if "outcomes" in res:
        return list(res["outcomes"])
    return [res["outcome"]] if res.get("outcome") else []


def outcome_text(res: dict[str, Any]) -> str:
    return OUTCOME_JOIN.join(outcome_list(res))


def as_checked(row: DrawnRow, res: dict[str, Any] | None) -> DrawnRow:
    """``row`` with the inspectors who actually went (实际检查人员), when the result names them."""
    if res and res.get("inspectors"):
        return dataclasses.replace(row, inspectors=list(res["inspectors"]))
    return row


def inspecting_unit(plan: Any) -> str:
    """检查实施机关 (第三条): the plan's ``inspecting_unit``, else its ``unit``."""
    return getattr(plan, "inspecting_unit", "") or plan.unit


def check_type(plan: Any) -> str:
    """抽查类型 for the national system: the plan's ``check_type``, else 定向 when the plan
    limits its population, 不定向 otherwise."""
    return getattr(plan, "check_type", None) or ("定向" if getattr(plan, "population", None) else "不定向")
