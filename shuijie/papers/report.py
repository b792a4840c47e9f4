"""抽取记录 (第十七条): the human-readable account of the draw, kept in the archive.

It states the plan and its approval, the commitment published before the public
random value existed and the source named for it, the public random values, the
seed, each stratum's population and drawn count, the cool-down exclusions, the
drawn objects with their tickets, every team with the recusals applied
(第十五条) and how many inspectors/experts each rule removed, and how anyone can
verify the round (``shuijie verify``, docs/draw-algorithm.md, named in the paper as
抽取算法说明).  Chinese throughout: English only inside hashes, ids and the command shown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from shuijie.core.rules import qualification, recusal
from shuijie.core.rules.plan_doc import normalise as doc_no
from shuijie.core.text import date_cn
from shuijie.core.workspace import Workspace
from shuijie.papers import layout as L
from shuijie.papers.context import Visit

REPORT_DOCX = "抽取记录.docx"
TITLE = "“双随机、一公开”抽取记录"
SMALL = 10.5  # 五号, for the hash columns

REMOVED_LABELS = {"recusal": "回避", "area": "执法区域", "day_load": "当日已满",
                  "round_load": "本轮已满", "specialty": "专业不符"}


def _reason(code: str) -> str:
    return recusal.label(code)


def _removed_text(removed: dict[str, Any] | None) -> str:
    if not removed:
        return "无"
    parts = [f"{REMOVED_LABELS.get(k, k)} {removed[k]} 人" for k in sorted(removed, key=lambda k: (
        list(REMOVED_LABELS).index(k) if k in REMOVED_LABELS else 99, k))]
    return "，".join(parts)


def commitment_history(plan, separately: bool | None) -> str:
    """The commitment's history, stated once: made by ``commit`` before the draw (and its
    承诺公告 written for posting), or made together with the draw."""
    if separately:
        return ("承诺值在抽取之前由承诺命令（shuijie commit）生成，同时生成承诺公告（承诺公告.docx、"
                "承诺公告.txt），供在公开随机数产生" + (f"（{date_cn(plan.random_date)}）" if plan.random_date else "")
                + "之前公布。")
    return "承诺值与抽取结果同时生成，未在抽取前单独公布。"


def _version(algorithm: str) -> str:
    """``shuijie-draw/1`` → ``1``."""
    return algorithm.rsplit("/", 1)[-1] if "/" in algorithm else algorithm


def _grouped(h: str, per_line: int = 2) -> str:
    groups = [h[i:i + 8] for i in range(0, len(h), 8)]
    return "\n".join(" ".join(groups[k:k + per_line]) for k in range(0, len(groups), per_line))


def write_report(dest: Path, ws: Workspace, record: dict[str, Any], visits: list[Visit],
                 when: dt.date | None) -> list[Path]:
    plan = ws.plan
    names = {p.id: p.name for p in ws.inspectors}
    names.update({e.id: e.name for e in ws.experts})
    cooled_ids = {c.get("object_id") for c in record.get("cooldown_excluded", []) or []}
    objects = ws.objects.records_by_id(cooled_ids) if cooled_ids else {}
    doc = L.new_document(TITLE)
    L.add_title(doc, TITLE)
    L.add_body(doc, plan.title, indent=False, align="center")
    L.add_blank(doc)

    L.add_heading(doc, "一、抽查工作方案")
    for text in (
        f"方案编号：{plan.id}",
        f"公开文号：{doc_no(plan.doc_no) or '（未填写）'}",
        f"检查单位：{plan.unit}",
        f"批准人：{plan.approved_by or '（未填写）'}；批准日期：{date_cn(plan.approved_on) or '（未填写）'}",
        f"检查时间：{date_cn(plan.window.start)}至{date_cn(plan.window.end)}；"
        f"通知日期：{date_cn(plan.notice_date)}",
    ):
        L.add_body(doc, text)

    L.add_heading(doc, "二、承诺值与公开随机数")
    L.add_body(doc, "承诺值：", keep_next=True)
    L.add_hash(doc, str(record.get("commitment", "")))
    L.add_body(doc, commitment_history(plan, record.get("committed_separately")))
    rdate = date_cn(plan.random_date) if plan.random_date else ""
    L.add_body(doc, f"公开随机数来源：{plan.public_random_source}"
                    + (f"（{rdate}产生）" if rdate and rdate not in plan.public_random_source else ""))
    for n, value in enumerate(record.get("public_random", []), start=1):
        L.add_body(doc, f"公开随机数{n}：{value}")
    L.add_body(doc, "种子（由承诺值和公开随机数计算）：", keep_next=True)
    L.add_hash(doc, str(record.get("seed", "")))
    L.add_body(doc, f"抽取算法：抽取算法说明第 {_version(record.get('algorithm', ''))} 版；"
                    f"工具版本：{record.get('tool_version', '')}")

    L.add_heading(doc, "三、分层抽取结果")
    strata = record.get("strata", [])
    L.add_table(doc, ("层", "对象总数", "抽取数"),
                [(s.get("name", ""), str(s.get("population", "")), str(s.get("drawn", ""))) for s in strata],
                (76, 40, 40))
    cooled = record.get("cooldown_excluded", []) or []
    closed = record.get("status_excluded", []) or []
    left_out = record.get("inspectors_left_out", []) or []
    L.add_body(doc, f"未归入任何层的对象：{record.get('unmatched', 0)} 个；"
                    f"因冷却期（{plan.cooldown} 个月）排除的对象：{len(cooled)} 个；"
                    f"因登记状态（注销、吊销、撤销、迁出）不在抽取范围的对象：{len(closed)} 个；"
                    f"因执法证到期、证件失效或执法门类不符未参加本轮的检查人员：{len(left_out)} 人。")
    if left_out:
        people = ws.inspector_map()
        L.add_table(doc, ("检查人员", "编号", "原因"),
                    [(people[r["person_id"]].name if r["person_id"] in people else "", r["person_id"],
                      qualification.REASON_LABELS_ZH.get(r["reason"], r["reason"])) for r in left_out], (52, 46, 58), size_pt=SMALL)
    if cooled:
        L.add_table(doc, ("检查对象", "统一社会信用代码", "上次所在轮次", "上次检查日期"),
                    [(objects[c["object_id"]].name if c.get("object_id") in objects else "",
                      c.get("object_id", ""), str(c.get("round", "")), str(c.get("date", "")))
                     for c in cooled], (52, 46, 30, 28), size_pt=SMALL)

    L.add_heading(doc, "四、抽中的检查对象")
    # ids and dates on lines of their own, the 签号 in groups of eight (two a line): none is split
    L.add_table(doc, ("序号", "检查对象及统一社会信用代码", "层", "检查日期", "签号"),
                [(f"{v.seq:03d}", f"{v.object['name']}\n{v.object['id']}", v.stratum,
                  v.date.isoformat(), _grouped(v.ticket)) for v in visits],
                (12, 56, 20, 26, 42), size_pt=SMALL, mono=(4,))

    L.add_heading(doc, "五、检查组及回避")
    for v in visits:
        team = v.team
        L.add_heading(doc, f"（{v.seq}）{v.object['name']}（{v.context['date_cn']}）", level=2)
        roles = "；".join(f"{m['role']}{m['name']}" + (f"（执法证号{m['cert_no']}）" if m["cert_no"] else "")
                         for m in v.people)
        L.add_body(doc, f"检查组：{roles or '无'}")
        ranked = "、".join(f"{names.get(pid, pid)}" for pid in team.get("inspectors", []))
        L.add_body(doc, f"检查人员抽取顺序：{ranked or '无'}")
        recused = team.get("recused", []) or []
        if recused:
            text = "；".join(f"{names.get(r.get('person_id'), r.get('person_id'))}（{_reason(r.get('reason', ''))}）"
                            for r in recused)
            L.add_body(doc, f"回避：{text}")
        else:
            L.add_body(doc, "回避：无")
        L.add_body(doc, f"各规则排除的检查人员：{_removed_text(team.get('removed'))}")
        ex_removed = team.get("experts_removed")
        if ex_removed is not None:
            L.add_body(doc, f"各规则排除的专家：{_removed_text(ex_removed)}")
    if record.get("experts_removed") is not None:
        L.add_body(doc, f"各规则排除的专家（合计）：{_removed_text(record.get('experts_removed'))}")

    L.add_heading(doc, "六、如何核验")
    L.add_body(doc, "任何人可用本轮文件夹重新计算抽取结果，运行：")
    L.add_command(doc, f"shuijie verify rounds/{plan.id}")
    L.add_body(doc, "结果一致时退出码为 0。抽取方法见抽取算法说明：承诺值由名录快照文件计算，"
                    "种子由承诺值和公开随机数计算，抽取只依赖种子和快照，不使用任何其他随机来源。",
               keep_next=True)
    # the signature block never stands alone on a page: kept with the text above
    L.add_blank(doc, keep_next=True)
    for keep, text in ((True, "记录人："), (True, "监督人："), (False, "日期：    年  月  日")):
        L.add_body(doc, text, indent=False, align="left", keep_next=keep)
    path = dest / REPORT_DOCX
    path.write_bytes(L.document_bytes(doc, when))
    return [path]
