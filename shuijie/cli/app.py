"""The Typer application that every command module registers its commands on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="shuijie",
    help="“双随机、一公开”抽查：名录库、可公开验证的随机抽取、文书、结果公示。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
