"""What every command shares: --lang/--json, printing, errors to exit codes.

A command body is a function ``action(out) -> int | None``; :func:`execute`
runs it, turns a :class:`~shuijie.core.errors.ShuijieError` into its messages and
exit code (never a traceback), and with ``--json`` prints exactly one JSON
document on stdout, UTF-8 whatever the console's code page.

The screen never fails on a character the console cannot encode (a name with
𠮷 on a GBK console): stdout and stderr are switched to ``errors="replace"``.
``--lang`` / ``--json`` may come before the command (the app's callback keeps
them in :data:`GLOBAL`) or after it; ``SHUIJIE_LANG`` sets the default language.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import traceback
from typing import Any, Callable

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar
from rich.table import Table

from shuijie.core.errors import EXIT_BAD_INPUT, Problem, ShuijieError
from shuijie.core.messages import render
from shuijie.core.progress import Progress

LangOpt = typer.Option(None, "--lang", metavar="zh|en", show_default=False,
                       help="消息语言 zh（默认）/ en；也可用环境变量 SHUIJIE_LANG (message language)")
JsonOpt = typer.Option(False, "--json", help="输出一个 JSON 文档，供脚本使用 (one JSON document for scripts)")

EXIT_INTERNAL = 70
# Below this width tables are stacked as "key: value" lines.
NARROW = 100
# Options given before the command (see shuijie.cli.app.callback); reset on every run.
GLOBAL: dict[str, Any] = {"lang": None, "json": False}


def safe_streams() -> None:
    """Never raise UnicodeEncodeError on the screen: replace what the console cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream
                pass


def resolve_lang(lang: str | None) -> str:
    return lang or GLOBAL.get("lang") or os.environ.get("SHUIJIE_LANG") or "zh"


