"""Click's usage errors and help layout, made the clerk's (the one place that knows typer's insides).

typer ≥ 0.20 vendors a trimmed Click as ``typer._click``; some of its usage messages
are plain English f-strings ("Got unexpected extra argument(s) (…)", "No such
command …") that no gettext catalogue reaches.  The CLI runs the app with
``standalone_mode=False``, catches the usage error here and renders it from our
catalogue (zh by default, en with ``--lang en``) as a :class:`Problem`, so that
``--json`` gets one JSON document for it too.

Private API used (``tests/test_cli_conventions.py::test_typer_private_api_still_there``
breaks loudly when an upgrade moves it; pyproject bounds typer below 0.30):

* ``typer._click.exceptions``: UsageError, NoSuchOption, BadOptionUsage,
  MissingParameter, BadParameter, NoArgsIsHelpError and their attributes;
* the English text "Got unexpected extra argument(s) (" of ``Command.parse_args``;
* ``typer._click.core.Command.get_help_option``, wrapped to describe ``--help`` in Chinese;
* ``typer.core.TyperArgument._usage_display_name`` / ``display_type_rich`` and
  ``TyperOption.display_type_rich``, patched so that the help shows ``PLAN`` instead of
  ``{plan}`` and no ``<path>`` / ``<bool>`` / ``<list[str]>`` type column.
"""

from __future__ import annotations

import difflib
from typing import Any

import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_exc

from shuijie.core.errors import Problem
from shuijie.core.messages import render

UsageError = click_exc.UsageError
NoArgsIsHelpError = click_exc.NoArgsIsHelpError
EXTRA_ARGS_PREFIX = "Got unexpected extra argument(s) ("


def _arg_usage_name(self: Any) -> str:
    name = (self.metavar or self.name or "").upper()
    if self.nargs != 1:
        name += "..."
    return name if self.required else f"[{name}]"


def _option_type(self: Any, ctx: Any) -> str | None:
    if self.is_flag or self.count:
        return None
    if self.metavar is not None:
        return self.metavar
    return "VALUE..." if self.multiple else "VALUE"


_help_option = click_core.Command.get_help_option


def tidy_help(lang: str = "zh") -> None:
    """Arguments shown as ``PLAN`` / ``[ROUNDS]...`` in usage lines, without a ``<path>`` column;
    options as ``--today YYYY-MM-DD`` (their metavar) or ``VALUE``, flags without ``<bool>``;
    ``--help`` described in the clerk's language (Click's own text is English)."""
    typer.core.TyperArgument._usage_display_name = _arg_usage_name  # type: ignore[method-assign]
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    typer.core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    text = render("help_option", lang)

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = _help_option(self, ctx)
        if option is not None:
            option.help = text
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _command_path(exc: Any, command: str | None) -> str:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else f"shuijie {command or ''}".strip()
    parts = path.split()
    return " ".join(["shuijie", *parts[1:]]) if parts else "shuijie"


def _closest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return found[0] if found else None


def usage_problem(exc: Exception, commands: list[str], argv: list[str], lang: str) -> Problem:
    """The usage error ``exc`` as one Problem of our catalogue (column: the option or argument)."""
    cmd = _command_path(exc, next((a for a in argv if a in commands), None))
    help_cmd = f"{cmd} --help"
    if isinstance(exc, click_exc.NoSuchOption):
        ctx = exc.ctx
        options = [o for p in (ctx.command.params if ctx else []) for o in (*p.opts, *p.secondary_opts)
                   if o.startswith("-")]
        best = _closest(exc.option_name, options)
        sugg = render("usage_option_did_you_mean", lang, option=best) if best else ""
        return Problem("usage_no_such_option", {"option": exc.option_name, "suggestion": sugg, "help": help_cmd},
                       column=exc.option_name)
    if isinstance(exc, click_exc.BadOptionUsage):
        key = "usage_option_no_value" if "does not take a value" in exc.message else "usage_option_needs_value"
        return Problem(key, {"option": exc.option_name, "help": help_cmd}, column=exc.option_name)
    if isinstance(exc, click_exc.MissingParameter):
        param = exc.param
        name = (param.metavar or param.name or "").upper() if param is not None else "?"
        if param is not None and param.param_type_name == "option":
            name = "/".join(param.opts)
        usage = exc.ctx.get_usage().replace("Usage: ", "").strip() if exc.ctx else cmd
        usage = " ".join(["shuijie", *usage.split()[1:]]) if usage else cmd
        return Problem("usage_missing", {"param": name, "usage": usage}, column=name)
    if isinstance(exc, click_exc.BadParameter):
        param = exc.param
        name = "/".join(param.opts) if param is not None and param.param_type_name == "option" else (
            (param.name or "").upper() if param is not None else "?")
        return Problem("usage_bad_value", {"param": name, "detail": exc.message, "help": help_cmd}, column=name)
    message = getattr(exc, "message", str(exc))
    if message.startswith(EXTRA_ARGS_PREFIX):
        extra = message[len(EXTRA_ARGS_PREFIX):].rstrip(")")
        return Problem("usage_extra_args", {"args": extra, "command": cmd})
    if message.startswith("No such command"):
        word = next((a for a in argv if not a.startswith("-")), "?")
        return no_such_command(word, commands, lang)
    return Problem("usage_other", {"detail": message, "help": help_cmd})


def no_such_command(word: str, commands: list[str], lang: str) -> Problem:
    best = _closest(word, commands)
    sugg = render("usage_did_you_mean", lang, command=f"shuijie {best}") if best else ""
    return Problem("usage_no_such_command", {"command": word, "suggestion": sugg, "commands": "、".join(commands)
                                             if lang == "zh" else ", ".join(commands)})
