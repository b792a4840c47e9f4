"""Commands ``plan schema``, ``plan new`` and ``plan next`` (registered on shuijie.cli.app). No rules here:
the questions, ``--set`` and the next quarter live in :mod:`shuijie.stages.plan_new`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.table import Table

from shuijie.cli.app import app
from shuijie.cli.common import JsonOpt, LangOpt, Output, execute
from shuijie.core.errors import EXIT_BAD_INPUT, InputError, Problem
from shuijie.registries.plan_tools import plan_schema_text
from shuijie.stages.plan_new import (
    Written,
    apply_sets,
    ask_plan,
    find_registries,
    next_plan,
    read_plan_data,
    skeleton,
    workspace_choices,
    write_plan,
)

plan_app = typer.Typer(help="抽查工作方案（第十条）：参考、模式（schema）、新建、下一季度。", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


class PromptAsker:
    """The questions of ``plan new`` on the terminal: a default in brackets, numbered choices."""

    def __init__(self, out: Output):
        self.out = out
        self.console = out.console

    def _input(self, label: str) -> str:
        try:
            return self.console.input(label)
        except EOFError:  # the answers ran out (stdin closed): nothing is written
            raise InputError(Problem("plan_answers_ended", {})) from None

    def _problem(self, exc: InputError) -> None:
        for p in exc.problems:
            self.console.print(p.message(self.out.lang), style="red", markup=False)

    def value(self, key: str, default: str, parse: Callable[[str], Any], **params: Any) -> Any:
        while True:
            shown = f" [{default}]" if default else ""
            answer = self._input(f"{self.out.t(key, **params)}{shown}: ").strip() or default
            try:
                return parse(answer)
            except InputError as exc:
                self._problem(exc)

    def choose(self, key: str, options: list[tuple[str, str]], default: list[str], *, multi: bool) -> list[str]:
        values = [v for v, _ in options]
        for i, (_, label) in enumerate(options, start=1):
            self.console.print(f"  {i}. {label}", markup=False)
        default_text = ",".join(str(values.index(v) + 1) for v in default if v in values)
        while True:
            shown = f" [{default_text}]" if default_text else ""
            answer = self._input(f"{self.out.t(key)}{shown}: ").strip() or default_text
            parts = [x for x in answer.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if x]
            bad = [x for x in parts if not x.isdigit() or not 1 <= int(x) <= len(options)]
            if bad or (not multi and len(parts) > 1):
                self.console.print(self.out.t("plan_ask_choice_invalid", value=(bad or parts)[0], n=len(options)),
                                   style="red", markup=False)
                continue
            picked: list[str] = []
            for x in parts:
                if values[int(x) - 1] not in picked:
                    picked.append(values[int(x) - 1])
            return picked

    def confirm(self, key: str, default: bool, **params: Any) -> bool:
        while True:
            answer = self._input(f"{self.out.t(key, **params)} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes", "是", "好"):
                return True
            if answer in ("n", "no", "否", "不"):
                return False
            self.console.print(self.out.t("plan_ask_yes_no"), style="red", markup=False)


def _report(out: Output, written: Written) -> int:
    out.data["path"] = str(written.path)
    out.data["check_problems"] = [p.to_dict(out.lang) for p in written.problems]
    out.say(out.t("plan_written", path=str(written.path)), style="green")
    if not written.problems:
        out.problems([])
        out.say(out.t("plan_written_ok", path=str(written.path)))
        return 0
    out.problems(written.problems)
    out.say(out.t("plan_written_todo", count=len(written.problems), path=str(written.path)))
    return EXIT_BAD_INPUT


@plan_app.command("schema")
def schema(
    out_file: Optional[Path] = typer.Option(None, "--out", help="写入该文件，而不是打印 (write to this file)"),
    lang: str = LangOpt,
) -> None:
    """打印方案的 JSON Schema（编辑器据此补全、检查方案各项；init 已写入 plans/plan.schema.json）。"""

    def action(out: Output) -> int:
        text = plan_schema_text()
        if out_file is None:
            sys.stdout.write(text)
            return 0
        out_file.write_bytes(text.encode("utf-8"))
        out.say(out.t("plan_schema_written", path=str(out_file)))
        return 0

    execute(lang, False, action)


@plan_app.command("new")
def new(
    path: Path = typer.Argument(..., help="新方案文件，如 plans/2026-Q2-危化.yaml (new plan file)"),
    from_plan: Optional[Path] = typer.Option(None, "--from", help="以已有方案为底稿 (start from an existing plan)"),
    sets: list[str] = typer.Option([], "--set", help="键=值，可重复，如 --set team.size=3 (key=value, repeatable)"),
    yes: bool = typer.Option(False, "--yes", "-y", help="不提问，只用 --from 和 --set (ask nothing)"),
    ask: bool = typer.Option(False, "--ask", help="即使没有终端也逐项提问（从标准输入读答案） (ask even without a terminal)"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """新建抽查工作方案：逐项提问（事项、范围、分层的可选值取自名录），写出带中文注释的 YAML；从不覆盖已有文件。"""

    def action(out: Output) -> int:
        if path.exists():
            raise InputError(Problem("plan_exists", {"path": str(path)}, str(path)))
        data = read_plan_data(from_plan) if from_plan is not None else skeleton(path)
        if from_plan is not None and from_plan.resolve().parent != path.resolve().parent:
            data["registries"] = find_registries(path) or data.get("registries")
        data = apply_sets(data, sets)
        interactive = ask or (not yes and not as_json and sys.stdin.isatty())
        if interactive:
            choices = workspace_choices(path, data.get("registries") or find_registries(path))
            out.say(out.t("plan_ask_intro"))
            data = ask_plan(data, choices, PromptAsker(out))
        return _report(out, write_plan(path, data))

    execute(lang, as_json, action)


@plan_app.command("next")
def next_(
    plan: Path = typer.Argument(..., help="本季度方案 (this quarter's plan)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="新方案文件（默认：同一文件夹，以新编号命名）"),
    lang: str = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    """由本季度方案生成下一季度方案：编号、标题、检查时间、告知日期顺延；文号和批准留待填写。"""

    def action(out: Output) -> int:
        written = next_plan(plan, out_file)
        out.data["changes"] = [{"key": k, "old": o, "new": n} for k, o, n in written.changes]
        out.data["path"] = str(written.path)
        out.data["check_problems"] = [p.to_dict(out.lang) for p in written.problems]
        out.say(out.t("plan_written", path=str(written.path)), style="green")
        table = Table(title=out.t("plan_changes"))
        for k in ("plan_change_key", "plan_change_old", "plan_change_new"):
            table.add_column(out.t(k), overflow="fold")
        for k, o, n in written.changes:
            table.add_row(k, o, n)
        out.table(table)
        source = written.data.get("public_random_source", "")
        if source:
            out.say(out.t("plan_next_random_source", value=source))
        if written.problems:
            out.problems(written.problems)
            out.say(out.t("plan_written_todo", count=len(written.problems), path=str(written.path)))
        else:
            out.problems([])
        return 0

    execute(lang, as_json, action)
