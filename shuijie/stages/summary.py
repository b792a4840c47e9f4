"""Findings summary (第二十五、二十六条): what the round found, and what the next plan should do.

:func:`build_summary` counts the stored results by outcome, item, stratum, area
and industry, lists the objects where problems were found or a case was filed
(立案), the follow-ups still open (是否完结 = 否) and the 立案 cases, and suggests risk levels to raise: an object whose outcome is marked
``raise_risk`` (problems found, not cooperating, unreachable — see
:mod:`shuijie.results.outcomes`) or that was 立案 goes up one level on the
workspace's risk ladder (第二十五条: higher risk, more frequent checks).

:func:`summary_files` renders two workbooks: ``检查结果汇总.xlsx`` and
``风险等级调整建议.xlsx``; the latter has exactly the column layout of the
objects registry (统一社会信用代码, 名称, 地址 …), so the clerk can paste its
rows over the registry's.  Both are internal working files of the unit, not
publications (they keep the registry's 联系方式 and ids as they are).
"""

from __future__ import annotations

from typing import Any

from shuijie.core.errors import InputError, Problem
from shuijie.core.models import Object
from shuijie.core.rules.items import for_object as items_for_object
from shuijie.core.workspace import Workspace
from shuijie.papers.rows import (
    RISK_FILE,
    SUMMARY_FILE,
    drawn_rows,
    outcome_list,
    outcome_text,
)
from shuijie.papers.xlsx import new_workbook, to_bytes, write_table
from shuijie.registries.outcomes import OutcomeList, load_outcomes
from shuijie.stages.results import check_round_open, read_results
from shuijie.store.rounds import add_files, load_round

REGISTRY_FIELDS = ("id", "name", "address", "principal", "phone", "area", "industry", "kind", "risk",
                   "credit", "license_name", "license_no", "note")


def _bump(counter: dict[str, dict[str, int]], key: str, **inc: int) -> None:
    row = counter.setdefault(key or "—", {"drawn": 0, "checked": 0, "problems": 0, "filed": 0})
    for k, v in inc.items():
        row[k] += v


def build_summary(ws: Workspace, record: dict[str, Any], results: dict[str, Any],
                  outcomes: OutcomeList) -> dict[str, Any]:
    rows = drawn_rows(ws, record)
    by_outcome = {name: 0 for name in outcomes.names}
    by_stratum: dict[str, dict[str, int]] = {st.name: {"drawn": 0, "checked": 0, "problems": 0, "filed": 0}
                                             for st in ws.plan.strata}
    by_area: dict[str, dict[str, int]] = {}
    by_industry: dict[str, dict[str, int]] = {}
    by_item: dict[str, dict[str, Any]] = {}
    for iid in ws.plan.items:
        item = ws.item_map().get(iid)
        by_item[iid] = {"name": item.name if item else iid, "checked": 0, "符合": 0, "不符合": 0, "不适用": 0}
    flagged: list[dict[str, Any]] = []
    followups: list[dict[str, Any]] = []   # 是否完结 = 否 (第二十六条: follow-up still open)
    cases: list[dict[str, Any]] = []       # 立案
    raise_list: list[dict[str, Any]] = []
    at_top: list[str] = []
    ladder = outcomes.ladder(ws.objects.column("risk"))
    for row in rows:
        res = results.get(row.obj.id)
        found = [o for o in (outcomes.find(n) for n in (outcome_list(res) if res else [])) if o is not None]
        problem = any(o.problem for o in found)
        filed = bool(res and res.get("filed"))
        inc = {"drawn": 1, "checked": int(res is not None), "problems": int(problem), "filed": int(filed)}
        _bump(by_stratum, row.stratum, **inc)
        _bump(by_area, row.obj.area, **inc)
        _bump(by_industry, row.obj.industry, **inc)
        if res is None:
            continue
        for name in outcome_list(res):  # several outcomes per object: each is counted
            by_outcome[name] = by_outcome.get(name, 0) + 1
        if res.get("closed") is False:
            followups.append({"object_id": row.obj.id, "name": row.obj.name, "date": res["date"],
                              "outcome": outcome_text(res), "followup": res.get("followup", ""),
                              "filed": filed, "case_no": res.get("case_no", "")})
        if filed:
            cases.append({"object_id": row.obj.id, "name": row.obj.name, "case_no": res.get("case_no", ""),
                          "closed": res.get("closed"), "closed_on": res.get("closed_on")})
        for item in items_for_object(ws, row.obj):
            entry = by_item.setdefault(item.id, {"name": item.name, "checked": 0, "符合": 0, "不符合": 0,
                                                 "不适用": 0})
            entry["checked"] += 1
            detail = res.get("items", {}).get(item.id)
            if detail:
                entry[detail["compliant"]] += 1
        if problem or filed:
            flagged.append({"object_id": row.obj.id, "name": row.obj.name, "area": row.obj.area,
                            "industry": row.obj.industry, "date": res["date"], "outcome": outcome_text(res),
                            "findings": res["findings"], "filed": filed, "case_no": res["case_no"]})
        if filed or any(o.raise_risk for o in found):
            current = row.obj.risk
            suggestion = _raised(ladder, current)
            reason = outcome_text(res) + (f"；已立案（{res['case_no']}）" if filed else "")
            if suggestion is None and ladder and current == ladder[-1]:
                at_top.append(row.obj.id)
                continue
            raise_list.append({"object_id": row.obj.id, "name": row.obj.name, "risk_from": current,
                               "risk_to": suggestion, "reason": reason})
    return {
        "plan_id": ws.plan.id,
        "drawn": len(rows),
        "checked": sum(1 for r in rows if r.obj.id in results),
        "by_outcome": by_outcome,
        "by_item": by_item,
        "by_stratum": by_stratum,
        "by_area": dict(sorted(by_area.items(), key=lambda kv: kv[0].encode())),
        "by_industry": dict(sorted(by_industry.items(), key=lambda kv: kv[0].encode())),
        "flagged": flagged,
        "open_followups": followups,
        "cases": cases,
        "risk_ladder": list(ladder) if ladder else None,
        "raise_risk": raise_list,
        "risk_at_top": at_top,
    }


