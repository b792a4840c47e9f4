"""The ``shuijie`` command: a thin Typer layer over the core.

Each command module only parses arguments, calls the core and prints; no
rule of the regulation lives here.  Exit codes: 0 ok, 1 verification failed,
2 bad input, 3 infeasible draw (70: an internal error, not the user's).
"""

from __future__ import annotations

# isort: off
# register the commands, in the order of the workflow
from shuijie.cli import workspace  # noqa: F401
from shuijie.cli import plan  # noqa: F401
from shuijie.cli import round  # noqa: F401
from shuijie.cli import after  # noqa: F401
# isort: on
from shuijie.cli.app import app


def main() -> None:
    app()
