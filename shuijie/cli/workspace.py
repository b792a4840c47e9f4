"""Commands ``init`` and ``check`` (registered on shuijie.cli.app). No rules here."""

from __future__ import annotations

from pathlib import Path

import typer

from shuijie.cli.app import app
from shuijie.cli.common import JsonOpt, LangOpt, Output, execute
from shuijie.core.errors import InputError
from shuijie.registries.check import check_plan
from shuijie.registries.init import init_workspace


@app.command(epilog="示例 (example)：shuijie init 抽查工作区")
def init(
    directory: Path = typer.Argument(..., metavar="DIR", help="新工作区文件夹 (new workspace folder)"),
    force: bool = typer.Option(False, "--force", help="文件夹非空时仍写入示例文件（不删除已有文件）"),
    yaml_form: bool = typer.Option(False, "--yaml", help="名录写成 YAML（默认 Excel）(registries as YAML; default Excel)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """建立示例工作区：名录（默认 Excel，--yaml 为 YAML，每份名录只写一种格式）、允许值清单、方案、日历、文书模板。"""

    def action(out: Output) -> int:
        written = init_workspace(directory, force=force, yaml=yaml_form)
        out.data["directory"] = str(directory)
        out.data["files"] = [str(p.relative_to(directory)) for p in written]
        out.say(out.t("init_done", path=str(directory), count=len(written)))
        out.say(out.t("init_next", plan=str(directory / "plans" / "2026-Q1-危化.yaml")))
        return 0

    execute(lang, as_json, action)


@app.command(epilog="示例 (example)：shuijie check plans/2026-Q1-危化.yaml")
def check(
    plan: Path = typer.Argument(..., metavar="PLAN", help="方案文件 plans/….yaml (plan file)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """检查方案及其引用的全部名录：逐条列出问题（文件、行、列、处理办法）。"""

    def action(out: Output) -> int:
        ws, problems = check_plan(plan, progress=out.progress())
        if ws is None or any(not p.warning for p in problems):
            raise InputError(problems)
        out.data["plan_id"] = ws.plan.id
        out.data["counts"] = {"items": len(ws.items), "objects": len(ws.objects),
                              "inspectors": len(ws.inspectors), "experts": len(ws.experts)}
        out.data["files"] = {k: str(v) for k, v in sorted(ws.files.items())}
        out.problems([])  # check passed: what is left are warnings
        out.problems(problems, title_key="warnings_found", key="warnings")
        if problems:
            out.say(out.t("check_passed_warnings", count=len(problems)), style="yellow")
        else:
            out.say(out.t("all_good"), style="green")
        out.say(out.t("check_counts", plan=ws.plan.id, **out.data["counts"]))
        return 0

    execute(lang, as_json, action)
