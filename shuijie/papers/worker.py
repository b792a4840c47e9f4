"""The papers worker: a forked child writes the workbooks while the parent writes the .docx.

A speed trick, fenced here.  With 10,000 drawn objects the papers take about half the
time on 2 cores when the openpyxl-bound workbooks are written by a second process.  The
trick is optional in every sense:

* off below :data:`PARALLEL_FROM` objects, on a single core, and wherever ``os.fork`` does
  not exist (Windows): the job then simply runs in this process;
* off when the environment says ``SHUIJIE_PAPERS_WORKER=0`` (``1`` forces it on at any
  size), or when the caller passes ``worker=False`` to ``write_papers``.

Every file's bytes are the same either way (``tests/test_papers_worker.py``); only the
order in which files are written differs.  The fork itself is :mod:`shuijie.core.forking`'s
(also the objects loader's); nothing POSIX-only is imported at module level.
"""

from __future__ import annotations

from shuijie.core.forking import beside, can_fork, switch

# From this many objects on, the worker is used (when allowed and possible).
PARALLEL_FROM = 300
ENV = "SHUIJIE_PAPERS_WORKER"

__all__ = ["ENV", "PARALLEL_FROM", "beside", "can_fork", "use_worker"]


def use_worker(requested: bool | None, objects: int) -> bool:
    """Whether to ask for the worker: the caller's choice, else the environment, else size."""
    if requested is not None:
        return requested
    return switch(ENV, objects >= PARALLEL_FROM)
