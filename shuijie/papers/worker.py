"""The papers worker: a forked child writes the workbooks while the parent writes the .docx.

A speed trick, fenced here.  With 10,000 drawn objects the papers take about half the
time on 2 cores when the openpyxl-bound workbooks are written by a second process.  The
trick is optional in every sense:

* off below :data:`PARALLEL_FROM` objects, on a single core, and wherever ``os.fork`` does
  not exist (Windows): the job then simply runs in this process;
* off when the environment says ``SHUIJIE_PAPERS_WORKER=0`` (``1`` forces it on at any
  size), or when the caller passes ``worker=False`` to ``write_papers``.

Every file's bytes are the same either way (``tests/test_papers_worker.py``); only the
order in which files are written differs.  Nothing POSIX-only is imported at module level.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from shuijie.core.errors import ShuijieError

# From this many objects on, the worker is used (when allowed and possible).
PARALLEL_FROM = 300
ENV = "SHUIJIE_PAPERS_WORKER"


def use_worker(requested: bool | None, objects: int) -> bool:
    """Whether to ask for the worker: the caller's choice, else the environment, else size."""
    if requested is not None:
        return requested
    env = os.environ.get(ENV, "").strip()
    if env == "0":
        return False
    if env == "1":
        return True
    return objects >= PARALLEL_FROM


def can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


@contextmanager
def beside(job: Callable[[], Any], parallel: bool) -> Iterator[Callable[[], Any]]:
    """Run ``job`` in a forked child (when ``parallel`` and possible) while the body runs; the
    body calls the yielded function to get ``job``'s result (or its exception, re-raised)."""
    if not parallel or not can_fork():
        yield job
        return
    import gc
    import pickle

    rfd, wfd = os.pipe()
    gc.freeze()  # the child shares the workspace's pages; keep the collector from touching them
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(rfd)
            _die_with_parent()

            try:
                payload = pickle.dumps(("ok", job()))
            except ShuijieError as exc:  # sent to the parent, which raises it
                payload = pickle.dumps(("shuijie", (type(exc), exc.problems)))
            except BaseException as exc:
                try:
                    payload = pickle.dumps(("error", exc))
                except Exception:
                    payload = pickle.dumps(("error", RuntimeError(repr(exc))))
            with os.fdopen(wfd, "wb") as fh:
                fh.write(payload)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(wfd)
    done = False

    def result():
        nonlocal done
        with os.fdopen(rfd, "rb") as fh:
            data = fh.read()
        done = True
        os.waitpid(pid, 0)
        if not data:
            raise RuntimeError("the papers worker process died")
        status, value = pickle.loads(data)
        if status == "shuijie":
            cls, problems = value
            raise cls(problems)
        if status == "error":
            raise value
        return value

    try:
        yield result
    finally:
        if not done:  # the body failed: stop the child, reap it
            import signal

            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
            try:
                os.close(rfd)
            except OSError:
                pass


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL when its parent dies (a killed draw leaves no writer behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
