"""What every command shares: --lang/--json, printing, errors to exit codes.

A command body is a function ``action(out) -> int | None``; :func:`execute`
runs it, turns a :class:`~shuijie.core.errors.ShuijieError` into its messages and
exit code (never a traceback), and with ``--json`` prints exactly one JSON
document on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, Callable

import typer
from rich.console import Console
from rich.table import Table

from shuijie.core.errors import EXIT_BAD_INPUT, Problem, ShuijieError
from shuijie.core.messages import render

LangOpt = typer.Option("zh", "--lang", help="消息语言 zh / en (message language)")
JsonOpt = typer.Option(False, "--json", help="输出一个 JSON 文档，供脚本使用 (one JSON document for scripts)")

EXIT_INTERNAL = 70


class Output:
    """Collects what a command says; prints rich text, or one JSON document."""

    def __init__(self, lang: str, as_json: bool):
        self.lang = "en" if lang == "en" else "zh"
        self.as_json = as_json
        self.data: dict[str, Any] = {}
        self.console = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def t(self, key: str, **params: Any) -> str:
        return render(key, self.lang, **params)

    def say(self, text: str, style: str | None = None) -> None:
        if not self.as_json:
            self.console.print(text, style=style, markup=False)

    def table(self, table: Table) -> None:
        if not self.as_json:
            self.console.print(table)

    def problems(self, problems: list[Problem], title_key: str = "problems_found", key: str = "problems") -> None:
        self.data[key] = [p.to_dict(self.lang) for p in problems]
        if self.as_json or not problems:
            return
        table = Table(title=self.t(title_key, count=len(problems)), show_lines=False)
        for col in (("文件", "File"), ("行", "Row"), ("列", "Column"), ("问题及处理办法", "Problem and what to do")):
            table.add_column(col[1] if self.lang == "en" else col[0], overflow="fold")
        for p in problems:
            table.add_row(p.file or "", str(p.row or ""), p.column or "", p.message(self.lang))
        self.err.print(table)


def execute(lang: str, as_json: bool, action: Callable[[Output], int | None]) -> None:
    if lang not in ("zh", "en"):
        Console(stderr=True).print(render("lang_unknown", "zh", lang=lang), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    out = Output(lang, as_json)
    try:
        code = action(out) or 0
    except ShuijieError as exc:
        out.problems(exc.problems)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:  # the disk, not the program: full, read-only, a path under a file
        path = exc.filename if exc.filename is not None else "?"
        problem = Problem("os_error", {"path": str(path), "error": exc.strerror or str(exc)}, str(path))
        out.problems([problem])
        code = EXIT_BAD_INPUT
    except Exception as exc:  # a bug, not the clerk's mistake: say so, briefly
        out.data["problems"] = [Problem("internal_error", {"error": repr(exc)}).to_dict(out.lang)]
        if not as_json:
            out.err.print(render("internal_error", out.lang, error=repr(exc)), markup=False)
        if os.environ.get("SHUIJIE_DEBUG"):
            traceback.print_exc()
        code = EXIT_INTERNAL
    if as_json:
        doc = {"ok": code == 0, "exit_code": code}
        doc.update(out.data)
        doc.setdefault("problems", [])
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
    raise typer.Exit(code)
