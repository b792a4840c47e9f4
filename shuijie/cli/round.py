"""Commands of the round: ``commit``, ``draw``, ``verify``, ``void`` (core: shuijie.stages)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from shuijie import __version__
from shuijie.cli.app import app
from shuijie.cli.common import JsonOpt, LangOpt, Output, execute
from shuijie.core.errors import VerifyError
from shuijie.core.rules.team import leader_first
from shuijie.core.text import group8
from shuijie.stages import draw_round as rounds
from shuijie.stages.verify import verify as verify_round

# A draw of thousands prints its first objects and where the whole list is.
DRAW_SHOWN = 20
REPORT_NAME = "抽取记录.docx"


def _zh_en(out: Output, zh: str, en: str) -> str:
    return en if out.lang == "en" else zh


@app.command(epilog="示例 (example)：shuijie commit plans/2026-Q1-危化.yaml")
def commit(
    plan: Path = typer.Argument(..., metavar="PLAN", help="方案文件 plans/<id>.yaml (the plan file)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """承诺：冻结快照，输出要在公开随机数产生前公布的承诺值 (freeze the snapshot, print the commitment)."""

    def action(out: Output) -> int:
        res = rounds.commit(plan, progress=out.progress())
        out.data.update({k: v for k, v in res.items()})
        if res["already_committed"]:
            out.say(out.t("commit_exists_same", plan_id=res["plan_id"]))
        else:
            out.say(out.t("commit_done", plan_id=res["plan_id"]))
        out.say(out.t("commit_value", value=group8(res["commitment"])), style="bold")
        out.records(None, [_zh_en(out, "快照文件", "Snapshot file"), "SHA-256"],
                    [[name, group8(h)] for name, h in res["snapshot_sha256"].items()])
        out.say(out.t("commit_counts", **res["counts"]))
        out.say(out.t("commit_source", source=res["public_random_source"]))
        for path in res.get("notice", []):
            out.say(out.t("commit_notice", path=path))
        out.say(out.t("commit_round_dir", path=res["round_dir"]))
        return 0

    execute(lang, as_json, action)


@app.command(epilog='示例 (example)：shuijie draw plans/2026-Q1-危化.yaml --random "福彩3D 2026050: 3 1 4"')
def draw(
    plan: Path = typer.Argument(..., metavar="PLAN", help="方案文件 plans/<id>.yaml (the plan file)"),
    random: Optional[List[str]] = typer.Option(None, "--random", metavar="VALUE", help="公开随机数原文，可重复，按顺序 (public random value; repeatable, order kept)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """抽取：按 docs/draw-algorithm.md 抽取对象、日期、检查组和专家，写入轮次文件夹 (draw the round)."""

    def action(out: Output) -> int:
        res = rounds.draw(plan, list(random or []), progress=out.progress())
        rec = res["record"]
        ws = res["ws"]
        out.data.update({
            "round_dir": res["round_dir"],
            "plan_id": rec["plan_id"], "commitment": rec["commitment"], "public_random": rec["public_random"],
            "seed": rec["seed"], "strata": rec["strata"], "selected": rec["selected"],
            "teams": [{k: t[k] for k in ("object_id", "date", "inspectors", "leader", "experts")} for t in rec["teams"]],
            "committed_separately": rec["committed_separately"], "papers": res["papers"],
            "notes": [p.to_dict(out.lang) for p in res["notes"]],
        })
        out.say(out.t("draw_done", path=res["round_dir"]))
        if not rec["committed_separately"]:
            out.say(out.t("draw_one_go"), style="yellow")
        for note in res["notes"]:
            out.say(note.message(out.lang), style="bold yellow", err=True)
        out.say(out.t("commit_value", value=group8(rec["commitment"])))
        out.say(out.t("draw_seed", value=group8(rec["seed"])), style="bold")
        for s in rec["strata"]:
            out.say(out.t("draw_stratum", **s))
        objs = ws.objects.records_by_id(s["object_id"] for s in rec["selected"][:DRAW_SHOWN])
        people = ws.inspector_map()
        experts = ws.expert_map()

        def person(pid: str, m: dict) -> str:
            p = m.get(pid)
            return f"{p.name}({pid})" if p else pid

        rows = []
        for n, (sel, team) in enumerate(zip(rec["selected"], rec["teams"]), start=1):
            if n > DRAW_SHOWN:
                break
            o = objs.get(sel["object_id"])
            members = leader_first(team["inspectors"], team["leader"])
            rows.append([str(n), sel["date"], f"{o.name if o else ''} {sel['object_id']}", sel["stratum"],
                         "、".join(person(m, people) for m in members),
                         "、".join(person(x, experts) for x in team["experts"])])
        out.records(None, [_zh_en(out, zh, en) for zh, en in (
            ("序号", "#"), ("日期", "Date"), ("检查对象", "Object"), ("分层", "Stratum"),
            ("检查组（组长在前）", "Team (leader first)"), ("专家", "Experts"))], rows)
        if len(rec["selected"]) > DRAW_SHOWN:
            round_dir = Path(res["round_dir"])
            out.say(out.t("draw_table_more", count=len(rec["selected"]), shown=DRAW_SHOWN,
                          record=str(round_dir / "draw.json"), report=str(round_dir / REPORT_NAME)))
        return 0

    execute(lang, as_json, action)


@app.command(epilog="示例 (example)：shuijie verify rounds/2026-Q1-危化")
def verify(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 rounds/<方案编号> (the round folder)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """验证：仅凭轮次文件夹重新计算承诺、种子、抽取结果、快照、文书和哈希 (recompute the round)."""

    def action(out: Output) -> int:
        try:
            res = verify_round(round_dir, progress=out.progress())
        except VerifyError as exc:
            out.data["differs"] = sorted({p.file for p in exc.problems if p.file})
            out.say(out.t("verify_failed", count=len(exc.problems)), style="bold red")
            raise
        out.data.update(res)
        out.say(out.t("verify_ok", files=res["files"]), style="bold green")
        if res.get("void"):
            out.say(out.t("verify_void"), style="yellow")
        if not res.get("drawn"):
            out.say(out.t("verify_commit_only"), style="yellow")
        if res["drawn"] and not res["papers_compared"]:
            out.say(out.t("verify_papers_other_version", version=res["written_by"] or "?", current=__version__),
                    style="yellow")
        if res["commitment"]:
            out.say(out.t("commit_value", value=group8(res["commitment"])))
        if res["seed"]:
            out.say(out.t("draw_seed", value=group8(res["seed"])))
        return 0

    execute(lang, as_json, action)


@app.command(epilog='示例 (example)：shuijie void rounds/2026-Q1-危化 --reason "方案文号有误，重新审批"')
def void(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 rounds/<方案编号> (the round folder)"),
    reason: str = typer.Option("", "--reason", metavar="TEXT", help="作废原因 (why the round is retired)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """作废轮次：保留全部文件，记录原因 (retire a round, keeping its files and the reason)."""

    def action(out: Output) -> int:
        res = rounds.void(round_dir, reason)
        out.data.update(res)
        out.say(out.t("void_done", plan_id=res["plan_id"]))
        return 0

    execute(lang, as_json, action)
