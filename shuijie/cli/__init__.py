"""The ``shuijie`` command: a thin Typer layer over the core.

Each command module only parses arguments, calls the core and prints; no
rule of the regulation lives here.  Exit codes: 0 ok, 1 verification failed,
2 bad input, 3 infeasible draw (70: an internal error, not the user's).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="shuijie",
    help="“双随机、一公开”抽查：名录库、可公开验证的随机抽取、文书、结果公示。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from . import workspace, round, after  # noqa: E402,F401,I001  (register the commands, in workflow order)


def main() -> None:
    app()
