"""The ``shuijie`` command: a thin Typer layer over the core.

Each command module only parses arguments, calls the core and prints; no
rule of the regulation lives here.  Exit codes: 0 ok, 1 verification failed,
2 bad input (a usage error too), 3 infeasible draw (70: an internal error, not
the user's); docs/exit-codes.md.
"""

from __future__ import annotations

import os
import sys

import typer

# isort: off
# register the commands, in the order of the workflow
from shuijie.cli import workspace  # noqa: F401
from shuijie.cli import plan  # noqa: F401
from shuijie.cli import round  # noqa: F401
from shuijie.cli import after  # noqa: F401
# isort: on
from shuijie.cli.app import app
from shuijie.cli.common import EXIT_BAD_INPUT, safe_streams, write_json
from shuijie.cli.usage import (
    NoArgsIsHelpError,
    UsageError,
    no_such_command,
    tidy_help,
    usage_problem,
)
from shuijie.core.errors import Problem
from shuijie.core.messages import render


def _scan(args: list[str]) -> tuple[str, bool, str | None]:
    """(lang, json, command) from the raw arguments, for errors raised before a command runs."""
    lang, as_json, command = os.environ.get("SHUIJIE_LANG") or "zh", False, None
    skip = False
    for n, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a == "--":
            break
        if a == "--lang" and n + 1 < len(args):
            lang, skip = args[n + 1], True
        elif a.startswith("--lang="):
            lang = a.partition("=")[2]
        elif a == "--json":
            as_json = True
        elif not a.startswith("-") and command is None:
            command = a
    return (lang if lang in ("zh", "en") else "zh"), as_json, command


def _usage_failed(problem: Problem, lang: str, as_json: bool) -> int:
    if as_json:
        write_json({"ok": False, "exit_code": EXIT_BAD_INPUT, "problems": [problem.to_dict(lang)]})
    else:
        prefix = "Error: " if lang == "en" else "错误："
        sys.stderr.write(prefix + problem.message(lang) + "\n")
    return EXIT_BAD_INPUT


def run(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: sys.argv[1:]); returns the exit code."""
    safe_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    lang, as_json, command = _scan(args)
    tidy_help(lang)
    app.info.epilog = render("help_exit_codes", lang)
    group = typer.main.get_command(app)
    commands = list(group.commands)  # type: ignore[attr-defined]
    if command is not None and command not in commands:
        return _usage_failed(no_such_command(command, commands, lang), lang, as_json)
    try:
        code = group.main(args=args, prog_name="shuijie", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return 0
    except UsageError as exc:
        return _usage_failed(usage_problem(exc, commands, args, lang), lang, as_json)
    except typer.Abort:
        return 1
    return code if isinstance(code, int) else 0


def main() -> None:
    sys.exit(run())