def write_json(doc: dict[str, Any]) -> None:
    """One JSON document on stdout as UTF-8 bytes (not the console's code page)."""
    data = (json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream (some test harnesses)
        sys.stdout.write(data.decode("utf-8"))


# Runs that must never be split across lines: ids, codes, dates, numbers, paths, hashes.
_ID = r"(?:[A-Za-z0-9_.:\\+#=@-]|/[^\s，。；、：（）()/]*)+"
# a path with Chinese names in it (我的工作区/plans/2026-Q1-危化.yaml) is one run too
_PATH = r"[^\s，。；、：（）()“”]*[/\\][^\s，。；、：（）()“”]+"
_TOKEN = re.compile(rf"[（(【\[“]?(?:{_PATH}|{_ID})[，。；、：）)\]】”,;:]?|\s+|.[，。；、：）)”]?", re.S)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Lines of at most ``width`` display cells (CJK = 2); breaks between CJK characters and at
    spaces, never inside an id, a code, a date or a path (unless one alone is wider than the line)."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for tok in _TOKEN.findall(para):
            if tok.isspace():
                cur += " " if cur and not cur.endswith(" ") else ""
                continue
            if cur.strip() and cell_len(cur + tok) > width:
                lines.append(cur.rstrip())
                cur = indent
            while cell_len(cur + tok) > width and len(tok) > 1:  # one token wider than a line
                cut = len(tok)
                while cut > 1 and cell_len(cur + tok[:cut]) > width:
                    cut -= 1
                lines.append(cur + tok[:cut])
                cur, tok = indent, tok[cut:]
            cur += tok
        lines.append(cur.rstrip())
    return lines


def _log_width(stream: Any) -> int | None:
    """Output to a file or pipe without ``COLUMNS``: no wrapping (one line per message, for
    grep); a terminal or ``COLUMNS=80``: rich's width, and text wrapped to it."""
    isatty = getattr(stream, "isatty", None)
    if os.environ.get("COLUMNS") or (isatty is not None and isatty()):
        return None
    return 100_000


class Output:
    """Collects what a command says; prints rich text, or one JSON document."""

    def __init__(self, lang: str, as_json: bool):
        self.lang = "en" if lang == "en" else "zh"
        self.as_json = as_json
        self.data: dict[str, Any] = {}
        self.console = Console(highlight=False, soft_wrap=True, width=_log_width(sys.stdout))
        self.err = Console(stderr=True, highlight=False, soft_wrap=True, width=_log_width(sys.stderr))

    @property
    def narrow(self) -> bool:
        return self.console.width < NARROW

    def t(self, key: str, **params: Any) -> str:
        return render(key, self.lang, **params)

    def say(self, text: str, style: str | None = None, err: bool = False) -> None:
        """Print ``text`` wrapped to the terminal (ids and dates never split)."""
        if not self.as_json:
            console = self.err if err else self.console
            for line in wrap(text, console.width):
                console.print(line, style=style, markup=False)

    def table(self, table: Table) -> None:
        if not self.as_json:
            self.console.print(table)

    def records(self, title: str | None, headers: list[str], rows: list[list[Any]], err: bool = False) -> None:
        """A table, or on a narrow terminal one block of "key: value" lines per row (nothing split)."""
        if self.as_json:
            return
        console = self.err if err else self.console
        if not self.narrow:
            table = Table(title=title)
            for h in headers:
                table.add_column(h, overflow="fold")
            for r in rows:
                table.add_row(*r)
            console.print(table)
            return
        if title:
            for line in wrap(title, console.width):
                console.print(line, style="bold", markup=False)
        sep = "：" if self.lang == "zh" else ": "
        for n, r in enumerate(rows):
            if n:
                console.print("")
            for h, v in zip(headers, r):
                value = v.plain if hasattr(v, "plain") else str(v if v is not None else "")
                if not value:
                    continue
                style = v.style if hasattr(v, "style") and isinstance(v.style, str) else None
                for line in wrap(f"{h}{sep}{value}", console.width, indent="  "):
                    console.print(line, markup=False, style=style or None)

    def problems(self, problems: list[Problem], title_key: str = "problems_found", key: str = "problems") -> None:
        self.data[key] = [p.to_dict(self.lang) for p in problems]
        if self.as_json or not problems:
            return
        errors = [p for p in problems if not p.warning]
        if title_key == "problems_found" and not errors:
            title_key = "notes_found"  # only notes: nothing went wrong
        title = self.t(title_key, count=len(errors) if title_key == "problems_found" else len(problems))
        mark = self.t("note_mark")
        heads = [("文件", "File"), ("行", "Row"), ("列", "Column"), ("问题及处理办法", "Problem and what to do")]
        self.records(title, [h[1] if self.lang == "en" else h[0] for h in heads],
                     [[p.file or "", str(p.row or ""), p.column or "",
                       (mark if p.warning and errors else "") + p.message(self.lang)] for p in problems],
                     err=True)

    def progress(self) -> Progress | None:
        """A progress callback for the core (None under --json): a bar on a terminal, else one
        line per stage that took ``SHUIJIE_PROGRESS_MIN`` seconds (default 2) or more."""
        if self.as_json:
            return None
        if self.err.is_terminal:
            return _BarProgress(self)
        return _LineProgress(self)


class _LineProgress:
    def __init__(self, out: Output):
        self.out = out
        self.started: dict[str, float] = {}
        self.min = float(os.environ.get("SHUIJIE_PROGRESS_MIN", "2"))

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done == 0:
            self.started[stage] = time.monotonic()
        elif done >= total and stage in self.started:
            took = time.monotonic() - self.started.pop(stage)
            if took >= self.min:
                line = self.out.t("progress_line", stage=self.out.t(stage), done=done, total=total)
                self.out.err.print(f"{line} ({took:.1f} s)", markup=False, highlight=False)


class _BarProgress:
    """A progress bar redrawn from the calls themselves (at most ten times a second), not by
    rich's refresh thread: the speed tricks fork only where no other thread runs
    (:mod:`shuijie.core.forking`)."""

    EVERY = 0.1  # seconds between redraws

    def __init__(self, out: Output):
        self.out = out
        self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=out.err, transient=True, auto_refresh=False)
        self.tasks: dict[str, Any] = {}
        self._drawn = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done == 0 and stage not in self.tasks:
            if not self.tasks:
                self.bar.start()
            self.tasks[stage] = self.bar.add_task(self.out.t(stage), total=total)
        task = self.tasks.get(stage)
        if task is None:
            return
        self.bar.update(task, completed=done, total=total)
        now = time.monotonic()
        if now - self._drawn >= self.EVERY or done >= total:
            self.bar.refresh()
            self._drawn = now
        if done >= total:
            self.bar.remove_task(task)
            del self.tasks[stage]
            if not self.tasks:
                self.bar.stop()


def execute(lang: str | None, as_json: bool, action: Callable[[Output], int | None]) -> None:
    safe_streams()
    lang = resolve_lang(lang)
    as_json = as_json or bool(GLOBAL.get("json"))
    if lang not in ("zh", "en"):
        if as_json:
            problem = Problem("lang_unknown", {"lang": lang}, column="--lang")
            write_json({"ok": False, "exit_code": EXIT_BAD_INPUT, "problems": [problem.to_dict("zh")]})
        else:
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
        doc: dict[str, Any] = {"ok": code == 0, "exit_code": code}
        doc.update(out.data)
        doc.setdefault("problems", [])
        write_json(doc)
    raise typer.Exit(code)