def _raised(ladder: tuple[str, ...] | None, current: str) -> str | None:
    if not ladder:
        return None
    if not current:
        return ladder[min(1, len(ladder) - 1)]
    if current not in ladder:
        return None
    i = ladder.index(current)
    return ladder[i + 1] if i + 1 < len(ladder) else None


def _registry_headers() -> list[str]:
    return [Object.HEADERS[f][0] for f in REGISTRY_FIELDS]


def summary_files(ws: Workspace, summary: dict[str, Any]) -> dict[str, bytes]:
    """The two workbooks, by file name."""
    wb = new_workbook()
    s = wb.active
    s.title = "按检查结果"
    write_table(s, ("检查结果", "对象数"), list(summary["by_outcome"].items()), widths=(36, 10))
    s = wb.create_sheet("按检查事项")
    write_table(s, ("事项编号", "检查事项", "已检查对象", "符合", "不符合", "不适用"),
                [(k, v["name"], v["checked"], v["符合"], v["不符合"], v["不适用"])
                 for k, v in summary["by_item"].items()], widths=(10, 36, 12, 8, 8, 8))
    for title, key in (("按分层", "by_stratum"), ("按区域", "by_area"), ("按行业", "by_industry")):
        s = wb.create_sheet(title)
        write_table(s, (title[1:], "抽取对象", "已检查", "发现问题", "立案"),
                    [(k, v["drawn"], v["checked"], v["problems"], v["filed"]) for k, v in summary[key].items()],
                    widths=(20, 10, 10, 10, 8))
    s = wb.create_sheet("发现问题及立案")
    write_table(s, ("统一社会信用代码", "检查对象名称", "区域", "行业", "检查日期", "检查结果", "发现问题情况",
                    "是否立案", "立案号"),
                [(f["object_id"], f["name"], f["area"], f["industry"], f["date"], f["outcome"], f["findings"],
                  f["filed"], f["case_no"]) for f in summary["flagged"]],
                widths=(22, 30, 10, 12, 12, 26, 40, 9, 20))
    s = wb.create_sheet("后续处置未完结")
    write_table(s, ("统一社会信用代码", "检查对象名称", "检查日期", "检查结果", "后续处置措施", "是否立案", "立案号"),
                [(f["object_id"], f["name"], f["date"], f["outcome"], f["followup"], "是" if f["filed"] else "否",
                  f["case_no"]) for f in summary["open_followups"]],
                widths=(22, 30, 12, 26, 40, 9, 20))
    files = {SUMMARY_FILE: to_bytes(wb)}

    objects = ws.objects.records_by_id(s["object_id"] for s in summary["raise_risk"])
    wb2 = new_workbook()
    s2 = wb2.active
    s2.title = "检查对象"
    rows = []
    for sug in summary["raise_risk"]:
        obj = objects.get(sug["object_id"])
        if obj is None:
            continue
        values = [getattr(obj, f) for f in REGISTRY_FIELDS]
        risk_i = REGISTRY_FIELDS.index("risk")
        note_i = REGISTRY_FIELDS.index("note")
        if sug["risk_to"]:
            values[risk_i] = sug["risk_to"]
            advice = (f"{summary['plan_id']}抽查：{sug['reason']}。建议风险等级由“{sug['risk_from'] or '未定'}”"
                      f"调整为“{sug['risk_to']}”（第二十五条）。")
        else:
            advice = (f"{summary['plan_id']}抽查：{sug['reason']}。风险等级“{sug['risk_from']}”无法自动提高，"
                      f"请人工确定（第二十五条）。")
        values[note_i] = (obj.note + "；" if obj.note else "") + advice
        rows.append(values)
    write_table(s2, _registry_headers(), rows, widths=(22, 30, 30, 10, 16, 10, 12, 10, 10, 10, 16, 16, 50))
    files[RISK_FILE] = to_bytes(wb2)
    return files


def write_summary(round_dir) -> dict[str, Any]:
    """``shuijie summary ROUND``: build the summary and store its two workbooks in the round."""
    from pathlib import Path


    round_dir = Path(round_dir)
    check_round_open(round_dir)
    record, ws = load_round(round_dir)
    stored = read_results(round_dir)
    if not stored or not stored.get("results"):
        raise InputError(Problem("publish_no_results", {"plan_id": ws.plan.id}, file=str(round_dir)))
    summary = build_summary(ws, record, stored["results"], load_outcomes(ws))
    files = summary_files(ws, summary)
    changed = {k: v for k, v in files.items()
               if not ((round_dir / k).is_file() and (round_dir / k).read_bytes() == v)}
    if changed:
        add_files(round_dir, changed)
    return summary
