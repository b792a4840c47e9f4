"""The Typer application that every command module registers its commands on.

Options before the command (``shuijie --lang en --json status``) are the app's; the
same options after the command are the command's; either way they land in
:data:`shuijie.cli.common.GLOBAL` / the command's parameters.
"""

from __future__ import annotations

from typing import Optional

import typer

from shuijie import __version__
from shuijie.cli.common import GLOBAL, JsonOpt, LangOpt

app = typer.Typer(
    name="shuijie",
    help="“双随机、一公开”抽查：名录库、可公开验证的随机抽取、文书、结果公示。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shuijie {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global_options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                 help="显示版本号后退出 (show the version and exit)"),
    lang: Optional[str] = LangOpt,
    as_json: bool = JsonOpt,
) -> None:
    GLOBAL["lang"] = lang
    GLOBAL["json"] = as_json
