"""Commands after the check: results, publish, status, summary (第十七、十九、二十五、二十六条).

Thin: parse arguments, call :mod:`shuijie.results`, print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from shuijie.cli.app import app
from shuijie.cli.common import JsonOpt, LangOpt, Output, execute
from shuijie.core.errors import InputError, Problem
from shuijie.papers.rows import PUBLICATION_FILE, RISK_FILE, SUMMARY_FILE
from shuijie.stages.publish import publish
from shuijie.stages.results import import_results
from shuijie.stages.review import review
from shuijie.stages.status import all_status
from shuijie.stages.summary import write_summary


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(Problem("option_date_bad", {"option": option, "value": value})) from None


def _names(items: list[str], limit: int = 10) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" …（+{len(items) - limit}）" if len(items) > limit else "")


@app.command("results", epilog="示例 (example)：shuijie results rounds/2026-Q1-危化 结果录入表.xlsx")
def results_cmd(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 rounds/<方案编号> (the round folder)"),
    xlsx: Optional[Path] = typer.Argument(None, metavar="XLSX", help="填好的结果录入表，相对于当前文件夹；默认为轮次文件夹中的 "
                                                     "结果录入表.xlsx (the filled sheet; default: the round's working copy)"),
    replace: bool = typer.Option(False, "--replace", help="允许修改已导入的结果 (allow changing stored results)"),
    by: str = typer.Option("", "--by", help="导入人姓名，记入历史 (who imports)"),
    date: Optional[str] = typer.Option(None, "--date", help="导入日期 YYYY-MM-DD，默认今天 (import date)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """导入填好的结果录入表（逐行校验，全部无误才保存；保存后待审核）。"""

    def action(out: Output) -> int:
        res = import_results(round_dir, xlsx, replace=replace, by=by, date=_parse_day(date, "--date"))
        out.data.update(res.to_dict())
        if res.status == "unchanged":
            out.say(out.t("results_unchanged", stored=res.stored, drawn=res.drawn))
        else:
            out.say(out.t("results_stored", number=res.number, added=len(res.added), changed=len(res.changed),
                          stored=res.stored, drawn=res.drawn), style="green")
            for c in res.changed:
                out.say(out.t("results_change_line", **c))
        if res.missing:
            out.say(out.t("results_missing_list", count=len(res.missing), names=_names(res.missing_names)),
                    style="yellow")
        if res.problems:
            out.problems(res.problems)
        if res.results_date:
            out.say(out.t("results_date_line", date=res.results_date, publish_by=res.publish_by or "?"))
        if res.status == "stored":
            out.say(out.t("results_review_next", round=str(round_dir)))
        return 0

    execute(lang, as_json, action)


@app.command("review")
def review_cmd(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 (the round folder)"),
    approve: bool = typer.Option(False, "--approve", help="审核通过 (approve the results)"),
    return_: bool = typer.Option(False, "--return", help="退回修改 (return the results)"),
    by: str = typer.Option("", "--by", help="审核人姓名 (reviewer)"),
    reason: str = typer.Option("", "--reason", help="退回理由 (reason for returning)"),
    date: Optional[str] = typer.Option(None, "--date", help="审核日期 YYYY-MM-DD，默认今天 (review date)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """审核导入的检查结果：--approve 通过（之后才能公示），--return 退回修改（第十九条）。"""

    def action(out: Output) -> int:
        if approve == return_:
            raise InputError(Problem("review_choose", {}))
        doc = review(round_dir, approve=approve, by=by, reason=reason, date=_parse_day(date, "--date"))
        out.data.update(doc)
        key = "review_unchanged" if doc["status"] == "unchanged" else f"review_{doc['state']}"
        if doc["state"] == "approved" and doc.get("missing") and doc["status"] == "stored":
            key = "review_approved_partial"
        out.say(out.t(key, by=doc["by"], date=doc["date"] or "", reason=doc["reason"], round=str(round_dir),
                      missing=doc.get("missing", 0)),
                style="green" if doc["state"] == "approved" else "yellow")
        return 0

    execute(lang, as_json, action)


@app.command("publish", epilog="示例 (example)：shuijie publish rounds/2026-Q1-危化 --date 2026-04-01")
def publish_cmd(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 (the round folder)"),
    partial: bool = typer.Option(False, "--partial", help="先公示已有结果，列出未列入的对象 (publish what is in)"),
    date: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="公示日期 YYYY-MM-DD，默认今天 (publication date)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """生成带检查结果的公示表和国家企业信用信息公示系统录入表（第十九条）。"""

    def action(out: Output) -> int:
        day = _parse_day(date, "--date")
        doc = publish(round_dir, partial=partial, date=day)
        summary = doc.pop("summary")
        out.data.update(doc)
        out.data["summary"] = summary
        if doc["status"] == "unchanged":
            out.say(out.t("publish_unchanged"))
        out.say(out.t("publish_done", file=str(Path(round_dir) / PUBLICATION_FILE), count=len(doc["published"]),
                      date=doc["date"]), style="green")
        if doc["left_out"]:
            out.say(out.t("publish_partial", count=len(doc["left_out"]), names=_names(doc["left_out_names"])),
                    style="yellow")
        if doc["late_by"]:
            out.say(out.t("publish_late", publish_by=doc["publish_by"], late_by=doc["late_by"]), style="bold red")
        else:
            out.say(out.t("publish_on_time", publish_by=doc["publish_by"]))
        _say_summary_files(out, summary)
        return 0

    execute(lang, as_json, action)


def _say_summary_files(out: Output, summary: dict) -> None:
    out.say(out.t("summary_written", files="、".join((SUMMARY_FILE, RISK_FILE))))
    if summary["raise_risk"]:
        out.say(out.t("summary_raise", count=len(summary["raise_risk"]), file=RISK_FILE))


@app.command("summary", epilog="示例 (example)：shuijie summary rounds/2026-Q1-危化")
def summary_cmd(
    round_dir: Path = typer.Argument(..., metavar="ROUND", help="轮次文件夹 (the round folder)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """检查结果汇总：按结果、事项、分层、区域、行业统计，并给出风险等级调整建议（第二十五条）。"""

    def action(out: Output) -> int:
        summary = write_summary(round_dir)
        out.data["summary"] = summary
        en = out.lang == "en"
        t = Table(title="By outcome" if en else "按检查结果")
        t.add_column("Outcome" if en else "检查结果")
        t.add_column("Objects" if en else "对象数", justify="right")
        for k, v in summary["by_outcome"].items():
            t.add_row(k, str(v))
        out.table(t)
        for key, title_zh, title_en in (("by_stratum", "按分层", "By stratum"), ("by_area", "按区域", "By area"),
                                        ("by_industry", "按行业", "By industry")):
            t = Table(title=title_en if en else title_zh)
            for col in (("", ""), ("Drawn", "抽取"), ("Checked", "已检查"), ("Problems", "发现问题"),
                        ("Filed", "立案")):
                t.add_column(col[0] if en else col[1], justify="right" if col[0] else "left")
            for k, v in summary[key].items():
                t.add_row(k, str(v["drawn"]), str(v["checked"]), str(v["problems"]), str(v["filed"]))
            out.table(t)
        t = Table(title="By item" if en else "按检查事项")
        for col in (("Item", "事项"), ("Checked", "已检查"), ("Compliant", "符合"), ("Not compliant", "不符合"),
                    ("N/A", "不适用")):
            t.add_column(col[0] if en else col[1])
        for k, v in summary["by_item"].items():
            t.add_row(f"{k} {v['name']}", str(v["checked"]), str(v["符合"]), str(v["不符合"]), str(v["不适用"]))
        out.table(t)
        if summary["flagged"]:
            t = Table(title="Problems found / cases filed" if en else "发现问题及立案")
            for col in (("Object", "检查对象"), ("Outcome", "检查结果"), ("Findings", "发现问题情况"),
                        ("Case no.", "立案号")):
                t.add_column(col[0] if en else col[1], overflow="fold")
            for f in summary["flagged"]:
                t.add_row(f["name"], f["outcome"], f["findings"], f["case_no"])
            out.table(t)
        if summary["open_followups"]:
            t = Table(title="Follow-up not finished" if en else "后续处置未完结")
            for col in (("Object", "检查对象"), ("Outcome", "检查结果"), ("Follow-up", "后续处置措施"),
                        ("Case no.", "立案号")):
                t.add_column(col[0] if en else col[1], overflow="fold")
            for f in summary["open_followups"]:
                t.add_row(f["name"], f["outcome"], f["followup"], f["case_no"])
            out.table(t)
        _say_summary_files(out, summary)
        return 0

    execute(lang, as_json, action)


@app.command("status", epilog="示例 (example)：shuijie status rounds --today 2026-04-01")
def status_cmd(
    rounds: Optional[list[Path]] = typer.Argument(None, metavar="ROUNDS", help="rounds 文件夹（默认 ./rounds）(rounds folders)"),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="按此日期计算，YYYY-MM-DD (compute as of this day)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出每一轮的阶段和期限：通知、存档、公示（第十一、十七、十九条）。"""

    def action(out: Output) -> int:
        day = _parse_day(today, "--today") or dt.date.today()
        dirs = list(rounds) if rounds else [Path("rounds")]
        rows_status = all_status(dirs, day)
        out.data["today"] = day.isoformat()
        out.data["rounds"] = [r.to_dict(out.lang) for r in rows_status]
        if not rows_status:
            out.say(out.t("status_none", dirs="、".join(str(d) for d in dirs)))
            return 0
        en = out.lang == "en"
        heads = [(("Plan", "方案编号")), ("Title", "名称"), ("Stage", "阶段"), ("Results", "结果"),
                 ("Notify by", "通知期限"), ("Archive by", "存档期限"), ("Publish by", "公示期限")]
        problems: list[Problem] = []
        rows: list[list[Any]] = []
        for r in rows_status:
            stage = out.t(f"stage_{r.stage}")
            if r.stage == "published" and r.published_partial:
                stage += " (partial)" if en else "（部分）"
            res = f"{r.with_results}/{r.drawn}" if r.drawn else "—"
            if r.review and r.review != "approved" and r.stage != "void":
                res += " " + out.t(f"review_state_{r.review}")
            if r.open_followups or r.cases:
                res += " " + out.t("status_followups", open=r.open_followups, cases=r.cases)

            def cell(value: str | None, key: str, late_by: int = 0) -> Text:
                text = value or "—"
                days = r.overdue_days.get(key, 0) or late_by
                if days:
                    text += f" ({out.t('overdue_days', days=days)})" if en else f"（{out.t('overdue_days', days=days)}）"
                elif r.overdue[key]:
                    text += " (overdue)" if en else "（逾期）"
                return Text(text, style="bold red" if r.overdue[key] else "")

            rows.append([r.plan_id, r.title, stage, res, cell(r.notify_by, "notify"),
                         cell(r.archive_by, "archive"), cell(r.publish_by, "publish", r.published_late_by)])
            problems.extend(r.problems)
        title = out.t("status_title", today=day.isoformat())
        if out.narrow:
            out.records(title, [h[0] if en else h[1] for h in heads], rows)
        else:
            t = Table(title=title)
            for col in heads:
                wrap = col[0] == "Title"
                t.add_column(col[0] if en else col[1], overflow="fold", no_wrap=not wrap,
                             min_width=10 if wrap else None)
            for row in rows:
                t.add_row(*row)
            out.table(t)
        if problems:
            out.problems(problems)
            out.data["problems"] = [p.to_dict(out.lang) for p in problems]
        return 0

    execute(lang, as_json, action)
