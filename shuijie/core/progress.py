"""Progress reporting for long steps, without any display library.

A core function that may take more than a moment takes ``progress: Progress``, a
callable ``(stage, done, total)``: ``stage`` is a key of the message catalogue
(``progress_load``, ``progress_papers`` …), so the caller renders it in the
clerk's language; ``done == 0`` opens a stage and ``done == total`` closes it.
The CLI draws a bar on a terminal and one plain line per stage in a log.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    """The default: report nothing."""


@contextmanager
def stage(progress: Progress | None, key: str, total: int = 1) -> Iterator[None]:
    """Open ``key`` (0/total) and close it (total/total) around a block."""
    report = progress or quiet
    report(key, 0, total)
    yield
    report(key, total, total)
